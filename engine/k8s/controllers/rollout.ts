// The Deployment controller's arithmetic, rule for rule as in
// pkg/controller/deployment/util/deployment_util.go and rolling.go (see fidelity/RULES.md).
// Pure functions over numbers, so lessons and exercises can show and test each step.

export type IntOrPercent = number | string | undefined | null;

export class FencepostError extends Error {}

/** One ReplicaSet as the rollout math sees it. */
export interface RSCounts {
  name: string;
  /** spec.replicas */
  spec: number;
  /** status.availableReplicas */
  available: number;
}

function scaled(v: IntOrPercent, total: number, roundUp: boolean): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === "number") return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) throw new FencepostError(`invalid value for IntOrString: invalid type: string is not a percentage`);
  const f = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(f) : Math.floor(f);
}

/**
 * maxSurge rounds UP, maxUnavailable rounds DOWN; if both come out 0, unavailable becomes 1
 * (otherwise a rollout could never make progress).
 */
export function resolveFenceposts(maxSurge: IntOrPercent, maxUnavailable: IntOrPercent, desired: number): { surge: number; unavailable: number } {
  const surge = scaled(maxSurge, desired, true);
  let unavailable = scaled(maxUnavailable, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

export interface RolloutSpec {
  replicas: number;
  strategy: "RollingUpdate" | "Recreate";
  maxSurge?: IntOrPercent;
  maxUnavailable?: IntOrPercent;
}

/** MaxUnavailable(d): 0 for Recreate or 0 replicas, else the resolved value capped at replicas. */
export function maxUnavailable(d: RolloutSpec): number {
  if (d.strategy !== "RollingUpdate" || d.replicas === 0) return 0;
  return Math.min(resolveFenceposts(d.maxSurge, d.maxUnavailable, d.replicas).unavailable, d.replicas);
}

export function maxSurge(d: RolloutSpec): number {
  if (d.strategy !== "RollingUpdate") return 0;
  return resolveFenceposts(d.maxSurge, d.maxUnavailable, d.replicas).surge;
}

/** How big the new ReplicaSet may be now (NewRSNewReplicas). */
export function newRSNewReplicas(d: RolloutSpec, all: RSCounts[], newRS: RSCounts): number {
  if (d.strategy === "Recreate") return d.replicas;
  const maxTotal = d.replicas + maxSurge(d);
  const current = all.reduce((s, rs) => s + rs.spec, 0);
  if (current >= maxTotal) return newRS.spec;
  return newRS.spec + Math.min(maxTotal - current, d.replicas - newRS.spec);
}

/** reconcileNewReplicaSet: the new RS's next size, or null when it stays. */
export function reconcileNewReplicaSet(d: RolloutSpec, all: RSCounts[], newRS: RSCounts): number | null {
  if (newRS.spec === d.replicas) return null;
  if (newRS.spec > d.replicas) return d.replicas;
  const n = newRSNewReplicas(d, all, newRS);
  return n === newRS.spec ? null : n;
}

/**
 * reconcileOldReplicaSets: how far each old RS may shrink now without breaking availability.
 * First unhealthy old replicas are removed, then healthy ones down to minAvailable.
 * Returns the new spec for each old RS (oldest first, as given).
 */
export function reconcileOldReplicaSets(d: RolloutSpec, all: RSCounts[], olds: RSCounts[], newRS: RSCounts): { sizes: Map<string, number>; scaled: boolean } {
  const sizes = new Map(olds.map((rs) => [rs.name, rs.spec]));
  const oldTotal = olds.reduce((s, rs) => s + rs.spec, 0);
  if (oldTotal === 0) return { sizes, scaled: false };
  const allPods = all.reduce((s, rs) => s + rs.spec, 0);
  const minAvailable = d.replicas - maxUnavailable(d);
  const newUnavailable = newRS.spec - newRS.available;
  const maxScaledDown = allPods - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return { sizes, scaled: false };

  // 1. clean up unhealthy replicas of old RSs (they cost no availability)
  let budget = maxScaledDown;
  let scaledAny = false;
  for (const rs of olds) {
    if (budget <= 0) break;
    const cur = sizes.get(rs.name)!;
    if (cur === 0 || cur === rs.available) continue;
    const cut = Math.min(budget, cur - rs.available);
    sizes.set(rs.name, cur - cut);
    budget -= cut;
    if (cut > 0) scaledAny = true;
  }

  // 2. scale down healthy old replicas while total availability stays above minAvailable
  const available = all.reduce((s, rs) => s + rs.available, 0);
  if (available > minAvailable) {
    let toScale = available - minAvailable;
    for (const rs of olds) {
      if (toScale <= 0) break;
      const cur = sizes.get(rs.name)!;
      if (cur === 0) continue;
      const cut = Math.min(cur, toScale);
      sizes.set(rs.name, cur - cut);
      toScale -= cut;
      if (cut > 0) scaledAny = true;
    }
  }
  return { sizes, scaled: scaledAny };
}

/** DeploymentComplete: everything updated, nothing extra, all available, status current. */
export function deploymentComplete(replicas: number, status: { updatedReplicas: number; replicas: number; availableReplicas: number; observedGeneration: number }, generation: number): boolean {
  return status.updatedReplicas === replicas && status.replicas === replicas && status.availableReplicas === replicas && status.observedGeneration >= generation;
}

/** Go's math.Round: halves away from zero. */
function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

export interface ActiveRS extends RSCounts {
  /** deployment.kubernetes.io/max-replicas annotation (replicas + maxSurge when it was last scaled) */
  maxReplicasAnnotation: number;
  /** creation order: larger = newer */
  created: number;
}

/**
 * Proportional scaling when spec.replicas changes mid-rollout (sync.go scale): every active RS
 * grows or shrinks in proportion to its size; leftovers go to the largest.
 */
export function proportionalScale(d: RolloutSpec, active: ActiveRS[]): Map<string, number> {
  const out = new Map(active.map((rs) => [rs.name, rs.spec]));
  const allowed = d.replicas > 0 ? d.replicas + maxSurge(d) : 0;
  const current = active.reduce((s, rs) => s + rs.spec, 0);
  const toAdd = allowed - current;
  if (toAdd === 0) return out;
  const up = toAdd > 0;
  const sorted = [...active].sort((a, b) => b.spec - a.spec || (up ? b.created - a.created : a.created - b.created));
  let added = 0;
  for (const rs of sorted) {
    let proportion = 0;
    if (added !== toAdd && rs.spec !== 0) {
      const fraction = d.replicas === 0 ? -rs.spec : roundHalfAway((rs.spec * allowed) / rs.maxReplicasAnnotation) - rs.spec;
      proportion = up ? Math.min(fraction, toAdd - added) : Math.max(fraction, toAdd - added);
    }
    out.set(rs.name, rs.spec + proportion);
    added += proportion;
  }
  if (added !== toAdd && sorted.length) {
    const first = sorted[0]!;
    out.set(first.name, Math.max(0, out.get(first.name)! + (toAdd - added)));
  }
  return out;
}
