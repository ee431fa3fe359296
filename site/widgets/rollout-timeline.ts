// <rollout-timeline>: a rolling update, step by step. Each column is one observed step (a pod
// created, deleted or become available); its bar is the Deployment's pods, old ReplicaSet below
// and new above, and the dot on it is how many are available. Two dashed lines are the bounds
// the Deployment controller must respect: replicas + maxSurge above, replicas − maxUnavailable
// below. Virtual time is written under the steps where it moved.
//
// Two sources:
//   - "scratch": a rollout run in a scratch cluster of the engine inside the widget (nginx:1.27
//     → kubectl rollout restart), with sliders for maxSurge and maxUnavailable in percent, so the
//     rounding shows; deterministic (same sliders, same steps); Replay draws it again;
//   - "live": the page's own cluster — every Deployment there is recorded from the moment the
//     widget saw it, so a `kubectl set image` in the terminal draws its steps here.
// It reads typed samples (engine/k8s/controllers/rollout-trace.ts), never terminal text.
import { LiveWidget } from "./live-widget";
import type { EngineEvent, Host } from "../../engine";
import { demoDeployment, recordRollout, runRollout } from "../../engine/k8s/controllers/rollout-trace";
import type { RolloutRecorder, RolloutSample } from "../../engine/k8s/controllers/rollout-trace";
import { resolveFenceposts } from "../../engine/k8s/controllers/rollout";
import { clusterContextOf } from "../../engine/k8s/scheduler/table";
import type { Deployment } from "../../engine/k8s/api/types";
import { el } from "./dom";

const SVG = "http://www.w3.org/2000/svg";

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

interface Series {
  samples: RolloutSample[];
  replicas: number;
  surge: number;
  unavailable: number;
  note: string;
  error?: string;
}

const SCRATCH = "scratch";

export class RolloutTimeline extends LiveWidget {
  private source!: HTMLSelectElement;
  private surgeIn!: HTMLInputElement;
  private unavailIn!: HTMLInputElement;
  private replicasIn!: HTMLSelectElement;
  private surgeOut!: HTMLOutputElement;
  private unavailOut!: HTMLOutputElement;
  private replay!: HTMLButtonElement;
  private chart!: HTMLDivElement;
  private summary!: HTMLParagraphElement;
  private status!: HTMLParagraphElement;
  private scratch: Series | null = null;
  private scratchKey = "";
  private pendingRun = 0;
  private recorders = new Map<string, RolloutRecorder>();
  /** How many steps are drawn (the replay animation grows it). */
  private shown = Infinity;
  private anim = 0;

  protected setup(): void {
    const root = this.querySelector<HTMLElement>("[data-rt-body]") ?? this;
    root.replaceChildren();
    const controls = el("div", "rt__controls");

    const srcLabel = el("label", "rt__label", "Show ");
    this.source = el("select", "rt__select");
    this.source.setAttribute("data-rt-source", "");
    this.source.append(Object.assign(el("option", undefined, "a scratch rollout (sliders)"), { value: SCRATCH }));
    this.source.addEventListener("change", () => this.restart());
    srcLabel.append(this.source);

    const repLabel = el("label", "rt__label", "replicas ");
    this.replicasIn = el("select", "rt__select");
    for (const n of [4, 10]) this.replicasIn.append(Object.assign(el("option", undefined, String(n)), { value: String(n) }));
    this.replicasIn.value = "10";
    this.replicasIn.setAttribute("data-rt-replicas", "");
    this.replicasIn.addEventListener("change", () => this.queueScratch());
    repLabel.append(this.replicasIn);

    const slider = (name: string, value: number): [HTMLLabelElement, HTMLInputElement, HTMLOutputElement] => {
      const label = el("label", "rt__label rt__label--slider", `${name} `);
      const input = el("input", "rt__range");
      input.type = "range";
      input.min = "0";
      input.max = "100";
      input.step = "5";
      input.value = String(value);
      input.setAttribute(`data-rt-${name.toLowerCase()}`, "");
      const out = el("output", "rt__out");
      input.addEventListener("input", () => this.queueScratch());
      label.append(input, out);
      return [label, input, out];
    };
    let surgeLabel: HTMLLabelElement;
    let unavailLabel: HTMLLabelElement;
    [surgeLabel, this.surgeIn, this.surgeOut] = slider("maxSurge", 25);
    [unavailLabel, this.unavailIn, this.unavailOut] = slider("maxUnavailable", 25);

    this.replay = el("button", "rt__btn", "▶ Replay");
    this.replay.type = "button";
    this.replay.setAttribute("data-rt-replay", "");
    this.replay.addEventListener("click", () => this.replayNow());

    controls.append(srcLabel, repLabel, surgeLabel, unavailLabel, this.replay);
    this.summary = el("p", "rt__summary");
    this.chart = el("div", "rt__chart");
    this.status = el("p", "rt__sr");
    this.status.setAttribute("role", "status");
    root.append(controls, this.summary, this.chart, this.status);
    this.queueScratch(true);
  }

  protected teardown(): void {
    for (const r of this.recorders.values()) r.stop();
    this.recorders.clear();
    cancelAnimationFrame(this.anim);
    clearTimeout(this.pendingRun);
  }

  protected attached(): void {
    for (const r of this.recorders.values()) r.stop();
    this.recorders.clear();
  }

  protected redrawOn(e: EngineEvent): boolean {
    return e.type === "k8s.object" || e.type === "reset";
  }

  private restart(): void {
    this.shown = Infinity;
    this.schedule();
  }

  /** Recompute the scratch rollout a moment after the sliders stop moving. */
  private queueScratch(now = false): void {
    const replicas = Number(this.replicasIn.value);
    const s = Number(this.surgeIn.value);
    const u = Number(this.unavailIn.value);
    const f = resolveFenceposts(`${s}%`, `${u}%`, replicas);
    this.surgeOut.value = `${s}% → ${f.surge}`;
    this.unavailOut.value = `${u}% → ${s === 0 && u === 0 ? 0 : f.unavailable}`;
    clearTimeout(this.pendingRun);
    this.pendingRun = window.setTimeout(() => this.runScratch(replicas, s, u), now ? 0 : 150);
    this.dataset.busy = "";
  }

  private runScratch(replicas: number, s: number, u: number): void {
    const key = `${replicas}/${s}/${u}`;
    if (key !== this.scratchKey) {
      this.scratchKey = key;
      const run = runRollout(demoDeployment({ replicas, maxSurge: `${s}%`, maxUnavailable: `${u}%`, minReadySeconds: 5 }), { seed: 1 });
      const f = resolveFenceposts(`${s}%`, `${u}%`, replicas);
      this.scratch = {
        samples: run.samples,
        replicas,
        surge: f.surge,
        unavailable: Math.min(f.unavailable, replicas),
        note: `Scratch cluster: Deployment web, ${replicas} replicas, minReadySeconds 5, maxSurge ${s}% → ${f.surge} (rounded up), maxUnavailable ${u}% → ${f.unavailable} (rounded down); kubectl rollout restart at ${(run.startedAt / 1000).toFixed(0)} s.`,
        ...(run.error ? { error: run.error } : {}),
      };
    }
    delete this.dataset.busy;
    if (this.source.value === SCRATCH) this.replayNow();
  }

  /** Draw the steps one by one (at once when the reader prefers less motion). */
  private replayNow(): void {
    cancelAnimationFrame(this.anim);
    const total = this.series()?.samples.length ?? 0;
    if (matchMedia("(prefers-reduced-motion: reduce)").matches || total === 0) {
      this.shown = Infinity;
      this.schedule();
      return;
    }
    const start = performance.now();
    const dur = Math.min(2500, 60 * total);
    const step = () => {
      const k = Math.min(1, (performance.now() - start) / dur);
      this.shown = Math.max(1, Math.ceil(k * total));
      if (this.host) this.render(this.host);
      if (k < 1) this.anim = requestAnimationFrame(step);
      else this.shown = Infinity;
    };
    this.anim = requestAnimationFrame(step);
  }

  /** The live cluster's Deployments, each recorded from when this widget first saw it. */
  private liveDeployments(host: Host): string[] {
    const ctx = clusterContextOf(host);
    if (!ctx) return [];
    const names = ctx.api.list<Deployment>("Deployment").map((d) => `${d.metadata.namespace ?? "default"}/${d.metadata.name}`);
    for (const n of names) {
      if (!this.recorders.has(n)) {
        const [ns, name] = n.split("/") as [string, string];
        this.recorders.set(n, recordRollout(ctx, ns, name));
      }
    }
    for (const [n, r] of this.recorders) {
      if (!names.includes(n)) {
        r.stop();
        this.recorders.delete(n);
      }
    }
    return names;
  }

  private series(): Series | null {
    if (this.source.value === SCRATCH) return this.scratch;
    const rec = this.recorders.get(this.source.value);
    if (!rec || rec.samples.length === 0) return null;
    const all = rec.samples;
    const last = all[all.length - 1]!;
    // The latest rollout: from the step before the newest ReplicaSet took over (a new template or an undo).
    const newest = (x: RolloutSample) => x.replicaSets.reduce((a, b) => (b.revision > a.revision ? b : a), x.replicaSets[0]!)?.name;
    let from = 0;
    for (let i = 1; i < all.length; i++) if (all[i]!.replicaSets.length && newest(all[i]!) !== newest(all[i - 1]!)) from = i - 1;
    const samples = all.slice(from);
    const [ns, name] = this.source.value.split("/") as [string, string];
    // The lesson's web runs nginx; any other Deployment (kube-system's coredns) is rolled by a restart.
    const how = ns === "default" ? `kubectl set image deployment/${name} nginx=nginx:1.28` : `kubectl -n ${ns} rollout restart deployment/${name}`;
    const what = from > 0 ? `its latest rollout, from ${(samples[0]!.t / 1000).toFixed(0)} s` : `recorded since ${(all[0]!.t / 1000).toFixed(0)} s; roll it out with ${how} in the terminal`;
    return { samples, replicas: last.replicas, surge: last.surge, unavailable: last.unavailable, note: `This page's cluster: deployment ${this.source.value.replace(/^default\//, "")}, ${what}.` };
  }

  protected render(host: Host): void {
    // Keep the source list in step with the live cluster.
    const live = this.liveDeployments(host);
    const want = [SCRATCH, ...live];
    const have = [...this.source.options].map((o) => o.value);
    if (want.join("|") !== have.join("|")) {
      const keep = this.source.value;
      this.source.replaceChildren(Object.assign(el("option", undefined, "a scratch rollout (sliders)"), { value: SCRATCH }), ...live.map((n) => Object.assign(el("option", undefined, `this page's deployment ${n.replace(/^default\//, "")}`), { value: n })));
      this.source.value = want.includes(keep) ? keep : SCRATCH;
    }
    const scratch = this.source.value === SCRATCH;
    // The sliders drive the scratch rollout only; a live Deployment brings its own strategy.
    for (const i of [this.surgeIn, this.unavailIn, this.replicasIn]) {
      i.disabled = !scratch;
      i.closest("label")!.hidden = !scratch;
    }
    this.dataset.source = this.source.value;

    const s = this.series();
    if (!s) {
      this.summary.textContent = scratch ? "Running a rollout in a scratch cluster…" : "No steps recorded yet.";
      this.chart.replaceChildren();
      return;
    }
    if (s.error) {
      this.summary.textContent = `The API server refused the Deployment: ${s.error}`;
      this.chart.replaceChildren();
      this.dataset.steps = "0";
      this.dataset.error = s.error;
      return;
    }
    delete this.dataset.error;
    const samples = s.samples.slice(0, this.shown);
    const maxPods = Math.max(...s.samples.map((x) => x.pods));
    const minAvail = Math.min(...s.samples.map((x) => x.available));
    this.dataset.steps = String(s.samples.length);
    this.dataset.maxPods = String(maxPods);
    this.dataset.minAvailable = String(minAvail);
    this.dataset.surge = String(s.surge);
    this.dataset.unavailable = String(s.unavailable);
    const dur = s.samples.length ? (s.samples[s.samples.length - 1]!.t - s.samples[0]!.t) / 1000 : 0;
    this.summary.textContent = `${s.note} ${s.samples.length} steps over ${dur.toFixed(0)} s: at most ${maxPods} pods (bound ${s.replicas + s.surge}), at least ${minAvail} available (bound ${s.replicas - s.unavailable}).`;
    this.status.textContent = this.summary.textContent;
    this.chart.replaceChildren(this.draw(s, samples));
  }

  private draw(s: Series, samples: RolloutSample[]): SVGSVGElement {
    const n = Math.max(s.samples.length, 1);
    const top = Math.max(s.replicas + s.surge, ...s.samples.map((x) => x.pods), 1);
    const W = 720;
    const H = 240;
    const m = { l: 34, r: 12, t: 12, b: 38 };
    const cw = (W - m.l - m.r) / n;
    const y = (v: number) => m.t + (H - m.t - m.b) * (1 - v / top);
    const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "rt__svg", role: "img", "aria-label": `ReplicaSet sizes over ${n} steps` });

    // Axis and grid.
    for (let v = 0; v <= top; v += top > 12 ? 5 : top > 6 ? 2 : 1) {
      root.append(svg("line", { x1: m.l, x2: W - m.r, y1: y(v), y2: y(v), class: "rt__grid" }), svg("text", { x: m.l - 6, y: y(v) + 4, class: "rt__tick", "text-anchor": "end" }, String(v)));
    }
    // The band the controller keeps to: between replicas − maxUnavailable and replicas + maxSurge.
    const hi = s.replicas + s.surge;
    const lo = s.replicas - s.unavailable;
    root.append(svg("rect", { x: m.l, y: y(hi), width: W - m.l - m.r, height: Math.max(0, y(lo) - y(hi)), class: "rt__band" }));

    // One column per step: old ReplicaSets (all but the newest) below, the newest above.
    let lastLabel = "";
    samples.forEach((x, i) => {
      const newest = x.replicaSets[x.replicaSets.length - 1];
      const newPods = x.replicaSets.length > 1 ? (newest?.pods ?? 0) : 0;
      const oldPods = x.pods - newPods;
      const x0 = m.l + i * cw + cw * 0.12;
      const w = Math.max(1, cw * 0.76);
      const g = svg("g", { class: "rt__step", "data-step": i, "data-pods": x.pods, "data-available": x.available });
      g.append(svg("title", {}, `${((x.t - s.samples[0]!.t) / 1000).toFixed(0)} s: ${x.replicaSets.map((r) => `${r.name} ${r.pods} pods (${r.available} available, wants ${r.desired})`).join("; ")}`));
      if (oldPods) g.append(svg("rect", { x: x0, y: y(oldPods), width: w, height: y(0) - y(oldPods), class: "rt__old" }));
      if (newPods) g.append(svg("rect", { x: x0, y: y(x.pods), width: w, height: y(oldPods) - y(x.pods), class: "rt__new" }));
      const bad = x.pods > hi || x.available < lo;
      g.append(svg("circle", { cx: x0 + w / 2, cy: y(x.available), r: Math.min(4, Math.max(2, cw * 0.3)), class: `rt__avail${bad ? " rt__avail--bad" : ""}` }));
      const label = `${((x.t - s.samples[0]!.t) / 1000).toFixed(0)}s`;
      if (label !== lastLabel) {
        g.append(svg("text", { x: x0 + w / 2, y: H - m.b + 14, class: "rt__tick", "text-anchor": "middle" }, label));
        lastLabel = label;
      }
      root.append(g);
    });
    // The bounds on top of the bars, so they stay readable.
    root.append(svg("line", { x1: m.l, x2: W - m.r, y1: y(hi), y2: y(hi), class: "rt__bound rt__bound--hi" }), svg("text", { x: W - m.r - 4, y: y(hi) - 4, class: "rt__boundlabel", "text-anchor": "end" }, `max pods ${hi} = ${s.replicas} + maxSurge ${s.surge}`));
    root.append(svg("line", { x1: m.l, x2: W - m.r, y1: y(lo), y2: y(lo), class: "rt__bound rt__bound--lo" }), svg("text", { x: W - m.r - 4, y: y(lo) + 13, class: "rt__boundlabel", "text-anchor": "end" }, `min available ${lo} = ${s.replicas} − maxUnavailable ${s.unavailable}`));
    root.append(svg("text", { x: m.l, y: H - 6, class: "rt__axis" }, "each column is one observed step; virtual time since the rollout began is written where it moved"));
    return root;
  }
}

if (!customElements.get("rollout-timeline")) customElements.define("rollout-timeline", RolloutTimeline);
