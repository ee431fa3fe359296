// The resource sections of `kubectl describe node`: Allocatable, the per-pod requests and limits,
// and "Allocated resources" — the sums the scheduler compares a new pod's requests against.
import type { Node, Pod } from "../api/types";
import { humanDuration } from "./printers";
import { parseQuantity, Quantity } from "../quantity";

const zero = (): Quantity => parseQuantity("0");

function q(v: string | number | undefined): Quantity {
  if (v === undefined) return zero();
  try {
    return parseQuantity(String(v));
  } catch {
    return zero();
  }
}

/** Sum of a pod's container requests or limits for one resource (as PodRequestsAndLimits). */
function podSum(p: Pod, field: "requests" | "limits", resource: string): Quantity {
  let sum = zero();
  for (const c of p.spec.containers) sum = sum.add(q(c.resources?.[field]?.[resource]));
  for (const c of p.spec.initContainers ?? []) {
    const v = q(c.resources?.[field]?.[resource]);
    if (v.cmp(sum) > 0) sum = v;
  }
  return sum;
}

/** "500m (25%)": the percentage is truncated, as kubectl's int64(float64(req)/float64(alloc)*100). */
function withPercent(v: Quantity, alloc: Quantity): string {
  const a = alloc.milliValue();
  const pct = a === 0 ? 0 : Math.trunc((v.milliValue() / a) * 100);
  return `${v.isZero() ? "0" : v.toString()} (${pct}%)`;
}

function table(rows: string[][], indent = "  "): string[] {
  const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => (indent + r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(w[i]! + 2))).join("")).trimEnd());
}

export function allocatableLines(n: Node): string[] {
  return ["Allocatable:", ...Object.entries(n.status?.allocatable ?? {}).map(([a, b]) => `  ${a}:  ${b}`)];
}

/** Non-terminated Pods with their requests and limits, then Allocated resources. */
export function nodePodsLines(n: Node, pods: Pod[], now: number): string[] {
  const alloc = n.status?.allocatable ?? {};
  const live = pods.filter((p) => p.status?.phase !== "Succeeded" && p.status?.phase !== "Failed");
  const out = [`Non-terminated Pods:          (${live.length} in total)`];
  if (live.length) {
    const rows = [["Namespace", "Name", "CPU Requests", "CPU Limits", "Memory Requests", "Memory Limits", "Age"], ["---------", "----", "------------", "----------", "---------------", "-------------", "---"]];
    for (const p of live) {
      const age = p.metadata.creationTimestamp ? humanDuration(now - Date.parse(p.metadata.creationTimestamp)) : "<unknown>";
      rows.push([p.metadata.namespace ?? "default", p.metadata.name, withPercent(podSum(p, "requests", "cpu"), q(alloc.cpu)), withPercent(podSum(p, "limits", "cpu"), q(alloc.cpu)), withPercent(podSum(p, "requests", "memory"), q(alloc.memory)), withPercent(podSum(p, "limits", "memory"), q(alloc.memory)), age]);
    }
    out.push(...table(rows));
  }
  out.push("Allocated resources:", "  (Total limits may be over 100 percent, i.e., overcommitted.)");
  const rows = [["Resource", "Requests", "Limits"], ["--------", "--------", "------"]];
  for (const r of ["cpu", "memory", "ephemeral-storage"]) {
    const req = live.reduce((s, p) => s.add(podSum(p, "requests", r)), zero());
    const lim = live.reduce((s, p) => s.add(podSum(p, "limits", r)), zero());
    rows.push([r, withPercent(req, q(alloc[r])), withPercent(lim, q(alloc[r]))]);
  }
  out.push(...table(rows));
  return out;
}

