// <service-trace>: send a request from a pod to a Service and show what kube-proxy's chains did
// with it — the KUBE-SERVICES rule that caught the ClusterIP, the KUBE-SVC rule whose
// probability picked an endpoint, the KUBE-SEP chain and its DNAT, and the pod that answered.
// "Send 30" repeats it and counts the endpoints, so the 1/N split is something you see.
//
// It reads the engine's typed trace (engine/k8s/proxy/service-trace.ts → tracePacket, the walk
// curl takes) and reuses the PacketTrace widget's step texts; it never parses terminal text.
import type { EngineEvent, Host } from "../../engine";
import type { ClientChoice, ServiceChoice, ServiceTraceSnapshot } from "../../engine/k8s/proxy/service-trace";
import { LiveWidget } from "./live-widget";
import { placeLabel, stepText } from "./packet-trace";
import { notifyWorldChange } from "./world";
import { el } from "./dom";

type Engine = typeof import("../../engine/k8s/proxy/service-trace");
let engine: Promise<Engine> | null = null;
const loadEngine = () => (engine ??= import("../../engine/k8s/proxy/service-trace.ts"));

const key = (x: { namespace: string; name: string }) => `${x.namespace}/${x.name}`;

/** What a chain visit did, in a sentence. */
export function visitText(t: ServiceTraceSnapshot, i: number): string {
  const v = t.chains[i]!;
  const tested = `${v.tested} rule${v.tested === 1 ? "" : "s"} tested`;
  if (!v.matched) return `${tested}, none matched: back to the caller`;
  const target = / -j (\S+)/.exec(v.matched)?.[1] ?? "";
  if (v.chain.startsWith("KUBE-SVC-") && target.startsWith("KUBE-SEP-")) {
    return v.probability === null ? `${tested}; the last rule has no statistic match and takes what is left → ${target}` : `${tested}; the statistic match (probability ${v.probability}) picked → ${target}`;
  }
  if (target === "DNAT") return `${tested}; DNAT --to-destination ${/--to-destination (\S+)/.exec(v.matched)?.[1] ?? "?"}`;
  return `${tested}; rule ${v.tested} matched → ${target}`;
}

export class ServiceTrace extends LiveWidget {
  private svc!: HTMLSelectElement;
  private client!: HTMLSelectElement;
  private send!: HTMLButtonElement;
  private many!: HTMLButtonElement;
  private error!: HTMLParagraphElement;
  private out!: HTMLDivElement;
  private api: Engine | null = null;

  protected setup(): void {
    const root = this.querySelector<HTMLElement>("[data-svt-body]") ?? this;
    root.replaceChildren();
    const form = el("form", "svt__form");
    const field = (label: string, control: HTMLElement) => {
      const l = el("label", "svt__field");
      l.append(el("span", "svt__label", label), control);
      return l;
    };
    this.svc = el("select");
    this.svc.name = "service";
    this.client = el("select");
    this.client.name = "client";
    for (const sel of [this.svc, this.client]) sel.addEventListener("change", () => (sel.dataset.touched = ""));
    this.send = el("button", "svt__send widget__button widget__button--primary", "Send a request");
    this.send.type = "submit";
    this.many = el("button", "svt__btn widget__button", "Send 30");
    this.many.type = "button";
    form.append(field("Service port", this.svc), field("From pod", this.client), this.send, this.many);
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      void this.fire(1);
    });
    this.many.addEventListener("click", () => void this.fire(30));
    this.error = el("p", "svt__error");
    this.error.setAttribute("role", "alert");
    this.error.hidden = true;
    this.out = el("div", "svt__out");
    this.out.setAttribute("aria-live", "polite");
    root.append(form, this.error, this.out);
    void loadEngine().then((m) => {
      this.api = m;
      this.schedule();
    });
  }

  protected redrawOn(e: EngineEvent): boolean {
    return e.type === "k8s.object" || e.type === "shell.command";
  }

  protected attached(): void {
    this.out.replaceChildren();
    delete this.dataset.outcome;
  }

  /** Keep the two lists in step with the cluster (new Services, pods coming and going). */
  protected render(host: Host): void {
    if (!this.api) return;
    const { services, clients } = this.api.serviceTraceTargets(host);
    const svcOpts: [string, string][] = services.flatMap((s: ServiceChoice) => s.ports.map((p) => [`${key(s)}#${p.port}`, `${key(s)} → ${s.clusterIP}:${p.port}/${p.protocol}${p.name ? ` (${p.name})` : ""}`] as [string, string]));
    const clientOpts: [string, string][] = clients.map((c: ClientChoice) => [key(c), `${key(c)} (${c.ip} on ${c.node})`]);
    this.fill(this.svc, svcOpts, this.getAttribute("service"));
    this.fill(this.client, clientOpts, this.getAttribute("client-prefix"));
    this.send.disabled = this.many.disabled = !svcOpts.length || !clientOpts.length;
    this.dataset.ready = "";
  }

  private fill(sel: HTMLSelectElement, opts: [string, string][], prefer: string | null): void {
    const want = sel.value;
    const same = opts.length === sel.options.length && opts.every(([v], i) => sel.options[i]!.value === v);
    if (!same) sel.replaceChildren(...opts.map(([v, t]) => Object.assign(el("option", "", t), { value: v })));
    // The page's suggestion wins until the reader picks something themselves.
    const hit = prefer && !sel.dataset.touched ? (opts.find(([v]) => v === prefer || v.startsWith(`${prefer}#`)) ?? opts.find(([v]) => v.startsWith(prefer))) : undefined;
    if (hit) sel.value = hit[0];
    else if (opts.some(([v]) => v === want)) sel.value = want;
  }

  private async fire(times: number): Promise<void> {
    const host = this.host;
    const api = this.api ?? (await loadEngine());
    if (!host) return;
    this.error.hidden = true;
    const [service, port] = this.svc.value.split("#");
    const traces: ServiceTraceSnapshot[] = [];
    try {
      for (let i = 0; i < times; i++) traces.push(api.traceService(host, { service: service!, client: this.client.value, port: Number(port) }));
    } catch (e) {
      this.error.textContent = e instanceof Error ? e.message : String(e);
      this.error.hidden = false;
      return;
    }
    notifyWorldChange(host);
    const last = traces.at(-1)!;
    this.dataset.outcome = last.trace.outcome;
    this.dataset.chosen = last.chosen?.pod ?? "";
    this.out.replaceChildren(...(times > 1 ? [this.tally(traces)] : []), this.path(last));
  }

  /** How many of the requests each endpoint got. */
  private tally(traces: ServiceTraceSnapshot[]): HTMLElement {
    const counts = new Map<string, number>();
    for (const t of traces) {
      const k = t.chosen ? `${t.chosen.pod ?? "?"} (${t.chosen.endpoint})` : "no endpoint";
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    const box = el("div", "svt__tally");
    box.append(el("p", "svt__tally-title", `${traces.length} requests, one new connection each: where the KUBE-SVC chain sent them`));
    const ul = el("ul", "svt__bars");
    for (const [k, n] of [...counts].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      const li = el("li", "svt__bar");
      const bar = el("span", "svt__bar-fill");
      bar.style.width = `${Math.round((n / traces.length) * 100)}%`;
      li.append(el("code", "svt__bar-label", k), el("span", "svt__bar-track"), el("b", "svt__bar-n", String(n)));
      li.children[1]!.append(bar);
      ul.append(li);
    }
    box.append(ul);
    this.dataset.tally = [...counts.values()].join(",");
    return box;
  }

  /** The chains the request met on the client's node, then the DNAT and the answer. */
  private path(t: ServiceTraceSnapshot): HTMLElement {
    const box = el("div", "svt__path");
    const ok = t.trace.outcome === "reply";
    const head = el("p", "svt__outcome");
    head.append(el("b", `svt__badge svt__badge--${ok ? "ok" : "bad"}`, ok ? "✔ Answered" : "✖ No answer"), ` ${t.client.name} → ${t.service.clusterIP}:${t.port}/${t.protocol}: ${t.trace.summary}`);
    box.append(head, el("p", "svt__where", `On ${t.client.node}, in the nat table (${t.rulesTested} rules tested in all):`));
    const ol = el("ol", "svt__chains");
    t.chains.forEach((v, i) => {
      const li = el("li", `svt__chain${v.chain.startsWith("KUBE-SEP-") ? " svt__chain--sep" : v.chain.startsWith("KUBE-SVC-") ? " svt__chain--svc" : ""}`);
      li.dataset.chain = v.chain;
      li.append(el("span", "svt__chain-name", `${v.hook === v.chain ? v.chain : `${v.chain}`}`), el("span", "svt__chain-what", visitText(t, i)));
      if (v.matched) li.append(el("code", "svt__rule", v.matched));
      ol.append(li);
    });
    box.append(ol);
    if (t.dnat) {
      const n = el("p", "svt__dnat");
      n.append(el("b", "", "DNAT "), el("code", "", t.dnat.before), " → ", el("code", "", t.dnat.after));
      box.append(n);
    }
    if (t.chosen) box.append(el("p", "svt__chosen", `${t.chosen.sep} chose ${t.chosen.endpoint}: pod ${t.chosen.pod ?? "?"} on ${t.chosen.node ?? "?"}. conntrack remembers the choice, so the rest of this connection skips the nat table.`));
    const more = el("details", "svt__steps");
    more.append(el("summary", "", `Every step of the trace (${t.trace.steps.length})`));
    const steps = el("ol", "svt__step-list");
    for (const s of t.trace.steps) steps.append(el("li", `svt__step svt__step--${s.kind}`, `${placeLabel(s.at)}: ${stepText(s)}`));
    more.append(steps);
    box.append(more);
    return box;
  }
}

if (!customElements.get("service-trace")) customElements.define("service-trace", ServiceTrace);
