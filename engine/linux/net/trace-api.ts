// host.tracePacket(): send ONE packet from a network namespace through the real stack — the
// same NetStack.sendLocal walk that ping, curl and nc use — with a Trace attached, and hand
// back what it met: every hop, every netfilter chain with each rule tested, the verdicts,
// NAT rewrites, bridge decisions, and the reply (or error) that came back.
//
// The walk is synchronous and crosses veth pairs, bridges and the wire to other hosts in one
// call, so a lab's trace follows the packet onto the other machine and back. Like a real
// probe it leaves what a real packet leaves: counters, conntrack entries, ARP and FDB entries.
import type { PacketTraceSnapshot, PacketTraceStep, TracePacketOptions, TracePlace, TracedPacket } from "../../api";
import type { Kernel } from "../kernel";
import type { Namespace } from "../namespaces";
import { fmtIp, parseIp } from "./ipv4";
import { makePacket } from "./packet";
import type { Packet } from "./packet";
import { netnsByName } from "./netns";
import { netOf, stacksOf } from "./registry";
import { nameOf, initProcess } from "./snapshot";
import type { NetStack, Walk } from "./stack";
import { saveRule } from "./netfilter/rule";
import { Trace } from "./trace";
import type { TraceStep } from "./trace";

const UNREACH: Record<number, string> = {
  0: "Destination Net Unreachable", 1: "Destination Host Unreachable", 2: "Destination Protocol Unreachable", 3: "Destination Port Unreachable",
  9: "Destination Net Prohibited", 10: "Destination Host Prohibited", 13: "Packet filtered",
};

/** A bad request to tracePacket (unknown namespace, malformed address): the message says which. */
export class TraceRequestError extends Error {}

/** The network namespace `from` names: "host", a /run/netns name, or an inode. */
export function resolveNetns(kernel: Kernel, from: number | string): Namespace {
  if (from === "host") return kernel.initNs.net;
  if (typeof from === "number" || /^\d+$/.test(from)) {
    const inode = Number(from);
    for (const ns of kernel.namespaces) if (ns.kind === "net" && ns.alive && ns.inode === inode) return ns;
    throw new TraceRequestError(`no network namespace net:[${inode}] on ${kernel.name}`);
  }
  const ns = netnsByName(kernel, initProcess(kernel), from);
  if (!ns) throw new TraceRequestError(`Cannot open network namespace "${from}": No such file or directory`);
  return ns;
}

/** Every kernel a packet from `kernel` can reach: itself and the hosts cabled to the same wire. */
function reachableKernels(kernel: Kernel): Kernel[] {
  const seen = new Set<Kernel>([kernel]);
  const queue = [kernel];
  while (queue.length) {
    const k = queue.shift()!;
    for (const st of stacksOf(k)) {
      for (const d of st.devices.values()) {
        if (d.kind !== "ether" || !d.wire) continue;
        for (const other of d.wire.peers(d)) {
          const ok = other.stack.kernel;
          if (!seen.has(ok)) {
            seen.add(ok);
            queue.push(ok);
          }
        }
      }
    }
  }
  return [...seen];
}

/** Send one packet (and collect its answer) with the trace on; convert what was recorded. */
export function tracePacket(kernel: Kernel, opts: TracePacketOptions): PacketTraceSnapshot {
  const ns = resolveNetns(kernel, opts.from);
  const dst = parseIp(opts.dst.trim());
  if (dst === null) throw new TraceRequestError(`"${opts.dst}" is not an IPv4 address`);
  if (!["icmp", "tcp", "udp"].includes(opts.proto)) throw new TraceRequestError(`unknown protocol "${String(opts.proto)}": use icmp, tcp or udp`);
  const dport = opts.proto === "icmp" ? null : (opts.dport ?? 80);
  if (dport !== null && !(Number.isInteger(dport) && dport >= 1 && dport <= 65535)) throw new TraceRequestError(`port ${dport} is out of range (1-65535)`);

  const st = netOf(kernel, ns);
  const kernels = reachableKernels(kernel);
  const stacks = new Map<string, NetStack>();
  for (const k of kernels) for (const s of stacksOf(k)) stacks.set(`${k.name}/${s.nsInode}`, s);

  const trace = new Trace(true);
  const walk: Walk = { trace, delay: 0, hops: 0 };
  const answers: Packet[] = [];
  const record = (p: Packet) => void answers.push(p);
  // A local port (or ICMP echo id) for the probe, from the same ephemeral range sockets use.
  const port = st.sockets.ephemeral(() => st.rng());
  const route = st.routeOutput(dst);
  let pkt: Packet;
  let udpListener: import("./sockets").Listener | null = null;
  if (opts.proto === "icmp") {
    pkt = makePacket({ src: 0, dst, proto: "icmp", icmpType: 8, icmpId: port, icmpSeq: 1 });
    st.sockets.pings.set(port, record);
  } else if (opts.proto === "tcp") {
    pkt = makePacket({ src: 0, dst, proto: "tcp", sport: port, dport: dport!, tcp: { syn: true } });
    st.sockets.clients.set(port, record);
  } else {
    pkt = makePacket({ src: 0, dst, proto: "udp", sport: port, dport: dport!, payload: "ping\n" });
    // ICMP errors about the datagram come to the ping table under its source port; a reply
    // datagram comes to a bound socket (without one the stack would answer "port unreachable").
    st.sockets.pings.set(port, record);
    if (route) {
      udpListener = {
        proto: "udp", addr: route.src, port, pid: 0, comm: "trace", fd: 3,
        greet: (peer) => {
          answers.push(makePacket({ src: parseIp(peer) ?? 0, dst: route.src, proto: "udp", sport: dport!, dport: port }));
          return null;
        },
      };
      st.sockets.listen(udpListener);
    }
  }
  let err: ReturnType<NetStack["sendLocal"]>;
  try {
    err = st.sendLocal(pkt, walk);
  } finally {
    st.sockets.pings.delete(port);
    st.sockets.clients.delete(port);
    if (udpListener) st.sockets.listeners.splice(st.sockets.listeners.indexOf(udpListener), 1);
  }

  const placeOf = (host: string, netns: number): TracePlace => {
    const s = stacks.get(`${host}/${netns}`);
    const initial = s?.ns.initial ?? false;
    return { host, netns, netnsName: s ? nameOf(s.kernel, s.ns) : null, initial };
  };
  const from = placeOf(kernel.name, ns.inode);
  const { steps, packets } = convert(trace.steps, from, placeOf, (host, netns, table, chain) => {
    const c = stacks.get(`${host}/${netns}`)?.nf.tables[table as "filter"]?.chains.get(chain);
    return c ? { rules: c.rules.map((r) => `-A ${chain} ${saveRule(r)}`), policy: c.policy } : { rules: [], policy: null };
  });
  const { outcome, summary } = judge(err, answers, steps, opts, from);
  return { request: { from, proto: opts.proto, dst: fmtIp(dst), dport }, outcome, summary, packets, steps };
}

type ChainInfo = (host: string, netns: number, table: string, chain: string) => { rules: string[]; policy: string | null };

function convert(raw: readonly TraceStep[], from: TracePlace, placeOf: (host: string, netns: number) => TracePlace, chainInfo: ChainInfo): { steps: PacketTraceStep[]; packets: TracedPacket[] } {
  const steps: PacketTraceStep[] = [];
  const packets: TracedPacket[] = [];
  let at = from;
  let packet = 0;
  for (const s of raw) {
    if ("host" in s && "netns" in s) at = placeOf(s.host, s.netns);
    switch (s.kind) {
      case "send": {
        const role: TracedPacket["role"] = packets.length === 0 ? "request" : / icmp type (3|11) /.test(s.packet) ? "error" : "reply";
        packets.push({ summary: s.packet, role, firstStep: steps.length });
        packet = packets.length - 1;
        steps.push({ packet, kind: "send", at, summary: s.packet });
        break;
      }
      case "hop":
        steps.push({ packet, kind: "hop", at, dev: s.dev, dir: s.dir, summary: s.packet });
        break;
      case "route":
        steps.push({ packet, kind: "route", at, result: s.result });
        break;
      case "chain": {
        const info = chainInfo(s.host, s.netns, s.table, s.chain);
        steps.push({ packet, kind: "chain", at, table: s.table as "filter", chain: s.chain, hook: s.hook, rules: info.rules, policy: info.policy });
        break;
      }
      case "rule":
        steps.push({ packet, kind: "rule", at, table: s.table, chain: s.chain, num: s.num, rule: s.rule, matched: s.matched });
        break;
      case "policy":
        steps.push({ packet, kind: "verdict", at, table: s.table, chain: s.chain, verdict: s.verdict, policy: true });
        break;
      case "verdict":
        steps.push({ packet, kind: "verdict", at, table: s.table, chain: s.chain, verdict: s.verdict, policy: false });
        break;
      case "nat":
        steps.push({ packet, kind: "nat", at, what: s.what, before: s.before, after: s.after });
        break;
      case "bridge":
        steps.push({ packet, kind: "bridge", at, bridge: s.bridge, port: s.port, action: s.action });
        break;
      case "deliver":
        steps.push({ packet, kind: "deliver", at, summary: s.to });
        break;
      case "drop":
        steps.push({ packet, kind: "drop", at, reason: s.reason });
        break;
    }
  }
  return { steps, packets };
}

/** "node-1 (netns red)" / "node-1 (host)" — where something happened, for a sentence. */
export function placeText(p: TracePlace): string {
  return p.initial ? `${p.host} (host)` : `${p.host} (netns ${p.netnsName ?? `net:[${p.netns}]`})`;
}

function judge(err: string | null, answers: Packet[], steps: PacketTraceStep[], opts: TracePacketOptions, from: TracePlace): Pick<PacketTraceSnapshot, "outcome" | "summary"> {
  if (err === "ENETUNREACH") return { outcome: "unreachable", summary: `No route to ${opts.dst} in ${placeText(from)}: connect: Network is unreachable.` };
  const a = answers[0];
  if (a) {
    const src = fmtIp(a.src);
    if (a.proto === "icmp" && (a.icmpType === 3 || a.icmpType === 11)) {
      const what = a.icmpType === 11 ? "Time to live exceeded" : (UNREACH[a.icmpCode] ?? `Destination Unreachable, code ${a.icmpCode}`);
      return { outcome: "error", summary: `From ${src}: ${what}.` };
    }
    if (a.proto === "icmp") return { outcome: "reply", summary: `Echo reply from ${src}.` };
    if (a.proto === "tcp" && a.tcp.rst) return { outcome: "reset", summary: `${src} answered with a TCP reset: connection refused on port ${opts.dport ?? 80}.` };
    if (a.proto === "tcp") return { outcome: "reply", summary: `SYN-ACK from ${src}:${a.sport}: something listens on port ${opts.dport ?? 80}.` };
    return { outcome: "reply", summary: `A UDP reply from ${src}:${a.sport}.` };
  }
  // Nothing came back: say where the packet died.
  const last = [...steps].reverse().find((s) => s.kind === "drop" || (s.kind === "verdict" && (s.verdict === "DROP" || s.verdict === "REJECT")));
  if (err === "EPERM") {
    const why = last?.kind === "verdict" ? ` (${last.table} ${last.chain}${last.policy ? " policy" : ""} ${last.verdict})` : "";
    return { outcome: "rejected-locally", summary: `The sender's own netfilter refused the packet${why}: sendmsg: Operation not permitted.` };
  }
  if (last?.kind === "drop") return { outcome: "no-reply", summary: `Dropped in ${placeText(last.at)}: ${last.reason}.` };
  if (last?.kind === "verdict") return { outcome: "no-reply", summary: `Dropped in ${placeText(last.at)} by ${last.table} ${last.chain}${last.policy ? " policy" : ""} ${last.verdict}.` };
  return { outcome: "no-reply", summary: "The packet left, and nothing came back." };
}
