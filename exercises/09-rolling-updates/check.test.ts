// Exercise 9 is honest: the grader runs a real rollout of the learner's Deployment in the
// engine and watches every step. The starter (the 25 % defaults) breaks both bounds; the
// reference solution keeps both; each wrong choice fails the bound it breaks.
import { describe, expect, it } from "vitest";
import exercise from "./check";
import { LAB_FILES } from "./lab-files";
import type { CheckResult } from "../exercise";
import { exitsZero, failing, gradeWork, starterAndSolution } from "../lib/grading";

const { starter, solution } = starterAndSolution(exercise);
const grade = (yaml: string) => gradeWork(exercise, yaml, exitsZero);
const byName = (rs: CheckResult[], prefix: string) => rs.find((r) => r.name.startsWith(prefix))!;

const SHAPE = "shop is a Deployment of 10 replicas with the RollingUpdate strategy";
const PODS = "the rollout never runs more than 12 pods";
const AVAIL = "the rollout never has fewer than 9 pods available";
const DONE = "the rollout completes";
const strategy = (surge: string, unavailable: string) => solution.replace("maxSurge: 2\n      maxUnavailable: 1", `maxSurge: ${surge}\n      maxUnavailable: ${unavailable}`);

describe("exercise 9: rolling update bounds", () => {
  it("fails both bounds on the starter (25 % / 25 %: 13 pods, 8 available), with hints that do the rounding", () => {
    const rs = grade(starter);
    expect(failing(rs)).toEqual([PODS, AVAIL]);
    expect(byName(rs, PODS).detail).toMatch(/^13 pods \d+ s into the rollout: shop-[a-z0-9]+ \d+ \(\d+ available\), shop-[a-z0-9]+ \d+ \(\d+ available\)\.$/);
    expect(byName(rs, PODS).hint).toBe("maxSurge 25% of 10 resolves to 3 (rounded up), maxUnavailable 25% to 2 (rounded down): up to 10 + 3 = 13 pods. For at most 12, maxSurge must resolve to 2.");
    expect(byName(rs, AVAIL).detail).toMatch(/^Only 8 available/);
  });

  it("passes on the reference solution, watching dozens of steps", () => {
    const rs = grade(solution);
    expect(failing(rs)).toEqual([]);
    expect(Number(/over (\d+) observed steps/.exec(byName(rs, PODS).detail)![1])).toBeGreaterThan(20);
    expect(byName(rs, PODS).detail).toMatch(/^At most 12 pods/);
    expect(byName(rs, AVAIL).detail).toMatch(/^At least 9 available/);
  });

  it("percentages that round the right way pass too: 20 % surge rounds up to 2, 10 % unavailable down to 1", () => {
    expect(failing(grade(strategy("20%", "10%")))).toEqual([]);
  });

  it("fails only the bound that is broken", () => {
    expect(failing(grade(strategy("3", "1")))).toEqual([PODS]);
    expect(failing(grade(strategy("2", "15%")))).toEqual([]);
    expect(failing(grade(strategy("2", "20%")))).toEqual([AVAIL]);
    // No surge and no unavailability is refused by the API server: nothing to grade.
    const host = exercise.setup();
    expect(exercise.apply(host, strategy("0", "0")).stderr).toContain("may not be 0 when `maxSurge` is 0");
  });

  it("a Recreate Deployment loses every pod at once", () => {
    const rs = grade(solution.replace(/ {2}strategy:\n(.*\n){4}/, "  strategy:\n    type: Recreate\n"));
    expect(failing(rs)).toEqual([SHAPE, AVAIL]);
    expect(byName(rs, AVAIL).detail).toMatch(/^Only 0 available/);
  });

  it("grades the Deployment in the cluster, and says so when there is none", () => {
    const rs = exercise.check(exercise.setup());
    expect(failing(rs)).toEqual([SHAPE, PODS, AVAIL, DONE]);
    expect(rs[0]!.hint).toBe("Apply your manifest: kubectl apply -f shop.yaml");
  });

  it("the lab keeps the starter in /root, identical to the file", () => {
    expect(LAB_FILES["shop.yaml"]).toBe(starter);
    const host = exercise.setup();
    expect(host.history()).toEqual([]);
    expect(host.sh("cat /root/shop.yaml").stdout).toBe(starter);
  });
});
