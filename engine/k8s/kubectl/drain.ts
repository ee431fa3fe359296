// kubectl drain NODE: cordon the node, then evict every pod on it and wait until each is gone.
// The filters and their words are kubectl's (k8s.io/kubectl/pkg/drain): a pod whose controller is
// a DaemonSet would be recreated on the same node at once, a pod with no controller would never
// come back, a pod with an emptyDir loses its data — each needs its flag, or the drain refuses
// (the node stays cordoned: the cordon already happened, as with the real command).
import type { CommandContext } from "../../shell/command";
import type { ClusterContext } from "../components/context";
import type { Node, Pod } from "../api/types";
import { ApiError } from "../api/apiserver";
import type { Program } from "../../linux/tasks";
import { parseRequestTimeout } from "./watch";

const DAEMONSET_FATAL = "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)";
const DAEMONSET_WARNING = "ignoring DaemonSet-managed Pods";
const LOCAL_STORAGE_FATAL = "Pods with local storage (use --delete-emptydir-data to override)";
const LOCAL_STORAGE_WARNING = "deleting Pods with local storage";
const UNMANAGED_FATAL = "Pods that declare no controller (use --force to override)";
const UNMANAGED_WARNING = "deleting Pods that declare no controller";
/** kubectl polls for a pod's disappearance once a second. */
const POLL_MS = 1000;
/** --timeout=0 waits forever on a real cluster; the page stops waiting after this much virtual time. */
const MAX_WAIT_MS = 600_000;

export interface DrainFlags {
  force: boolean;
  ignoreDaemonsets: boolean;
  deleteEmptydirData: boolean;
  timeout?: string;
  dryRun?: string;
}

interface Verdict {
  pod: Pod;
  delete: boolean;
  fatal?: string;
  warning?: string;
}

/** The filter chain of GetPodsForDeletion: the first filter that objects decides for the pod. */
function filterPod(pod: Pod, f: DrainFlags): Verdict {
  const phase = pod.status?.phase;
  // Pods already gone or finished need no eviction.
  if (pod.metadata.deletionTimestamp) return { pod, delete: false };
  const controller = pod.metadata.ownerReferences?.find((o) => o.controller) ?? pod.metadata.ownerReferences?.[0];
  if (controller?.kind === "DaemonSet") return f.ignoreDaemonsets ? { pod, delete: false, warning: DAEMONSET_WARNING } : { pod, delete: false, fatal: DAEMONSET_FATAL };
  if (pod.metadata.annotations?.["kubernetes.io/config.mirror"]) return { pod, delete: false };
  const finished = phase === "Succeeded" || phase === "Failed";
  if (!finished && pod.spec.volumes?.some((v) => "emptyDir" in v)) {
    if (!f.deleteEmptydirData) return { pod, delete: false, fatal: LOCAL_STORAGE_FATAL };
    return { pod, delete: true, warning: LOCAL_STORAGE_WARNING };
  }
  if (!controller && !finished) return f.force ? { pod, delete: true, warning: UNMANAGED_WARNING } : { pod, delete: false, fatal: UNMANAGED_FATAL };
  return { pod, delete: true };
}

/** "msg: ns/a, ns/b" per message, in first-seen order. */
function grouped(items: Verdict[], key: "fatal" | "warning"): string[] {
  const by = new Map<string, string[]>();
  for (const v of items) {
    const m = v[key];
    if (m) by.set(m, [...(by.get(m) ?? []), `${v.pod.metadata.namespace}/${v.pod.metadata.name}`]);
  }
  return [...by].map(([m, pods]) => `${m}: ${pods.join(", ")}`);
}

export function drain(ctx: CommandContext, c: ClusterContext, names: string[], f: DrainFlags): number | Program {
  if (!names.length) {
    ctx.err("error: USAGE: drain NODE [flags]\nSee 'kubectl drain -h' for help and examples\n");
    return 1;
  }
  let waitMs = MAX_WAIT_MS;
  if (f.timeout !== undefined) {
    const ms = parseRequestTimeout(f.timeout);
    if (ms === null) {
      ctx.err(`Error: invalid argument "${f.timeout}" for "--timeout" flag: time: invalid duration "${f.timeout}"\n`);
      return 1;
    }
    if (ms > 0) waitMs = ms;
  }
  const nodes: Node[] = [];
  for (const n of names) {
    const node = c.api.tryGet<Node>("Node", undefined, n);
    if (!node) {
      ctx.err(`Error from server (NotFound): nodes "${n}" not found\n`);
      return 1;
    }
    nodes.push(node);
  }
  const dry = f.dryRun === "server" ? " (server dry run)" : f.dryRun ? " (dry run)" : "";
  // Cordon first (RunCordonOrUncordon), every node, before any eviction.
  for (const node of nodes) {
    if (node.spec.unschedulable) ctx.out(`node/${node.metadata.name} already cordoned${dry}\n`);
    else {
      if (!dry) c.api.patch("Node", undefined, node.metadata.name, { spec: { unschedulable: true } });
      ctx.out(`node/${node.metadata.name} cordoned${dry}\n`);
    }
  }
  const clock = c.clock;
  return (function* (): Program {
    const fatal: string[] = [];
    const pendingNodes: string[] = [];
    for (const node of nodes) {
      const name = node.metadata.name;
      const verdicts = c.api.list<Pod>("Pod").filter((p) => p.spec.nodeName === name).map((p) => filterPod(p, f));
      const errors = grouped(verdicts, "fatal").map((e) => `cannot delete ${e}`);
      if (errors.length) {
        ctx.err(`error: unable to drain node "${name}" due to error: ${errors.length > 1 ? `[${errors.join(", ")}]` : errors[0]}, continuing command...\n`);
        fatal.push(...errors);
        pendingNodes.push(name);
        continue;
      }
      const warnings = grouped(verdicts, "warning");
      if (warnings.length) ctx.err(`Warning: ${warnings.join("; ")}\n`);
      const evict = verdicts.filter((v) => v.delete).map((v) => v.pod);
      // The Eviction API (policy/v1): a graceful delete the kubelet carries out on the node.
      for (const p of evict) {
        ctx.out(`evicting pod ${p.metadata.namespace}/${p.metadata.name}${dry}\n`);
        if (dry) continue;
        try {
          c.api.delete("Pod", p.metadata.namespace, p.metadata.name);
        } catch (e) {
          if (!(e instanceof ApiError) || e.reason !== "NotFound") throw e;
        }
      }
      // Wait until each pod is gone (or replaced by a pod of the same name with another uid).
      let waiting = dry ? [] : [...evict];
      const deadline = clock.now() + waitMs;
      for (;;) {
        const still: Pod[] = [];
        for (const p of waiting) {
          const cur = c.api.tryGet<Pod>("Pod", p.metadata.namespace, p.metadata.name);
          if (!cur || cur.metadata.uid !== p.metadata.uid) ctx.out(`pod/${p.metadata.name} evicted\n`);
          else still.push(p);
        }
        waiting = still;
        if (!waiting.length || clock.now() >= deadline) break;
        yield { kind: "sleep", until: Math.min(deadline, clock.now() + POLL_MS) };
      }
      if (waiting.length) {
        const secs = Math.round(waitMs / 1000);
        const dur = secs >= 60 ? `${Math.floor(secs / 60)}m${secs % 60}s` : `${secs}s`;
        const errs = waiting.map((p) => `error when waiting for pod "${p.metadata.name}" in namespace "${p.metadata.namespace}" to terminate: global timeout reached: ${dur}`);
        ctx.err(`error: unable to drain node "${name}" due to error: ${errs.length > 1 ? `[${errs.join(", ")}]` : errs[0]}, continuing command...\n`);
        fatal.push(...errs);
        pendingNodes.push(name);
        continue;
      }
      ctx.out(`node/${name} drained${dry}\n`);
    }
    if (!pendingNodes.length) return 0;
    ctx.err(`There are pending nodes to be drained:\n${pendingNodes.map((n) => ` ${n}\n`).join("")}${fatal.map((e) => e + "\n").join("")}`);
    return 1;
  })();
}
