// The Deployment controller: a Deployment owns ReplicaSets, one per version of its pod
// template. A rollout is nothing but resizing two ReplicaSets step by step within maxSurge and
// maxUnavailable (rollout.ts), waiting between steps for new pods to become available.
import type { ApiServer } from "../api/apiserver";
import type { Deployment, ReplicaSet } from "../api/types";
import { canonical, podTemplateHash } from "./hash";
import type { ActiveRS, RolloutSpec, RSCounts } from "./rollout";
import { deploymentComplete, maxSurge, maxUnavailable, proportionalScale, reconcileNewReplicaSet, reconcileOldReplicaSets } from "./rollout";

export const REVISION = "deployment.kubernetes.io/revision";
export const DESIRED = "deployment.kubernetes.io/desired-replicas";
export const MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";
export const HASH_LABEL = "pod-template-hash";

/**
 * A template's canonical form without its pod-template-hash label: how a Deployment recognises
 * its ReplicaSet. Every sync compares the Deployment's template with each ReplicaSet's, and
 * they rarely change, so the answer is kept per template text (JSON.stringify is native and
 * cheap; the clone and the sorted walk are not). Templates come from the API: plain JSON data.
 */
const stripped = new Map<string, string>();
function stripHash(template: ReplicaSet["spec"]["template"]): string {
  const text = JSON.stringify(template);
  let out = stripped.get(text);
  if (out === undefined) {
    const t = structuredClone(template);
    if (t.metadata?.labels) delete t.metadata.labels[HASH_LABEL];
    out = canonical(t);
    if (stripped.size >= 1000) stripped.clear();
    stripped.set(text, out);
  }
  return out;
}

export function revisionOf(rs: ReplicaSet): number {
  return Number(rs.metadata.annotations?.[REVISION] ?? 0);
}

export function rolloutSpec(d: Deployment): RolloutSpec {
  const st = d.spec.strategy;
  return { replicas: d.spec.replicas ?? 1, strategy: st?.type === "Recreate" ? "Recreate" : "RollingUpdate", maxSurge: st?.rollingUpdate?.maxSurge, maxUnavailable: st?.rollingUpdate?.maxUnavailable };
}

export class DeploymentController {
  constructor(
    private readonly api: ApiServer,
    private readonly now: () => number,
    private readonly onEvent?: (obj: Deployment, reason: string, message: string) => void,
  ) {}

  ownedReplicaSets(d: Deployment): ReplicaSet[] {
    return this.api
      .list<ReplicaSet>("ReplicaSet", d.metadata.namespace)
      .filter((rs) => rs.metadata.ownerReferences?.some((o) => o.controller && o.uid === d.metadata.uid))
      .sort((a, b) => Date.parse(a.metadata.creationTimestamp!) - Date.parse(b.metadata.creationTimestamp!) || a.metadata.name.localeCompare(b.metadata.name));
  }

  findNewRS(d: Deployment, all: ReplicaSet[]): ReplicaSet | undefined {
    const want = stripHash(d.spec.template);
    return all.find((rs) => stripHash(rs.spec.template) === want);
  }

  private scaleRS(d: Deployment, rs: ReplicaSet, size: number, spec: RolloutSpec): ReplicaSet {
    if ((rs.spec.replicas ?? 0) === size && rs.metadata.annotations?.[DESIRED] === String(spec.replicas)) return rs;
    const up = size > (rs.spec.replicas ?? 0);
    const next = structuredClone(rs);
    next.spec.replicas = size;
    next.metadata.annotations = { ...next.metadata.annotations, [DESIRED]: String(spec.replicas), [MAX_REPLICAS]: String(spec.replicas + maxSurge(spec)) };
    const saved = this.api.update(next, { manager: "kube-controller-manager" });
    if ((rs.spec.replicas ?? 0) !== size) this.onEvent?.(d, "ScalingReplicaSet", `Scaled ${up ? "up" : "down"} replica set ${rs.metadata.name} from ${rs.spec.replicas ?? 0} to ${size}`);
    return saved;
  }

  /** Reconcile one Deployment; returns ms after which to look again (a stuck rollout's deadline), if any. */
  sync(namespace: string, name: string): number | undefined {
    const d = this.api.tryGet<Deployment>("Deployment", namespace, name);
    if (!d || d.metadata.deletionTimestamp) return undefined;
    const spec = rolloutSpec(d);
    let all = this.ownedReplicaSets(d);
    let newRS = this.findNewRS(d, all);
    const maxRevision = Math.max(0, ...all.map(revisionOf));

    if (!newRS && !d.spec.paused) {
      const hash = podTemplateHash(d.spec.template);
      const template = structuredClone(d.spec.template);
      template.metadata = { ...template.metadata, labels: { ...(template.metadata?.labels ?? {}), [HASH_LABEL]: hash } };
      const olds = all.map((rs) => ({ name: rs.metadata.name, spec: rs.spec.replicas ?? 0, available: rs.status?.availableReplicas ?? 0 }));
      const initial = spec.strategy === "Recreate" && olds.some((o) => o.spec > 0) ? 0 : reconcileNewReplicaSet(spec, olds, { name: "", spec: 0, available: 0 }) ?? 0;
      newRS = this.api.create<ReplicaSet>(
        {
          apiVersion: "apps/v1",
          kind: "ReplicaSet",
          metadata: {
            name: `${d.metadata.name}-${hash}`,
            namespace,
            labels: { ...(template.metadata.labels ?? {}) },
            annotations: { [REVISION]: String(maxRevision + 1), [DESIRED]: String(spec.replicas), [MAX_REPLICAS]: String(spec.replicas + maxSurge(spec)) },
            ownerReferences: [{ apiVersion: "apps/v1", kind: "Deployment", name: d.metadata.name, uid: d.metadata.uid!, controller: true, blockOwnerDeletion: true }],
          },
          spec: {
            replicas: initial,
            minReadySeconds: d.spec.minReadySeconds ?? 0,
            selector: { matchLabels: { ...(d.spec.selector.matchLabels ?? {}), [HASH_LABEL]: hash }, ...(d.spec.selector.matchExpressions ? { matchExpressions: d.spec.selector.matchExpressions } : {}) },
            template,
          },
        } as ReplicaSet,
        { manager: "kube-controller-manager" },
      );
      // Upstream records the event only when the new ReplicaSet starts with replicas.
      if (initial > 0) this.onEvent?.(d, "ScalingReplicaSet", `Scaled up replica set ${newRS.metadata.name} from 0 to ${initial}`);
      all = [...all, newRS];
    } else if (newRS && revisionOf(newRS) < maxRevision && !d.spec.paused) {
      // A rollback (or re-apply of an old template) reuses the old ReplicaSet with a new revision.
      const bumped = structuredClone(newRS);
      bumped.metadata.annotations = { ...bumped.metadata.annotations, [REVISION]: String(maxRevision + 1) };
      newRS = this.api.update(bumped, { manager: "kube-controller-manager" });
      all = all.map((rs) => (rs.metadata.uid === newRS!.metadata.uid ? newRS! : rs));
    }

    const counts = (rs: ReplicaSet): RSCounts => ({ name: rs.metadata.name, spec: rs.spec.replicas ?? 0, available: rs.status?.availableReplicas ?? 0 });
    const olds = all.filter((rs) => rs !== newRS && rs.metadata.uid !== newRS?.metadata.uid);
    const active = all.filter((rs) => (rs.spec.replicas ?? 0) > 0);

    // A scaling event (spec.replicas changed) is handled proportionally before any rollout step.
    const scaling = active.some((rs) => rs.metadata.annotations?.[DESIRED] !== String(spec.replicas));
    if (scaling && newRS) {
      if (active.length <= 1) {
        const target = active[0] ?? newRS;
        this.scaleRS(d, target, spec.replicas, spec);
      } else if (spec.strategy === "RollingUpdate") {
        const sizes = proportionalScale(
          spec,
          active.map((rs, i): ActiveRS => ({ ...counts(rs), maxReplicasAnnotation: Number(rs.metadata.annotations?.[MAX_REPLICAS] ?? rs.spec.replicas ?? 0) || 1, created: i })),
        );
        for (const rs of active) this.scaleRS(d, rs, sizes.get(rs.metadata.name)!, spec);
      }
    } else if (!d.spec.paused && newRS) {
      if (spec.strategy === "Recreate") {
        const oldRunning = olds.reduce((s, rs) => s + (rs.status?.replicas ?? 0), 0);
        for (const rs of olds) if ((rs.spec.replicas ?? 0) > 0) this.scaleRS(d, rs, 0, spec);
        if (oldRunning === 0 && (newRS.spec.replicas ?? 0) !== spec.replicas) this.scaleRS(d, newRS, spec.replicas, spec);
      } else {
        const allCounts = all.map(counts);
        const next = reconcileNewReplicaSet(spec, allCounts, counts(newRS));
        if (next !== null) this.scaleRS(d, newRS, next, spec);
        else {
          const { sizes } = reconcileOldReplicaSets(spec, allCounts, olds.map(counts), counts(newRS));
          for (const rs of olds) this.scaleRS(d, rs, sizes.get(rs.metadata.name)!, spec);
        }
      }
      this.cleanup(d);
    }
    this.updateStatus(d, newRS);
    return this.requeueStuck(namespace, name);
  }

  /** requeueStuckDeployment: a rollout in progress is looked at again when its deadline would pass. */
  private requeueStuck(namespace: string, name: string): number | undefined {
    const d = this.api.tryGet<Deployment>("Deployment", namespace, name);
    const cond = d?.status?.conditions?.find((c) => c.type === "Progressing");
    if (!d || d.spec.paused || cond?.reason !== "ReplicaSetUpdated" || cond.status !== "True") return undefined;
    const deadline = (d.spec.progressDeadlineSeconds ?? 600) * 1000;
    return Math.max(0, Date.parse(cond.lastUpdateTime ?? this.api.now()) + deadline - this.now()) + 1;
  }

  /** Keep at most revisionHistoryLimit old ReplicaSets with no replicas (oldest go first). */
  private cleanup(d: Deployment): void {
    const limit = d.spec.revisionHistoryLimit ?? 10;
    const all = this.ownedReplicaSets(d);
    const newRS = this.findNewRS(d, all);
    const idle = all.filter((rs) => rs !== newRS && rs.metadata.uid !== newRS?.metadata.uid && (rs.spec.replicas ?? 0) === 0 && (rs.status?.replicas ?? 0) === 0).sort((a, b) => revisionOf(a) - revisionOf(b));
    for (const rs of idle.slice(0, Math.max(0, idle.length - limit))) this.api.delete("ReplicaSet", rs.metadata.namespace, rs.metadata.name);
  }

  private updateStatus(d: Deployment, newRS: ReplicaSet | undefined): void {
    const all = this.ownedReplicaSets(d);
    const spec = rolloutSpec(d);
    const sum = (f: (rs: ReplicaSet) => number) => all.reduce((s, rs) => s + f(rs), 0);
    const fresh = newRS ? all.find((rs) => rs.metadata.uid === newRS.metadata.uid) : undefined;
    const replicas = sum((rs) => rs.status?.replicas ?? 0);
    const available = sum((rs) => rs.status?.availableReplicas ?? 0);
    const status: NonNullable<Deployment["status"]> = {
      observedGeneration: d.metadata.generation ?? 1,
      replicas,
      updatedReplicas: fresh?.status?.replicas ?? 0,
      readyReplicas: sum((rs) => rs.status?.readyReplicas ?? 0),
      availableReplicas: available,
      unavailableReplicas: Math.max(0, spec.replicas - available),
    };
    const now = this.api.now();
    const prev = d.status?.conditions ?? [];
    const cond = (type: string, st: string, reason: string, message: string) => {
      const old = prev.find((c) => c.type === type);
      const changed = !old || old.status !== st;
      return { type, status: st, lastUpdateTime: old && old.reason === reason ? (old.lastUpdateTime ?? now) : now, lastTransitionTime: changed ? now : (old.lastTransitionTime ?? now), reason, message };
    };
    const minAvailable = available >= spec.replicas - maxUnavailable(spec);
    const complete = deploymentComplete(spec.replicas, { updatedReplicas: status.updatedReplicas!, replicas, availableReplicas: available, observedGeneration: status.observedGeneration! }, d.metadata.generation ?? 1);
    const rsName = fresh?.metadata.name ?? "";
    status.conditions = [
      cond("Available", minAvailable ? "True" : "False", minAvailable ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable", minAvailable ? "Deployment has minimum availability." : "Deployment does not have minimum availability."),
      d.spec.paused
        ? cond("Progressing", "Unknown", "DeploymentPaused", "Deployment is paused")
        : complete
          ? cond("Progressing", "True", "NewReplicaSetAvailable", `ReplicaSet "${rsName}" has successfully progressed.`)
          : this.progressCondition(d, status, now, rsName),
    ];
    if (canonical(status) !== canonical(d.status ?? {})) this.api.updateStatus({ ...d, status });
  }

  /**
   * syncRolloutStatus (progress.go): Progressing is True while the counts move (more updated,
   * ready or available replicas, fewer old ones); with no movement for progressDeadlineSeconds
   * it turns False with ProgressDeadlineExceeded — until the rollout moves again (a fixed image,
   * an undo), which makes it True again.
   */
  private progressCondition(d: Deployment, next: NonNullable<Deployment["status"]>, now: string, rsName: string) {
    const prev = d.status ?? {};
    const old = prev.conditions?.find((c) => c.type === "Progressing");
    // Progress: the counts moved, or the rollout now drives another ReplicaSet (new template, undo).
    const moved = (next.updatedReplicas ?? 0) > (prev.updatedReplicas ?? 0) || (next.replicas ?? 0) - (next.updatedReplicas ?? 0) < (prev.replicas ?? 0) - (prev.updatedReplicas ?? 0) || (next.readyReplicas ?? 0) > (prev.readyReplicas ?? 0) || (next.availableReplicas ?? 0) > (prev.availableReplicas ?? 0);
    const otherRS = !old?.message?.includes(`"${rsName}"`);
    if (!old || moved || otherRS || old.reason === "NewReplicaSetAvailable") {
      return { type: "Progressing", status: "True", lastUpdateTime: now, lastTransitionTime: old?.status === "True" ? (old.lastTransitionTime ?? now) : now, reason: "ReplicaSetUpdated", message: `ReplicaSet "${rsName}" is progressing.` };
    }
    const deadline = (d.spec.progressDeadlineSeconds ?? 600) * 1000;
    if (old.reason === "ProgressDeadlineExceeded" || this.now() - Date.parse(old.lastUpdateTime ?? now) > deadline) {
      return { type: "Progressing", status: "False", lastUpdateTime: old.reason === "ProgressDeadlineExceeded" ? (old.lastUpdateTime ?? now) : now, lastTransitionTime: old.status === "False" ? (old.lastTransitionTime ?? now) : now, reason: "ProgressDeadlineExceeded", message: `ReplicaSet "${rsName}" has timed out progressing.` };
    }
    return { type: "Progressing", status: "True", lastUpdateTime: old.lastUpdateTime ?? now, lastTransitionTime: old.lastTransitionTime ?? now, reason: "ReplicaSetUpdated", message: `ReplicaSet "${rsName}" is progressing.` };
  }

}
