// One network namespace's stack and the path a packet walks through it, hook by hook, as in
// net/ipv4 (ip_rcv → PREROUTING → routing → INPUT | FORWARD → POSTROUTING → dev_queue_xmit)
// and net/bridge. Everything is synchronous in virtual time: a packet crosses the whole
// path — veth peers, bridges, the wire to another host — in one call, and what it met is
// recorded in a Trace.
import type { Kernel } from "../kernel";
import type { Namespace } from "../namespaces";
import { BridgeState } from "./bridge";
import { ConntrackTable, invert, tupleOf } from "./conntrack";
import type { Conn } from "./conntrack";
import { broadcast, fmtIp, isLoopback } from "./ipv4";
import { BROADCAST_MAC, NetDevice, randomMac } from "./link";
import type { LinkKind } from "./link";
import { NeighTable } from "./neigh";
import { Fib } from "./route";
import type { Route } from "./route";
import { clonePacket, makePacket } from "./packet";
import type { Frame, Packet, Skb } from "./packet";
import { SocketTable } from "./sockets";
import { Trace } from "./trace";
import { Netfilter, runChain } from "./netfilter/tables";
import type { HookResult, TableName } from "./netfilter/tables";
import type { MatchCtx } from "./netfilter/matches";

/** Context of one walk: the trace, virtual delay accumulated (ARP timeouts), a hop budget. */
export interface Walk {
  trace: Trace | null;
  delay: number;
  hops: number;
}

export interface Capture {
  dev: NetDevice;
  lines: string[];
}

const ICMP_UNREACH_CODE: Record<string, number> = {
  "icmp-net-unreachable": 0, "icmp-host-unreachable": 1, "icmp-proto-unreachable": 2, "icmp-port-unreachable": 3,
  "icmp-net-prohibited": 9, "icmp-host-prohibited": 10, "icmp-admin-prohibited": 13,
};

/** ARP gives up after ucast/mcast probes: ping reports Destination Host Unreachable ~3 s in. */
export const ARP_FAIL_MS = 3000;

export class NetStack {
  readonly devices = new Map<string, NetDevice>();
  readonly fib: Fib;
  readonly neigh = new NeighTable();
  readonly nf = new Netfilter();
  readonly conntrack: ConntrackTable;
  readonly sockets = new SocketTable();
  readonly sysctl = new Map<string, string>([
    ["net.ipv4.ip_forward", "0"],
    ["net.bridge.bridge-nf-call-iptables", "1"],
    ["net.ipv4.conf.all.forwarding", "0"],
  ]);
  readonly bridges = new Map<NetDevice, BridgeState>();
  readonly captures = new Set<Capture>();
  private readonly recent = new Map<string, Map<number, number[]>>();
  private nextIndex = 1;
  /** Rules evaluated since creation (the bench reads it). */
  rulesEvaluated = 0;

  constructor(
    readonly kernel: Kernel,
    readonly ns: Namespace,
  ) {
    this.fib = new Fib(() => this.devices.values());
    this.conntrack = new ConntrackTable(() => kernel.clock.now());
    const lo = this.addDevice("lo", "loopback", "00:00:00:00:00:00", 65536);
    void lo;
  }

  get hostName(): string {
    return this.kernel.name;
  }
  get nsInode(): number {
    return this.ns.inode;
  }
  now(): number {
    return this.kernel.clock.now();
  }
  rng(): number {
    return this.kernel.rng.next();
  }
  /** Write a sysctl; ip_forward and conf.all.forwarding are the same switch. */
  setSysctl(key: string, v: string): void {
    this.sysctl.set(key, v);
    if (key === "net.ipv4.ip_forward") this.sysctl.set("net.ipv4.conf.all.forwarding", v);
    if (key === "net.ipv4.conf.all.forwarding") this.sysctl.set("net.ipv4.ip_forward", v);
  }

  get forwarding(): boolean {
    return this.sysctl.get("net.ipv4.ip_forward") === "1";
  }

  // ---- devices ----

  addDevice(name: string, kind: LinkKind, mac?: string, mtu = 1500, index?: number): NetDevice {
    const d = new NetDevice(this, index ?? this.nextIndex++, name, kind, mac ?? randomMac(() => this.rng()), mtu);
    if (index !== undefined) this.nextIndex = Math.max(this.nextIndex, index + 1);
    this.devices.set(name, d);
    if (kind === "bridge") this.bridges.set(d, new BridgeState(d));
    return d;
  }

  /** The next ifindex this namespace hands out. */
  allocIndex(): number {
    return this.nextIndex++;
  }

  device(name: string): NetDevice | undefined {
    return this.devices.get(name);
  }

  byIndex(i: number): NetDevice | undefined {
    for (const d of this.devices.values()) if (d.index === i) return d;
    return undefined;
  }

  /** Move a device into this stack (ip link set DEV netns NS): it arrives down, addresses gone. */
  adopt(d: NetDevice): void {
    const from = d.stack;
    from.detach(d);
    d.stack = this;
    d.up = false;
    d.addrs = [];
    if (this.byIndex(d.index)) d.index = this.allocIndex();
    else this.nextIndex = Math.max(this.nextIndex, d.index + 1);
    this.devices.set(d.name, d);
  }

  /** Take a device out of this namespace (moved or deleted): routes, neighbours, bridge ports go. */
  detach(d: NetDevice): void {
    this.devices.delete(d.name);
    this.fib.flushDev(d);
    this.neigh.flushDev(d);
    if (d.master) this.setMaster(d, null);
    for (const br of this.bridges.values()) br.forget(d);
    if (d.kind === "bridge") {
      for (const p of this.bridges.get(d)?.ports() ?? []) p.master = null;
      this.bridges.delete(d);
    }
  }

  /** Delete a device; a veth takes its peer with it (wherever the peer is). */
  deleteDevice(d: NetDevice): void {
    this.detach(d);
    if (d.peer) {
      const p = d.peer;
      p.peer = null;
      d.peer = null;
      p.stack.detach(p);
    }
  }

  setUp(d: NetDevice, up: boolean): void {
    d.up = up;
    if (d.kind === "loopback" && up && !d.addrs.length) d.addrs.push({ ip: 0x7f000001, prefix: 8, scope: "host" });
    if (!up) {
      this.fib.flushDev(d);
      this.neigh.flushDev(d);
    }
  }

  setMaster(d: NetDevice, br: NetDevice | null): void {
    const old = d.master;
    d.master = br;
    if (old) {
      this.bridges.get(old)?.forget(d);
      this.bridges.get(old)?.recalcMac();
    }
    if (br) this.bridges.get(br)?.recalcMac();
  }

  // ---- addresses and routing ----

  isLocal(ip: number): boolean {
    if (isLoopback(ip)) return this.devices.get("lo")?.up ?? false;
    for (const d of this.devices.values()) if (d.up && d.hasIp(ip)) return true;
    return false;
  }

  /** addrtype's view of an address (inet_addr_type). */
  addrType(ip: number): string {
    if (this.isLocal(ip)) return "LOCAL";
    if (ip === 0xffffffff) return "BROADCAST";
    for (const d of this.devices.values()) for (const a of d.addrs) if (a.prefix < 31 && broadcast(a.ip, a.prefix) === ip) return "BROADCAST";
    if (ip >>> 28 === 14) return "MULTICAST";
    return "UNICAST";
  }

  /** Output route lookup (ip_route_output): local addresses go via lo. */
  routeOutput(dst: number): { route: Route | null; dev: NetDevice; src: number; nexthop: number; local: boolean } | null {
    if (this.isLocal(dst)) {
      const lo = this.devices.get("lo")!;
      return { route: null, dev: lo, src: dst, nexthop: dst, local: true };
    }
    const r = this.fib.lookup(dst);
    if (!r) return null;
    const src = r.src ?? r.dev.primaryIp ?? this.anyAddress();
    if (src === undefined) return null;
    return { route: r, dev: r.dev, src, nexthop: r.via ?? dst, local: false };
  }

  private anyAddress(): number | undefined {
    for (const d of this.devices.values()) if (d.up && d.kind !== "loopback" && d.addrs[0]) return d.addrs[0].ip;
    return undefined;
  }

  // ---- netfilter hooks ----

  private table(name: TableName, chain: string, skb: Skb, hook: string, walk: Walk): HookResult {
    const t = this.nf.tables[name];
    const c = t.chains.get(chain)!;
    // An empty built-in chain with an ACCEPT policy is skipped cheaply (but still counts).
    if (c.rules.length === 0 && c.policy === "ACCEPT") {
      c.policyPkts++;
      c.policyBytes += skb.pkt.len;
      // A traced packet still shows every hook it passed, empty chains included.
      if (walk.trace?.rules) {
        walk.trace.add({ kind: "chain", host: this.hostName, netns: this.nsInode, table: name, chain, hook });
        walk.trace.add({ kind: "policy", table: name, chain, verdict: "ACCEPT" });
      }
      return { verdict: "ACCEPT", evaluated: 0 };
    }
    const ctx: MatchCtx = { stack: this, skb, hook };
    const r = runChain(t, chain, ctx, walk.trace);
    this.rulesEvaluated += r.evaluated;
    return r;
  }

  /** nf_conntrack_in: find or create the packet's connection. */
  private ctIn(skb: Skb): void {
    const p = skb.pkt;
    if (p.notrack) return;
    if (p.proto === "icmp" && p.inner && (p.icmpType === 3 || p.icmpType === 11)) {
      const hit = this.conntrack.lookup(p.inner);
      const rev = hit ?? this.conntrack.lookup({ ...p.inner, src: p.inner.dst, dst: p.inner.src, sport: p.inner.dport, dport: p.inner.sport });
      if (rev) {
        skb.ct = rev.conn;
        skb.ctDir = hit ? (rev.dir === "orig" ? "reply" : "orig") : rev.dir;
        (skb as Skb & { related?: boolean }).related = true;
      }
      return;
    }
    const hit = this.conntrack.lookup(p);
    if (hit) {
      skb.ct = hit.conn;
      skb.ctDir = hit.dir;
    } else {
      skb.ct = this.conntrack.create(p);
      skb.ctDir = "orig";
    }
    this.conntrack.update(skb.ct, skb.ctDir, p);
  }

  /** NAT for the destination (PREROUTING/OUTPUT) or source (POSTROUTING/INPUT) of a packet. */
  private nat(manip: "dst" | "src", chain: string, skb: Skb, hook: string, walk: Walk): boolean {
    const c = skb.ct;
    if (!c) return true;
    if (!c.natDecided[manip] && skb.ctDir === "orig" && !(skb as { related?: boolean }).related) {
      const r = this.table("nat", chain, skb, hook, walk);
      if (r.verdict === "DROP") return false;
      c.natDecided[manip] = true;
      if (r.nat) {
        const reply = { ...c.reply };
        if (r.nat.type === "DNAT" && manip === "dst") {
          if (r.nat.ip !== undefined) reply.src = r.nat.ip;
          if (r.nat.port !== undefined) reply.sport = r.nat.port;
        } else if (manip === "src") {
          const ip = r.nat.type === "MASQUERADE" ? (skb.outDev?.primaryIp ?? skb.pkt.src) : (r.nat.ip ?? skb.pkt.src);
          reply.dst = ip;
          if (r.nat.port !== undefined) reply.dport = r.nat.port;
        }
        this.conntrack.setReply(c, reply);
      }
    }
    this.applyNat(manip, skb, walk);
    return true;
  }

  /** Rewrite a packet from its connection's tuples (nf_nat_packet). */
  private applyNat(manip: "dst" | "src", skb: Skb, walk: Walk): void {
    const c = skb.ct!;
    const p = skb.pkt;
    const before = Trace.describe(p);
    const related = (skb as { related?: boolean }).related;
    const want = skb.ctDir === "orig" ? invert(c.reply) : invert(c.orig);
    const setPort = (which: "sport" | "dport", v: number) => {
      if (p.proto === "icmp") p.icmpId = v;
      else p[which] = v;
    };
    if (related && p.inner) {
      // ICMP error: rewrite the embedded header the same way, and the outer one where it matches.
      const inner = p.inner;
      if (manip === "dst") {
        if (p.dst !== want.dst) p.dst = want.dst;
        inner.src = want.dst;
        if (inner.proto === "icmp") inner.icmpId = want.sport;
        else inner.sport = want.dport;
      } else {
        const from = skb.ctDir === "orig" ? c.orig : c.reply;
        void from;
        if (p.src === (skb.ctDir === "orig" ? c.orig.src : c.reply.src)) p.src = want.src;
        inner.dst = want.src;
        if (inner.proto !== "icmp") inner.dport = want.sport;
      }
    } else if (manip === "dst") {
      p.dst = want.dst;
      if (p.proto !== "icmp") setPort("dport", want.dport);
    } else {
      p.src = want.src;
      setPort("sport", want.sport);
    }
    const after = Trace.describe(p);
    if (before !== after) walk.trace?.add({ kind: "nat", what: skb.ctDir === "reply" ? "un-NAT" : manip === "dst" ? "DNAT" : "SNAT", before, after });
  }

  private confirm(skb: Skb): void {
    if (skb.ct && !(skb as { related?: boolean }).related) this.conntrack.confirm(skb.ct);
  }

  private prerouting(skb: Skb, walk: Walk): HookResult["verdict"] | "NATDROP" {
    for (const t of ["raw", "mangle"] as const) {
      if (t === "mangle") this.ctIn(skb);
      const r = this.table(t, "PREROUTING", skb, "PREROUTING", walk);
      if (r.verdict !== "ACCEPT") return r.verdict;
    }
    return this.nat("dst", "PREROUTING", skb, "PREROUTING", walk) ? "ACCEPT" : "NATDROP";
  }

  private postrouting(skb: Skb, walk: Walk): boolean {
    if (this.table("mangle", "POSTROUTING", skb, "POSTROUTING", walk).verdict !== "ACCEPT") return false;
    if (!this.nat("src", "POSTROUTING", skb, "POSTROUTING", walk)) return false;
    this.confirm(skb);
    return true;
  }

  // ---- sending ----

  /**
   * A local socket sends a packet (ip_queue_xmit). Returns an errno name when the kernel
   * refuses at once (no route), else null; answers arrive through the socket tables.
   */
  sendLocal(pkt: Packet, walk: Walk): "ENETUNREACH" | "EPERM" | null {
    if (++walk.hops > 64) return null;
    let rt = this.routeOutput(pkt.dst);
    if (rt && pkt.src === 0) pkt.src = rt.src;
    walk.trace?.add({ kind: "send", host: this.hostName, netns: this.nsInode, packet: Trace.describe(pkt) });
    if (!rt) {
      walk.trace?.add({ kind: "drop", host: this.hostName, netns: this.nsInode, reason: `no route to ${fmtIp(pkt.dst)}: Network is unreachable` });
      return "ENETUNREACH";
    }
    const skb: Skb = { pkt, mark: 0, inDev: null, outDev: rt.dev, ct: null, ctDir: "orig" };
    if (this.table("raw", "OUTPUT", skb, "OUTPUT", walk).verdict !== "ACCEPT") return "EPERM";
    this.ctIn(skb);
    if (this.table("mangle", "OUTPUT", skb, "OUTPUT", walk).verdict !== "ACCEPT") return "EPERM";
    const dstBefore = pkt.dst;
    if (!this.nat("dst", "OUTPUT", skb, "OUTPUT", walk)) return "EPERM";
    if (pkt.dst !== dstBefore) {
      // DNAT in OUTPUT changes where the packet goes: route again (ip_route_me_harder).
      rt = this.routeOutput(pkt.dst);
      if (!rt) return "ENETUNREACH";
      skb.outDev = rt.dev;
    }
    const f = this.table("filter", "OUTPUT", skb, "OUTPUT", walk);
    if (f.verdict === "REJECT") {
      this.sendReject(skb, f.rejectWith!, walk);
      return "EPERM";
    }
    if (f.verdict !== "ACCEPT") return "EPERM";
    walk.trace?.add({ kind: "route", host: this.hostName, netns: this.nsInode, result: rt.local ? `local via lo` : `${fmtIp(pkt.dst)}${rt.route?.via !== undefined ? ` via ${fmtIp(rt.route.via)}` : ""} dev ${rt.dev.name}` });
    if (!this.postrouting(skb, walk)) return null;
    this.output(skb, rt.dev, rt.nexthop, walk, true);
    return null;
  }

  /** Neighbour resolution and transmission on a device (ip_finish_output2). */
  private output(skb: Skb, dev: NetDevice, nexthop: number, walk: Walk, local: boolean): void {
    const pkt = skb.pkt;
    if (dev.kind === "loopback") {
      this.transmit(dev, { srcMac: dev.mac, dstMac: dev.mac, pkt }, walk);
      return;
    }
    let mac = this.neigh.get(nexthop, dev);
    if (!mac || mac.failed || !mac.mac) {
      const found = dev.carrier ? this.arp(dev, nexthop, walk) : null;
      mac = this.neigh.set(nexthop, dev, found, this.now());
      if (!found) {
        // No answer to ARP: the sender hears "Destination Host Unreachable" after ~3 s.
        walk.trace?.add({ kind: "drop", host: this.hostName, netns: this.nsInode, reason: `no ARP reply for ${fmtIp(nexthop)} on ${dev.name}` });
        walk.delay += ARP_FAIL_MS;
        if (local) this.deliverError(pkt, 3, 1, skb.pkt.src, walk);
        else this.sendIcmpError(pkt, 3, 1, skb.inDev, walk);
        return;
      }
    }
    this.transmit(dev, { srcMac: dev.mac, dstMac: mac.mac!, pkt }, walk);
  }

  /** Put a frame on a device's medium (dev_queue_xmit). */
  transmit(dev: NetDevice, frame: Frame, walk: Walk): void {
    if (!dev.up) return;
    dev.tx.packets++;
    dev.tx.bytes += frame.pkt.len + 14;
    this.capture(dev, frame.pkt);
    walk.trace?.add({ kind: "hop", host: this.hostName, netns: this.nsInode, dev: dev.name, dir: "out", packet: Trace.describe(frame.pkt) });
    const pkt = clonePacket(frame.pkt);
    const f = { ...frame, pkt };
    switch (dev.kind) {
      case "loopback":
        this.receive(dev, f, walk);
        return;
      case "veth":
        if (dev.carrier && dev.peer) dev.peer.stack.receive(dev.peer, f, walk);
        return;
      case "ether":
        dev.wire?.deliver(dev, f, walk);
        return;
      case "bridge": {
        const br = this.bridges.get(dev)!;
        const port = br.lookup(f.dstMac);
        if (port && port !== "local") this.bridgeOut(br, port, f, walk);
        else if (!port) for (const p of br.ports()) if (p.up) this.bridgeOut(br, p, f, walk);
        return;
      }
    }
  }

  private bridgeOut(br: BridgeState, port: NetDevice, f: Frame, walk: Walk): void {
    walk.trace?.add({ kind: "bridge", bridge: br.dev.name, port: port.name, action: "forward" });
    this.transmit(port, f, walk);
  }

  /** A frame arrives on a device (netif_receive_skb). */
  receive(dev: NetDevice, frame: Frame, walk: Walk): void {
    if (!dev.up || ++walk.hops > 64) return;
    dev.rx.packets++;
    dev.rx.bytes += frame.pkt.len + 14;
    this.capture(dev, frame.pkt);
    walk.trace?.add({ kind: "hop", host: this.hostName, netns: this.nsInode, dev: dev.name, dir: "in", packet: Trace.describe(frame.pkt) });
    if (dev.master) {
      this.bridgeInput(this.bridges.get(dev.master)!, dev, frame, walk);
      return;
    }
    if (dev.kind !== "loopback" && frame.dstMac !== dev.mac && frame.dstMac !== BROADCAST_MAC) return;
    this.ipRcv(dev, frame.pkt, walk, null);
  }

  /** br_handle_frame: learn, then deliver locally, forward to one port, or flood. */
  private bridgeInput(br: BridgeState, port: NetDevice, frame: Frame, walk: Walk): void {
    if (!br.dev.up) return;
    br.learn(frame.srcMac, port, this.now());
    let dest = br.lookup(frame.dstMac);
    let skb: Skb | null = null;
    if (this.sysctl.get("net.bridge.bridge-nf-call-iptables") === "1") {
      // br_netfilter: bridged IPv4 passes PREROUTING with the bridge as input device.
      skb = { pkt: frame.pkt, mark: 0, inDev: br.dev, outDev: null, ct: null, ctDir: "orig" };
      const dstBefore = frame.pkt.dst;
      const v = this.prerouting(skb, walk);
      if (v === "REJECT") this.sendReject(skb, "icmp-port-unreachable", walk);
      if (v !== "ACCEPT") return;
      if (frame.pkt.dst !== dstBefore && !this.isLocal(frame.pkt.dst)) {
        // DNAT to an address behind the same bridge: the frame is bridged to it, not routed
        // (br_nf_pre_routing_finish_bridge) — back out of the port it came in needs hairpin.
        const r = this.fib.lookup(frame.pkt.dst);
        if (r && r.dev === br.dev) {
          const mac = this.neigh.get(r.via ?? frame.pkt.dst, br.dev)?.mac ?? this.arp(br.dev, r.via ?? frame.pkt.dst, walk);
          if (mac) {
            frame = { ...frame, dstMac: mac };
            dest = br.lookup(mac);
          }
        } else dest = "local";
      }
    }
    if (dest === "local") {
      walk.trace?.add({ kind: "bridge", bridge: br.dev.name, port: port.name, action: "local" });
      this.capture(br.dev, frame.pkt);
      this.ipRcv(br.dev, frame.pkt, walk, skb);
      return;
    }
    const outs = dest ? [dest] : br.ports().filter((p) => p !== port && p.up);
    if (!dest) walk.trace?.add({ kind: "bridge", bridge: br.dev.name, port: port.name, action: "flood" });
    for (const out of outs) {
      if (out === port && !port.hairpin) {
        walk.trace?.add({ kind: "bridge", bridge: br.dev.name, port: out.name, action: "drop" });
        continue;
      }
      if (skb) {
        const s: Skb = { ...skb, pkt: outs.length > 1 ? clonePacket(skb.pkt) : skb.pkt, outDev: br.dev };
        const fw = this.forwardHooks(s, walk);
        if (fw !== "ACCEPT") continue;
        if (!this.postrouting(s, walk)) continue;
        this.bridgeOut(br, out, { ...frame, pkt: s.pkt }, walk);
      } else this.bridgeOut(br, out, frame, walk);
    }
  }

  private forwardHooks(skb: Skb, walk: Walk): HookResult["verdict"] {
    if (this.table("mangle", "FORWARD", skb, "FORWARD", walk).verdict !== "ACCEPT") return "DROP";
    const f = this.table("filter", "FORWARD", skb, "FORWARD", walk);
    if (f.verdict === "REJECT") this.sendReject(skb, f.rejectWith!, walk);
    return f.verdict;
  }

  /** ip_rcv: PREROUTING, the routing decision, then local delivery or forwarding. */
  ipRcv(dev: NetDevice, pkt: Packet, walk: Walk, done: Skb | null): void {
    const skb: Skb = done ?? { pkt, mark: 0, inDev: dev, outDev: null, ct: null, ctDir: "orig" };
    skb.inDev = dev;
    if (!done) {
      const v = this.prerouting(skb, walk);
      if (v === "REJECT") this.sendReject(skb, "icmp-port-unreachable", walk);
      if (v !== "ACCEPT") return;
    }
    if (this.isLocal(pkt.dst) || pkt.dst === 0xffffffff) {
      walk.trace?.add({ kind: "route", host: this.hostName, netns: this.nsInode, result: "local" });
      this.localIn(skb, walk);
      return;
    }
    if (!this.forwarding) {
      walk.trace?.add({ kind: "drop", host: this.hostName, netns: this.nsInode, reason: "not for this host and net.ipv4.ip_forward=0" });
      return;
    }
    if (pkt.ttl <= 1) {
      walk.trace?.add({ kind: "drop", host: this.hostName, netns: this.nsInode, reason: "TTL exceeded" });
      this.sendIcmpError(pkt, 11, 0, dev, walk);
      return;
    }
    const r = this.fib.lookup(pkt.dst);
    if (!r) {
      this.sendIcmpError(pkt, 3, 0, dev, walk);
      return;
    }
    walk.trace?.add({ kind: "route", host: this.hostName, netns: this.nsInode, result: `forward ${fmtIp(pkt.dst)}${r.via !== undefined ? ` via ${fmtIp(r.via)}` : ""} dev ${r.dev.name}` });
    pkt.ttl--;
    skb.outDev = r.dev;
    if (this.forwardHooks(skb, walk) !== "ACCEPT") return;
    if (!this.postrouting(skb, walk)) return;
    this.output(skb, r.dev, r.via ?? pkt.dst, walk, false);
  }

  /** ip_local_deliver: INPUT, then the socket layer. */
  private localIn(skb: Skb, walk: Walk): void {
    if (this.table("mangle", "INPUT", skb, "INPUT", walk).verdict !== "ACCEPT") return;
    const f = this.table("filter", "INPUT", skb, "INPUT", walk);
    if (f.verdict === "REJECT") {
      this.sendReject(skb, f.rejectWith!, walk);
      return;
    }
    if (f.verdict !== "ACCEPT") return;
    if (!this.nat("src", "INPUT", skb, "INPUT", walk)) return;
    this.confirm(skb);
    walk.trace?.add({ kind: "deliver", host: this.hostName, netns: this.nsInode, to: Trace.describe(skb.pkt) });
    this.deliver(skb.pkt, walk);
  }

  /** The socket layer: ICMP echo, ping sockets, TCP listeners and clients. */
  private deliver(p: Packet, walk: Walk): void {
    if (p.proto === "icmp") {
      if (p.icmpType === 8) {
        this.sendLocal(makePacket({ src: p.dst, dst: p.src, proto: "icmp", icmpType: 0, icmpId: p.icmpId, icmpSeq: p.icmpSeq, payload: p.payload }), walk);
        return;
      }
      const id = p.inner ? (p.inner.proto === "icmp" ? p.inner.icmpId : p.inner.sport) : p.icmpId;
      if (p.inner && p.inner.proto === "tcp") this.sockets.clients.get(p.inner.sport)?.(p, walk.delay);
      else this.sockets.pings.get(id)?.(p, walk.delay);
      return;
    }
    if (p.proto === "tcp") {
      const client = this.sockets.clients.get(p.dport);
      if (client && !(p.tcp.syn && !p.tcp.ack)) {
        client(p, walk.delay);
        return;
      }
      if (p.tcp.rst) return;
      const l = this.sockets.find("tcp", p.dst, p.dport);
      if (!l) {
        // Nobody listens: answer with RST (tcp_v4_send_reset) → "Connection refused".
        this.sendLocal(makePacket({ src: p.dst, dst: p.src, proto: "tcp", sport: p.dport, dport: p.sport, tcp: { rst: true, ack: true } }), walk);
        return;
      }
      this.serverSegment(l, p, walk);
      return;
    }
    if (p.proto === "udp") {
      const l = this.sockets.find("udp", p.dst, p.dport);
      if (!l) {
        this.sendIcmpError(p, 3, 3, null, walk);
        return;
      }
      // A datagram server (a DNS server) answers the datagram it was sent.
      const text = l.respond ? l.respond(p.payload, fmtIp(p.src)) : l.greet(fmtIp(p.src));
      if (text) this.sendLocal(makePacket({ src: p.dst, dst: p.src, proto: "udp", sport: p.dport, dport: p.sport, payload: text }), walk);
    }
  }

  private readonly serverConns = new Map<string, { sent: boolean; received: string }>();

  /** A listening socket's side of a TCP connection: handshake, greet or answer, close. */
  private serverSegment(l: import("./sockets").Listener, p: Packet, walk: Walk): void {
    const key = `${p.src}:${p.sport}>${p.dst}:${p.dport}`;
    const peer = fmtIp(p.src);
    const reply = (flags: Packet["tcp"], payload = "") =>
      this.sendLocal(makePacket({ src: p.dst, dst: p.src, proto: "tcp", sport: p.dport, dport: p.sport, tcp: flags, payload }), walk);
    if (p.tcp.syn && !p.tcp.ack) {
      this.serverConns.set(key, { sent: false, received: "" });
      reply({ syn: true, ack: true });
      return;
    }
    const conn = this.serverConns.get(key);
    if (!conn) return;
    if (p.tcp.fin) {
      this.serverConns.delete(key);
      l.onAccept?.(peer, conn.received);
      reply({ ack: true });
      return;
    }
    conn.received += p.payload;
    if (conn.sent) return;
    const text = p.payload ? (l.respond?.(conn.received, peer) ?? l.greet(peer)) : l.greet(peer);
    if (text === null) return;
    conn.sent = true;
    reply({ ack: true, psh: true }, text);
    reply({ fin: true, ack: true });
  }

  // ---- errors ----

  /** REJECT: answer the sender with an ICMP error or a TCP reset (nf_send_unreach / nf_send_reset). */
  private sendReject(skb: Skb, kind: string, walk: Walk): void {
    const p = skb.pkt;
    if (kind === "tcp-reset") {
      if (p.proto !== "tcp") return;
      this.sendLocal(makePacket({ src: p.dst, dst: p.src, proto: "tcp", sport: p.dport, dport: p.sport, tcp: { rst: true, ack: true }, notrack: true }), walk);
      return;
    }
    this.sendIcmpError(p, 3, ICMP_UNREACH_CODE[kind] ?? 3, null, walk, p.dst);
  }

  /** icmp_send: an error about `about`, from this host back to its sender. */
  sendIcmpError(about: Packet, type: number, code: number, inDev: NetDevice | null, walk: Walk, from?: number): void {
    if (about.proto === "icmp" && about.icmpType !== 8 && about.icmpType !== 0) return;
    const back = this.routeOutput(about.src);
    if (!back) return;
    const src = from !== undefined && this.isLocal(from) ? from : (inDev?.primaryIp ?? back.src);
    this.sendLocal(makePacket({ src, dst: about.src, proto: "icmp", icmpType: type, icmpCode: code, inner: clonePacket(about) }), walk);
  }

  /** A locally generated packet could not leave: the socket gets the error at once. */
  private deliverError(about: Packet, type: number, code: number, src: number, walk: Walk): void {
    const e = makePacket({ src, dst: about.src, proto: "icmp", icmpType: type, icmpCode: code, inner: clonePacket(about) });
    this.deliver(e, walk);
  }

  // ---- ARP ----

  /** Broadcast who-has on dev's L2 segment; returns the answering MAC (and bridges learn). */
  arp(dev: NetDevice, ip: number, walk: Walk): string | null {
    const seen = new Set<NetDevice>([dev]);
    const res = this.arpSend(dev, ip, dev.mac, seen);
    void walk;
    return res;
  }

  arpSend(dev: NetDevice, ip: number, reqMac: string, seen: Set<NetDevice>): string | null {
    if (!dev.carrier) return null;
    if (dev.kind === "veth") return dev.peer ? arpReceive(dev.peer, ip, reqMac, seen) : null;
    if (dev.kind === "ether") {
      for (const other of dev.wire?.peers(dev) ?? []) {
        const r = arpReceive(other, ip, reqMac, seen);
        if (r) return r;
      }
      return null;
    }
    if (dev.kind === "bridge") {
      const br = this.bridges.get(dev)!;
      for (const p of br.ports()) {
        if (seen.has(p) || !p.up) continue;
        seen.add(p);
        const r = p.stack.arpSend(p, ip, reqMac, seen);
        if (r) {
          br.learn(r, p, this.now());
          return r;
        }
      }
    }
    return null;
  }

  // ---- tcpdump, LOG, xt_recent ----

  private capture(dev: NetDevice, p: Packet): void {
    for (const c of this.captures) if (c.dev === dev) c.lines.push(tcpdumpLine(p, this.kernel.clock.epochMs()));
  }

  logPacket(prefix: string, skb: Skb): void {
    const p = skb.pkt;
    this.kernel.log(
      `${prefix}IN=${skb.inDev?.name ?? ""} OUT=${skb.outDev?.name ?? ""} SRC=${fmtIp(p.src)} DST=${fmtIp(p.dst)} LEN=${p.len} TTL=${p.ttl} PROTO=${p.proto.toUpperCase()}${p.proto === "icmp" ? ` TYPE=${p.icmpType} CODE=${p.icmpCode}` : ` SPT=${p.sport} DPT=${p.dport}`} MARK=0x${skb.mark.toString(16)}`,
    );
  }

  recentList(name: string): Map<number, number[]> {
    let l = this.recent.get(name);
    if (!l) this.recent.set(name, (l = new Map()));
    return l;
  }

  recentNames(): string[] {
    return [...this.recent.keys()];
  }

  /** Connections the conntrack table holds (for `conntrack -L` and widgets). */
  connections(): Conn[] {
    return this.conntrack.entries();
  }
}

/** A frame arriving at `dev` during ARP: a bridge port floods on, an endpoint answers for local IPs. */
function arpReceive(dev: NetDevice, ip: number, reqMac: string, seen: Set<NetDevice>): string | null {
  if (seen.has(dev) || !dev.up) return null;
  seen.add(dev);
  const st = dev.stack;
  if (dev.master) {
    const br = st.bridges.get(dev.master)!;
    if (!br.dev.up) return null;
    br.learn(reqMac, dev, st.now());
    if (st.isLocal(ip) && !isLoopback(ip)) return br.dev.mac;
    for (const p of br.ports()) {
      if (p === dev || seen.has(p) || !p.up) continue;
      seen.add(p);
      const r = st.arpSend(p, ip, reqMac, seen);
      if (r) {
        br.learn(r, p, st.now());
        return r;
      }
    }
    return null;
  }
  // arp_ignore=0: answer for any local address, with the MAC of the receiving device.
  if (st.isLocal(ip) && !isLoopback(ip)) {
    return dev.mac;
  }
  return null;
}

/** tcpdump -n's one-line summary. */
export function tcpdumpLine(p: Packet, epochMs: number): string {
  const d = new Date(epochMs);
  const ts = `${String(d.getUTCHours()).padStart(2, "0")}:${String(d.getUTCMinutes()).padStart(2, "0")}:${String(d.getUTCSeconds()).padStart(2, "0")}.${String(d.getUTCMilliseconds() * 1000).padStart(6, "0")}`;
  if (p.proto === "icmp") {
    const body =
      p.icmpType === 8 ? `ICMP echo request, id ${p.icmpId}, seq ${p.icmpSeq}, length 64`
      : p.icmpType === 0 ? `ICMP echo reply, id ${p.icmpId}, seq ${p.icmpSeq}, length 64`
      : p.icmpType === 11 ? `ICMP time exceeded in-transit, length ${p.len - 20}`
      : `ICMP ${fmtIp(p.inner?.dst ?? 0)} ${p.inner?.proto ?? ""} port ${p.inner?.dport ?? 0} unreachable, length ${p.len - 20}`;
    return `${ts} IP ${fmtIp(p.src)} > ${fmtIp(p.dst)}: ${body}`;
  }
  if (p.proto === "udp") return `${ts} IP ${fmtIp(p.src)}.${p.sport} > ${fmtIp(p.dst)}.${p.dport}: UDP, length ${p.payload.length}`;
  const f = p.tcp;
  const flags = `${f.syn ? "S" : ""}${f.fin ? "F" : ""}${f.rst ? "R" : ""}${f.psh ? "P" : ""}${f.ack ? "." : ""}`;
  return `${ts} IP ${fmtIp(p.src)}.${p.sport} > ${fmtIp(p.dst)}.${p.dport}: Flags [${flags}], length ${p.payload.length}`;
}

export { tupleOf };
