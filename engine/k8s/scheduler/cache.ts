// The scheduler's cache, as kube-scheduler keeps one: NodeInfos kept up to date from the Pod
// and Node watches (a bound pod adds its requests to its node, a finished or deleted pod takes
// them away), and the set of pods still waiting for a node. Scheduling one pod then costs a
// pass over the nodes, not a fresh list of every pod in the cluster.
import type { ApiServer } from "../api/apiserver";
import type { Node, Pod } from "../api/types";
import { podRequests, quantityValue } from "./requests";
import type { NodeInfo, Resources } from "./types";

interface Placed {
  node: string;
  requests: Resources;
  nonZero: Resources;
}

const podKey = (p: Pod) => `${p.metadata.namespace ?? "default"}/${p.metadata.name}`;

/** Does a pod still hold its node's resources? (Succeeded and Failed pods do not.) */
const holdsResources = (p: Pod) => !!p.spec.nodeName && p.status?.phase !== "Succeeded" && p.status?.phase !== "Failed";

/** A pod the default scheduler must place. */
export const isPending = (p: Pod) => !p.spec.nodeName && !p.metadata.deletionTimestamp && (p.spec.schedulerName ?? "default-scheduler") === "default-scheduler";

/** A NodeInfo with nothing on it yet, from a Node object. */
export function emptyNodeInfo(n: Node): NodeInfo {
  const alloc = n.status?.allocatable ?? {};
  return {
    name: n.metadata.name,
    labels: n.metadata.labels ?? {},
    taints: n.spec.taints ?? [],
    unschedulable: !!n.spec.unschedulable,
    allocatable: { milliCPU: quantityValue(alloc.cpu, true), memory: quantityValue(alloc.memory), pods: quantityValue(alloc.pods ?? "110") },
    requested: { milliCPU: 0, memory: 0 },
    nonZeroRequested: { milliCPU: 0, memory: 0 },
    podCount: 0,
  };
}

export class SchedulerCache {
  private readonly nodes = new Map<string, NodeInfo>();
  private readonly placed = new Map<string, Placed>();
  /** Keys of pods waiting for a node, in the order they arrived. */
  readonly pending = new Set<string>();
  /** Node names in etcd key order (the order a list returns them), rebuilt when nodes come or go. */
  private order: NodeInfo[] | null = null;

  /** Apply one Node watch event. */
  onNode(type: "ADDED" | "MODIFIED" | "DELETED", n: Node): void {
    const name = n.metadata.name;
    if (type === "DELETED") {
      this.nodes.delete(name);
      this.order = null;
      return;
    }
    const old = this.nodes.get(name);
    const info = emptyNodeInfo(n);
    if (old) {
      info.requested = old.requested;
      info.nonZeroRequested = old.nonZeroRequested;
      info.podCount = old.podCount;
    } else {
      // Pods may have been bound to this name before its Node object appeared.
      for (const p of this.placed.values()) if (p.node === name) this.add(info, p, 1);
    }
    this.nodes.set(name, info);
    this.order = null;
  }

  /** Apply one Pod watch event. */
  onPod(type: "ADDED" | "MODIFIED" | "DELETED", p: Pod): void {
    const key = podKey(p);
    const before = this.placed.get(key);
    if (before) {
      const info = this.nodes.get(before.node);
      if (info) this.add(info, before, -1);
      this.placed.delete(key);
    }
    if (type !== "DELETED" && holdsResources(p)) {
      const now: Placed = { node: p.spec.nodeName!, requests: podRequests(p, false), nonZero: podRequests(p, true) };
      this.placed.set(key, now);
      const info = this.nodes.get(now.node);
      if (info) this.add(info, now, 1);
    }
    if (type !== "DELETED" && isPending(p)) this.pending.add(key);
    else this.pending.delete(key);
  }

  /** Every node's info, in name order (the same order a Node list has). */
  nodeInfos(): NodeInfo[] {
    this.order ??= [...this.nodes.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((n) => this.nodes.get(n)!);
    return this.order;
  }

  private add(info: NodeInfo, p: Placed, sign: 1 | -1): void {
    info.requested = { milliCPU: info.requested.milliCPU + sign * p.requests.milliCPU, memory: info.requested.memory + sign * p.requests.memory };
    info.nonZeroRequested = { milliCPU: info.nonZeroRequested.milliCPU + sign * p.nonZero.milliCPU, memory: info.nonZeroRequested.memory + sign * p.nonZero.memory };
    info.podCount += sign;
  }
}

/** A cache filled from the API server and kept current by its watches; stop() ends the watches. */
export function followCache(api: ApiServer): SchedulerCache & { stop: () => void } {
  const cache = new SchedulerCache();
  const unwatch = [api.watch<Node>("Node", (t, n) => cache.onNode(t, n)), api.watch<Pod>("Pod", (t, p) => cache.onPod(t, p))];
  for (const n of api.list<Node>("Node")) cache.onNode("ADDED", n);
  for (const p of api.list<Pod>("Pod")) cache.onPod("ADDED", p);
  return Object.assign(cache, { stop: () => unwatch.forEach((u) => u()) });
}
