// A Linux bridge: a software switch. It learns which port each source MAC was seen on (the
// forwarding database) and sends a frame to that port, or floods it to all ports when the
// destination is unknown. The bridge device itself is also a port into the host's IP stack.
import type { NetDevice } from "./link";

export interface FdbEntry {
  mac: string;
  port: NetDevice;
  /** The port's own address: permanent, never ages out. */
  local: boolean;
  updated: number;
}

export class BridgeState {
  readonly fdb = new Map<string, FdbEntry>();
  /** A MAC set with `ip link set br0 address`; otherwise the bridge takes its lowest port MAC. */
  fixedMac = false;

  constructor(readonly dev: NetDevice) {}

  ports(): NetDevice[] {
    return [...this.dev.stack.devices.values()].filter((d) => d.master === this.dev);
  }

  /** br_fdb_update: remember that `mac` lives behind `port`. */
  learn(mac: string, port: NetDevice, now: number): void {
    const e = this.fdb.get(mac);
    if (e?.local) return;
    this.fdb.set(mac, { mac, port, local: false, updated: now });
  }

  /** The port a frame to `mac` leaves by; "local" when it is for the bridge's own stack. */
  lookup(mac: string): NetDevice | "local" | null {
    if (mac === this.dev.mac) return "local";
    for (const p of this.ports()) if (p.mac === mac) return "local";
    return this.fdb.get(mac)?.port ?? null;
  }

  /** Port joined or left: bridge MAC follows the lowest port MAC (br_stp_recalculate_bridge_id). */
  recalcMac(): void {
    if (this.fixedMac) return;
    const macs = this.ports().map((p) => p.mac).sort();
    if (macs[0]) this.dev.mac = macs[0];
  }

  forget(port: NetDevice): void {
    for (const [m, e] of this.fdb) if (e.port === port) this.fdb.delete(m);
  }
}
