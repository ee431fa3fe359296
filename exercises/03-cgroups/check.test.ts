// Exercise 3 is honest: its checks fail on the starter, pass on the reference solution, and a
// script that is wrong in one way fails the checks about that way (with a hint computed from the
// lab's state) and passes the others.
import { describe, expect, it } from "vitest";
import exercise, { APP, CG, NEIGHBOUR, SESSION } from "./check";
import type { CheckResult } from "../exercise";
import type { Host } from "../../engine";
import { failing, starterAndSolution } from "../lib/grading";

const { starter, solution } = starterAndSolution(exercise);

function run(script: string): { host: Host; rs: CheckResult[] } {
  const host = exercise.setup();
  exercise.apply(host, script);
  return { host, rs: exercise.check(host) };
}
const grade = (script: string) => run(script).rs;
const named = (rs: CheckResult[], start: string) => rs.find((r) => r.name.startsWith(start))!;

const D = `${CG}${APP}`;
const MAKE = `mkdir ${D}`;
const CPU = `echo "50000 100000" > ${D}/cpu.max`;
const MEM = `echo 200M > ${D}/memory.max`;
const WEIGHT = `echo 200 > ${D}/cpu.weight`;
const JOIN = `echo $$ > ${D}/cgroup.procs`;
const WORK = "stress --cpu 1 --vm 1 --vm-bytes 150M --vm-keep >/dev/null 2>&1 &";
const lines = (...ls: string[]) => ls.join("\n") + "\n";

describe("exercise 3: cgroups", () => {
  it("starts with a busy neighbour and nothing in the learner's history", () => {
    const h = exercise.setup();
    expect(h.history()).toEqual([]);
    const n = h.snapshot().cgroups.find((c) => c.path === NEIGHBOUR)!;
    expect(n.cpu.weight).toBe(500);
    expect(n.cpu.recentCpuPercent).toBeCloseTo(200, 0);
    expect(h.sh("cat /proc/self/cgroup").stdout).toBe(`0::${SESSION}\n`);
    expect(h.sh("jobs").stdout).toBe("");
  });

  it("fails on the starter, every failure with a hint", () => {
    const rs = grade(starter);
    expect(rs.length).toBe(9);
    expect(failing(rs)).toEqual(rs.filter((r) => r.name !== "The neighbour is left alone").map((r) => r.name));
    for (const r of rs.filter((r) => !r.ok)) expect(r.hint, r.name).toBeTruthy();
    expect(rs[0]!.hint).toMatch(/mkdir \/sys\/fs\/cgroup\/app/);
  });

  it("passes on the reference solution", () => {
    const { host, rs } = run(solution);
    expect(failing(rs)).toEqual([]);
    // The same numbers, measured independently: usage_usec over a 2 s window is half a CPU.
    const usage = () => Number(/^usage_usec (\d+)$/m.exec(host.readFile(`${D}/cpu.stat`)!)![1]);
    const before = usage();
    host.tick(2_000);
    const delta = usage() - before;
    expect(delta).toBeLessThanOrEqual(1_000_000);
    expect(delta).toBeGreaterThan(990_000);
    expect(Number(host.readFile(`${D}/memory.current`))).toBeLessThanOrEqual(200 * 1024 * 1024);
    expect(host.readFile(`${D}/memory.events`)).toMatch(/^oom_kill 0$/m);
  });

  it("an unset cpu.max is named in the detail and the hint", () => {
    const rs = grade(lines(MAKE, MEM, WEIGHT, JOIN, WORK));
    expect(failing(rs)).toEqual(["cpu.max caps app at half a CPU", "CPU use stays at or below half a CPU (cpu.stat shows throttling)"]);
    expect(named(rs, "cpu.max").detail).toMatch(/cpu.max is "max 100000": no quota set/);
    expect(named(rs, "CPU use").detail).toMatch(/used 0.57 CPU \(57.1%\)/);
  });

  it("a cap without a weight is starved by the neighbour: the weight check says how much to ask for", () => {
    const rs = grade(lines(MAKE, CPU, MEM, JOIN, WORK));
    expect(failing(rs)).toEqual(["CPU use stays at or below half a CPU (cpu.stat shows throttling)", "app gets its half CPU while the neighbour bursts (cpu.weight)"]);
    const w = named(rs, "app gets");
    expect(w.detail).toContain("2 CPUs × 100 / (100 + /neighbour 500) = 0.33 CPU");
    expect(w.hint).toMatch(/at least 167/);
    expect(named(rs, "CPU use").hint).toMatch(/neighbour leaves it only 0.33 CPU/);
  });

  it("moving stress after it forked leaves the workers outside, and the hint says why", () => {
    const rs = grade(lines(MAKE, CPU, MEM, WEIGHT, "stress --cpu 1 --vm 1 --vm-bytes 150M --vm-keep >/dev/null 2>&1 &", `echo $! > ${D}/cgroup.procs`));
    expect(failing(rs)).toContain("A busy workload runs inside app");
    expect(failing(rs)).toContain("A memory user holds 100–200 MiB inside app");
    const busy = named(rs, "A busy workload");
    expect(busy.detail).toMatch(new RegExp(`stress \\d+, \\d+ are still in ${SESSION.replace(/\./g, "\\.")}`));
    expect(busy.hint).toMatch(/does not move the children it already forked/);
  });

  it("a stray stress started outside app gets the write-its-pid hint", () => {
    const rs = grade(lines(MAKE, CPU, MEM, WEIGHT, "yes > /dev/null &"));
    expect(named(rs, "A busy workload").hint).toMatch(/The yes process is still in \/user\.slice\/user-0\.slice\/session-1\.scope: write its pid to \/sys\/fs\/cgroup\/app\/cgroup\.procs/);
  });

  it("a memory user bigger than memory.max is OOM-killed, and the checks see it in memory.events", () => {
    const { host, rs } = run(lines(MAKE, CPU, MEM, WEIGHT, JOIN, "stress --cpu 1 --vm 1 --vm-bytes 300M --vm-keep >/dev/null 2>&1 &"));
    expect(failing(rs)).toContain("Nothing in app was OOM-killed");
    expect(failing(rs)).toContain("A memory user holds 100–200 MiB inside app");
    expect(named(rs, "Nothing in app").detail).toMatch(/oom_kill 1/);
    expect(host.sh("dmesg").stdout).toMatch(/Memory cgroup out of memory: Killed process \d+ \(stress\)/);
  });

  it("memory.max in the wrong unit is caught: 200000000 bytes is not 200 MiB", () => {
    const rs = grade(lines(MAKE, CPU, `echo 200000000 > ${D}/memory.max`, WEIGHT, JOIN, WORK));
    expect(failing(rs)).toEqual(["memory.max is 200 MiB"]);
    expect(named(rs, "memory.max").detail).toMatch(/199999488 bytes \(190\.7 MiB\), not 209715200/);
  });

  it("crippling the neighbour instead of protecting app fails", () => {
    const rs = grade(solution + `echo "10000 100000" > ${CG}${NEIGHBOUR}/cpu.max\n`);
    expect(failing(rs)).toEqual(["The neighbour is left alone"]);
    expect(named(rs, "The neighbour").detail).toMatch(/cpu.max is "10000 100000"/);
  });

  it("works typed line by line, as in the page: too early to measure, then passing", () => {
    const h = exercise.setup();
    for (const l of [MAKE, CPU, MEM, WEIGHT, JOIN, WORK]) h.sh(l);
    const early = exercise.check(h);
    expect(named(early, "CPU use").ok).toBe(false);
    expect(named(early, "CPU use").hint).toMatch(/sleep 2/);
    h.sh("sleep 2");
    expect(failing(exercise.check(h))).toEqual([]);
  });
});
