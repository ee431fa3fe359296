// <scheduler-table>: why a pod went where it went. For a pod chosen in a select box it shows
// the scheduling framework's table: every filter plugin's verdict on every node, then for the
// feasible nodes each score plugin's raw score, normalised score and weight, the weighted total,
// and the winner. Two controls change the question:
//   - "CPU request": the same dry run with a different request (nothing is created; requests
//     of a real pod cannot be edited, so this is a what-if computed by the engine);
//   - "Taint": types `kubectl taint nodes …` into the page's terminal (as the Run buttons do),
//     so the cluster itself changes and the table recomputes from the new state.
// It reads typed tables from the engine (engine/k8s/scheduler/table.ts), never terminal text.
import { LiveWidget } from "./live-widget";
import type { EngineEvent, Host } from "../../engine";
import { clusterContextOf, decisionTable, previewTable, schedulingCandidates } from "../../engine/k8s/scheduler/table";
import type { SchedulingTable } from "../../engine/k8s/scheduler/table";
import type { Node } from "../../engine/k8s/api/types";
import type { KijlTerminal } from "./terminal";
import { el } from "./dom";

/** The taint the widget adds and removes: easy to recognise in kubectl describe node. */
export const WIDGET_TAINT = "demo=widget:NoSchedule";

const cpuText = (m: number) => (m % 1000 === 0 ? String(m / 1000) : `${m}m`);
const memText = (b: number) => (b === 0 ? "0" : b % 2 ** 30 === 0 ? `${b / 2 ** 30}Gi` : b % 2 ** 20 === 0 ? `${b / 2 ** 20}Mi` : String(b));

export class SchedulerTable extends LiveWidget {
  private pick!: HTMLSelectElement;
  private cpu!: HTMLInputElement;
  private cpuReset!: HTMLButtonElement;
  private nodePick!: HTMLSelectElement;
  private taintBtn!: HTMLButtonElement;
  private summary!: HTMLParagraphElement;
  private decision!: HTMLParagraphElement;
  private grid!: HTMLDivElement;
  private status!: HTMLParagraphElement;
  /** The what-if CPU request in millicores, or null for the pod's own. */
  private cpuOverride: number | null = null;
  private chosen = "";
  /** Every pod the table has offered, so that only new ones take it over. */
  private readonly seen = new Set<string>();

  protected setup(): void {
    const root = this.querySelector<HTMLElement>("[data-st-body]") ?? this;
    root.replaceChildren();
    const controls = el("div", "st__controls");

    const podLabel = el("label", "st__label", "Pod ");
    this.pick = el("select", "st__select");
    this.pick.setAttribute("data-st-pod", "");
    this.pick.addEventListener("change", () => {
      this.chosen = this.pick.value;
      this.cpuOverride = null;
      this.schedule();
    });
    podLabel.append(this.pick);

    const cpuLabel = el("label", "st__label", "CPU request (what if) ");
    this.cpu = el("input", "st__num");
    this.cpu.type = "number";
    this.cpu.min = "0";
    this.cpu.step = "100";
    this.cpu.setAttribute("data-st-cpu", "");
    this.cpu.setAttribute("aria-describedby", "st-cpu-unit");
    this.cpu.addEventListener("input", () => {
      const v = Number(this.cpu.value);
      this.cpuOverride = this.cpu.value === "" || !Number.isFinite(v) || v < 0 ? null : Math.round(v);
      this.schedule();
    });
    const unit = el("span", "st__unit", "millicores");
    unit.id = "st-cpu-unit";
    this.cpuReset = el("button", "st__btn st__btn--quiet", "pod's own");
    this.cpuReset.type = "button";
    this.cpuReset.addEventListener("click", () => {
      this.cpuOverride = null;
      this.schedule();
    });
    cpuLabel.append(this.cpu, unit);

    const taintLabel = el("label", "st__label", "Node ");
    this.nodePick = el("select", "st__select");
    this.nodePick.setAttribute("data-st-node", "");
    taintLabel.append(this.nodePick);
    this.taintBtn = el("button", "st__btn", "Taint it");
    this.taintBtn.type = "button";
    this.taintBtn.setAttribute("data-st-taint", "");
    this.taintBtn.addEventListener("click", () => void this.toggleTaint());

    controls.append(podLabel, cpuLabel, this.cpuReset, taintLabel, this.taintBtn);
    this.summary = el("p", "st__summary");
    this.decision = el("p", "st__decision");
    this.grid = el("div", "st__grid");
    this.status = el("p", "st__sr");
    this.status.setAttribute("role", "status");
    root.append(controls, this.summary, this.grid, this.decision, this.status);
  }

  protected attached(): void {
    this.chosen = "";
    this.cpuOverride = null;
  }

  protected redrawOn(e: EngineEvent): boolean {
    return e.type === "k8s.object" || e.type === "shell.command" || e.type === "reset";
  }

  /** Taint the chosen node (or take the widget's taint off again) through the terminal. */
  private async toggleTaint(): Promise<void> {
    const host = this.host;
    const node = this.nodePick.value;
    if (!host || !node) return;
    const ctx = clusterContextOf(host);
    const n = ctx?.api.tryGet<Node>("Node", "", node);
    const has = n?.spec.taints?.some((t) => `${t.key}=${t.value ?? ""}:${t.effect}` === WIDGET_TAINT);
    const line = `kubectl taint nodes ${node} ${WIDGET_TAINT}${has ? "-" : ""}`;
    const term = document.querySelector<KijlTerminal>("kijl-terminal");
    this.taintBtn.disabled = true;
    try {
      if (term) {
        void term.start();
        await term.ready;
        await term.run(line);
      } else host.sh(line);
    } finally {
      this.taintBtn.disabled = false;
      this.schedule();
    }
  }

  protected render(host: Host): void {
    const ctx = clusterContextOf(host);
    if (!ctx) {
      this.summary.textContent = "This page's lab is not a cluster.";
      return;
    }
    // Pods to choose from.
    const cands = schedulingCandidates(ctx);
    // A pod made since the last look (kubectl run in the terminal) takes the table over; a pod
    // merely retried (a Pending one, after a taint) does not. Candidates are newest first.
    const fresh = cands.find((c) => !this.seen.has(c.pod));
    this.seen.clear();
    for (const c of cands) this.seen.add(c.pod); // a pod deleted and made again counts as new
    if (fresh || !cands.some((c) => c.pod === this.chosen)) {
      const next = fresh?.pod ?? cands[0]?.pod ?? "";
      if (next !== this.chosen) this.cpuOverride = null;
      this.chosen = next;
    }
    const opts = cands.map((c) => {
      const o = el("option", undefined, `${c.pod.replace(/^default\//, "")} — ${c.node ? `on ${c.node}` : c.phase}`);
      o.value = c.pod;
      return o;
    });
    if (!opts.length) {
      const o = el("option", undefined, "no pod yet");
      o.value = "";
      opts.push(o);
    }
    this.pick.replaceChildren(...opts);
    this.pick.value = this.chosen;

    // Nodes for the taint control.
    const nodes = ctx.api.list<Node>("Node").map((n) => n.metadata.name);
    const keepNode = this.nodePick.value;
    this.nodePick.replaceChildren(...nodes.map((n) => Object.assign(el("option", undefined, n), { value: n })));
    if (nodes.includes(keepNode)) this.nodePick.value = keepNode;
    const tainted = ctx.api.tryGet<Node>("Node", "", this.nodePick.value)?.spec.taints?.some((t) => `${t.key}=${t.value ?? ""}:${t.effect}` === WIDGET_TAINT);
    this.taintBtn.textContent = tainted ? `Remove ${WIDGET_TAINT}` : `Taint ${WIDGET_TAINT}`;

    if (!this.chosen) {
      this.summary.textContent = "No pod has met the scheduler yet. Create one in the terminal (kubectl run web --image=nginx:1.27) and its table appears here.";
      this.grid.replaceChildren();
      this.decision.textContent = "";
      this.dataset.pod = "";
      return;
    }
    const table = previewTable(ctx, this.chosen, this.cpuOverride === null ? {} : { milliCPU: this.cpuOverride });
    if (!table) return;
    if (document.activeElement !== this.cpu) this.cpu.value = String(table.requests.milliCPU);
    this.cpuReset.disabled = this.cpuOverride === null;

    const real = decisionTable(ctx, this.chosen);
    const name = this.chosen.replace(/^default\//, "");
    const req = `requests cpu ${cpuText(table.requests.milliCPU)}, memory ${memText(table.requests.memory)}`;
    const tie = table.tied.length ? ` (a tie between ${table.tied.join(" and ")}, broken at random${real?.node && table.tied.includes(real.node) ? `; the scheduler drew ${real.node}` : ""})` : "";
    this.summary.textContent = `If the scheduler placed ${name} now (${req}${this.cpuOverride !== null ? ", a what-if" : ""}): ${table.node ? `${table.node} wins${tie}.` : "no node fits."}`;
    this.grid.replaceChildren(this.tableEl(table));
    this.decision.textContent = real
      ? real.node
        ? `kube-scheduler's real decision, at ${(real.at / 1000).toFixed(1)} s: ${real.node}.`
        : `kube-scheduler's last attempt, at ${(real.at / 1000).toFixed(1)} s: FailedScheduling — ${real.message}`
      : "kube-scheduler has not tried this pod yet (is it running?).";

    this.dataset.pod = this.chosen;
    this.dataset.winner = table.node ?? "";
    this.dataset.feasible = table.nodes.filter((n) => n.feasible).map((n) => n.node).join(" ");
    this.dataset.cpu = String(table.requests.milliCPU);
    this.status.textContent = this.summary.textContent;
  }

  private tableEl(t: SchedulingTable): HTMLTableElement {
    const table = el("table", "st__table");
    const cap = el("caption", "st__sr", `Filter and score plugins for ${t.pod}, one column per node`);
    const head = el("tr");
    head.append(el("th", "st__corner", "plugin"));
    for (const n of t.nodes) {
      const th = el("th", `st__node${n.winner ? " st__node--win" : ""}${n.feasible ? "" : " st__node--out"}`, n.node);
      th.scope = "col";
      th.dataset.node = n.node;
      if (n.winner) th.append(el("span", "st__badge", "winner"));
      head.append(th);
    }
    const thead = el("thead");
    thead.append(head);
    const body = el("tbody");
    const section = (label: string) => {
      const tr = el("tr", "st__section");
      const th = el("th", undefined, label);
      th.colSpan = t.nodes.length + 1;
      tr.append(th);
      body.append(tr);
    };

    section("Filter: can the node run it?");
    for (const plugin of t.filterPlugins) {
      const tr = el("tr");
      const th = el("th", "st__plugin", plugin);
      th.scope = "row";
      tr.append(th);
      for (const n of t.nodes) {
        const c = n.filters.find((f) => f.plugin === plugin)!;
        const td = el("td", `st__cell st__cell--${c.result}`);
        td.dataset.node = n.node;
        td.dataset.plugin = plugin;
        td.dataset.result = c.result;
        td.append(el("span", "st__mark", c.result === "pass" ? "✓ pass" : c.result === "fail" ? "✗ fail" : "—"));
        if (c.reason) td.append(el("span", "st__reason", c.reason));
        tr.append(td);
      }
      body.append(tr);
    }

    section("Score: normalised 0–100 × weight (feasible nodes only)");
    for (const s of t.scorePlugins) {
      const tr = el("tr");
      const th = el("th", "st__plugin", `${s.plugin} ×${s.weight}`);
      th.scope = "row";
      tr.append(th);
      for (const n of t.nodes) {
        const c = n.scores.find((x) => x.plugin === s.plugin);
        const td = el("td", "st__cell st__cell--score");
        td.dataset.node = n.node;
        td.dataset.plugin = s.plugin;
        if (!c) td.textContent = "—";
        else {
          td.dataset.weighted = String(c.weighted);
          td.append(el("span", "st__weighted", String(c.weighted)), el("span", "st__raw", `${c.normalized} × ${c.weight}${c.raw !== c.normalized ? ` · raw ${c.raw}` : ""}`));
        }
        tr.append(td);
      }
      body.append(tr);
    }
    const total = el("tr", "st__total");
    const th = el("th", "st__plugin", "Total");
    th.scope = "row";
    total.append(th);
    for (const n of t.nodes) {
      const td = el("td", `st__cell st__cell--total${n.winner ? " st__cell--win" : ""}`, n.feasible ? String(n.total) : "filtered out");
      td.dataset.node = n.node;
      td.dataset.total = n.feasible ? String(n.total) : "";
      total.append(td);
    }
    body.append(total);
    table.append(cap, thead, body);
    if (t.message) {
      const tfoot = el("tfoot");
      const tr = el("tr");
      const td = el("td", "st__message", `FailedScheduling: ${t.message}`);
      td.colSpan = t.nodes.length + 1;
      tr.append(td);
      tfoot.append(tr);
      table.append(tfoot);
    }
    return table;
  }
}

if (!customElements.get("scheduler-table")) customElements.define("scheduler-table", SchedulerTable);
