// NodeResourcesFit: requests (never limits) decide whether a pod fits; LeastAllocated
// scoring prefers the node with the most room left.
import type { FilterPlugin, NodeInfo, PodInfo, ScorePlugin } from "../types";
import { MAX_NODE_SCORE } from "../types";

export const nodeResourcesFitFilter: FilterPlugin = {
  name: "NodeResourcesFit",
  filter(pod, node) {
    const reasons: string[] = [];
    if (node.podCount + 1 > node.allocatable.pods) reasons.push("Too many pods");
    if (pod.requests.milliCPU > 0 && pod.requests.milliCPU > node.allocatable.milliCPU - node.requested.milliCPU) reasons.push("Insufficient cpu");
    if (pod.requests.memory > 0 && pod.requests.memory > node.allocatable.memory - node.requested.memory) reasons.push("Insufficient memory");
    return reasons.length ? { ok: false, reason: reasons.join(", ") } : { ok: true };
  },
};

/** floor((allocatable - requested) * 100 / allocatable); 0 when over-requested or nothing allocatable. */
export function leastAllocated(requested: number, allocatable: number): number {
  if (allocatable === 0 || requested > allocatable) return 0;
  return Math.floor(((allocatable - requested) * MAX_NODE_SCORE) / allocatable);
}

export function mostAllocated(requested: number, allocatable: number): number {
  if (allocatable === 0) return 0;
  return Math.floor((Math.min(requested, allocatable) * MAX_NODE_SCORE) / allocatable);
}

/** The node score: integer mean over cpu and memory of the per-resource score (weights 1 and 1). */
export function resourceScore(pod: PodInfo, node: NodeInfo, per: (req: number, alloc: number) => number): number {
  let sum = 0;
  let weights = 0;
  for (const r of ["milliCPU", "memory"] as const) {
    const alloc = node.allocatable[r];
    if (alloc === 0) continue;
    sum += per(node.nonZeroRequested[r] + pod.nonZeroRequests[r], alloc);
    weights += 1;
  }
  return weights ? Math.floor(sum / weights) : 0;
}

export const nodeResourcesFitScore: ScorePlugin = {
  name: "NodeResourcesFit",
  weight: 1,
  score: (pod, node) => resourceScore(pod, node, leastAllocated),
};
