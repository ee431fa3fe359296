// The neighbour (ARP) table: IPv4 address → MAC on a device. An entry is REACHABLE right after
// a confirmed exchange and turns STALE when not confirmed for base_reachable_time (30 s).
import { fmtIp } from "./ipv4";
import type { NetDevice } from "./link";

export interface Neighbour {
  ip: number;
  dev: NetDevice;
  mac: string | null;
  /** Virtual ms of the last confirmation. */
  confirmed: number;
  failed: boolean;
  permanent?: boolean;
}

const REACHABLE_MS = 30_000;

export class NeighTable {
  readonly entries = new Map<string, Neighbour>();

  private key(ip: number, dev: NetDevice): string {
    return `${dev.index}/${ip}`;
  }

  get(ip: number, dev: NetDevice): Neighbour | undefined {
    return this.entries.get(this.key(ip, dev));
  }

  set(ip: number, dev: NetDevice, mac: string | null, now: number): Neighbour {
    const n: Neighbour = { ip, dev, mac, confirmed: now, failed: mac === null };
    this.entries.set(this.key(ip, dev), n);
    return n;
  }

  state(n: Neighbour, now: number): string {
    if (n.permanent) return "PERMANENT";
    if (n.failed) return "FAILED";
    return now - n.confirmed <= REACHABLE_MS ? "REACHABLE" : "STALE";
  }

  flushDev(dev: NetDevice): void {
    for (const [k, n] of this.entries) if (n.dev === dev) this.entries.delete(k);
  }

  /** `ip neigh show` line. */
  fmt(n: Neighbour, now: number): string {
    return `${fmtIp(n.ip)} dev ${n.dev.name}${n.mac ? ` lladdr ${n.mac}` : ""} ${this.state(n, now)} `;
  }
}
