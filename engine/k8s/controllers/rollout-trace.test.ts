// Real rollouts in the engine, watched step by step: the Deployment controller never exceeds
// replicas + maxSurge pods nor drops below replicas − maxUnavailable available pods, whatever
// the rounding; the same manifest gives the same steps; a bad image stalls inside the bounds.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { demoDeployment, runRollout } from "./rollout-trace";
import { resolveFenceposts } from "./rollout";

const bounds = (samples: { pods: number; available: number }[]) => ({ maxPods: Math.max(...samples.map((s) => s.pods)), minAvailable: Math.min(...samples.map((s) => s.available)) });

describe("rollouts watched step by step", () => {
  for (const [replicas, surge, unavailable, minReady] of [
    [10, "25%", "25%", 0],
    [10, "25%", "25%", 5],
    [10, 2, 1, 5],
    [10, "5%", "5%", 0],
    [4, "0%", "50%", 0],
    [7, 3, 0, 2],
  ] as const) {
    it(`${replicas} replicas, maxSurge ${surge}, maxUnavailable ${unavailable}, minReadySeconds ${minReady}: inside the bounds, and it reaches them`, () => {
      const run = runRollout(demoDeployment({ replicas, maxSurge: surge, maxUnavailable: unavailable, minReadySeconds: minReady }));
      expect(run.error).toBeUndefined();
      expect(run.complete).toBe(true);
      const f = resolveFenceposts(surge, unavailable, replicas);
      const b = bounds(run.samples);
      expect(b.maxPods).toBeLessThanOrEqual(replicas + f.surge);
      expect(b.minAvailable).toBeGreaterThanOrEqual(replicas - f.unavailable);
      // The controller uses the room it has: it reaches the surge bound (when there is surge).
      if (f.surge > 0) expect(b.maxPods).toBe(replicas + f.surge);
      const last = run.samples.at(-1)!;
      expect(last.replicaSets.map((r) => r.pods)).toEqual([0, replicas]);
      expect(last.available).toBe(replicas);
      for (const s of run.samples) expect(s.pods).toBe(s.replicaSets.reduce((n, r) => n + r.pods, 0));
    });
  }

  it("property: any valid strategy stays inside its bounds at every step of a real rollout", () => {
    const intOrPct = fc.oneof(fc.integer({ min: 0, max: 4 }), fc.constantFrom("0%", "10%", "25%", "33%", "50%", "100%"));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), intOrPct, intOrPct, fc.constantFrom(0, 3), (replicas, surge, unavailable, minReady) => {
        const isZero = (v: number | string) => v === 0 || v === "0%";
        fc.pre(!(isZero(surge) && isZero(unavailable)));
        const run = runRollout(demoDeployment({ replicas, maxSurge: surge, maxUnavailable: unavailable, minReadySeconds: minReady }));
        const f = resolveFenceposts(surge, unavailable, replicas);
        const b = bounds(run.samples);
        expect(run.complete).toBe(true);
        expect(b.maxPods).toBeLessThanOrEqual(replicas + f.surge);
        expect(b.minAvailable).toBeGreaterThanOrEqual(replicas - Math.min(f.unavailable, replicas));
      }),
      { numRuns: 8, seed: 42 },
    );
  });

  it("is deterministic: the same manifest gives the same steps", () => {
    const a = runRollout(demoDeployment({ replicas: 10, maxSurge: "25%", maxUnavailable: "25%", minReadySeconds: 5 }));
    const b = runRollout(demoDeployment({ replicas: 10, maxSurge: "25%", maxUnavailable: "25%", minReadySeconds: 5 }));
    expect(JSON.stringify(b.samples)).toBe(JSON.stringify(a.samples));
    expect(a.endedAt - a.startedAt).toBe(10_000); // two waits of minReadySeconds
  });

  it("a bad image stalls the rollout at the bounds: replicas + surge pods, replicas − unavailable available", () => {
    const run = runRollout(demoDeployment({ replicas: 4, maxSurge: "25%", maxUnavailable: "25%", minReadySeconds: 5 }), { change: "kubectl set image deployment/web nginx=nginx:1.29", limitMs: 60_000 });
    expect(run.complete).toBe(false);
    const last = run.samples.at(-1)!;
    expect(last.pods).toBe(5);
    expect(last.available).toBe(3);
    expect(last.replicaSets.map((r) => [r.image, r.pods, r.available])).toEqual([["nginx:1.27", 3, 3], ["nginx:1.29", 2, 0]]);
  });

  it("reports what the API server refuses", () => {
    const run = runRollout(demoDeployment({ replicas: 4, maxSurge: 0, maxUnavailable: 0 }));
    expect(run.error).toContain("may not be 0 when `maxSurge` is 0");
    expect(run.samples).toEqual([]);
  });
});
