// kube-scheduler: watch pods without a node, run the framework over the nodes, bind the pod
// to the winner — or leave it Pending with a FailedScheduling event and try again later.
// If this process is not running, pods are created but never placed (seed 000's story).
import type { Kernel } from "../../linux/kernel";
import type { Process } from "../../linux/process";
import type { Program } from "../../linux/tasks";
import { recordEvent } from "../api/events";
import type { Node, Pod } from "../api/types";
import { schedule } from "../scheduler/framework";
import { profileOf } from "../scheduler/profile";
import { podRequests } from "../scheduler/requests";
import type { NodeInfo, PodInfo } from "../scheduler/types";
import { clusterOf } from "./context";
import { WorkQueue } from "./workqueue";
import { emptyNodeInfo, followCache } from "../scheduler/cache";

/** The scheduler's cache: each node's allocatable and what bound pods already request. */
export function nodeInfos(nodes: Node[], pods: Pod[]): NodeInfo[] {
  return nodes.map((n) => {
    const on = pods.filter((p) => p.spec.nodeName === n.metadata.name && p.status?.phase !== "Succeeded" && p.status?.phase !== "Failed");
    const sum = (nonZero: boolean) => on.reduce((s, p) => {
      const r = podRequests(p, nonZero);
      return { milliCPU: s.milliCPU + r.milliCPU, memory: s.memory + r.memory };
    }, { milliCPU: 0, memory: 0 });
    return {
      ...emptyNodeInfo(n),
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

/** podMaxInUnschedulablePodsDuration: an unschedulable pod is retried at least this often (5 min). */
export const UNSCHEDULABLE_RETRY_MS = 5 * 60_000;

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
    const retryAll = () => api.list<Pod>("Pod").filter(pending).forEach((p) => q.add(`${p.metadata.namespace}/${p.metadata.name}`));
    stop.push(
      api.watch<Pod>("Pod", (t, p) => {
        const k = `${p.metadata.namespace}/${p.metadata.name}`;
        // A bound pod that goes away frees its requests: unschedulable pods get another try.
        if (t === "DELETED") {
          backoff.delete(k);
          if (p.spec.nodeName) retryAll();
          return;
        }
        // An unschedulable pod waits in the unschedulable pool; its own status updates do not wake it.
        if (pending(p) && !(t === "MODIFIED" && backoff.has(k))) q.add(k);
      }),
    );
    // A node change that can make a pod fit (new node, labels, taints, cordon, allocatable) moves
    // unschedulable pods back to the queue; kubelet heartbeats do not (queueing hints upstream).
    const fingerprint = (n: Node) => JSON.stringify([n.metadata.labels, n.spec.taints, n.spec.unschedulable, n.status?.allocatable]);
    const seen = new Map(api.list<Node>("Node").map((n) => [n.metadata.name, fingerprint(n)]));
    stop.push(
      api.watch<Node>("Node", (t, n) => {
        const fp = t === "DELETED" ? "" : fingerprint(n);
        if (seen.get(n.metadata.name) === fp) return;
        seen.set(n.metadata.name, fp);
        if (t !== "DELETED") retryAll();
      }),
    );
    for (const p of api.list<Pod>("Pod").filter(pending)) q.add(`${p.metadata.namespace}/${p.metadata.name}`);
    proc.fds[1].write(`I0112 ${new Date(clock.epochMs()).toISOString().slice(11, 23)}000 ${String(proc.pid).padStart(7)} server.go:179] "Starting Kubernetes Scheduler" version="v1.34.1"\n`);
    for (;;) {
      for (let k = q.next(); k; k = q.next()) {
        const [ns, name] = k.split("/") as [string, string];
        const pod = api.tryGet<Pod>("Pod", ns, name);
        if (!pod || !pending(pod)) continue;
        const nodes = cache.nodeInfos();
        const profile = profileOf(ctx);
        const result = schedule(podInfo(pod), nodes, { rng: ctx.rng, startIndex, filters: profile.filters, scores: profile.scores });
        startIndex = result.nextStartIndex;
        ctx.schedulingResults.set(k, { ...result, at: clock.now() });
        const candidates = result.verdicts.map((v) => ({ node: v.node, feasible: v.feasible, score: v.total }));
        const score = result.verdicts.find((v) => v.node === result.node)?.total ?? null;
        kernel.emit({ type: "k8s.schedule", pod: k, node: result.node, score, candidates, ...(result.node ? {} : { message: result.message ?? "" }) });
        if (result.node) {
          // Binding: the pod's spec.nodeName is set; from here the node's kubelet takes over.
          const bound = { ...pod, spec: { ...pod.spec, nodeName: result.node } };
          bound.status = { ...(pod.status ?? {}), phase: "Pending", conditions: [{ type: "PodScheduled", status: "True", lastTransitionTime: api.now() }] };
          api.update(bound);
          recordEvent(api, pod, "Normal", "Scheduled", `Successfully assigned ${ns}/${name} to ${result.node}`, "default-scheduler");
          // What kube-scheduler --v=2 logs for every binding (schedule_one.go), so journalctl shows the decision.
          const feasible = result.verdicts.filter((v) => v.feasible).length;
          proc.fds[1].write(`I0112 ${new Date(clock.epochMs()).toISOString().slice(11, 23)}000 ${String(proc.pid).padStart(7)} schedule_one.go:314] "Successfully bound pod to node" pod="${ns}/${name}" node="${result.node}" evaluatedNodes=${result.evaluated} feasibleNodes=${feasible}\n`);
          backoff.delete(k);
        } else {
          const msg = result.message ?? `0/${nodes.length} nodes are available.`;
          const st = { ...pod, status: { ...(pod.status ?? {}), phase: "Pending" as const, conditions: [{ type: "PodScheduled", status: "False" as const, reason: "Unschedulable", message: msg, lastTransitionTime: api.now() }] } };
          // Into the unschedulable pool first, so the status update below does not wake it again.
          backoff.set(k, clock.now());
          api.updateStatus(st);
          recordEvent(api, pod, "Warning", "FailedScheduling", msg, "default-scheduler");
          // Without a relevant cluster event the pod is retried after podMaxInUnschedulablePodsDuration.
          q.addAfter(k, UNSCHEDULABLE_RETRY_MS);
        }
      }
      yield { kind: "notify", on: q.notifier };
    }
  } finally {
    for (const s of stop) s();
  }
}
