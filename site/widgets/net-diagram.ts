// <net-diagram>: the page host's network, drawn from live state. Each network namespace is a
// box (the host's own at the bottom, the others — pods — above it) holding its interfaces with
// their addresses and state, and its routing table. Bridges are boxes inside the host with their
// ports. A veth pair is a line from one end to the other, crossing the namespace boundary, and
// every end also says in text where its peer is, so nothing depends on seeing the line.
//
// It reads host.network() (typed snapshots), never terminal text. Loaded by NetDiagram.astro
// when it nears the viewport; redraws at most once per animation frame after each command.
import { LiveWidget } from "./live-widget";
import type { Host, NetLinkSnapshot, NetnsSnapshot, NetSnapshot } from "../../engine";
import { el } from "./dom";

const SVG = "http://www.w3.org/2000/svg";
/** Hues for veth pairs, readable on light and dark backgrounds. */
const PALETTE = ["#1971c2", "#d9480f", "#2f9e44", "#ae3ec9", "#c2255c", "#0c8599", "#5f3dc4", "#e67700"];

/** "pod-a", or "net:[4026532160]" for a namespace no name pins. */
export const nsLabel = (ns: Pick<NetnsSnapshot, "name" | "inode" | "initial">, host = "host"): string => (ns.initial ? host : (ns.name ?? `net:[${ns.inode}]`));

/** A stable key for one end of a veth pair. */
const endKey = (netns: number, index: number) => `${netns}/${index}`;

function stateText(l: NetLinkSnapshot): string {
  if (!l.up) return "DOWN";
  if (!l.carrier && l.kind !== "loopback") return "NO-CARRIER";
  return l.operstate === "UNKNOWN" ? "UP" : l.operstate;
}

export class NetDiagram extends LiveWidget {
  private resize: ResizeObserver | null = null;
  private body!: HTMLDivElement;
  private pods!: HTMLDivElement;
  private hostBox!: HTMLDivElement;
  private svg!: SVGSVGElement;
  private status!: HTMLParagraphElement;
  private showLo = false;
  private last: NetSnapshot | null = null;





  protected setup(): void {
    this.showLo = this.hasAttribute("show-lo");
    this.build();
    this.resize = new ResizeObserver(() => this.drawLines());
    this.resize.observe(this.body);
  }

  protected teardown(): void {
    this.resize?.disconnect();
    this.resize = null;
  }

  protected render(host: Host): void {
    this.draw(host.network());
  }

  private build(): void {
    const root = this.querySelector<HTMLElement>("[data-nd-body]") ?? this;
    root.replaceChildren();
    const bar = el("div", "nd__bar");
    const lo = el("label", "nd__opt");
    const box = el("input");
    box.type = "checkbox";
    box.checked = this.showLo;
    box.addEventListener("change", () => {
      this.showLo = box.checked;
      this.schedule();
    });
    lo.append(box, " show loopback (lo)");
    bar.append(lo);
    this.body = el("div", "nd__body");
    this.pods = el("div", "nd__pods");
    this.pods.setAttribute("role", "list");
    this.pods.setAttribute("aria-label", "Network namespaces other than the host's");
    this.hostBox = el("div", "nd__hostwrap");
    this.svg = document.createElementNS(SVG, "svg");
    this.svg.classList.add("nd__wires");
    this.svg.setAttribute("aria-hidden", "true");
    this.body.append(this.pods, this.hostBox, this.svg);
    this.status = el("p", "nd__status");
    this.status.setAttribute("role", "status");
    this.status.setAttribute("aria-live", "polite");
    root.append(bar, this.body, this.status);
    this.hostBox.append(el("p", "nd__placeholder", "Loading the host…"));
  }

  private draw(net: NetSnapshot): void {
    this.last = net;
    // Colour each veth pair once, by the end with the lower (netns, index).
    const colour = new Map<string, string>();
    let n = 0;
    for (const ns of net.namespaces) {
      for (const l of ns.links) {
        if (l.kind !== "veth" || !l.peer) continue;
        const me = endKey(ns.inode, l.index);
        const other = endKey(l.peer.netns, l.peer.index);
        if (!colour.has(me) && !colour.has(other)) {
          const c = PALETTE[n++ % PALETTE.length]!;
          colour.set(me, c);
          colour.set(other, c);
        }
      }
    }
    const names = new Map(net.namespaces.map((ns) => [ns.inode, nsLabel(ns, net.host)]));
    const hostNs = net.namespaces.find((ns) => ns.initial)!;
    const others = net.namespaces.filter((ns) => !ns.initial);

    this.pods.replaceChildren(...others.map((ns) => this.nsBox(ns, names, colour, false)));
    this.pods.hidden = others.length === 0;
    const hostBox = this.nsBox(hostNs, names, colour, true);
    this.hostBox.replaceChildren(hostBox);
    if (others.length === 0) {
      this.hostBox.append(el("p", "nd__hint", "Only the host's namespace so far. Create one with ip netns add NAME and it appears above the host."));
    }
    const veths = net.namespaces.reduce((a, ns) => a + ns.links.filter((l) => l.kind === "veth").length, 0) / 2;
    const bridges = hostNs.links.filter((l) => l.kind === "bridge").length;
    this.status.textContent = `${net.namespaces.length} network namespace${net.namespaces.length === 1 ? "" : "s"}, ${Math.floor(veths)} veth pair${Math.floor(veths) === 1 ? "" : "s"}, ${bridges} bridge${bridges === 1 ? "" : "s"} in the host.`;
    this.dataset.namespaces = String(net.namespaces.length);
    this.dataset.names = others.map((ns) => nsLabel(ns)).join(" ");
    this.drawLines();
  }

  /** One namespace: title, interfaces (bridges with their ports inside), routes. */
  private nsBox(ns: NetnsSnapshot, names: Map<number, string>, colour: Map<string, string>, isHost: boolean): HTMLElement {
    const box = el("section", isHost ? "nd__ns nd__ns--host" : "nd__ns");
    if (!isHost) box.setAttribute("role", "listitem");
    box.dataset.netns = String(ns.inode);
    const head = el(isHost ? "footer" : "header", "nd__ns-head");
    const title = el("h4", "nd__ns-title", isHost ? `${names.get(ns.inode)} — the host's network namespace` : `netns ${names.get(ns.inode)}`);
    const meta = el("span", "nd__ns-meta");
    const bits = [`net:[${ns.inode}]`];
    if (ns.processes.length) bits.push(`${ns.processes.length} process${ns.processes.length === 1 ? "" : "es"}: ${ns.processes.slice(0, 3).map((p) => p.comm).join(", ")}${ns.processes.length > 3 ? "…" : ""}`);
    else if (!isHost) bits.push("no processes (pinned by ip netns)");
    bits.push(`ip_forward=${ns.ipForward ? 1 : 0}`);
    meta.textContent = bits.join(" · ");
    head.append(title, meta);
    box.append(head);

    const links = ns.links.filter((l) => this.showLo || l.kind !== "loopback");
    const bridges = links.filter((l) => l.kind === "bridge");
    const ports = new Set(bridges.flatMap((b) => b.ports ?? []));
    const loose = links.filter((l) => l.kind !== "bridge" && !(l.master && ports.has(l.name)));
    const ifs = el("div", "nd__ifs");
    for (const br of bridges) {
      const b = el("div", "nd__bridge");
      b.append(this.iface(ns, br, names, colour));
      const pl = el("ul", "nd__ports");
      pl.setAttribute("aria-label", `Ports of bridge ${br.name}`);
      const mine = ns.links.filter((l) => l.master === br.name).sort((x, y) => x.index - y.index);
      for (const p of mine) {
        const li = el("li");
        li.append(this.iface(ns, p, names, colour));
        pl.append(li);
      }
      if (mine.length === 0) pl.append(el("li", "nd__none", "no ports yet (ip link set DEV master " + br.name + ")"));
      b.append(pl);
      ifs.append(b);
    }
    const plain = el("ul", "nd__plain");
    plain.setAttribute("aria-label", `Interfaces of ${names.get(ns.inode)}`);
    for (const l of loose) {
      const li = el("li");
      li.append(this.iface(ns, l, names, colour));
      plain.append(li);
    }
    if (loose.length) ifs.append(plain);
    if (!links.length) ifs.append(el("p", "nd__none", "only lo, which is down: a new network namespace starts empty"));
    const rt = el("div", "nd__routes");
    rt.append(el("span", "nd__routes-title", "routes"));
    if (ns.routes.length === 0) rt.append(el("span", "nd__none", "none: this namespace cannot send anywhere"));
    else {
      const ul = el("ul");
      for (const r of ns.routes) {
        const li = el("li", r.linkdown ? "nd__route nd__route--down" : "nd__route", r.text);
        ul.append(li);
      }
      rt.append(ul);
    }
    // Veth lines run between a pod's interfaces (at the bottom of its box) and the host's
    // (at the top of its box), so they only cross the gap between the boxes.
    if (isHost) box.replaceChildren(ifs, head, rt);
    else box.replaceChildren(head, rt, ifs);
    return box;
  }

  /** One interface: name, kind, state, addresses, and for a veth where its peer is. */
  private iface(ns: NetnsSnapshot, l: NetLinkSnapshot, names: Map<number, string>, colour: Map<string, string>): HTMLElement {
    const state = stateText(l);
    const c = el("div", `nd__if nd__if--${l.kind}${state === "UP" ? "" : " nd__if--down"}`);
    c.dataset.end = endKey(ns.inode, l.index);
    c.dataset.name = l.name;
    const col = colour.get(endKey(ns.inode, l.index));
    if (col) c.style.setProperty("--nd-c", col);
    const top = el("div", "nd__if-top");
    top.append(el("b", "nd__if-name", l.name), el("span", "nd__if-kind", l.kind === "ether" ? "NIC" : l.kind), el("span", `nd__if-state nd__if-state--${state.toLowerCase()}`, state));
    c.append(top);
    for (const a of l.addrs) c.append(el("div", "nd__if-addr", a.cidr));
    if (l.peer) {
      const where = names.get(l.peer.netns) ?? `net:[${l.peer.netns}]`;
      c.append(el("div", "nd__if-peer", `↔ ${l.peer.name} in ${where}`));
    }
    if (l.wired) c.append(el("div", "nd__if-peer", "⇄ cabled to the wire"));
    c.title = `${l.name}: ${l.kind}, ${state}, mac ${l.mac}, mtu ${l.mtu}${l.master ? `, port of ${l.master}` : ""}`;
    return c;
  }

  /** Lines between the two ends of every veth pair, in the body's coordinates. */
  private drawLines(): void {
    if (!this.last) return;
    const origin = this.body.getBoundingClientRect();
    this.svg.setAttribute("width", String(origin.width));
    this.svg.setAttribute("height", String(origin.height));
    this.svg.setAttribute("viewBox", `0 0 ${origin.width} ${origin.height}`);
    this.svg.replaceChildren();
    const ends = new Map<string, HTMLElement>();
    this.body.querySelectorAll<HTMLElement>(".nd__if[data-end]").forEach((e) => ends.set(e.dataset.end!, e));
    const done = new Set<string>();
    for (const ns of this.last.namespaces) {
      for (const l of ns.links) {
        if (l.kind !== "veth" || !l.peer) continue;
        const a = endKey(ns.inode, l.index);
        const b = endKey(l.peer.netns, l.peer.index);
        if (done.has(a) || done.has(b) || l.peer.netns === ns.inode) continue;
        done.add(a);
        const ea = ends.get(a);
        const eb = ends.get(b);
        if (!ea || !eb) continue;
        const ra = ea.getBoundingClientRect();
        const rb = eb.getBoundingClientRect();
        // From the bottom of the upper end to the top of the lower one.
        const [up, down] = ra.top <= rb.top ? [ra, rb] : [rb, ra];
        const x1 = up.left + up.width / 2 - origin.left;
        const y1 = up.bottom - origin.top;
        const x2 = down.left + down.width / 2 - origin.left;
        const y2 = down.top - origin.top;
        const mid = (y1 + y2) / 2;
        const path = document.createElementNS(SVG, "path");
        path.setAttribute("d", `M ${x1} ${y1} C ${x1} ${mid}, ${x2} ${mid}, ${x2} ${y2}`);
        path.setAttribute("class", "nd__wire");
        path.style.setProperty("--nd-c", ea.style.getPropertyValue("--nd-c") || "#888");
        if (ea.classList.contains("nd__if--down") || eb.classList.contains("nd__if--down")) path.classList.add("nd__wire--down");
        this.svg.append(path);
      }
    }
  }
}

if (!customElements.get("net-diagram")) customElements.define("net-diagram", NetDiagram);
