// Target extensions: what happens to a packet a rule matched. Standard verdicts and jumps
// are handled by the chain walker; these are the xt_* targets with options.
import { fmtIp, parseIp } from "../ipv4";
import { fmtHex, quote } from "./matches";
import type { MatchCtx } from "./matches";

export type TargetResult =
  | { kind: "continue" }
  | { kind: "verdict"; verdict: "ACCEPT" | "DROP" }
  | { kind: "reject"; with: string }
  | { kind: "nat"; nat: NatSpec };

export interface NatSpec {
  type: "DNAT" | "SNAT" | "MASQUERADE";
  ip?: number;
  port?: number;
}

export interface TargetModule<D = Record<string, unknown>> {
  name: string;
  options: Record<string, boolean>;
  /** Tables (and hooks) where the target is valid. */
  tables?: string[];
  init(): D;
  parse(d: D, opt: string, val: string | undefined): string | void;
  finish?(d: D): string | void;
  save(d: D): string;
  list(d: D): string;
  run(d: D, c: MatchCtx): TargetResult;
}

export const REJECT_TYPES = ["icmp-net-unreachable", "icmp-host-unreachable", "icmp-port-unreachable", "icmp-proto-unreachable", "icmp-net-prohibited", "icmp-host-prohibited", "icmp-admin-prohibited", "tcp-reset"];
const REJECT_ALIASES: Record<string, string> = { "net-unreach": "icmp-net-unreachable", "host-unreach": "icmp-host-unreachable", "port-unreach": "icmp-port-unreachable", "proto-unreach": "icmp-proto-unreachable", "net-prohib": "icmp-net-prohibited", "host-prohib": "icmp-host-prohibited", "admin-prohib": "icmp-admin-prohibited", "tcp-rst": "tcp-reset" };

const REJECT: TargetModule<{ with: string }> = {
  name: "REJECT",
  options: { "reject-with": true },
  tables: ["filter", "mangle", "raw"],
  init: () => ({ with: "icmp-port-unreachable" }),
  parse(d, _o, v) {
    const t = REJECT_ALIASES[v!] ?? v!;
    if (!REJECT_TYPES.includes(t)) return `unknown reject type "${v}"`;
    d.with = t;
  },
  save: (d) => `--reject-with ${d.with}`,
  list: (d) => `reject-with ${d.with}`,
  run: (d) => ({ kind: "reject", with: d.with }),
};

function parseHostPort(v: string): { ip?: number; port?: number } | null {
  const [h, p] = v.split(":");
  const ip = h ? parseIp(h) : undefined;
  if (ip === null) return null;
  const port = p === undefined ? undefined : Number(p.split("-")[0]);
  if (port !== undefined && !(port > 0 && port <= 65535)) return null;
  return { ip, port };
}

function hostPort(ip?: number, port?: number): string {
  return `${ip !== undefined ? fmtIp(ip) : ""}${port !== undefined ? `:${port}` : ""}`;
}

function natTarget(type: "DNAT" | "SNAT"): TargetModule<{ ip?: number; port?: number; random?: boolean; persistent?: boolean }> {
  const opt = type === "DNAT" ? "to-destination" : "to-source";
  return {
    name: type,
    options: { [opt]: true, random: false, persistent: false, "random-fully": false },
    tables: ["nat"],
    init: () => ({}),
    parse(d, o, v) {
      if (o === "random" || o === "random-fully") d.random = true;
      else if (o === "persistent") d.persistent = true;
      else {
        const hp = parseHostPort(v!);
        if (!hp) return `Bad IP address "${v}"`;
        Object.assign(d, hp);
      }
    },
    finish: (d) => (d.ip === undefined && d.port === undefined ? `${type}: option "--${opt}" required` : undefined),
    save: (d) => `--${opt} ${hostPort(d.ip, d.port)}${d.random ? " --random" : ""}${d.persistent ? " --persistent" : ""}`,
    list: (d) => `to:${hostPort(d.ip, d.port)}${d.random ? " random" : ""}${d.persistent ? " persistent" : ""}`,
    run: (d) => ({ kind: "nat", nat: { type, ip: d.ip, port: d.port } }),
  };
}

const MASQUERADE: TargetModule<{ ports?: string; random?: boolean; fully?: boolean }> = {
  name: "MASQUERADE",
  options: { "to-ports": true, random: false, "random-fully": false },
  tables: ["nat"],
  init: () => ({}),
  parse(d, o, v) {
    if (o === "to-ports") d.ports = v;
    else if (o === "random") d.random = true;
    else d.fully = true;
  },
  save: (d) => [d.ports && `--to-ports ${d.ports}`, d.random && "--random", d.fully && "--random-fully"].filter(Boolean).join(" "),
  list: (d) => [d.ports && `masq ports: ${d.ports}`, d.random && "random", d.fully && "random-fully"].filter(Boolean).join(" "),
  run: (d) => ({ kind: "nat", nat: { type: "MASQUERADE", port: d.ports ? Number(d.ports.split("-")[0]) : undefined } }),
};

/** MARK: every form is stored as "set-xmark value/mask" (new = (old & ~mask) ^ value), as the kernel does. */
const MARK: TargetModule<{ value: number; mask: number; set: boolean }> = {
  name: "MARK",
  options: { "set-mark": true, "set-xmark": true, "or-mark": true, "and-mark": true, "xor-mark": true },
  init: () => ({ value: 0, mask: 0, set: false }),
  parse(d, o, v) {
    const [a, b] = v!.split("/");
    const val = Number(a) >>> 0;
    const m = b === undefined ? 0xffffffff : Number(b) >>> 0;
    if (Number.isNaN(Number(a))) return `Bad MARK value "${v}"`;
    d.set = true;
    if (o === "set-xmark") [d.value, d.mask] = [val, m];
    else if (o === "set-mark") [d.value, d.mask] = [val, m];
    else if (o === "or-mark") [d.value, d.mask] = [val, val];
    else if (o === "and-mark") [d.value, d.mask] = [0, ~val >>> 0];
    else [d.value, d.mask] = [val, 0];
  },
  finish: (d) => (d.set ? undefined : "MARK target: Parameter --set/and/or/xor-mark is required"),
  save: (d) => `--set-xmark ${fmtHex(d.value)}/${fmtHex(d.mask)}`,
  list(d) {
    if (d.mask === 0xffffffff) return `MARK set ${fmtHex(d.value)}`;
    if (d.value === d.mask) return `MARK or ${fmtHex(d.value)}`;
    if (d.mask === 0) return `MARK xor ${fmtHex(d.value)}`;
    if (d.value === 0) return `MARK and ${fmtHex(~d.mask >>> 0)}`;
    return `MARK xset ${fmtHex(d.value)}/${fmtHex(d.mask)}`;
  },
  run(d, c) {
    c.skb.mark = ((c.skb.mark & ~d.mask) ^ d.value) >>> 0;
    return { kind: "continue" };
  },
};

const LOG: TargetModule<{ prefix: string; level: number }> = {
  name: "LOG",
  options: { "log-prefix": true, "log-level": true, "log-uid": false, "log-tcp-sequence": false, "log-tcp-options": false, "log-ip-options": false },
  init: () => ({ prefix: "", level: 4 }),
  parse(d, o, v) {
    if (o === "log-prefix") d.prefix = v!;
    else if (o === "log-level") d.level = Number(v);
  },
  save: (d) => [d.prefix && `--log-prefix ${quote(d.prefix)}`, d.level !== 4 && `--log-level ${d.level}`].filter(Boolean).join(" "),
  list: (d) => `LOG flags 0 level ${d.level}${d.prefix ? ` prefix "${d.prefix}"` : ""}`,
  run(d, c) {
    c.stack.logPacket(d.prefix, c.skb);
    return { kind: "continue" };
  },
};

/** TRACE (raw table): from here on every rule the packet meets is logged (nf_log / xtables-monitor). */
const TRACE: TargetModule<Record<string, never>> = {
  name: "TRACE",
  options: {},
  tables: ["raw"],
  init: () => ({}),
  parse: () => undefined,
  save: () => "",
  list: () => "",
  run(_d, c) {
    (c.skb as { traced?: boolean }).traced = true;
    return { kind: "continue" };
  },
};

export const TARGETS: Record<string, TargetModule<any>> = {
  REJECT, DNAT: natTarget("DNAT"), SNAT: natTarget("SNAT"), MASQUERADE, MARK, LOG, TRACE,
};
