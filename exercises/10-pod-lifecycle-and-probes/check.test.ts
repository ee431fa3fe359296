// Exercise 10 is honest: the starter (a liveness probe alone) fails, the reference solution
// passes, and a solution missing one probe fails the check about what that probe does —
// found by watching the kubelet start, probe and restart the app in virtual time.
import { describe, expect, it } from "vitest";
import exercise from "./check";
import { failing, gradeWork, noStderr, starterAndSolution } from "../lib/grading";

const { starter, solution } = starterAndSolution(exercise);
const grade = (yaml: string) => gradeWork(exercise, yaml, noStderr);

/** The solution without one probe (its whole block). */
function without(probe: string): string {
  const re = new RegExp(`        ${probe}:\\n(?:          .*\\n)+`);
  expect(solution).toMatch(re);
  return solution.replace(re, "");
}

describe("exercise 10: probes for a slow starter", () => {
  it("fails on the starter: ready too early, killed while starting, with the kubelet's words in the detail", () => {
    const rs = grade(starter);
    expect(rs.map((r) => r.ok)).toEqual([true, false, false, false]);
    expect(rs[3]!.detail).toBe("At 90 s the app was not up and Ready on its first container, so there was no health to break yet.");
    const start = rs[2]!;
    expect(start.detail).toContain('The kubelet said: "Container web failed liveness probe, will be restarted"');
    expect(start.detail).toContain("Liveness probe failed: Get \"http://10.200.");
    expect(start.hint).toMatch(/Add a startupProbe/);
    for (const r of rs.filter((x) => !x.ok)) expect(r.hint, r.name).toBeTruthy();
  });

  it("passes on the reference solution", () => {
    const rs = grade(solution);
    expect(failing(rs)).toEqual([]);
    expect(rs[2]!.detail).toMatch(/^No restart; Ready (6\d|70) s after the container started\.$/);
    expect(rs[3]!.detail).toMatch(/^Restarted [23]\d s after \/healthz started failing: "Container web failed liveness probe, will be restarted"\.$/);
  });

  it("no liveness probe: starts fine, but is never restarted", () => {
    const rs = grade(without("livenessProbe"));
    expect(failing(rs)).toEqual([rs[3]!.name]);
    expect(rs[3]!.hint).toMatch(/Only a liveness probe/);
  });

  it("a startup probe with too few tries is as bad as none", () => {
    const rs = grade(solution.replace("failureThreshold: 30", "failureThreshold: 3"));
    expect(failing(rs)).toEqual([rs[2]!.name, rs[3]!.name]);
    expect(rs[2]!.detail).toContain("Container web failed startup probe, will be restarted");
  });

  it("a Deployment without the slow start is not accepted", () => {
    const rs = grade(solution.replace('value: "60"', 'value: "0"'));
    expect(rs[0]).toMatchObject({ ok: false, detail: 'STARTUP_DELAY is "0".' });
    expect(failing(rs)).toHaveLength(4);
  });
});
