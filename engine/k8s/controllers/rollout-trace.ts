// A Deployment's rollout as typed samples, for the RolloutTimeline widget, lesson 9 and
// exercise 9's grader: after every change of its pods or ReplicaSets, how many pods each
// ReplicaSet has, how many of them are available, and the maxSurge / maxUnavailable bands
// the controller must stay inside. Counted from the pods themselves (not from status fields,
// which lag a step behind), the way an observer watching `kubectl get pods -w` would.
import type { Deployment, Pod, ReplicaSet } from "../api/types";
import type { ClusterContext } from "../components/context";
import { createCluster } from "../cluster";
import type { Cluster } from "../cluster";
import { HASH_LABEL, REVISION, rolloutSpec } from "./deployment";
import { isActive, isPodAvailable } from "./replicaset";
import { maxSurge, maxUnavailable } from "./rollout";
import type { IntOrPercent } from "./rollout";

export interface RSSample {
  name: string;
  revision: number;
  /** pod-template-hash */
  hash: string;
  image: string;
  /** spec.replicas: what the Deployment controller asks of it now. */
  desired: number;
  /** Its pods that exist and are not terminating. */
  pods: number;
  /** Of those, ready for at least minReadySeconds. */
  available: number;
}

export interface RolloutSample {
  /** Virtual ms. */
  t: number;
  replicaSets: RSSample[];
  /** All the Deployment's pods that are not terminating. */
  pods: number;
  available: number;
  /** spec.replicas of the Deployment. */
  replicas: number;
  /** Resolved fenceposts: pods may reach replicas + surge; available may fall to replicas - unavailable. */
  surge: number;
  unavailable: number;
}

/** One sample of a Deployment now, or null when it does not exist. */
export function sampleRollout(ctx: ClusterContext, namespace: string, name: string): RolloutSample | null {
  const d = ctx.api.tryGet<Deployment>("Deployment", namespace, name);
  if (!d) return null;
  const now = ctx.clock.epochMs();
  const spec = rolloutSpec(d);
  const min = d.spec.minReadySeconds ?? 0;
  const owned = ctx.api
    .list<ReplicaSet>("ReplicaSet", namespace)
    .filter((rs) => rs.metadata.ownerReferences?.some((o) => o.controller && o.uid === d.metadata.uid))
    .sort((a, b) => Number(a.metadata.annotations?.[REVISION] ?? 0) - Number(b.metadata.annotations?.[REVISION] ?? 0));
  const pods = ctx.api.list<Pod>("Pod", namespace).filter(isActive);
  const replicaSets = owned.map((rs): RSSample => {
    const mine = pods.filter((p) => p.metadata.ownerReferences?.some((o) => o.controller && o.uid === rs.metadata.uid));
    return {
      name: rs.metadata.name,
      revision: Number(rs.metadata.annotations?.[REVISION] ?? 0),
      hash: rs.metadata.labels?.[HASH_LABEL] ?? "",
      image: rs.spec.template.spec.containers.map((c) => c.image).join(","),
      desired: rs.spec.replicas ?? 0,
      pods: mine.length,
      available: mine.filter((p) => isPodAvailable(p, min, now)).length,
    };
  });
  return {
    t: ctx.clock.now(),
    replicaSets,
    pods: replicaSets.reduce((s, r) => s + r.pods, 0),
    available: replicaSets.reduce((s, r) => s + r.available, 0),
    replicas: spec.replicas,
    surge: maxSurge(spec),
    unavailable: maxUnavailable(spec),
  };
}

const same = (a: RolloutSample, b: RolloutSample) => JSON.stringify({ ...a, t: 0 }) === JSON.stringify({ ...b, t: 0 });

export interface RolloutRecorder {
  readonly samples: RolloutSample[];
  stop(): void;
}

/** Record a sample after every Pod, ReplicaSet or Deployment change (identical ones are dropped). */
export function recordRollout(ctx: ClusterContext, namespace: string, name: string): RolloutRecorder {
  const samples: RolloutSample[] = [];
  const take = () => {
    const s = sampleRollout(ctx, namespace, name);
    if (s && !(samples.length && same(samples[samples.length - 1]!, s))) samples.push(s);
  };
  take();
  const stops = ["Pod", "ReplicaSet", "Deployment"].map((kind) => ctx.api.watch(kind, take));
  return { samples, stop: () => stops.forEach((s) => s()) };
}

export interface RolloutRunOptions {
  replicas: number;
  maxSurge: IntOrPercent;
  maxUnavailable: IntOrPercent;
  minReadySeconds?: number;
  seed?: number;
  /** Give up after this much virtual time (a stalled rollout). */
  limitMs?: number;
}

export interface RolloutRun {
  samples: RolloutSample[];
  /** Did the Deployment report the rollout complete within the limit? */
  complete: boolean;
  /** When the rollout was started (virtual ms), and when it completed. */
  startedAt: number;
  endedAt: number;
  error?: string;
}

/** The demo Deployment the widget rolls out: nginx:1.27 → nginx:1.28. */
export function demoDeployment(o: RolloutRunOptions): string {
  const q = (v: IntOrPercent) => (typeof v === "string" ? `"${v}"` : String(v ?? 0));
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: ${o.replicas}
  minReadySeconds: ${o.minReadySeconds ?? 0}
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: ${q(o.maxSurge)}
      maxUnavailable: ${q(o.maxUnavailable)}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
`;
}

function complete(c: Cluster, name: string): boolean {
  const d = c.api.tryGet<Deployment>("Deployment", "default", name);
  if (!d || (d.status?.observedGeneration ?? 0) < (d.metadata.generation ?? 1)) return false;
  return d.status?.conditions?.some((x) => x.type === "Progressing" && x.reason === "NewReplicaSetAvailable") ?? false;
}

/**
 * Run a rollout in a scratch cluster: apply the manifest, wait until the Deployment is complete,
 * then run `change` (default: kubectl rollout restart) and record every step until it completes
 * again or the limit passes. Deterministic: same manifest and seed, same samples.
 */
export function runRollout(manifest: string, opts: { seed?: number; limitMs?: number; name?: string; change?: string } = {}): RolloutRun {
  const name = opts.name ?? "web";
  const c = createCluster({ workers: 3, seed: opts.seed ?? 1 });
  const r = c.sh("kubectl apply -f -", { stdin: manifest });
  if (r.exitCode !== 0) return { samples: [], complete: false, startedAt: 0, endedAt: 0, error: r.stderr.trim() };
  const limit = opts.limitMs ?? 600_000;
  for (let t = 0; t < limit && !complete(c, name); t += 250) c.tick(250);
  if (!complete(c, name)) return { samples: [], complete: false, startedAt: 0, endedAt: 0, error: `deployment "${name}" never became available before the rollout` };
  const rec = recordRollout(c.context, "default", name);
  const startedAt = c.context.clock.now();
  const ch = c.sh(opts.change ?? `kubectl rollout restart deployment/${name}`);
  if (ch.exitCode !== 0) {
    rec.stop();
    return { samples: rec.samples, complete: false, startedAt, endedAt: startedAt, error: ch.stderr.trim() };
  }
  c.tick(0);
  for (let t = 0; t < limit && !complete(c, name); t += 250) c.tick(250);
  const done = complete(c, name);
  rec.stop();
  return { samples: rec.samples, complete: done, startedAt, endedAt: c.context.clock.now() };
}
