// Exercise 9: choose maxSurge and maxUnavailable so that a rollout of 10 replicas never has
// fewer than 9 available pods and never more than 12 pods. The grader does not do the
// arithmetic for you: it takes the Deployment "shop" from your cluster, runs a real rollout of
// it (kubectl rollout restart) in a scratch cluster of the engine, and watches every step —
// every pod created, every pod deleted, every pod that becomes available.
import YAML from "yaml";
import { createCluster } from "../../engine";
import type { Host } from "../../engine";
import type { Deployment } from "../../engine/k8s/api/types";
import { clusterContextOf } from "../../engine/k8s/scheduler/table";
import { runRollout } from "../../engine/k8s/controllers/rollout-trace";
import type { RolloutRun, RolloutSample } from "../../engine/k8s/controllers/rollout-trace";
import { resolveFenceposts } from "../../engine/k8s/controllers/rollout";
import type { IntOrPercent } from "../../engine/k8s/controllers/rollout";
import type { CheckResult, Exercise } from "../exercise";
import { labFilesScript } from "./lab-files";
import { applyYaml } from "../lib/cluster-lab";

export const NAME = "shop";
export const REPLICAS = 10;
export const MAX_PODS = 12;
export const MIN_AVAILABLE = 9;

function setup(): Host {
  const c = createCluster({ workers: 2, seed: 9 });
  const r = c.sh(labFilesScript());
  if (r.exitCode !== 0) throw new Error(`exercise 9 setup failed: ${r.stderr}`);
  c.settle(5_000);
  return c.controlPlane;
}

const apply = applyYaml(30_000);

/** The Deployment as a manifest again: its spec, as the API server stored it (defaults filled in). */
export function manifestOf(d: Deployment): string {
  return YAML.stringify({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: d.metadata.name }, spec: d.spec });
}

const when = (run: RolloutRun, s: RolloutSample) => `${((s.t - run.startedAt) / 1000).toFixed(0)} s into the rollout`;
const rsText = (s: RolloutSample) => s.replicaSets.filter((r) => r.pods > 0 || r.desired > 0).map((r) => `${r.name} ${r.pods} (${r.available} available)`).join(", ");

function fenceposts(d: Deployment): string {
  const ru = d.spec.strategy?.rollingUpdate;
  const f = resolveFenceposts(ru?.maxSurge as IntOrPercent, ru?.maxUnavailable as IntOrPercent, d.spec.replicas ?? 1);
  const pct = (v: unknown) => typeof v === "string" && v.endsWith("%");
  const surge = pct(ru?.maxSurge) ? `maxSurge ${ru?.maxSurge} of ${d.spec.replicas} resolves to ${f.surge} (rounded up)` : `maxSurge ${f.surge}`;
  const unavailable = pct(ru?.maxUnavailable) ? `maxUnavailable ${ru?.maxUnavailable} to ${f.unavailable} (rounded down)` : `maxUnavailable ${f.unavailable}`;
  return `${surge}, ${unavailable}`;
}

function check(host: Host): CheckResult[] {
  const ctx = clusterContextOf(host);
  const names = [`${NAME} is a Deployment of ${REPLICAS} replicas with the RollingUpdate strategy`, `the rollout never runs more than ${MAX_PODS} pods`, `the rollout never has fewer than ${MIN_AVAILABLE} pods available`, "the rollout completes"];
  const d = ctx?.api.tryGet<Deployment>("Deployment", "default", NAME);
  if (!d) {
    return names.map((name, i) => ({ name, ok: false, detail: `There is no Deployment ${NAME} in the default namespace.`, ...(i === 0 ? { hint: "Apply your manifest: kubectl apply -f shop.yaml" } : { hint: "First create the Deployment." }) }));
  }
  const results: CheckResult[] = [];
  const strategy = d.spec.strategy?.type ?? "RollingUpdate";
  const shapeOk = (d.spec.replicas ?? 1) === REPLICAS && strategy === "RollingUpdate";
  results.push(
    shapeOk
      ? { name: names[0]!, ok: true, detail: `${NAME}: ${REPLICAS} replicas, RollingUpdate; ${fenceposts(d)}.` }
      : { name: names[0]!, ok: false, detail: `${NAME} has ${d.spec.replicas ?? 1} replicas and the ${strategy} strategy.`, hint: strategy !== "RollingUpdate" ? "Recreate stops every old pod before it starts a new one: all availability is lost. Use type: RollingUpdate." : `Set replicas: ${REPLICAS}.` },
  );

  const run = runRollout(manifestOf(d), { name: NAME, seed: 9 });
  if (run.error || run.samples.length === 0) {
    const detail = `The rollout could not be run: ${run.error ?? "no steps recorded"}.`;
    for (const name of names.slice(1)) results.push({ name, ok: false, detail, hint: "Check that the manifest applies cleanly (kubectl apply -f shop.yaml) and that its pods start." });
    return results;
  }
  // The first sample is the steady state before the restart; every later one is a rollout step.
  const steps = run.samples;
  const peak = steps.reduce((a, b) => (b.pods > a.pods ? b : a));
  const low = steps.reduce((a, b) => (b.available < a.available ? b : a));
  const surge = peak.surge;
  const unavailable = low.unavailable;

  results.push(
    peak.pods <= MAX_PODS
      ? { name: names[1]!, ok: true, detail: `At most ${peak.pods} pods, over ${steps.length} observed steps.` }
      : { name: names[1]!, ok: false, detail: `${peak.pods} pods ${when(run, peak)}: ${rsText(peak)}.`, hint: `${fenceposts(d)}: up to ${REPLICAS} + ${surge} = ${REPLICAS + surge} pods. For at most ${MAX_PODS}, maxSurge must resolve to ${MAX_PODS - REPLICAS}.` },
  );
  results.push(
    low.available >= MIN_AVAILABLE
      ? { name: names[2]!, ok: true, detail: `At least ${low.available} available, over ${steps.length} observed steps.` }
      : { name: names[2]!, ok: false, detail: `Only ${low.available} available ${when(run, low)}: ${rsText(low)}.`, hint: `${fenceposts(d)}: availability may fall to ${REPLICAS} - ${unavailable} = ${REPLICAS - unavailable}. For at least ${MIN_AVAILABLE}, maxUnavailable must resolve to ${REPLICAS - MIN_AVAILABLE} (10% rounds down to 1; 25% to 2).` },
  );
  const last = steps[steps.length - 1]!;
  const newest = last.replicaSets[last.replicaSets.length - 1];
  results.push(
    run.complete
      ? { name: names[3]!, ok: true, detail: `All ${REPLICAS} pods replaced in ${((run.endedAt - run.startedAt) / 1000).toFixed(0)} s of virtual time (${newest?.name}: ${newest?.available} available).` }
      : { name: names[3]!, ok: false, detail: `After ${((run.endedAt - run.startedAt) / 1000).toFixed(0)} s: ${rsText(last)}.`, hint: "The rollout stalled. Do the new pods start? (kubectl describe pod). With maxSurge 0 the controller can only make room by removing old pods, so maxUnavailable must then be at least 1." },
  );
  return results;
}

const exercise: Exercise = {
  number: 9,
  slug: "09-rolling-updates",
  title: "A rollout that never drops a customer",
  starter: "shop.yaml",
  kind: "yaml",
  setup,
  apply,
  check,
  hints: [
    "Two numbers bound every step of a rolling update: pods ≤ replicas + maxSurge, available ≥ replicas − maxUnavailable.",
    "With 10 replicas, the defaults of 25% give maxSurge 3 (2.5 rounded UP) and maxUnavailable 2 (2.5 rounded DOWN): 13 pods, 8 available.",
    "You need maxSurge to resolve to 2 and maxUnavailable to 1. Absolute numbers are the clearest: maxSurge: 2, maxUnavailable: 1.",
    "Apply the changed manifest (kubectl apply -f shop.yaml); the grader rolls out your Deployment in a scratch cluster, so your own cluster is not touched.",
  ],
};

export default exercise;
