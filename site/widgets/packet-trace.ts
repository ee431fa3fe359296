// <packet-trace>: send one packet through the page host's real network stack and step through
// what happened to it — hop by hop, chain by chain, rule by rule. The current chain's rules are
// listed with the one being tested marked (matched or not, in words as well as colour), and a
// NAT rewrite is shown as before → after.
//
// It calls host.tracePacket() — the walk ping and curl use — and host.network() for the list
// of namespaces; it never parses terminal text. Loaded by PacketTrace.astro when it nears the
// viewport. Sending a packet changes the world (counters, ARP, the bridge's FDB), so it tells
// the other widgets with notifyWorldChange().
import type { Host, NetSnapshot, PacketTraceSnapshot, PacketTraceStep, TracePlace } from "../../engine";
import { whenNear } from "./load-near";
import { getWorld, labOf, notifyWorldChange, onWorldChange, peekWorld } from "./world";
import { el } from "./dom";

export const placeLabel = (p: TracePlace): string => (p.initial ? `${p.host}` : `${p.host} · netns ${p.netnsName ?? `net:[${p.netns}]`}`);

const ACTION: Record<string, string> = {
  forward: "forwards it out of port",
  flood: "does not know the destination MAC yet and floods it to every port except",
  local: "sees it is addressed to the bridge itself and passes it up to the host's IP stack, from port",
  drop: "will not send it back out of the port it came in on (no hairpin):",
};

/** One line that says what a step is, for the timeline and for screen readers. */
export function stepText(s: PacketTraceStep): string {
  switch (s.kind) {
    case "send":
      return `A socket in ${placeLabel(s.at)} sends ${s.summary}`;
    case "hop":
      return s.dir === "out" ? `Leaves ${placeLabel(s.at)} by ${s.dev}` : `Arrives in ${placeLabel(s.at)} on ${s.dev}`;
    case "route":
      return s.result === "local" ? `Routing in ${placeLabel(s.at)}: the address is local, deliver it here` : `Routing in ${placeLabel(s.at)}: ${s.result}`;
    case "chain":
      return `${s.hook}: ${s.table} table, chain ${s.chain}${s.rules.length ? ` (${s.rules.length} rule${s.rules.length === 1 ? "" : "s"})` : " (empty)"}`;
    case "rule":
      return `Rule ${s.num} ${s.matched ? "matches" : "does not match"}: ${s.rule}`;
    case "verdict":
      return s.policy ? `End of ${s.table} ${s.chain}: policy ${s.verdict}` : `Verdict ${s.verdict} in ${s.table} ${s.chain}`;
    case "nat":
      return `${s.what}: ${s.before} → ${s.after}`;
    case "bridge":
      return `Bridge ${s.bridge} ${ACTION[s.action] ?? s.action} ${s.port}`;
    case "deliver":
      return `Delivered to a socket in ${placeLabel(s.at)}`;
    case "drop":
      return `Dropped in ${placeLabel(s.at)}: ${s.reason}`;
  }
}

/** Is a step part of an empty chain's visit (its "chain" header or its policy verdict)? */
function emptyChainSteps(steps: PacketTraceStep[]): Set<number> {
  const out = new Set<number>();
  steps.forEach((s, i) => {
    if (s.kind !== "chain" || s.rules.length > 0) return;
    const next = steps[i + 1];
    if (next?.kind === "verdict" && next.policy && next.verdict === "ACCEPT") {
      out.add(i);
      out.add(i + 1);
    }
  });
  return out;
}

export class PacketTrace extends HTMLElement {
  private host: Host | null = null;
  private offWorld: (() => void) | null = null;
  private offNear: (() => void) | null = null;
  private frame = 0;
  private trace: PacketTraceSnapshot | null = null;
  /** Indexes into trace.steps that are shown (empty chains may be hidden). */
  private shown: number[] = [];
  private pos = 0;
  private showEmpty = false;
  private from!: HTMLSelectElement;
  private proto!: HTMLSelectElement;
  private dst!: HTMLInputElement;
  private port!: HTMLInputElement;
  private send!: HTMLButtonElement;
  private error!: HTMLParagraphElement;
  private result!: HTMLDivElement;
  private outcome!: HTMLParagraphElement;
  private prev!: HTMLButtonElement;
  private next!: HTMLButtonElement;
  private counter!: HTMLSpanElement;
  private detail!: HTMLDivElement;
  private timeline!: HTMLOListElement;

  connectedCallback(): void {
    if (this.offWorld) return;
    this.build();
    const lab = labOf(this);
    this.offWorld = onWorldChange((host) => {
      this.host = host;
      this.schedule();
    }, lab);
    const running = peekWorld(lab);
    if (running) {
      this.host = running;
      this.schedule();
    } else
      // Build the lab only when this widget nears the viewport (see whenNear).
      this.offNear = whenNear(this, () => {
        this.offNear = null;
        void getWorld(lab).then((h) => {
          this.host = h;
          this.schedule();
        });
      });
  }

  disconnectedCallback(): void {
    this.offWorld?.();
    this.offWorld = null;
    this.offNear?.();
    this.offNear = null;
    this.host = null;
    cancelAnimationFrame(this.frame);
  }

  /** Refresh the list of source namespaces after commands. */
  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      if (this.host) this.fillSources(this.host.network());
    });
  }

  private build(): void {
    const root = this.querySelector<HTMLElement>("[data-pt-body]") ?? this;
    root.replaceChildren();
    const form = el("form", "pt__form");
    const field = (label: string, control: HTMLElement, cls = "pt__field") => {
      const l = el("label", cls);
      l.append(el("span", "pt__label", label), control);
      return l;
    };
    this.from = el("select");
    this.from.name = "from";
    this.proto = el("select");
    this.proto.name = "proto";
    for (const [v, t] of [["icmp", "ICMP (ping)"], ["tcp", "TCP (SYN)"], ["udp", "UDP"]]) {
      const o = el("option", "", t);
      o.value = v!;
      this.proto.append(o);
    }
    this.dst = el("input");
    this.dst.name = "dst";
    this.dst.value = this.getAttribute("dst") ?? "";
    this.dst.placeholder = "10.244.1.3";
    this.dst.inputMode = "decimal";
    this.dst.autocomplete = "off";
    this.dst.spellcheck = false;
    this.port = el("input");
    this.port.name = "dport";
    this.port.type = "number";
    this.port.min = "1";
    this.port.max = "65535";
    this.port.value = this.getAttribute("dport") ?? "80";
    const proto = this.getAttribute("proto");
    if (proto && ["icmp", "tcp", "udp"].includes(proto)) this.proto.value = proto;
    const syncPort = () => (this.port.disabled = this.proto.value === "icmp");
    this.proto.addEventListener("change", syncPort);
    syncPort();
    this.send = el("button", "pt__send widget__button widget__button--primary", "Send");
    this.send.type = "submit";
    form.append(field("From", this.from), field("Protocol", this.proto), field("To (IPv4)", this.dst), field("Port", this.port, "pt__field pt__field--port"), this.send);
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      this.fire();
    });
    this.error = el("p", "pt__error");
    this.error.setAttribute("role", "alert");
    this.error.hidden = true;

    this.result = el("div", "pt__result");
    this.result.hidden = true;
    this.outcome = el("p", "pt__outcome");
    this.outcome.setAttribute("role", "status");
    const nav = el("div", "pt__nav");
    this.prev = el("button", "pt__btn widget__button", "◀ Prev");
    this.prev.type = "button";
    this.next = el("button", "pt__btn widget__button", "Next ▶");
    this.next.type = "button";
    this.counter = el("span", "pt__counter");
    const empty = el("label", "pt__opt");
    const box = el("input");
    box.type = "checkbox";
    box.addEventListener("change", () => {
      this.showEmpty = box.checked;
      this.refilter();
    });
    empty.append(box, " show empty chains");
    this.prev.addEventListener("click", () => this.go(this.pos - 1));
    this.next.addEventListener("click", () => this.go(this.pos + 1));
    nav.append(this.prev, this.counter, this.next, empty);
    this.detail = el("div", "pt__detail");
    this.detail.tabIndex = 0;
    this.detail.setAttribute("aria-live", "polite");
    this.detail.setAttribute("aria-label", "Current step (use the arrow keys to step)");
    this.timeline = el("ol", "pt__timeline");
    this.timeline.setAttribute("aria-label", "Every step of the trace");
    this.result.append(this.outcome, nav, this.detail, this.timeline);
    this.result.addEventListener("keydown", (e) => {
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement) return;
      const to = e.key === "ArrowRight" || e.key === "ArrowDown" ? this.pos + 1 : e.key === "ArrowLeft" || e.key === "ArrowUp" ? this.pos - 1 : e.key === "Home" ? 0 : e.key === "End" ? this.shown.length - 1 : null;
      if (to === null) return;
      e.preventDefault();
      this.go(to);
    });
    root.append(form, this.error, this.result);
  }

  private fillSources(net: NetSnapshot): void {
    const want = this.from.value || this.getAttribute("from") || "";
    const opts: [string, string][] = [];
    for (const ns of net.namespaces) {
      if (ns.initial) opts.push(["host", `${net.host} (the host)`]);
      else opts.push([ns.name ?? String(ns.inode), ns.name ? `netns ${ns.name}` : `net:[${ns.inode}]`]);
    }
    const same = opts.length === this.from.options.length && opts.every(([v], i) => this.from.options[i]!.value === v);
    if (!same) {
      this.from.replaceChildren(
        ...opts.map(([v, t]) => {
          const o = el("option", "", t);
          o.value = v;
          return o;
        }),
      );
    }
    if (opts.some(([v]) => v === want)) this.from.value = want;
  }

  private fire(): void {
    if (!this.host) return;
    this.error.hidden = true;
    try {
      const proto = this.proto.value as "icmp" | "tcp" | "udp";
      const t = this.host.tracePacket({
        from: this.from.value || "host",
        proto,
        dst: this.dst.value.trim(),
        ...(proto === "icmp" ? {} : { dport: Number(this.port.value) }),
      });
      this.trace = t;
      this.dataset.outcome = t.outcome;
      notifyWorldChange(this.host);
    } catch (e) {
      this.error.textContent = e instanceof Error ? e.message : String(e);
      this.error.hidden = false;
      return;
    }
    this.pos = 0;
    this.refilter();
    this.result.hidden = false;
    this.detail.focus({ preventScroll: true });
  }

  private refilter(): void {
    const t = this.trace;
    if (!t) return;
    const at = this.shown[this.pos] ?? 0;
    const hide = this.showEmpty ? new Set<number>() : emptyChainSteps(t.steps);
    this.shown = t.steps.map((_, i) => i).filter((i) => !hide.has(i));
    // Stay on the same step, or the nearest shown one after it.
    const keep = this.shown.findIndex((i) => i >= at);
    this.pos = keep < 0 ? this.shown.length - 1 : keep;
    const label = { reply: "✔ Answered", error: "✖ Error came back", reset: "✖ Reset", "no-reply": "✖ No answer", unreachable: "✖ Not sent", "rejected-locally": "✖ Refused by the sender" }[t.outcome];
    this.outcome.replaceChildren(el("b", `pt__badge pt__badge--${t.outcome === "reply" ? "ok" : "bad"}`, label), " ", t.summary);
    this.renderTimeline();
    this.go(this.pos);
  }

  private renderTimeline(): void {
    const t = this.trace!;
    const items = this.shown.map((i, n) => {
      const s = t.steps[i]!;
      const li = el("li", `pt__item pt__item--${s.kind}${s.kind === "rule" ? (s.matched ? " pt__item--hit" : " pt__item--miss") : ""}`);
      const first = t.packets.findIndex((p) => p.firstStep === i);
      if (first >= 0) {
        const head = el("span", "pt__packet");
        head.append(el("b", "pt__packet-role", `${t.packets[first]!.role} packet`), " ", el("code", "", t.packets[first]!.summary));
        li.append(head);
      }
      const b = el("button", "pt__jump", stepText(s));
      b.type = "button";
      b.tabIndex = -1;
      b.addEventListener("click", () => this.go(n));
      li.append(b);
      return li;
    });
    this.timeline.replaceChildren(...items);
  }

  private go(n: number): void {
    const t = this.trace;
    if (!t || this.shown.length === 0) return;
    this.pos = Math.max(0, Math.min(this.shown.length - 1, n));
    const idx = this.shown[this.pos]!;
    const s = t.steps[idx]!;
    this.prev.disabled = this.pos === 0;
    this.next.disabled = this.pos === this.shown.length - 1;
    this.counter.textContent = `Step ${this.pos + 1} of ${this.shown.length}`;
    this.dataset.step = String(this.pos + 1);
    this.timeline.querySelectorAll("li").forEach((li, i) => {
      if (i === this.pos) {
        li.setAttribute("aria-current", "step");
        li.scrollIntoView?.({ block: "nearest" });
      } else li.removeAttribute("aria-current");
    });
    this.renderDetail(t, idx, s);
  }

  /** The current step in full: where, which packet, and for netfilter the chain's rules. */
  private renderDetail(t: PacketTraceSnapshot, idx: number, s: PacketTraceStep): void {
    const d = this.detail;
    d.replaceChildren();
    const pk = t.packets[s.packet];
    const head = el("p", "pt__where");
    head.append(el("span", "pt__place", placeLabel(s.at)), pk ? el("span", `pt__role pt__role--${pk.role}`, `${pk.role} packet`) : "");
    d.append(head, el("p", `pt__what pt__what--${s.kind}`, stepText(s)));
    if (s.kind === "nat") {
      const n = el("div", "pt__nat");
      n.append(el("code", "pt__before", s.before), el("span", "pt__arrow", " → "), el("code", "pt__after", s.after));
      n.setAttribute("aria-label", `${s.what} rewrote ${s.before} to ${s.after}`);
      d.append(n);
    }
    if (s.kind === "hop" || s.kind === "send" || s.kind === "deliver") d.append(el("code", "pt__pkt", s.summary));
    // Inside a chain: find the chain header this step belongs to, and show its rules.
    if (s.kind === "chain" || s.kind === "rule" || s.kind === "verdict") {
      let h = idx;
      while (h >= 0) {
        const c = t.steps[h]!;
        if (c.kind === "chain" && (s.kind === "chain" || c.chain === (s as { chain: string }).chain)) break;
        h--;
      }
      const c = t.steps[h];
      if (c?.kind === "chain") d.append(this.chainView(c, s));
    }
  }

  private chainView(c: Extract<PacketTraceStep, { kind: "chain" }>, s: PacketTraceStep): HTMLElement {
    const box = el("div", "pt__chain");
    box.append(el("p", "pt__chain-title", `iptables -t ${c.table} -S ${c.chain}${c.policy ? ` (policy ${c.policy})` : ""}`));
    const ol = el("ol", "pt__rules");
    if (c.rules.length === 0) ol.append(el("li", "pt__rule pt__rule--none", "no rules: the policy decides"));
    c.rules.forEach((r, i) => {
      const li = el("li", "pt__rule");
      const code = el("code", "", r);
      li.append(code);
      if (s.kind === "rule" && s.num === i + 1 && s.rule === r) {
        li.classList.add(s.matched ? "pt__rule--hit" : "pt__rule--miss");
        li.setAttribute("aria-current", "true");
        li.prepend(el("span", "pt__mark", s.matched ? "▶ matches" : "▷ no match"));
      }
      ol.append(li);
    });
    box.append(ol);
    if (s.kind === "verdict") box.append(el("p", `pt__verdict pt__verdict--${s.verdict === "ACCEPT" ? "ok" : "bad"}`, s.policy ? `No rule decided: policy ${s.verdict}` : `Verdict: ${s.verdict}`));
    return box;
  }
}

if (!customElements.get("packet-trace")) customElements.define("packet-trace", PacketTrace);
