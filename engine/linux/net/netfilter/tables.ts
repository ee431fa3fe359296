// The four iptables tables of one network namespace, their chains, and the chain walk that
// runs at each netfilter hook. Evaluation is linear — rule after rule, jump after jump —
// which is exactly the cost iptables-mode kube-proxy pays per new connection.
import type { Trace } from "../trace";
import type { MatchCtx } from "./matches";
import type { Rule } from "./rule";
import { saveRule, targetName } from "./rule";
import type { NatSpec } from "./targets";

export type TableName = "raw" | "mangle" | "nat" | "filter";
export const TABLE_NAMES: TableName[] = ["raw", "mangle", "nat", "filter"];

export const BUILTIN_CHAINS: Record<TableName, string[]> = {
  raw: ["PREROUTING", "OUTPUT"],
  mangle: ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"],
  nat: ["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"],
  filter: ["INPUT", "FORWARD", "OUTPUT"],
};

export class Chain {
  rules: Rule[] = [];
  /** Built-in chains only. */
  policy: "ACCEPT" | "DROP" | null;
  policyPkts = 0;
  policyBytes = 0;
  constructor(
    readonly name: string,
    readonly builtin: boolean,
  ) {
    this.policy = builtin ? "ACCEPT" : null;
  }
}

export class Table {
  readonly chains = new Map<string, Chain>();
  /** iptables-nft creates a table on first use; iptables-save prints only tables that exist. */
  used = false;
  constructor(readonly name: TableName) {
    for (const c of BUILTIN_CHAINS[name]) this.chains.set(c, new Chain(c, true));
  }

  /** Built-in chains in hook order, then user chains by name (as iptables-save lists them). */
  ordered(): Chain[] {
    const all = [...this.chains.values()];
    return [...all.filter((c) => c.builtin), ...all.filter((c) => !c.builtin).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))];
  }

  references(name: string): number {
    let n = 0;
    for (const c of this.chains.values()) for (const r of c.rules) if (r.target.kind === "jump" && r.target.chain === name) n++;
    return n;
  }
}

export interface HookResult {
  verdict: "ACCEPT" | "DROP" | "REJECT";
  rejectWith?: string;
  nat?: NatSpec;
  /** Rules tested on the way (the linear cost of iptables). */
  evaluated: number;
}

/** Walk a built-in chain and whatever it jumps to (ipt_do_table). */
export function runChain(table: Table, chainName: string, c: MatchCtx, trace: Trace | null): HookResult {
  const stack: { chain: Chain; pos: number }[] = [];
  let chain = table.chains.get(chainName)!;
  let pos = 0;
  let evaluated = 0;
  const len = c.skb.pkt.len;
  const host = c.stack.hostName;
  const netns = c.stack.nsInode;
  trace?.add({ kind: "chain", host, netns, table: table.name, chain: chainName, hook: c.hook });
  for (;;) {
    if (pos >= chain.rules.length) {
      // End of a user chain returns to the caller; end of a built-in chain applies its policy.
      const back = stack.pop();
      if (back) {
        chain = back.chain;
        pos = back.pos;
        continue;
      }
      const base = table.chains.get(chainName)!;
      base.policyPkts++;
      base.policyBytes += len;
      trace?.add({ kind: "policy", table: table.name, chain: chainName, verdict: base.policy ?? "ACCEPT" });
      return { verdict: base.policy ?? "ACCEPT", evaluated };
    }
    const rule = chain.rules[pos]!;
    pos++;
    evaluated++;
    const hit = matches(rule, c);
    if (trace?.rules) trace.add({ kind: "rule", table: table.name, chain: chain.name, num: pos, rule: `-A ${chain.name} ${saveRule(rule)}`, matched: hit });
    if (!hit) continue;
    rule.pkts++;
    rule.bytes += len;
    const t = rule.target;
    if (t.kind === "none") continue;
    if (t.kind === "standard") {
      if (t.name === "RETURN") {
        const back = stack.pop();
        if (back) {
          chain = back.chain;
          pos = back.pos;
          continue;
        }
        const base = table.chains.get(chainName)!;
        base.policyPkts++;
        base.policyBytes += len;
        return { verdict: base.policy ?? "ACCEPT", evaluated };
      }
      trace?.add({ kind: "verdict", table: table.name, chain: chain.name, verdict: t.name });
      return { verdict: t.name, evaluated };
    }
    if (t.kind === "jump") {
      const next = table.chains.get(t.chain);
      if (!next) continue;
      if (!t.goto) stack.push({ chain, pos });
      chain = next;
      pos = 0;
      trace?.add({ kind: "chain", host, netns, table: table.name, chain: next.name, hook: c.hook });
      continue;
    }
    const res = t.mod.run(t.data, c);
    if (res.kind === "continue") continue;
    trace?.add({ kind: "verdict", table: table.name, chain: chain.name, verdict: targetName(rule) });
    if (res.kind === "verdict") return { verdict: res.verdict, evaluated };
    if (res.kind === "reject") return { verdict: "REJECT", rejectWith: res.with, evaluated };
    return { verdict: "ACCEPT", nat: res.nat, evaluated };
  }
}

function ifaceMatch(spec: { name: string; neg: boolean } | undefined, dev: string | undefined): boolean {
  if (!spec) return true;
  const n = spec.name;
  const hit = dev !== undefined && (n.endsWith("+") ? dev.startsWith(n.slice(0, -1)) : dev === n);
  return hit !== spec.neg;
}

function addrMatch(spec: { ip: number; prefix: number; neg: boolean } | undefined, ip: number): boolean {
  if (!spec) return true;
  const mask = spec.prefix === 0 ? 0 : (0xffffffff << (32 - spec.prefix)) >>> 0;
  return (((ip & mask) >>> 0) === spec.ip) !== spec.neg;
}

function matches(r: Rule, c: MatchCtx): boolean {
  const p = c.skb.pkt;
  if (!addrMatch(r.src, p.src) || !addrMatch(r.dst, p.dst)) return false;
  if (r.proto && (p.proto === r.proto.name) === r.proto.neg) return false;
  if (!ifaceMatch(r.inIface, c.skb.inDev?.name)) return false;
  if (!ifaceMatch(r.outIface, c.skb.outDev?.name)) return false;
  for (const m of r.matches) if (!m.mod.test(m.data, c)) return false;
  return true;
}

export class Netfilter {
  readonly tables: Record<TableName, Table> = { raw: new Table("raw"), mangle: new Table("mangle"), nat: new Table("nat"), filter: new Table("filter") };
}
