// What every exercise's check.test.ts does before it asserts anything: read the starter and the
// reference solution, and grade a piece of work on a fresh lab. For tests only (it uses expect).
import { readFileSync } from "node:fs";
import { expect } from "vitest";
import type { ShResult } from "../../engine";
import type { CheckResult, Exercise } from "../exercise";

const exercises = new URL("../", import.meta.url);

/** The file the learner edits, as the exercise ships it, and the reference solution's version. */
export function starterAndSolution(ex: Exercise): { starter: string; solution: string } {
  const read = (path: string) => readFileSync(new URL(path, exercises), "utf8");
  return { starter: read(`${ex.slug}/${ex.starter}`), solution: read(`solutions/${ex.slug}/${ex.starter}`) };
}

/** A fresh lab, the work applied to it, then the checks; `applied` asserts what applying did. */
export function gradeWork(ex: Exercise, work: string, applied: (r: ShResult) => void = () => {}): CheckResult[] {
  const host = ex.setup();
  applied(ex.apply(host, work));
  return ex.check(host);
}

/** Applying printed no error. */
export const noStderr = (r: ShResult): void => {
  expect(r.stderr).toBe("");
};

/** Applying succeeded (the error text shown if not). */
export const exitsZero = (r: ShResult): void => {
  expect(r.exitCode, r.stderr).toBe(0);
};

/** The names of the checks that failed, in order. */
export const failing = (rs: CheckResult[]): string[] => rs.filter((r) => !r.ok).map((r) => r.name);
