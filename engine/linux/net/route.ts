// The FIB (main table): connected routes the kernel adds for each address (proto kernel,
// scope link), and routes added by `ip route add` (static, default, via a gateway).
// Lookup is longest prefix match, like fib_table_lookup.
import { fmtIp, inPrefix, network } from "./ipv4";
import type { NetDevice } from "./link";

export interface Route {
  dst: number;
  prefix: number;
  dev: NetDevice;
  via?: number;
  src?: number;
  proto: "kernel" | "boot" | "static";
  scope: "link" | "global" | "host";
  metric?: number;
}

export class Fib {
  /** Routes added by hand (or by a CNI plugin); connected routes are derived from addresses. */
  readonly static: Route[] = [];

  constructor(private readonly devices: () => Iterable<NetDevice>) {}

  /** Connected routes: one per address on an admin-up device (even without carrier: `linkdown`). */
  connected(): Route[] {
    const out: Route[] = [];
    for (const d of this.devices()) {
      if (!d.up || d.kind === "loopback") continue;
      for (const a of d.addrs) {
        if (a.prefix === 32 || a.scope === "host") continue;
        out.push({ dst: network(a.ip, a.prefix), prefix: a.prefix, dev: d, src: a.ip, proto: "kernel", scope: "link" });
      }
    }
    return out;
  }

  /** The main table in the order `ip route` prints it: default first, then by prefix address. */
  all(): Route[] {
    const seen = new Set<string>();
    const rs = [...this.static, ...this.connected()].filter((r) => {
      const k = `${r.dst}/${r.prefix} ${r.dev.index} ${r.metric ?? 0}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
    return rs.sort((a, b) => (a.prefix === 0 ? -1 : b.prefix === 0 ? 1 : a.dst - b.dst || a.prefix - b.prefix || (a.metric ?? 0) - (b.metric ?? 0)));
  }

  /** Longest prefix match, lowest metric on ties. */
  lookup(dst: number): Route | null {
    let best: Route | null = null;
    for (const r of [...this.connected(), ...this.static]) {
      if (!r.dev.up || !inPrefix(dst, r.dst, r.prefix)) continue;
      if (!best || r.prefix > best.prefix || (r.prefix === best.prefix && (r.metric ?? 0) < (best.metric ?? 0))) best = r;
    }
    return best;
  }

  /** The kernel drops routes through a device that goes down (fib_sync_down_dev). */
  flushDev(dev: NetDevice): void {
    for (let i = this.static.length - 1; i >= 0; i--) if (this.static[i]!.dev === dev) this.static.splice(i, 1);
  }
}

export function fmtRouteDst(r: Route): string {
  return r.prefix === 0 ? "default" : r.prefix === 32 ? fmtIp(r.dst) : `${fmtIp(r.dst)}/${r.prefix}`;
}

/** One line of `ip route show` (iproute2 ends each line with a space). */
export function fmtRoute(r: Route): string {
  let s = fmtRouteDst(r);
  if (r.via !== undefined) s += ` via ${fmtIp(r.via)}`;
  s += ` dev ${r.dev.name}`;
  if (r.proto !== "boot") s += ` proto ${r.proto}`;
  if (r.scope !== "global") s += ` scope ${r.scope}`;
  if (r.src !== undefined) s += ` src ${fmtIp(r.src)}`;
  if (r.metric) s += ` metric ${r.metric}`;
  if (!r.dev.carrier) s += " linkdown";
  return s + " ";
}
