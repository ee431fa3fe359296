// The resource metrics API (metrics.k8s.io/v1beta1) that `kubectl top` reads. On a real cluster
// metrics-server scrapes every kubelet's /metrics/resource, which the kubelet fills from the
// cgroups of the node (cAdvisor). Here the same numbers come straight from each node kernel's
// cgroup v2 tree: CPU is the cgroup's usage rate over the last one-second window (cpu.stat
// usage_usec), memory its working set (memory.current). A node whose kubelet is not running
// has no metrics, exactly like a node metrics-server cannot scrape; with no kubelet answering
// at all the API is unavailable.
import type { Kernel } from "../../linux/kernel";
import type { Cgroup } from "../../linux/cgroup";
import { systemdOf } from "../../linux/systemd";
import type { ClusterContext } from "../components/context";
import { podCgroup } from "../components/kubelet";
import type { Node, Pod } from "./types";

export interface Usage {
  /** CPU in millicores. */
  cpuMilli: number;
  /** Working set in bytes. */
  memoryBytes: number;
}

export interface NodeMetrics extends Usage {
  name: string;
}

export interface ContainerMetrics extends Usage {
  name: string;
}

export interface PodMetrics extends Usage {
  namespace: string;
  name: string;
  containers: ContainerMetrics[];
}

export class MetricsUnavailable extends Error {}

function kubeletUp(k: Kernel): boolean {
  return systemdOf(k).units.get("kubelet")?.state === "active";
}

function usageOf(cg: Cgroup | undefined): Usage {
  return { cpuMilli: Math.round((cg?.cpu.recentPercent ?? 0) * 10), memoryBytes: cg?.memory.current ?? 0 };
}

/** Kernels of the nodes whose kubelet answers a scrape. */
function scrapeable(c: ClusterContext): Map<string, Kernel> {
  const out = new Map<string, Kernel>();
  for (const n of c.api.list<Node>("Node")) {
    const k = c.kernels.get(n.metadata.name);
    if (k && kubeletUp(k)) out.set(n.metadata.name, k);
  }
  return out;
}

/** Throws MetricsUnavailable when no kubelet can be scraped (the APIService is not available). */
export function nodeMetrics(c: ClusterContext): NodeMetrics[] {
  const nodes = scrapeable(c);
  if (!nodes.size) throw new MetricsUnavailable("Metrics API not available");
  return [...nodes].map(([name, k]) => ({ name, ...usageOf(k.cgroups.get("/")) }));
}

/** Metrics of running pods (one namespace, or all when namespace is undefined). */
export function podMetrics(c: ClusterContext, namespace?: string): PodMetrics[] {
  const nodes = scrapeable(c);
  if (!nodes.size) throw new MetricsUnavailable("Metrics API not available");
  const out: PodMetrics[] = [];
  for (const p of c.api.list<Pod>("Pod", namespace)) {
    const k = p.spec.nodeName ? nodes.get(p.spec.nodeName) : undefined;
    if (!k || p.status?.phase !== "Running") continue;
    const podCg = k.cgroups.get(podCgroup(p));
    if (!podCg) continue;
    const containers = (p.status.containerStatuses ?? [])
      .filter((cs) => cs.state.running && cs.containerID)
      .map((cs) => ({ name: cs.name, ...usageOf(k.cgroups.get(`${podCgroup(p)}/cri-containerd-${cs.containerID!.replace(/^containerd:\/\//, "")}.scope`)) }));
    out.push({ namespace: p.metadata.namespace ?? "default", name: p.metadata.name, containers, ...usageOf(podCg) });
  }
  return out;
}
