// <pod-probes>: what the kubelets think of every pod in the default namespace. One row per
// container with its state, READY, started and restart count (from the pod's status in the API),
// and a 90 s axis of virtual time with one lane per probe the container declares: a tick for every
// probe the kubelet ran (k8s.probe engine events), green for success, red for failure, and on the
// container lane a cross where an instance ended and a triangle where one started.
// Every mark has a text twin (title and the row's summary), so nothing depends on colour alone.
//
// It reads typed API objects (clusterOf(kernelOf(host)).api) and engine events, never terminal
// text. Loaded by PodProbes.astro when it nears the viewport.
import { LiveWidget } from "./live-widget";
import { clusterOf, kernelOf } from "../../engine";
import type { EngineEvent, Host } from "../../engine";
import type { Container, ContainerStatus, Pod } from "../../engine/k8s/api/types";
import { el } from "./dom";

/** Milliseconds of virtual time on the axis. */
const WINDOW_MS = 90_000;
const PROBES = ["Startup", "Readiness", "Liveness"] as const;
type ProbeType = (typeof PROBES)[number];

interface Tick {
  time: number;
  ok: boolean;
  output: string;
}

const probeOf = (c: Container, t: ProbeType) => (t === "Startup" ? c.startupProbe : t === "Readiness" ? c.readinessProbe : c.livenessProbe);

function stateText(s: ContainerStatus | undefined): string {
  if (!s) return "no status yet";
  if (s.state.running) return "Running";
  if (s.state.waiting) return `Waiting (${s.state.waiting.reason})`;
  if (s.state.terminated) return `Terminated (${s.state.terminated.reason}, exit ${s.state.terminated.exitCode})`;
  return "unknown";
}

export class PodProbes extends LiveWidget {
  /** "ns/pod/container/probe" → probe runs in the window. */
  private ticks = new Map<string, Tick[]>();
  private list!: HTMLOListElement;
  private empty!: HTMLParagraphElement;
  private clock!: HTMLSpanElement;

  protected setup(): void {
    const root = this.querySelector<HTMLElement>("[data-pp-body]") ?? this;
    root.replaceChildren();
    const head = el("p", "pp__head");
    this.clock = el("span", "pp__clock");
    head.append(el("span", undefined, `The last ${WINDOW_MS / 1000} s of virtual time. `), this.clock);
    this.list = el("ol", "pp__list");
    this.list.setAttribute("aria-label", "pods, their containers and probe results");
    this.empty = el("p", "pp__empty", "No pods in the default namespace yet. Apply one in the terminal (kubectl apply -f - <<EOF …) and it appears here.");
    root.append(head, this.empty, this.list);
  }

  protected attached(host: Host): void {
    this.ticks = new Map();
    const now = host.snapshot().time;
    for (const e of host.events()) if (e.time >= now - WINDOW_MS) this.note(e);
  }

  protected redrawOn(e: EngineEvent): boolean {
    this.note(e);
    return e.type === "k8s.probe" || (e.type === "k8s.object" && e.kind === "Pod") || e.type === "shell.command" || e.type === "reset";
  }

  private note(e: EngineEvent): void {
    if (e.type !== "k8s.probe" || e.result === "Unknown") return;
    const key = `${e.namespace}/${e.pod}/${e.container}/${e.probe}`;
    let list = this.ticks.get(key);
    if (!list) this.ticks.set(key, (list = []));
    list.push({ time: e.time, ok: e.result === "Success", output: e.output });
    if (list.length > 200) list.splice(0, list.length - 200);
  }

  protected render(host: Host): void {
    const ctx = clusterOf(kernelOf(host));
    const now = host.snapshot().time;
    this.clock.textContent = `Virtual time ${(now / 1000).toFixed(1)} s.`;
    for (const [k, list] of this.ticks) {
      const keep = list.filter((t) => t.time >= now - WINDOW_MS);
      if (keep.length) this.ticks.set(k, keep);
      else this.ticks.delete(k);
    }
    const pods = ctx ? ctx.api.list<Pod>("Pod", "default").sort((a, b) => a.metadata.name.localeCompare(b.metadata.name)) : [];
    this.dataset.pods = pods.map((p) => p.metadata.name).join(" ");
    this.empty.hidden = pods.length > 0;
    this.list.hidden = pods.length === 0;
    const epoch = ctx ? ctx.clock.epochMs() - ctx.clock.now() : 0;
    this.list.replaceChildren(...pods.flatMap((p) => p.spec.containers.map((c) => this.row(p, c, now, epoch))));
  }

  private row(p: Pod, c: Container, now: number, epoch: number): HTMLLIElement {
    const s = p.status?.containerStatuses?.find((x) => x.name === c.name);
    const li = el("li", "pp__row");
    li.dataset.pod = p.metadata.name;
    li.dataset.container = c.name;
    li.dataset.ready = String(!!s?.ready);
    li.dataset.restarts = String(s?.restartCount ?? 0);
    const title = el("div", "pp__title");
    title.append(el("span", "pp__name", p.spec.containers.length > 1 ? `${p.metadata.name} / ${c.name}` : p.metadata.name), el("span", "pp__meta", `${p.spec.nodeName ?? "not scheduled"}${p.status?.podIP ? ` · ${p.status.podIP}` : ""} · ${p.status?.phase ?? "Pending"}`));
    const facts = el("div", "pp__facts");
    const fact = (label: string, value: string, good: boolean) => {
      const f = el("span", `pp__fact ${good ? "pp__fact--good" : "pp__fact--bad"}`);
      f.append(el("span", "pp__fact-label", label), el("b", undefined, value));
      return f;
    };
    facts.append(fact("state", stateText(s), !!s?.state.running), fact("ready", s?.ready ? "yes" : "no", !!s?.ready), fact("started", s?.started ? "yes" : "no", !!s?.started), fact("restarts", String(s?.restartCount ?? 0), (s?.restartCount ?? 0) === 0));
    li.append(title, facts);

    // The container lane: where instances ended (lastState) and where the running one started.
    const at = (iso: string | undefined) => (iso ? Date.parse(iso) - epoch : NaN);
    const lane = (name: string, marks: HTMLElement[], summary: string) => {
      const row = el("div", "pp__lane");
      row.dataset.lane = name;
      const axis = el("div", "pp__axis");
      axis.append(...marks);
      row.append(el("span", "pp__lane-label", name), axis, el("span", "pp__lane-text", summary));
      return row;
    };
    const place = (m: HTMLElement, time: number) => {
      m.style.left = `${(Math.max(0, Math.min(1, 1 - (now - time) / WINDOW_MS)) * 100).toFixed(2)}%`;
      return m;
    };
    const cmarks: HTMLElement[] = [];
    const started = at(s?.state.running?.startedAt);
    const ended = at(s?.lastState?.terminated?.finishedAt);
    if (ended >= now - WINDOW_MS) cmarks.push(place(Object.assign(el("span", "pp__mark pp__mark--end", "✕"), { title: `an instance ended: ${s!.lastState!.terminated!.reason}, exit ${s!.lastState!.terminated!.exitCode}` }), ended));
    if (started >= now - WINDOW_MS) cmarks.push(place(Object.assign(el("span", "pp__mark pp__mark--start", "▲"), { title: "started" }), started));
    li.append(lane("container", cmarks, `${stateText(s)}${s?.lastState?.terminated ? `; last exit ${s.lastState.terminated.exitCode} (${s.lastState.terminated.reason})` : ""}`));

    for (const t of PROBES) {
      if (!probeOf(c, t)) continue;
      const ticks = this.ticks.get(`${p.metadata.namespace ?? "default"}/${p.metadata.name}/${c.name}/${t}`) ?? [];
      const marks = ticks.map((k) => place(Object.assign(el("span", `pp__tick ${k.ok ? "pp__tick--ok" : "pp__tick--fail"}`), { title: k.ok ? `${t} probe succeeded` : `${t} probe failed: ${k.output}` }), k.time));
      let run = 0;
      for (let i = ticks.length - 1; i >= 0 && ticks[i]!.ok === ticks.at(-1)!.ok; i--) run++;
      const last = ticks.at(-1);
      const summary = last ? `${last.ok ? "success" : "failure"}${run > 1 ? ` ×${run} in a row` : ""}${last.ok ? "" : `: ${last.output}`}` : "not run yet";
      const l = lane(t.toLowerCase(), marks, summary);
      l.dataset.last = last ? (last.ok ? "success" : "failure") : "none";
      li.append(l);
    }
    return li;
  }
}

if (!customElements.get("pod-probes")) customElements.define("pod-probes", PodProbes);
