// Exercise 6 is honest: the checks fail on the starter, pass on the reference solution, and a
// script that is wrong in one way fails the checks about that — found by sending connections.
import { describe, expect, it } from "vitest";
import exercise, { CONNECTIONS, expectedShares } from "./check";
import type { CheckResult } from "../exercise";
import { failing, gradeWork, noStderr, starterAndSolution } from "../lib/grading";

const { starter, solution } = starterAndSolution(exercise);
const grade = (script: string) => gradeWork(exercise, script, noStderr);
const ANSWERS = "10.32.0.200:80 answers from the client pod on worker-1";
const ALL3 = "connections reach all three endpoints (shop-1, shop-2, shop-3)";
const EVEN = "each endpoint gets 1000 ± 100 of 3000 connections";
const KUBE = "kube-proxy's own rules still work: the kube-dns Service (10.32.0.10, TCP 53) answers the client";
const byName = (rs: CheckResult[], n: string) => rs.find((r) => r.name === n)!;
const counts = (r: CheckResult) => [...r.detail.matchAll(/shop-\d \(\S+\) (\d+)/g)].map((m) => Number(m[1]));

describe("exercise 6: a Service by hand", () => {
  it("fails on the starter: every connection lands on endpoint 1, and the hint says why", () => {
    const rs = grade(starter);
    expect(rs.map((r) => r.name)).toEqual([ANSWERS, ALL3, EVEN, KUBE]);
    expect(failing(rs)).toEqual([ALL3, EVEN]);
    expect(counts(byName(rs, EVEN))).toEqual([CONNECTIONS, 0, 0]);
    expect(byName(rs, EVEN).hint).toMatch(/^Your first rule in SHOP-SVC has no statistic match, so it takes every connection: endpoint 1 gets ~100%\./);
  });

  it("passes on the reference solution, with 3,000 connections split within the tolerance", () => {
    const rs = grade(solution);
    expect(failing(rs)).toEqual([]);
    const c = counts(byName(rs, EVEN));
    expect(c.reduce((a, b) => a + b, 0)).toBe(CONNECTIONS);
    for (const n of c) expect(Math.abs(n - 1000)).toBeLessThanOrEqual(100);
  });

  it("catches 0.5 / 0.5: half to the first endpoint, a quarter to each of the others", () => {
    const rs = grade(solution.replace("--probability 0.3333333333", "--probability 0.5"));
    expect(failing(rs)).toEqual([EVEN]);
    const [a, b, c] = counts(byName(rs, EVEN));
    expect(Math.abs(a! - 1500)).toBeLessThan(120);
    expect(Math.abs(b! - 750)).toBeLessThan(120);
    expect(Math.abs(c! - 750)).toBeLessThan(120);
    expect(byName(rs, EVEN).hint).toMatch(/^Your first rule in SHOP-SVC has probability 0\.5: endpoint 1 gets ~50%\. With these rules the split is 50% \/ 25% \/ 25%/);
  });

  it("catches 1/3 everywhere: each rule only sees what the rules above it let through", () => {
    const rs = grade(solution.replace("--probability 0.5000000000", "--probability 0.3333333333"));
    expect(failing(rs)).toEqual([EVEN]);
    expect(byName(rs, EVEN).hint).toContain("33% / 22% / 44%");
  });

  it("catches a wrong endpoint address: some connections go nowhere", () => {
    const rs = grade(solution.replace("$EP3:80", "10.200.9.9:80"));
    expect(failing(rs)).toContain(ANSWERS);
    expect(byName(rs, ANSWERS).detail).toMatch(/^\d+ of 3000 connections failed/);
  });

  it("catches a flushed nat table (iptables-restore without --noflush): kube-proxy's Services stop working", () => {
    const rs = grade(solution.replace("iptables-restore --noflush", "iptables-restore"));
    expect(failing(rs)).toEqual([KUBE]);
    expect(byName(rs, KUBE).hint).toContain("--noflush");
  });

  it("computes each rule's share from the probabilities", () => {
    expect(expectedShares([1 / 3, 0.5, null]).map((x) => x.toFixed(3))).toEqual(["0.333", "0.333", "0.333"]);
    expect(expectedShares([0.5, 0.5, null])).toEqual([0.5, 0.25, 0.25]);
  });
});
