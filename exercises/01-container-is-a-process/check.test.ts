// Exercise 1 is honest: its checks fail on the starter, pass on the reference solution, and a
// script that is wrong in one way fails the check about that, with a hint computed from state.
import { describe, expect, it } from "vitest";
import exercise, { FILES, HOSTNAME } from "./check";
import type { CheckResult } from "../exercise";
import { failing, gradeWork, starterAndSolution } from "../lib/grading";

const { starter, solution } = starterAndSolution(exercise);
const grade = (script: string) => gradeWork(exercise, script);
const byName = (rs: CheckResult[], start: string) => rs.find((r) => r.name.startsWith(start))!;

/** The container's truth, straight from the engine. */
function truth() {
  const s = exercise.setup().snapshot();
  const c = s.processes.find((p) => p.nspid.length > 1 && p.nspid.at(-1) === 1)!;
  return { pid: c.pid, ppid: c.ppid, net: c.ns.net };
}
const { pid, ppid, net } = truth();

const RIGHT = {
  pid: `echo ${pid} > ${FILES.pid}`,
  hostname: `nsenter -t ${pid} --uts hostname > ${FILES.hostname}`,
  netns: `readlink /proc/${pid}/ns/net > ${FILES.netns}`,
};
const script = (over: Partial<typeof RIGHT>) => Object.values({ ...RIGHT, ...over }).join("\n") + "\n";

describe("exercise 1: a container is just a process", () => {
  it("sets up a detached container: PID 1 inside, another PID on the host, its own hostname", () => {
    const h = exercise.setup();
    expect(h.history()).toEqual([]);
    expect(pid).toBeGreaterThan(1);
    expect(h.sh(`nsenter -t ${pid} --uts hostname`).stdout).toBe(`${HOSTNAME}\n`);
    expect(h.sh("hostname").stdout).toBe("node\n");
    expect(h.sh("jobs").stdout).toBe("");
  });

  it("fails on the starter, each failing check with a hint", () => {
    const rs = grade(starter);
    expect(failing(rs)).toEqual(rs.slice(1).map((r) => r.name));
    for (const r of rs.filter((r) => !r.ok)) expect(r.hint, r.name).toBeTruthy();
  });

  it("passes on the reference solution", () => {
    expect(failing(grade(solution))).toEqual([]);
  });

  it("accepts the bare inode number as well as net:[N]", () => {
    expect(failing(grade(script({ netns: `echo ${net} > ${FILES.netns}` })))).toEqual([]);
  });

  it("catches the PID the container sees (1), and names the host's PID in the detail", () => {
    const rs = grade(script({ pid: `echo 1 > ${FILES.pid}` }));
    expect(failing(rs)).toEqual([`${FILES.pid} holds the container's host PID`]);
    expect(byName(rs, FILES.pid).detail).toBe(`${FILES.pid} holds 1 — that is the container's PID inside its own namespace; the host sees it as PID ${pid}.`);
  });

  it("catches the unshare parent instead of the container", () => {
    const rs = grade(script({ pid: `pidof unshare > ${FILES.pid}` }));
    expect(failing(rs)).toEqual([`${FILES.pid} holds the container's host PID`]);
    expect(byName(rs, FILES.pid).detail).toContain(`holds ${ppid}: that is unshare, the container's parent`);
  });

  it("catches the host's hostname and the host's network namespace", () => {
    const rs = grade(script({ hostname: `hostname > ${FILES.hostname}`, netns: `readlink /proc/1/ns/net > ${FILES.netns}` }));
    expect(failing(rs)).toEqual([`${FILES.hostname} holds the container's hostname`, `${FILES.netns} holds its network namespace`]);
    expect(byName(rs, FILES.hostname).hint).toBe(`Run hostname inside the container's UTS namespace: nsenter -t ${pid} --uts hostname`);
    expect(byName(rs, FILES.netns).detail).toMatch(/the host's network namespace/);
  });

  it("catches another namespace's link in place of the network one", () => {
    const rs = grade(script({ netns: `readlink /proc/${pid}/ns/uts > ${FILES.netns}` }));
    expect(failing(rs)).toEqual([`${FILES.netns} holds its network namespace`]);
    expect(byName(rs, FILES.netns).detail).toMatch(/inode of a uts namespace/);
  });

  it("fails everything, saying why, when the script kills the container", () => {
    // SIGKILL: a plain `kill` (SIGTERM) does not reach a PID 1 without a handler, as in Linux.
    const rs = grade(`kill -9 ${pid}\n` + script({}));
    expect(rs.every((r) => !r.ok)).toBe(true);
    expect(rs[0]!.detail).toMatch(/not running any more/);
  });
});
