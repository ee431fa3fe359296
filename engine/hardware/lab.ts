// A lab: several Linux machines on one Ethernet segment, sharing one virtual clock and one
// event log — enough for "a second host and a route between pod subnets".
import type { EngineEvent } from "../api";
import { createHost } from "../linux/host";
import type { Host } from "../linux/host";
import type { Kernel } from "../linux/kernel";
import { configureNic, netOf } from "../linux/net/registry";
import { Clock } from "../sim/clock";
import { EventLog } from "../sim/events";
import { Wire } from "./wire";

export interface LabOptions {
  /** Hostnames, e.g. ["node-1", "node-2"]. */
  hosts: string[];
  seed?: number;
  /** The segment's network; host i gets .(11 + i). Default 192.168.56.0/24. */
  subnet?: string;
}

export interface Lab {
  readonly hosts: Host[];
  host(name: string): Host;
  /** Advance the shared virtual time; every host's programs run as their timers fire. */
  tick(ms: number): void;
  settle(): void;
  on(type: "event", fn: (e: EngineEvent) => void): () => void;
  events(): readonly EngineEvent[];
  readonly wire: Wire;
}

export function createLab(opts: LabOptions): Lab {
  const clock = new Clock();
  const events = new EventLog();
  const wire = new Wire();
  const base = (opts.subnet ?? "192.168.56.0/24").split("/")[0]!.split(".").slice(0, 3).join(".");
  const kernels: Kernel[] = [];
  const hosts = opts.hosts.map((name, i) =>
    createHost({
      hostname: name,
      seed: (opts.seed ?? 1) * 1000 + i,
      clock,
      events,
      beforeBoot: (k) => {
        kernels.push(k);
        const mac = `52:54:00:12:34:${(0x56 + i).toString(16).padStart(2, "0")}`;
        // Like a VM on a host-only network: a default route via .1, the segment's router.
        configureNic(k, { cidr: `${base}.${11 + i}/24`, mac, wire, gateway: `${base}.1` });
      },
    }),
  );
  // Cable every NIC now: a host that never used its network must still answer ARP.
  for (const k of kernels) netOf(k, k.initNs.net);
  for (const k of kernels) k.world = kernels;
  const runAll = () => kernels[0]?.runWorld();
  return {
    hosts,
    wire,
    host(name) {
      const h = hosts.find((x) => x.name === name);
      if (!h) throw new Error(`no host ${name} in this lab`);
      return h;
    },
    tick(ms) {
      runAll();
      clock.advanceTo(clock.now() + Math.max(0, ms), runAll);
      runAll();
    },
    settle() {
      const limit = clock.now() + 60_000;
      runAll();
      while (clock.fireNext(limit)) runAll();
    },
    on: (_t, fn) => events.subscribe(fn),
    events: () => events.all(),
  };
}
