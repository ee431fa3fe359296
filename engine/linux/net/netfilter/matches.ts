// Match extensions (xt_*): each knows its command-line options, how iptables-save prints it,
// how `iptables -L` describes it, and how it tests a packet.
import { fmtIp, maskToPrefix, parseIp } from "../ipv4";
import type { Skb } from "../packet";
import type { NetStack } from "../stack";

export interface MatchCtx {
  stack: NetStack;
  skb: Skb;
  hook: string;
}

export interface MatchModule<D = Record<string, unknown>> {
  name: string;
  /** Option name (without --) → whether it takes a value. */
  options: Record<string, boolean>;
  init(): D;
  /** Returns an error text for a bad value. */
  parse(d: D, opt: string, val: string | undefined, neg: boolean): string | void;
  /** Fill in defaults after parsing, or complain about a missing option. */
  finish?(d: D): string | void;
  save(d: D): string;
  list(d: D, numeric: boolean): string;
  test(d: D, c: MatchCtx): boolean;
}

/** A slice of /etc/services, for `iptables -L` without -n. */
export const SERVICES: Record<number, string> = { 22: "ssh", 25: "smtp", 53: "domain", 80: "http", 443: "https", 6443: "sun-sr-https", 8080: "http-alt", 2379: "etcd-client", 10250: "10250" };
const PORT_BY_NAME: Record<string, number> = Object.fromEntries(Object.entries(SERVICES).map(([p, n]) => [n, Number(p)]));

function parsePort(s: string): number | null {
  if (/^\d+$/.test(s) && Number(s) <= 65535) return Number(s);
  return PORT_BY_NAME[s] ?? null;
}

function portName(p: number, numeric: boolean): string {
  return numeric ? String(p) : (SERVICES[p] ?? String(p));
}

interface PortRange {
  lo: number;
  hi: number;
  neg: boolean;
}

function parseRange(v: string, neg: boolean): PortRange | string {
  const [a, b] = v.split(":");
  const lo = a === "" ? 0 : parsePort(a!);
  const hi = b === undefined ? lo : b === "" ? 65535 : parsePort(b);
  if (lo === null || hi === null) return `invalid port/service \`${v}' specified`;
  return { lo, hi, neg };
}

function inRange(p: number, r: PortRange | undefined): boolean {
  if (!r) return true;
  return (p >= r.lo && p <= r.hi) !== r.neg;
}

function saveRange(flag: string, r: PortRange): string {
  return `${r.neg ? "! " : ""}--${flag} ${r.lo === r.hi ? r.lo : `${r.lo}:${r.hi}`}`;
}

function listRange(name: string, r: PortRange, numeric: boolean): string {
  const one = r.lo === r.hi;
  return `${name}${one ? "" : "s"}:${r.neg ? "!" : ""}${one ? portName(r.lo, numeric) : `${portName(r.lo, numeric)}:${portName(r.hi, numeric)}`}`;
}

type PortData = { sport?: PortRange; dport?: PortRange; syn?: boolean };

function portMatch(name: "tcp" | "udp"): MatchModule<PortData> {
  return {
    name,
    options: { sport: true, "source-port": true, dport: true, "destination-port": true, ...(name === "tcp" ? { syn: false } : {}) },
    init: () => ({}),
    parse(d, opt, v, neg) {
      if (opt === "syn") {
        d.syn = true;
        return;
      }
      const r = parseRange(v!, neg);
      if (typeof r === "string") return r;
      if (opt === "sport" || opt === "source-port") d.sport = r;
      else d.dport = r;
    },
    save: (d) => [d.sport && saveRange("sport", d.sport), d.dport && saveRange("dport", d.dport), d.syn && "--tcp-flags FIN,SYN,RST,ACK SYN"].filter(Boolean).join(" "),
    list: (d, n) => [name, d.sport && listRange("spt", d.sport, n), d.dport && listRange("dpt", d.dport, n), d.syn && "flags:0x17/0x02"].filter(Boolean).join(" "),
    test(d, c) {
      const p = c.skb.pkt;
      if (p.proto !== name) return false;
      if (d.syn && !(p.tcp.syn && !p.tcp.ack)) return false;
      return inRange(p.sport, d.sport) && inRange(p.dport, d.dport);
    },
  };
}

const ICMP_TYPES: Record<string, number> = { "echo-reply": 0, "destination-unreachable": 3, "echo-request": 8, "time-exceeded": 11 };

const icmp: MatchModule<{ type?: number; neg?: boolean }> = {
  name: "icmp",
  options: { "icmp-type": true },
  init: () => ({}),
  parse(d, _o, v, neg) {
    const t = /^\d+$/.test(v!) ? Number(v) : ICMP_TYPES[v!];
    if (t === undefined) return `Invalid ICMP type \`${v}'`;
    d.type = t;
    d.neg = neg;
  },
  save: (d) => (d.type === undefined ? "" : `${d.neg ? "! " : ""}--icmp-type ${d.type}`),
  list: (d) => (d.type === undefined ? "icmp" : `icmp${d.neg ? " !" : ""}type ${d.type}`),
  test: (d, c) => c.skb.pkt.proto === "icmp" && (d.type === undefined || (c.skb.pkt.icmpType === d.type) !== !!d.neg),
};

const comment: MatchModule<{ text: string }> = {
  name: "comment",
  options: { comment: true },
  init: () => ({ text: "" }),
  parse(d, _o, v) {
    if (v!.length > 255) return "COMMENT must be shorter than 256 characters";
    d.text = v!;
  },
  save: (d) => `--comment ${quote(d.text)}`,
  list: (d) => `/* ${d.text} */`,
  test: () => true,
};

/** iptables-save quotes strings with double quotes (xtables_save_string). */
export function quote(s: string): string {
  return `"${s.replace(/(["\\])/g, "\\$1")}"`;
}

const CT_STATES = ["INVALID", "NEW", "RELATED", "ESTABLISHED", "UNTRACKED", "SNAT", "DNAT"];

function ctStateOf(c: MatchCtx): string {
  const skb = c.skb;
  if (!skb.ct) return "INVALID";
  if ((skb as Skb & { related?: boolean }).related) return "RELATED";
  return skb.ctDir === "reply" || skb.ct.seenReply ? "ESTABLISHED" : "NEW";
}

function stateMatch(name: "conntrack" | "state", opt: string): MatchModule<{ states: string[]; neg: boolean }> {
  return {
    name,
    options: { [opt]: true },
    init: () => ({ states: [], neg: false }),
    parse(d, _o, v, neg) {
      const s = v!.split(",");
      const bad = s.find((x) => !CT_STATES.includes(x));
      if (bad) return `Bad ctstate "${bad}"`;
      d.states = CT_STATES.filter((x) => s.includes(x));
      d.neg = neg;
    },
    save: (d) => `${d.neg ? "! " : ""}--${opt} ${d.states.join(",")}`,
    list: (d) => `${name === "state" ? "state" : "ctstate"} ${d.neg ? "! " : ""}${d.states.join(",")}`,
    test: (d, c) => d.states.includes(ctStateOf(c)) !== d.neg,
  };
}

/** xt_statistic keeps the probability as a 31-bit fraction; iptables-save prints it back with 11 decimals. */
const statistic: MatchModule<{ mode: string; prob: number; every: number; packet: number; count: number }> = {
  name: "statistic",
  options: { mode: true, probability: true, every: true, packet: true },
  init: () => ({ mode: "", prob: 0, every: 0, packet: 0, count: 0 }),
  parse(d, o, v) {
    if (o === "mode") {
      if (v !== "random" && v !== "nth") return `Bad mode \`${v}'`;
      d.mode = v;
    } else if (o === "probability") {
      const p = Number(v);
      if (!(p >= 0 && p <= 1)) return `--probability must be between 0 and 1`;
      d.prob = Math.round(0x80000000 * p);
    } else if (o === "every") d.every = Number(v);
    else if (o === "packet") d.packet = Number(v);
  },
  finish: (d) => (d.mode ? undefined : "no mode specified"),
  save: (d) => (d.mode === "random" ? `--mode random --probability ${(d.prob / 0x80000000).toFixed(11)}` : `--mode nth --every ${d.every} --packet ${d.packet}`),
  list: (d) => (d.mode === "random" ? `statistic mode random probability ${(d.prob / 0x80000000).toFixed(11)}` : `statistic mode nth every ${d.every}${d.packet ? ` packet ${d.packet}` : ""}`),
  test(d, c) {
    if (d.mode === "random") return Math.floor(c.stack.rng() * 0x80000000) < d.prob;
    const hit = d.count === d.packet;
    d.count = (d.count + 1) % d.every;
    return hit;
  },
};

function fmtHex(n: number): string {
  return "0x" + (n >>> 0).toString(16);
}

const mark: MatchModule<{ value: number; mask: number; neg: boolean }> = {
  name: "mark",
  options: { mark: true },
  init: () => ({ value: 0, mask: 0xffffffff, neg: false }),
  parse(d, _o, v, neg) {
    const [a, b] = v!.split("/");
    d.value = Number(a) >>> 0;
    d.mask = b === undefined ? 0xffffffff : Number(b) >>> 0;
    d.neg = neg;
    if (Number.isNaN(Number(a)) || Number.isNaN(d.mask)) return `Bad MARK value "${v}"`;
  },
  save: (d) => `${d.neg ? "! " : ""}--mark ${fmtHex(d.value)}${d.mask === 0xffffffff ? "" : "/" + fmtHex(d.mask)}`,
  list: (d) => `mark match ${d.neg ? "! " : ""}${fmtHex(d.value)}${d.mask === 0xffffffff ? "" : "/" + fmtHex(d.mask)}`,
  test: (d, c) => (((c.skb.mark & d.mask) >>> 0) === d.value) !== d.neg,
};

const ADDR_TYPES = ["UNSPEC", "UNICAST", "LOCAL", "BROADCAST", "ANYCAST", "MULTICAST", "BLACKHOLE", "UNREACHABLE", "PROHIBIT"];

const addrtype: MatchModule<{ src?: string; dst?: string; srcNeg?: boolean; dstNeg?: boolean; limitIn?: boolean; limitOut?: boolean }> = {
  name: "addrtype",
  options: { "src-type": true, "dst-type": true, "limit-iface-in": false, "limit-iface-out": false },
  init: () => ({}),
  parse(d, o, v, neg) {
    if (o === "limit-iface-in") d.limitIn = true;
    else if (o === "limit-iface-out") d.limitOut = true;
    else {
      if (!ADDR_TYPES.includes(v!)) return `addrtype: invalid address type \`${v}'`;
      if (o === "src-type") [d.src, d.srcNeg] = [v!, neg];
      else [d.dst, d.dstNeg] = [v!, neg];
    }
  },
  save: (d) => [d.src && `${d.srcNeg ? "! " : ""}--src-type ${d.src}`, d.dst && `${d.dstNeg ? "! " : ""}--dst-type ${d.dst}`, d.limitIn && "--limit-iface-in", d.limitOut && "--limit-iface-out"].filter(Boolean).join(" "),
  list: (d) => ["ADDRTYPE match", d.src && `src-type ${d.srcNeg ? "!" : ""}${d.src}`, d.dst && `dst-type ${d.dstNeg ? "!" : ""}${d.dst}`, d.limitIn && "limit-in", d.limitOut && "limit-out"].filter(Boolean).join(" "),
  test(d, c) {
    const type = (ip: number) => c.stack.addrType(ip);
    if (d.src && (type(c.skb.pkt.src) === d.src) === !!d.srcNeg) return false;
    if (d.dst && (type(c.skb.pkt.dst) === d.dst) === !!d.dstNeg) return false;
    return true;
  },
};

const multiport: MatchModule<{ dir: "sports" | "dports" | "ports"; ports: PortRange[]; neg: boolean }> = {
  name: "multiport",
  options: { sports: true, dports: true, ports: true, "source-ports": true, "destination-ports": true },
  init: () => ({ dir: "ports", ports: [], neg: false }),
  parse(d, o, v, neg) {
    d.dir = o.startsWith("s") ? "sports" : o.startsWith("d") ? "dports" : "ports";
    d.neg = neg;
    for (const part of v!.split(",")) {
      const r = parseRange(part, false);
      if (typeof r === "string") return r;
      d.ports.push(r);
    }
    if (d.ports.length > 15) return "too many ports specified";
  },
  save: (d) => `${d.neg ? "! " : ""}--${d.dir} ${d.ports.map((r) => (r.lo === r.hi ? r.lo : `${r.lo}:${r.hi}`)).join(",")}`,
  list: (d, n) => `multiport ${d.dir} ${d.neg ? "! " : ""}${d.ports.map((r) => (r.lo === r.hi ? portName(r.lo, n) : `${portName(r.lo, n)}:${portName(r.hi, n)}`)).join(",")}`,
  test(d, c) {
    const p = c.skb.pkt;
    if (p.proto !== "tcp" && p.proto !== "udp") return false;
    const hit = d.ports.some((r) => (d.dir !== "dports" && inRange(p.sport, r)) || (d.dir !== "sports" && inRange(p.dport, r)));
    return hit !== d.neg;
  },
};

type RecentData = { name: string; cmd: "set" | "rcheck" | "update" | "remove" | ""; seconds: number; reap: boolean; hitcount: number; side: "rsource" | "rdest"; mask: string; neg: boolean };

/** xt_recent: named lists of source addresses with the times they were seen (ClientIP affinity). */
const recent: MatchModule<RecentData> = {
  name: "recent",
  options: { name: true, set: false, rcheck: false, update: false, remove: false, seconds: true, reap: false, hitcount: true, rsource: false, rdest: false, mask: true, rttl: false },
  init: () => ({ name: "DEFAULT", cmd: "", seconds: 0, reap: false, hitcount: 0, side: "rsource", mask: "255.255.255.255", neg: false }),
  parse(d, o, v, neg) {
    if (o === "set" || o === "rcheck" || o === "update" || o === "remove") {
      if (d.cmd) return "recent: only one of `--set', `--rcheck' `--update' or `--remove' may be set";
      d.cmd = o;
      d.neg = neg;
    } else if (o === "name") d.name = v!;
    else if (o === "seconds") d.seconds = Number(v);
    else if (o === "hitcount") d.hitcount = Number(v);
    else if (o === "reap") d.reap = true;
    else if (o === "rsource" || o === "rdest") d.side = o;
    else if (o === "mask") {
      if (maskToPrefix(v!) === null && parseIp(v!) === null) return `recent: bad mask "${v}"`;
      d.mask = v!;
    }
  },
  finish: (d) => (d.cmd ? undefined : "recent: you must specify one of `--set', `--rcheck' `--update' or `--remove'"),
  save: (d) =>
    [`${d.neg ? "! " : ""}--${d.cmd}`, d.seconds && `--seconds ${d.seconds}`, d.reap && "--reap", d.hitcount && `--hitcount ${d.hitcount}`, `--name ${d.name}`, `--mask ${d.mask}`, `--${d.side}`].filter(Boolean).join(" "),
  list: (d) =>
    ["recent:", d.neg && "!", { set: "SET", rcheck: "CHECK", update: "UPDATE", remove: "REMOVE", "": "" }[d.cmd], d.seconds && `seconds: ${d.seconds}`, d.reap && "reap", d.hitcount && `hit_count: ${d.hitcount}`, `name: ${d.name}`, `side: ${d.side === "rsource" ? "source" : "dest"}`, `mask: ${d.mask}`]
      .filter(Boolean)
      .join(" "),
  test(d, c) {
    const mask = parseIp(d.mask) ?? 0xffffffff;
    const addr = ((d.side === "rsource" ? c.skb.pkt.src : c.skb.pkt.dst) & mask) >>> 0;
    const list = c.stack.recentList(d.name);
    const now = c.stack.now();
    const seen = list.get(addr);
    let hit: boolean;
    if (d.cmd === "set") {
      list.set(addr, [...(seen ?? []), now].slice(-20));
      hit = true;
    } else {
      const times = (seen ?? []).filter((t) => !d.seconds || now - t <= d.seconds * 1000);
      hit = times.length > 0 && (!d.hitcount || times.length >= d.hitcount);
      if (d.reap && seen) list.set(addr, times);
      if (hit && d.cmd === "update") list.set(addr, [...times, now].slice(-20));
      if (hit && d.cmd === "remove") list.delete(addr);
    }
    return hit !== d.neg;
  },
};

export const MATCHES: Record<string, MatchModule<any>> = {
  tcp: portMatch("tcp"),
  udp: portMatch("udp"),
  icmp,
  comment,
  conntrack: stateMatch("conntrack", "ctstate"),
  state: stateMatch("state", "state"),
  statistic,
  mark,
  addrtype,
  multiport,
  recent,
};

export { fmtHex, fmtIp };
