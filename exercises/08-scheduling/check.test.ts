// Exercise 8 is honest: its checks fail on the starter, pass on the reference solution, and a
// layout that is wrong in one way fails the check about that — judged by the scheduler's own
// filters, so a pod that lands right by luck still fails.
import { describe, expect, it } from "vitest";
import exercise, { LAB_SCRIPT } from "./check";
import type { CheckResult } from "../exercise";
import { failing, starterAndSolution } from "../lib/grading";

const { starter, solution } = starterAndSolution(exercise);

function grade(yaml: string, after?: string): CheckResult[] {
  const host = exercise.setup();
  const r = exercise.apply(host, yaml);
  expect(r.exitCode, r.stderr).toBe(0);
  if (after) {
    host.sh(after);
    host.tick(15_000);
  }
  return exercise.check(host);
}
const byName = (rs: CheckResult[], prefix: string) => rs.find((r) => r.name.startsWith(prefix))!;

const DB = "db runs on worker-1, and nowhere else would do";
const BATCH = "batch runs on worker-3, and nowhere else would do";
const WEB = "web's 2 replicas run on worker-2, and nowhere else would do";
const NODES = "the nodes keep their labels and taints";

function edit(from: string, to: string): string {
  expect(solution).toContain(from);
  return solution.replace(from, to);
}

describe("exercise 8: scheduling layout", () => {
  it("fails every placement check on the starter, each with a hint", () => {
    const rs = grade(starter);
    expect(rs.map((r) => r.name)).toEqual([DB, BATCH, WEB, NODES]);
    expect(failing(rs)).toEqual([DB, BATCH, WEB]);
    for (const r of rs.filter((x) => !x.ok)) expect(r.hint, r.name).toBeTruthy();
    expect(byName(rs, "db").detail).toMatch(/^db runs on worker-[12]; by its constraints it could run on worker-1, worker-2\.$/);
    expect(byName(rs, "batch").hint).toBe("worker-3 rejects it: TaintToleration: node(s) had untolerated taint {dedicated: batch}.");
  });

  it("passes every check on the reference solution", () => {
    const rs = grade(solution);
    expect(failing(rs)).toEqual([]);
    expect(byName(rs, "batch").detail).toBe("batch runs on worker-3, and worker-3 is the only node its constraints allow.");
  });

  it("a toleration alone is not enough: batch may run on worker-3 but is not sent there", () => {
    const rs = grade(edit("  nodeSelector:\n    dedicated: batch\n", ""));
    expect(failing(rs)).toEqual([BATCH]);
    expect(byName(rs, "batch").detail).toMatch(/could run on worker-1, worker-2, worker-3\.$/);
  });

  it("a selector without the toleration leaves batch Pending, with the FailedScheduling reasons", () => {
    const rs = grade(edit("  tolerations:\n  - key: dedicated\n    operator: Equal\n    value: batch\n    effect: NoSchedule\n", ""));
    expect(failing(rs)).toEqual([BATCH]);
    expect(byName(rs, "batch").detail).toBe("batch is Pending: 0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: batch}, 2 node(s) didn't match Pod's node affinity/selector.");
  });

  it("spec.nodeName is not scheduling", () => {
    const rs = grade(edit("  nodeSelector:\n    disktype: ssd\n", "  nodeName: worker-1\n"));
    expect(failing(rs)).toEqual([DB]);
    expect(byName(rs, "db").detail).toBe("db names its node in spec.nodeName, so the scheduler never placed it.");
  });

  it("web without its anti-SSD affinity fails, whatever node the scores picked", () => {
    const rs = grade(edit("                operator: DoesNotExist", "                operator: Exists"));
    expect(failing(rs)).toEqual([WEB]);
    expect(byName(rs, "web").hint).toMatch(/^worker-2 rejects it: NodeAffinity/);
  });

  it("removing the taint to make room is caught, and it opens worker-3 to web", () => {
    const rs = grade(solution, "kubectl taint node worker-3 dedicated=batch:NoSchedule-");
    expect(failing(rs)).toEqual([WEB, NODES]);
    expect(byName(rs, "web").detail).toMatch(/could run on worker-2, worker-3\.$/);
    expect(byName(rs, NODES).detail).toBe("worker-3 lost its taint dedicated=batch:NoSchedule.");
  });

  it("starts from a three-worker cluster with the SSD label and the batch taint, history empty", () => {
    const h = exercise.setup();
    expect(h.history()).toEqual([]);
    expect(LAB_SCRIPT).toContain("kubectl taint node worker-3 dedicated=batch:NoSchedule");
    expect(h.sh("kubectl get nodes -l disktype=ssd -o name").stdout).toBe("node/worker-1\n");
  });
});
