// Exercise 2 is honest: its checks fail on the starter, pass on the reference solution, and a
// script that is wrong in one way fails the check about that, with a hint computed from state.
import { describe, expect, it } from "vitest";
import exercise from "./check";
import { failing, gradeWork, starterAndSolution } from "../lib/grading";

const { starter, solution } = starterAndSolution(exercise);
const grade = (script: string) => gradeWork(exercise, script);

const PIDNS = "A process runs in its own PID namespace";
const PID1 = "It is PID 1 inside";
const UTS = "It has its own UTS namespace with hostname box";
const PROC = "ps inside it sees its own PID namespace (--mount-proc)";
const HOST = "The host's hostname is unchanged";

describe("exercise 2: namespaces", () => {
  it("fails on the starter, each failing check with a hint", () => {
    const rs = grade(starter);
    expect(failing(rs)).toEqual([PIDNS, PID1, UTS, PROC]);
    for (const r of rs.filter((r) => !r.ok)) expect(r.hint, r.name).toBeTruthy();
  });

  it("passes on the reference solution", () => {
    expect(failing(grade(solution))).toEqual([]);
  });

  it("passes when sh stays PID 1 and sleep is its child (no exec)", () => {
    expect(failing(grade("unshare --uts --pid --fork --mount-proc sh -c 'hostname box; sleep infinity' &\n"))).toEqual([]);
  });

  it("catches a forgotten --uts: the hostname leaks to the host", () => {
    const rs = grade("unshare --pid --fork --mount-proc sh -c 'hostname box; exec sleep infinity' &\n");
    expect(failing(rs)).toEqual([UTS, HOST]);
    expect(rs.find((r) => r.name === UTS)!.hint).toMatch(/--uts/);
    expect(rs.find((r) => r.name === HOST)!.detail).toBe("The host's hostname is now box: hostname ran in the host's UTS namespace.");
  });

  it("catches a forgotten --fork: nothing enters the new PID namespace", () => {
    const rs = grade("unshare --uts --pid --mount-proc sh -c 'hostname box; exec sleep infinity' &\n");
    expect(failing(rs)).toEqual([PIDNS, PID1, UTS, PROC]);
    expect(rs[0]!.detail).toMatch(/has its own UTS namespace but shares the host's PID namespace/);
    expect(rs[0]!.hint).toMatch(/--fork/);
  });

  it("catches a forgotten --mount-proc", () => {
    expect(failing(grade("unshare --uts --pid --fork sh -c 'hostname box; exec sleep infinity' &\n"))).toEqual([PROC]);
  });

  it("catches a process that does not last: sleep 2 is gone 5 s later", () => {
    const rs = grade("unshare --uts --pid --fork --mount-proc sh -c 'hostname box; exec sleep 2' &\n");
    expect(failing(rs)).toEqual([PIDNS, PID1, UTS, PROC]);
  });

  it("catches a wrong hostname inside", () => {
    const rs = grade("unshare --uts --pid --fork --mount-proc sh -c 'hostname bx; exec sleep infinity' &\n");
    expect(failing(rs)).toEqual([UTS]);
    expect(rs.find((r) => r.name === UTS)!.detail).toMatch(/its hostname is bx/);
  });
});
