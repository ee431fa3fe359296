// kubectl describe node: the node's identity, conditions and resources, the per-pod requests and
// limits, and "Allocated resources" — the sums the scheduler compares a new pod's requests against.
import type { Node, Pod } from "../api/types";
import { annotationLines, labelLines } from "./describe-common";
import { humanDuration, rfc1123z } from "./printers";
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

/** "Taints:\tkey=value:Effect", sorted by effect then key, as printNodeTaintsMultiline. */
function taintLines(taints: NonNullable<Node["spec"]["taints"]>): string[] {
  if (!taints.length) return ["Taints:\t<none>"];
  const key = (t: (typeof taints)[number]) => `${t.effect},${t.key}`;
  return [...taints].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)).map((t, i) => `${i ? "" : "Taints:"}\t${t.key}${t.value ? `=${t.value}` : ""}:${t.effect}`);
}

/** A resource list, sorted by name: "  cpu:\t2". */
const resourceLines = (title: string, list: Record<string, string> | undefined) => (Object.keys(list ?? {}).length ? [`${title}:`, ...Object.keys(list!).sort().map((r) => `  ${r}:\t${list![r]}`)] : []);

/**
 * kubectl describe node, in the real describer's order (describeNode), as tab-separated lines
 * for the tabwriter: identity and taints, conditions, addresses, capacity and allocatable,
 * system info, the pod CIDR, then the pods on the node and the requests they add up to.
 */
export function describeNodeLines(n: Node, pods: Pod[], now: number): string[] {
  const info = n.status?.nodeInfo ?? {};
  const lines = [`Name:\t${n.metadata.name}`, "Roles:\t<none>", ...labelLines("Labels", n.metadata.labels), ...annotationLines("Annotations", n.metadata.annotations)];
  lines.push(`CreationTimestamp:\t${rfc1123z(n.metadata.creationTimestamp)}`, ...taintLines(n.spec.taints ?? []), `Unschedulable:\t${n.spec.unschedulable ? "true" : "false"}`);
  const conds = n.status?.conditions ?? [];
  if (conds.length) {
    lines.push("Conditions:", "  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage", "  ----\t------\t-----------------\t------------------\t------\t-------");
    lines.push(...conds.map((c) => `  ${c.type} \t${c.status} \t${rfc1123z(c.lastHeartbeatTime)} \t${rfc1123z(c.lastTransitionTime)} \t${c.reason ?? ""} \t${c.message ?? ""}`));
  }
  lines.push("Addresses:", ...(n.status?.addresses ?? []).map((a) => `  ${a.type}:\t${a.address}`));
  lines.push(...resourceLines("Capacity", n.status?.capacity), ...resourceLines("Allocatable", n.status?.allocatable));
  lines.push(
    "System Info:",
    `  Machine ID:\t${info.machineID ?? ""}`,
    `  System UUID:\t${info.systemUUID ?? ""}`,
    `  Boot ID:\t${info.bootID ?? ""}`,
    `  Kernel Version:\t${info.kernelVersion ?? ""}`,
    `  OS Image:\t${info.osImage ?? ""}`,
    `  Operating System:\t${info.operatingSystem ?? ""}`,
    `  Architecture:\t${info.architecture ?? ""}`,
    `  Container Runtime Version:\t${info.containerRuntimeVersion ?? ""}`,
    `  Kubelet Version:\t${info.kubeletVersion ?? ""}`,
  );
  if (n.spec.podCIDR) lines.push(`PodCIDR:\t${n.spec.podCIDR}`);
  if (n.spec.podCIDRs?.length) lines.push(`PodCIDRs:\t${n.spec.podCIDRs.join(",")}`);
  lines.push(...nodePodsLines(n, pods, now));
  return lines;
}

/** Non-terminated Pods with their requests and limits, then Allocated resources (describeNodeResource). */
export function nodePodsLines(n: Node, pods: Pod[], now: number): string[] {
  const alloc = n.status?.allocatable ?? n.status?.capacity ?? {};
  const live = pods.filter((p) => p.status?.phase !== "Succeeded" && p.status?.phase !== "Failed");
  const out = [`Non-terminated Pods:\t(${live.length} in total)`, "  Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge", "  ---------\t----\t\t------------\t----------\t---------------\t-------------\t---"];
  for (const p of live) {
    const age = p.metadata.creationTimestamp ? humanDuration(now - Date.parse(p.metadata.creationTimestamp)) : "<unknown>";
    const cells = [withPercent(podSum(p, "requests", "cpu"), q(alloc.cpu)), withPercent(podSum(p, "limits", "cpu"), q(alloc.cpu)), withPercent(podSum(p, "requests", "memory"), q(alloc.memory)), withPercent(podSum(p, "limits", "memory"), q(alloc.memory))];
    out.push(`  ${p.metadata.namespace ?? "default"}\t${p.metadata.name}\t\t${cells.join("\t")}\t${age}`);
  }
  out.push("Allocated resources:", "  (Total limits may be over 100 percent, i.e., overcommitted.)", "  Resource\tRequests\tLimits", "  --------\t--------\t------");
  for (const r of ["cpu", "memory", "ephemeral-storage"]) {
    const req = live.reduce((s, p) => s.add(podSum(p, "requests", r)), zero());
    const lim = live.reduce((s, p) => s.add(podSum(p, "limits", r)), zero());
    out.push(`  ${r}\t${withPercent(req, q(alloc[r]))}\t${withPercent(lim, q(alloc[r]))}`);
  }
  return out;
}
