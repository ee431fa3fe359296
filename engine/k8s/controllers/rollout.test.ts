// Cases ported from upstream deployment_util_test.go / rolling_test.go (values, not code),
// plus a property: a rolling update never exceeds maxSurge nor drops below maxUnavailable.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { deploymentComplete, maxUnavailable, newRSNewReplicas, proportionalScale, reconcileNewReplicaSet, reconcileOldReplicaSets, resolveFenceposts } from "./rollout";
import type { RolloutSpec, RSCounts } from "./rollout";

describe("ResolveFenceposts", () => {
  it.each([
    ["0%", "0%", 0, 0, 1],
    ["39%", "39%", 10, 4, 3],
    ["oops", "39%", 10, "error", 0],
    ["55%", "urg", 10, "error", 0],
    [null, "39%", 10, 0, 3],
    ["39%", null, 10, 4, 0],
    [null, null, 10, 0, 1],
    ["25%", "25%", 10, 3, 2],
    ["25%", "25%", 3, 1, 0],
  ] as const)("surge %s unavailable %s of %i", (s, u, desired, surge, unavailable) => {
    if (surge === "error") expect(() => resolveFenceposts(s, u, desired)).toThrow();
    else expect(resolveFenceposts(s, u, desired)).toEqual({ surge, unavailable });
  });
});

describe("MaxUnavailable and NewRSNewReplicas", () => {
  const d = (replicas: number, mu: number | string): RolloutSpec => ({ replicas, strategy: "RollingUpdate", maxSurge: 1, maxUnavailable: mu });
  it.each([
    [10, 5, 5],
    [10, 10, 10],
    [5, 10, 5],
    [0, 10, 0],
    [10, "50%", 5],
    [10, "100%", 10],
    [5, "100%", 5],
  ] as const)("replicas %i maxUnavailable %s → %i", (r, mu, want) => expect(maxUnavailable(d(r, mu))).toBe(want));
  it("is 0 for Recreate", () => expect(maxUnavailable({ replicas: 3, strategy: "Recreate" })).toBe(0));

  const rs5: RSCounts = { name: "old", spec: 5, available: 5 };
  it.each([
    ["can not scale up - to newRSReplicas", "RollingUpdate", 1, 5, 1, 5],
    ["scale up - to depReplicas", "RollingUpdate", 6, 2, 10, 6],
    ["recreate - to depReplicas", "Recreate", 3, 1, 1, 3],
  ] as const)("%s", (_n, strategy, dep, newSpec, surge, want) => {
    const newRS = { name: "new", spec: newSpec, available: 0 };
    expect(newRSNewReplicas({ replicas: dep, strategy, maxSurge: surge, maxUnavailable: 1 }, [rs5, newRS], newRS)).toBe(want);
  });
});

describe("DeploymentComplete", () => {
  it.each([
    [5, 5, 5, 4, false],
    [5, 5, 5, 3, false],
    [5, 5, 5, 5, true],
    [5, 5, 4, 5, false],
    [1, 2, 1, 1, false],
    [1, 1, 1, 0, false],
  ])("desired %i current %i updated %i available %i → %s", (desired, current, updated, available, want) => {
    expect(deploymentComplete(desired, { replicas: current, updatedReplicas: updated, availableReplicas: available, observedGeneration: 1 }, 1)).toBe(want);
  });
});

describe("rolling update", () => {
  /** Simulate a rollout where new pods become available `lag` steps after creation. */
  function simulate(spec: RolloutSpec, start: number, readyEveryStep: boolean) {
    let old = { name: "old", spec: start, available: start };
    let nu = { name: "new", spec: 0, available: 0 };
    const history: { total: number; available: number }[] = [];
    for (let step = 0; step < 200 && !(nu.spec === spec.replicas && old.spec === 0 && nu.available === spec.replicas); step++) {
      const all = [old, nu];
      const next = reconcileNewReplicaSet(spec, all, nu);
      if (next !== null) nu = { ...nu, spec: next };
      else {
        const { sizes } = reconcileOldReplicaSets(spec, all, [old], nu);
        old = { ...old, spec: sizes.get("old")!, available: Math.min(old.available, sizes.get("old")!) };
      }
      history.push({ total: old.spec + nu.spec, available: old.available + nu.available });
      // pods become available
      if (readyEveryStep) nu = { ...nu, available: nu.spec };
    }
    return { history, done: nu.spec === spec.replicas && old.spec === 0 };
  }

  it("never exceeds replicas + maxSurge, never drops below replicas - maxUnavailable, and finishes", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constantFrom("0%", "10%", "25%", "50%")), fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constantFrom("0%", "10%", "25%", "50%")), (replicas, ms, mu) => {
        const spec: RolloutSpec = { replicas, strategy: "RollingUpdate", maxSurge: ms, maxUnavailable: mu };
        const { surge, unavailable } = resolveFenceposts(ms, mu, replicas);
        const { history, done } = simulate(spec, replicas, true);
        expect(done).toBe(true);
        for (const h of history) {
          expect(h.total).toBeLessThanOrEqual(replicas + surge);
          expect(h.available).toBeGreaterThanOrEqual(replicas - Math.min(unavailable, replicas));
        }
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  it("with maxUnavailable 0 a new RS that never becomes available stalls the rollout without losing capacity", () => {
    const spec: RolloutSpec = { replicas: 4, strategy: "RollingUpdate", maxSurge: 1, maxUnavailable: 0 };
    const { history, done } = simulate(spec, 4, false);
    expect(done).toBe(false);
    expect(Math.min(...history.map((h) => h.available))).toBe(4);
  });
});

describe("proportional scaling", () => {
  it("splits new replicas across the active ReplicaSets by size, leftovers to the largest", () => {
    // 10 replicas mid-rollout: old 8 + new 5 = 13 (= 10 + 3 surge). Scale to 15: allowed 15 + 4 = 19, toAdd 6.
    const spec: RolloutSpec = { replicas: 15, strategy: "RollingUpdate", maxSurge: "25%", maxUnavailable: "25%" };
    const out = proportionalScale(spec, [
      { name: "old", spec: 8, available: 8, maxReplicasAnnotation: 13, created: 1 },
      { name: "new", spec: 5, available: 0, maxReplicasAnnotation: 13, created: 2 },
    ]);
    expect(out.get("old")! + out.get("new")!).toBe(19);
    expect(out.get("old")).toBe(12);
    expect(out.get("new")).toBe(7);
  });
});
