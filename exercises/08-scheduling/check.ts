// Exercise 8: place three workloads on a three-worker cluster with nodeSelector, node affinity
// and tolerations. Graded by state: where each pod runs, AND where the scheduler would let it
// run (the framework's dry run, previewTable): a pod that landed on the right node by luck of
// the scores, but would fit elsewhere, does not pass. Hints come from the same table.
import { createCluster } from "../../engine";
import type { Host } from "../../engine";
import type { Node, Pod } from "../../engine/k8s/api/types";
import { clusterContextOf, previewTable } from "../../engine/k8s/scheduler/table";
import type { ClusterContext } from "../../engine/k8s/components/context";
import type { CheckResult, Exercise } from "../exercise";
import { labFilesScript } from "./lab-files";
import { applyYaml } from "../lib/cluster-lab";

/** The lab's layout: which node each workload must be confined to. */
export const LAYOUT = { db: "worker-1", batch: "worker-3", web: "worker-2" } as const;
export const WEB_REPLICAS = 2;

/**
 * The lab: three workers. worker-1 has the local SSD (label disktype=ssd); worker-3 is kept for
 * batch jobs (label dedicated=batch and taint dedicated=batch:NoSchedule). Made with the same
 * kubectl commands a reader would type, in one multi-line script so history stays empty.
 */
export const LAB_SCRIPT = `kubectl label node worker-1 disktype=ssd
kubectl label node worker-3 dedicated=batch
kubectl taint node worker-3 dedicated=batch:NoSchedule
`;

function setup(): Host {
  const c = createCluster({ workers: 3, seed: 8 });
  const r = c.sh(LAB_SCRIPT + labFilesScript());
  if (r.exitCode !== 0) throw new Error(`exercise 8 setup failed: ${r.stderr}`);
  c.settle(5_000);
  return c.controlPlane;
}

const apply = applyYaml(15_000);

/** The nodes a pod may run on now, by the scheduler's filters (the pod itself set aside). */
function feasible(ctx: ClusterContext, key: string): string[] {
  return (previewTable(ctx, key)?.nodes ?? []).filter((n) => n.feasible).map((n) => n.node);
}

function why(ctx: ClusterContext, key: string, node: string): string {
  const row = previewTable(ctx, key)?.nodes.find((n) => n.node === node);
  const f = row?.filters.find((c) => c.result === "fail");
  return f ? `${f.plugin}: ${f.reason ?? "rejected"}` : "it passes every filter";
}

const list = (xs: string[]) => (xs.length ? xs.join(", ") : "no node");

function placement(ctx: ClusterContext, pod: Pod, want: string): { ok: boolean; detail: string; hint?: string } {
  const key = `${pod.metadata.namespace ?? "default"}/${pod.metadata.name}`;
  const on = pod.spec.nodeName;
  const fits = feasible(ctx, key);
  const name = pod.metadata.name;
  if (pod.spec.nodeName && !ctx.schedulingResults.has(key)) {
    return { ok: false, detail: `${name} names its node in spec.nodeName, so the scheduler never placed it.`, hint: "Remove spec.nodeName: the task is to make the scheduler choose, with nodeSelector, affinity and tolerations." };
  }
  if (!on) {
    const msg = pod.status?.conditions?.find((c) => c.type === "PodScheduled")?.message ?? "it has not been scheduled yet";
    const hint = !fits.includes(want) ? `${want} rejects it (${why(ctx, key, want)}).` : `It fits ${list(fits)}; wait a moment, or look at kubectl describe pod ${name}.`;
    return { ok: false, detail: `${name} is Pending: ${msg}`, hint };
  }
  const running = pod.status?.phase === "Running";
  if (fits.length === 1 && fits[0] === want && on === want) {
    return running ? { ok: true, detail: `${name} runs on ${on}, and ${want} is the only node its constraints allow.` } : { ok: false, detail: `${name} is on ${on} but ${pod.status?.phase ?? "not running"}.`, hint: `kubectl describe pod ${name} shows why its container does not run.` };
  }
  const detail = `${name} runs on ${on}; by its constraints it could run on ${list(fits)}.`;
  if (!fits.includes(want)) return { ok: false, detail, hint: `${want} rejects it: ${why(ctx, key, want)}.` };
  const others = fits.filter((n) => n !== want);
  return { ok: false, detail, hint: `Nothing keeps it off ${list(others)}: the scores chose${on === want ? ` ${want} this time, but that is luck` : ` ${on}`}. Add a constraint that only ${want} satisfies (a nodeSelector or required node affinity on a label ${want} has).` };
}

function check(host: Host): CheckResult[] {
  const ctx = clusterContextOf(host);
  if (!ctx) return [{ name: "the lab is a cluster", ok: false, detail: "This world has no Kubernetes cluster.", hint: "Reset the lab." }];
  const pods = ctx.api.list<Pod>("Pod", "default");
  const results: CheckResult[] = [];

  for (const name of ["db", "batch"] as const) {
    const cname = `${name} runs on ${LAYOUT[name]}, and nowhere else would do`;
    const pod = pods.find((p) => p.metadata.name === name);
    if (!pod) results.push({ name: cname, ok: false, detail: `There is no pod ${name}.`, hint: "Apply the manifests: kubectl apply -f layout.yaml" });
    else results.push({ name: cname, ...placement(ctx, pod, LAYOUT[name]) });
  }

  const wname = `web's ${WEB_REPLICAS} replicas run on ${LAYOUT.web}, and nowhere else would do`;
  const web = pods.filter((p) => p.metadata.labels?.app === "web" && !p.metadata.deletionTimestamp);
  if (web.length !== WEB_REPLICAS) {
    results.push({ name: wname, ok: false, detail: `${web.length} pod${web.length === 1 ? "" : "s"} labelled app=web.`, hint: `Apply the Deployment web with replicas: ${WEB_REPLICAS}.` });
  } else {
    const bad = web.map((p) => ({ p, r: placement(ctx, p, LAYOUT.web) })).find((x) => !x.r.ok);
    results.push(bad ? { name: wname, ...bad.r } : { name: wname, ok: true, detail: `${web.map((p) => p.metadata.name).join(" and ")} run on ${LAYOUT.web}, the only node their constraints allow.` });
  }

  // The lab's nodes stay as they were: moving the nodes to fit the pods is not the task.
  const nodes = ctx.api.list<Node>("Node");
  const n1 = nodes.find((n) => n.metadata.name === "worker-1");
  const n3 = nodes.find((n) => n.metadata.name === "worker-3");
  const tainted = n3?.spec.taints?.some((t) => t.key === "dedicated" && t.value === "batch" && t.effect === "NoSchedule") ?? false;
  const problems = [
    ...(n1?.metadata.labels?.disktype === "ssd" ? [] : ["worker-1 lost its label disktype=ssd"]),
    ...(n3?.metadata.labels?.dedicated === "batch" ? [] : ["worker-3 lost its label dedicated=batch"]),
    ...(tainted ? [] : ["worker-3 lost its taint dedicated=batch:NoSchedule"]),
    ...nodes.filter((n) => n.spec.unschedulable).map((n) => `${n.metadata.name} is cordoned`),
  ];
  const nname = "the nodes keep their labels and taints";
  results.push(problems.length ? { name: nname, ok: false, detail: `${problems.join("; ")}.`, hint: `Put the nodes back (Reset lab, or: ${LAB_SCRIPT.trim().split("\n").join("; ")}) and move the pods instead.` } : { name: nname, ok: true, detail: "worker-1 is disktype=ssd; worker-3 is dedicated=batch with its NoSchedule taint; no node is cordoned." });
  return results;
}

const exercise: Exercise = {
  number: 8,
  slug: "08-scheduling",
  title: "Every pod in its place",
  starter: "layout.yaml",
  kind: "yaml",
  setup,
  apply,
  check,
  hints: [
    "Look at the nodes first: kubectl get nodes --show-labels, and kubectl describe node worker-3 | grep Taints.",
    "db: a nodeSelector on the label only worker-1 has (disktype: ssd) leaves the scheduler one choice.",
    "batch needs two things: a toleration for dedicated=batch:NoSchedule (so worker-3 is allowed) and a nodeSelector dedicated: batch (so nothing else is).",
    "web: required node affinity can say what a node must NOT have: key disktype, operator DoesNotExist. The taint already keeps it off worker-3.",
    "Pods do not move when you change their constraints: delete them (kubectl delete -f layout.yaml) and apply again.",
  ],
};

export default exercise;
