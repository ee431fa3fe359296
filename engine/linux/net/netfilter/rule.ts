// One iptables rule (struct ipt_entry + its matches + its target), parsed from the same
// words a learner types, and printed back the way iptables-save and iptables -L do.
import { fmtIp, maskToPrefix, network, parseIp } from "../ipv4";
import type { Proto } from "../packet";
import { PROTO_NUM } from "../packet";
import { MATCHES } from "./matches";
import type { MatchModule } from "./matches";
import { TARGETS } from "./targets";
import type { TargetModule } from "./targets";

export interface AddrSpec {
  ip: number;
  prefix: number;
  neg: boolean;
}
export interface IfaceSpec {
  name: string;
  neg: boolean;
}

export interface MatchInst {
  mod: MatchModule<any>;
  data: any;
}

export type TargetSpec =
  | { kind: "standard"; name: "ACCEPT" | "DROP" | "RETURN" }
  | { kind: "jump"; chain: string; goto: boolean }
  | { kind: "ext"; mod: TargetModule<any>; data: any }
  | { kind: "none" };

export interface Rule {
  src?: AddrSpec;
  dst?: AddrSpec;
  inIface?: IfaceSpec;
  outIface?: IfaceSpec;
  proto?: { name: Proto; neg: boolean };
  matches: MatchInst[];
  target: TargetSpec;
  pkts: number;
  bytes: number;
}

export const STANDARD = ["ACCEPT", "DROP", "RETURN"];

export class RuleError extends Error {
  constructor(
    message: string,
    /** iptables' exit status: 1 for a rule problem, 2 for a usage (parameter) problem. */
    readonly status = 2,
  ) {
    super(message);
  }
}

function parseAddr(v: string, neg: boolean): AddrSpec {
  const [a, m] = v.split("/");
  const ip = parseIp(a!);
  if (ip === null) throw new RuleError(`host/network \`${a}' not found`);
  let prefix = 32;
  if (m !== undefined) {
    const p = /^\d+$/.test(m) ? Number(m) : maskToPrefix(m);
    if (p === null || p > 32) throw new RuleError(`invalid mask \`${m}' specified`);
    prefix = p;
  }
  return { ip: network(ip, prefix), prefix, neg };
}

/**
 * Parse the rule-spec words (everything after `-A CHAIN` etc.). `hasChain` answers whether a
 * user chain exists, for `-j NAME`.
 */
export function parseRuleSpec(words: string[], table: string, hasChain: (n: string) => boolean): Rule {
  const r: Rule = { matches: [], target: { kind: "none" }, pkts: 0, bytes: 0 };
  let current: MatchInst | null = null;
  let targetMod: { mod: TargetModule<any>; data: any } | null = null;
  let neg = false;
  const val = (i: number, opt: string): string => {
    const v = words[i];
    if (v === undefined) throw new RuleError(`option "${opt}" requires an argument`);
    return v;
  };
  const loadMatch = (name: string): MatchInst => {
    const mod = MATCHES[name];
    if (!mod) throw new RuleError(`Couldn't load match \`${name}':No such file or directory`);
    const m = { mod, data: mod.init() };
    r.matches.push(m);
    return m;
  };
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === "!") {
      neg = true;
      continue;
    }
    const takeNeg = () => {
      const n = neg;
      neg = false;
      return n;
    };
    switch (w) {
      case "-s": case "--source": case "--src":
        r.src = parseAddr(val(++i, w), takeNeg());
        continue;
      case "-d": case "--destination": case "--dst":
        r.dst = parseAddr(val(++i, w), takeNeg());
        continue;
      case "-i": case "--in-interface":
        r.inIface = { name: val(++i, w), neg: takeNeg() };
        continue;
      case "-o": case "--out-interface":
        r.outIface = { name: val(++i, w), neg: takeNeg() };
        continue;
      case "-p": case "--protocol": {
        const v = val(++i, w).toLowerCase();
        const name = (Object.keys(PROTO_NUM) as Proto[]).find((p) => p === v || String(PROTO_NUM[p]) === v);
        const n = takeNeg();
        if (v === "all" || v === "0") continue;
        if (!name) throw new RuleError(`unknown protocol "${v}" specified`);
        r.proto = { name, neg: n };
        continue;
      }
      case "-m": case "--match":
        current = loadMatch(val(++i, w));
        continue;
      case "-j": case "--jump": case "-g": case "--goto": {
        const t = val(++i, w);
        const isGoto = w === "-g" || w === "--goto";
        if (STANDARD.includes(t) && !isGoto) r.target = { kind: "standard", name: t as "ACCEPT" };
        else if (hasChain(t)) r.target = { kind: "jump", chain: t, goto: isGoto };
        else if (TARGETS[t] && !isGoto) {
          const mod = TARGETS[t]!;
          if (mod.tables && !mod.tables.includes(table)) throw new RuleError(`Couldn't load target \`${t}':No such file or directory`);
          targetMod = { mod, data: mod.init() };
          r.target = { kind: "ext", ...targetMod };
        } else throw new RuleError(`Couldn't load target \`${t}':No such file or directory`);
        current = null;
        continue;
      }
    }
    if (w.startsWith("--")) {
      const opt = w.slice(2);
      const n = takeNeg();
      // Target options come after -j; match options belong to the latest -m, or load the
      // protocol's own match implicitly (-p tcp --dport 80 saves as -p tcp -m tcp --dport 80).
      if (targetMod && opt in targetMod.mod.options) {
        const e = targetMod.mod.parse(targetMod.data, opt, targetMod.mod.options[opt] ? val(++i, w) : undefined);
        if (e) throw new RuleError(e);
        continue;
      }
      let m = current && opt in current.mod.options ? current : r.matches.find((x) => opt in x.mod.options) ?? null;
      if (!m && r.proto && MATCHES[r.proto.name] && opt in MATCHES[r.proto.name]!.options) m = current = loadMatch(r.proto.name);
      if (!m) throw new RuleError(`unknown option "${w}"`);
      const e = m.mod.parse(m.data, opt, m.mod.options[opt] ? val(++i, w) : undefined, n);
      if (e) throw new RuleError(e);
      continue;
    }
    throw new RuleError(`Bad argument \`${w}'`);
  }
  for (const m of r.matches) {
    const e = m.mod.finish?.(m.data);
    if (e) throw new RuleError(e);
    if ((m.mod.name === "tcp" || m.mod.name === "udp" || m.mod.name === "icmp") && r.proto?.name !== m.mod.name) {
      throw new RuleError(`unknown option "--dport"`);
    }
  }
  if (targetMod) {
    const e = targetMod.mod.finish?.(targetMod.data);
    if (e) throw new RuleError(e);
  }
  return r;
}

function addr(a: AddrSpec): string {
  return `${fmtIp(a.ip)}/${a.prefix}`;
}

function neg(b: boolean): string {
  return b ? "! " : "";
}

/** The rule as iptables-save / iptables -S print it (after "-A CHAIN "). */
export function saveRule(r: Rule): string {
  const p: string[] = [];
  if (r.src) p.push(`${neg(r.src.neg)}-s ${addr(r.src)}`);
  if (r.dst) p.push(`${neg(r.dst.neg)}-d ${addr(r.dst)}`);
  if (r.inIface) p.push(`${neg(r.inIface.neg)}-i ${r.inIface.name}`);
  if (r.outIface) p.push(`${neg(r.outIface.neg)}-o ${r.outIface.name}`);
  if (r.proto) p.push(`${neg(r.proto.neg)}-p ${r.proto.name}`);
  for (const m of r.matches) {
    const s = m.mod.save(m.data);
    p.push(`-m ${m.mod.name}${s ? " " + s : ""}`);
  }
  const t = r.target;
  if (t.kind === "standard") p.push(`-j ${t.name}`);
  else if (t.kind === "jump") p.push(`${t.goto ? "-g" : "-j"} ${t.chain}`);
  else if (t.kind === "ext") {
    const s = t.mod.save(t.data);
    p.push(`-j ${t.mod.name}${s ? " " + s : ""}`);
  }
  return p.join(" ");
}

export function targetName(r: Rule): string {
  const t = r.target;
  return t.kind === "standard" ? t.name : t.kind === "jump" ? t.chain : t.kind === "ext" ? t.mod.name : "";
}

export interface ListFormat {
  numeric: boolean;
  verbose: boolean;
  exact: boolean;
  lineNumbers: boolean;
}

/** xtables_print_num: counters right-aligned in 5 columns, scaled to K/M/G unless -x. */
export function fmtNum(n: number, f: ListFormat): string {
  if (f.exact) return String(n).padStart(8) + " ";
  if (n <= 99999) return String(n).padStart(5) + " ";
  const units = ["K", "M", "G", "T"];
  let v = Math.floor(n / 1000);
  let u = 0;
  while (v > 9999 && u < units.length - 1) {
    v = Math.floor(v / 1000);
    u++;
  }
  return String(v).padStart(4) + units[u] + " ";
}

function listAddr(a: AddrSpec | undefined, f: ListFormat): string {
  if (!a) return f.numeric ? "0.0.0.0/0" : "anywhere";
  return `${a.neg ? "!" : ""}${fmtIp(a.ip)}${a.prefix === 32 ? "" : `/${a.prefix}`}`;
}

/** The header line under "Chain X (...)" in iptables -L. */
export function listHeader(f: ListFormat): string {
  let s = "";
  if (f.lineNumbers) s += "num".padEnd(4) + " ";
  if (f.verbose) s += f.exact ? "pkts".padStart(8) + " " + "bytes".padStart(10) + " " : " pkts bytes ";
  s += "target".padEnd(9) + " " + " prot " + "opt";
  if (f.verbose) s += " " + "in".padEnd(6) + " " + "out".padEnd(6) + " ";
  s += " " + "source".padEnd(19) + " " + " " + "destination".padEnd(19) + " ";
  return s;
}

/** One rule line of iptables -L (print_rule_details + addresses + each extension's print). */
export function listRule(r: Rule, num: number, f: ListFormat): string {
  let s = "";
  if (f.lineNumbers) s += String(num).padEnd(4) + " ";
  if (f.verbose) s += fmtNum(r.pkts, f) + fmtNum(r.bytes, f);
  s += targetName(r).padEnd(9) + " ";
  s += r.proto?.neg ? "!" : " ";
  const pn = r.proto ? r.proto.name : "all";
  s += (f.numeric ? String(r.proto ? PROTO_NUM[r.proto.name] : 0) : pn).padEnd(5);
  s += "-- ";
  if (f.verbose) {
    const ifc = (x: { name: string; neg: boolean } | undefined) => (x ? (x.neg ? "!" : "") + x.name : f.numeric ? "*" : "any");
    s += " " + ifc(r.inIface).padEnd(6) + " " + ifc(r.outIface).padEnd(6) + " ";
  }
  s += " " + listAddr(r.src, f).padEnd(19) + " ";
  s += " " + listAddr(r.dst, f).padEnd(19) + " ";
  for (const m of r.matches) s += " " + m.mod.list(m.data, f.numeric);
  if (r.target.kind === "ext") {
    const t = r.target.mod.list(r.target.data);
    if (t) s += " " + t;
  }
  if (r.target.kind === "jump" && r.target.goto) s += " [goto] ";
  return s;
}
