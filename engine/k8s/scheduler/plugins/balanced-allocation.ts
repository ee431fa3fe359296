// NodeResourcesBalancedAllocation: prefer nodes whose CPU and memory would be used in the same
// proportion (actual requests, no defaults): score = floor((1 - std) * 100).
import type { ScorePlugin } from "../types";
import { MAX_NODE_SCORE } from "../types";

export function balancedScore(fractions: number[]): number {
  const f = fractions.map((x) => Math.min(x, 1));
  let std = 0;
  if (f.length === 2) std = Math.abs(f[0]! - f[1]!) / 2;
  else if (f.length > 2) {
    const mean = f.reduce((s, x) => s + x, 0) / f.length;
    std = Math.sqrt(f.reduce((s, x) => s + (x - mean) ** 2, 0) / f.length);
  }
  return Math.floor((1 - std) * MAX_NODE_SCORE);
}

export const balancedAllocation: ScorePlugin = {
  name: "NodeResourcesBalancedAllocation",
  weight: 1,
  score(pod, node) {
    const fractions: number[] = [];
    for (const r of ["milliCPU", "memory"] as const) {
      const alloc = node.allocatable[r];
      if (alloc > 0) fractions.push((node.requested[r] + pod.requests[r]) / alloc);
    }
    return balancedScore(fractions);
  },
};
