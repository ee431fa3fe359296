// kube-scheduler: watch pods without a node, run the framework over the nodes, bind the pod
// to the winner — or leave it Pending with a FailedScheduling event and try again later.
// If this process is not running, pods are created but never placed (seed 000's story).
import type { Kernel } from "../../linux/kernel";
import type { Process } from "../../linux/process";
import type { Program } from "../../linux/tasks";
import { recordEvent } from "../api/events";
import type { Node, Pod } from "../api/types";
import { schedule } from "../scheduler/framework";
import { podRequests, quantityValue } from "../scheduler/requests";
import type { NodeInfo, PodInfo } from "../scheduler/types";
import { clusterOf } from "./context";
import { WorkQueue } from "./workqueue";
import { followCache } from "../scheduler/cache";

/** The scheduler's cache: each node's allocatable and what bound pods already request. */
export function nodeInfos(nodes: Node[], pods: Pod[]): NodeInfo[] {
  return nodes.map((n) => {
    const on = pods.filter((p) => p.spec.nodeName === n.metadata.name && p.status?.phase !== "Succeeded" && p.status?.phase !== "Failed");
    const sum = (nonZero: boolean) => on.reduce((s, p) => {
      const r = podRequests(p, nonZero);
      return { milliCPU: s.milliCPU + r.milliCPU, memory: s.memory + r.memory };
    }, { milliCPU: 0, memory: 0 });
    const alloc = n.status?.allocatable ?? {};
    return {
      name: n.metadata.name,
      labels: n.metadata.labels ?? {},
      taints: n.spec.taints ?? [],
      unschedulable: !!n.spec.unschedulable,
      allocatable: { milliCPU: quantityValue(alloc.cpu, true), memory: quantityValue(alloc.memory), pods: quantityValue(alloc.pods ?? "110") },
      requested: sum(false),
      nonZeroRequested: sum(true),
      podCount: on.length,
    };
  });
}

export function podInfo(p: Pod): PodInfo {
  const aff = p.spec.affinity as { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: PodInfo["requiredTerms"] }; preferredDuringSchedulingIgnoredDuringExecution?: PodInfo["preferredTerms"] } } | undefined;
  const required = aff?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  const preferred = aff?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
  return {
    namespace: p.metadata.namespace ?? "default",
    name: p.metadata.name,
    ...(p.spec.nodeSelector ? { nodeSelector: p.spec.nodeSelector } : {}),
    ...(required ? { requiredTerms: required } : {}),
    ...(preferred ? { preferredTerms: preferred } : {}),
    tolerations: p.spec.tolerations ?? [],
    requests: podRequests(p, false),
    nonZeroRequests: podRequests(p, true),
  };
}

export function* kubeScheduler(kernel: Kernel, proc: Process): Program {
  const ctx = clusterOf(kernel);
  if (!ctx) return 1;
  const { api, clock } = ctx;
  const q = new WorkQueue(clock);
  const backoff = new Map<string, number>();
  let startIndex = 0;
  const pending = (p: Pod) => !p.spec.nodeName && !p.metadata.deletionTimestamp && (p.spec.schedulerName ?? "default-scheduler") === "default-scheduler";
  // The cache follows the watches; a scheduling cycle reads it instead of listing every pod.
  const cache = followCache(api);
  const stop: (() => void)[] = [cache.stop];
  try {
    stop.push(api.watch<Pod>("Pod", (t, p) => t !== "DELETED" && pending(p) && q.add(`${p.metadata.namespace}/${p.metadata.name}`)));
    // A node that changes (new, uncordoned, untainted) may fit pods that did not fit before.
    stop.push(api.watch<Node>("Node", () => api.list<Pod>("Pod").filter(pending).forEach((p) => q.add(`${p.metadata.namespace}/${p.metadata.name}`))));
    for (const p of api.list<Pod>("Pod").filter(pending)) q.add(`${p.metadata.namespace}/${p.metadata.name}`);
    proc.fds[1].write(`I0112 09:00:00.000000 ${String(proc.pid).padStart(7)} server.go:179] "Starting Kubernetes Scheduler" version="v1.34.1"\n`);
    for (;;) {
      for (let k = q.next(); k; k = q.next()) {
        const [ns, name] = k.split("/") as [string, string];
        const pod = api.tryGet<Pod>("Pod", ns, name);
        if (!pod || !pending(pod)) continue;
        const nodes = cache.nodeInfos();
        const result = schedule(podInfo(pod), nodes, { rng: ctx.rng, startIndex });
        startIndex = result.nextStartIndex;
        ctx.schedulingResults.set(k, { ...result, at: clock.now() });
        if (result.node) {
          // Binding: the pod's spec.nodeName is set; from here the node's kubelet takes over.
          const bound = { ...pod, spec: { ...pod.spec, nodeName: result.node } };
          bound.status = { ...(pod.status ?? {}), phase: "Pending", conditions: [{ type: "PodScheduled", status: "True", lastTransitionTime: api.now() }] };
          api.update(bound);
          recordEvent(api, pod, "Normal", "Scheduled", `Successfully assigned ${ns}/${name} to ${result.node}`, "default-scheduler");
          backoff.delete(k);
        } else {
          const msg = result.message ?? `0/${nodes.length} nodes are available.`;
          const st = { ...pod, status: { ...(pod.status ?? {}), phase: "Pending" as const, conditions: [{ type: "PodScheduled", status: "False" as const, reason: "Unschedulable", message: msg, lastTransitionTime: api.now() }] } };
          api.updateStatus(st);
          recordEvent(api, pod, "Warning", "FailedScheduling", msg, "default-scheduler");
          const wait = Math.min(10_000, (backoff.get(k) ?? 500) * 2);
          backoff.set(k, wait);
          q.addAfter(k, wait);
        }
      }
      yield { kind: "notify", on: q.notifier };
    }
  } finally {
    for (const s of stop) s();
  }
}
