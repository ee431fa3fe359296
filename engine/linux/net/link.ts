// Network devices (struct net_device): a name and index in one namespace, an admin state
// (IFF_UP) and a carrier (IFF_LOWER_UP). A device can be up yet have no carrier — a veth whose
// peer is down prints <NO-CARRIER,...,UP> and state DOWN — which is why those are two fields.
import type { NetStack } from "./stack";
import { fmtIp } from "./ipv4";

export type LinkKind = "loopback" | "ether" | "veth" | "bridge";

export interface IfAddr {
  ip: number;
  prefix: number;
  /** Broadcast address, only when given (`ip addr add ... brd +`) or for the host's NIC. */
  brd?: number;
  scope: "host" | "global" | "link";
}

export interface Counters {
  packets: number;
  bytes: number;
}

/** The L2 segment a physical NIC is cabled to (engine/hardware/wire.ts). */
export interface WireLike {
  deliver(from: NetDevice, frame: import("./packet").Frame, walk: import("./stack").Walk): void;
  /** The other NICs on the segment (who hears a broadcast). */
  peers(d: NetDevice): NetDevice[];
}

export class NetDevice {
  up = false;
  addrs: IfAddr[] = [];
  /** veth: the other end (possibly in another namespace). */
  peer: NetDevice | null = null;
  /** A bridge port: the bridge it is enslaved to. */
  master: NetDevice | null = null;
  /** Bridge port flags (bridge link set ... hairpin on). */
  hairpin = false;
  /** The physical NIC's attachment to a wire between hosts. */
  wire: WireLike | null = null;
  rx: Counters = { packets: 0, bytes: 0 };
  tx: Counters = { packets: 0, bytes: 0 };

  constructor(
    public stack: NetStack,
    public index: number,
    public name: string,
    readonly kind: LinkKind,
    public mac: string,
    public mtu: number,
  ) {}

  /** Has a carrier: loopback and bridges when up, a veth when both ends are up, a NIC when cabled. */
  get carrier(): boolean {
    if (!this.up) return false;
    switch (this.kind) {
      case "veth":
        return !!this.peer && this.peer.up;
      case "ether":
        return this.wire !== null;
      case "bridge":
        // A bridge has a carrier while at least one of its ports has one.
        for (const d of this.stack.devices.values()) if (d.master === this && d.carrier) return true;
        return false;
      default:
        return true;
    }
  }

  /** Operational state as `ip link` prints it (RFC 2863 operstate). */
  get operstate(): "UP" | "DOWN" | "UNKNOWN" {
    if (this.kind === "loopback") return this.up ? "UNKNOWN" : "DOWN";
    return this.carrier ? "UP" : "DOWN";
  }

  hasIp(ip: number): boolean {
    return this.addrs.some((a) => a.ip === ip);
  }

  get primaryIp(): number | undefined {
    return this.addrs.find((a) => a.scope !== "host")?.ip ?? this.addrs[0]?.ip;
  }

  toString(): string {
    return `${this.name}(${this.addrs.map((a) => fmtIp(a.ip)).join(",")})`;
  }
}

/** A locally administered unicast MAC from the kernel's seeded random numbers (eth_random_addr). */
export function randomMac(next: () => number): string {
  const b: number[] = [];
  for (let i = 0; i < 6; i++) b.push(Math.floor(next() * 256));
  b[0] = (b[0]! & 0xfe) | 0x02;
  return b.map((x) => x.toString(16).padStart(2, "0")).join(":");
}

export const BROADCAST_MAC = "ff:ff:ff:ff:ff:ff";
