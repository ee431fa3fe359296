// cgroup v2 through the files a learner types at: the rules of cgroup-v2.rst, the errors a
// real shell prints, CPU bandwidth, weights and the memory OOM killer — plus invariants.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createHost } from "../index";
import type { Host } from "../index";
import type { Kernel } from "./kernel";

const CG = "/sys/fs/cgroup";
const kernelOf = (h: Host) => (h as unknown as { kernel: Kernel }).kernel;
const out = (h: Host, l: string) => h.sh(l).stdout.trimEnd();

describe("cgroupfs", () => {
  it("is mounted at /sys/fs/cgroup as cgroup2", () => {
    const h = createHost();
    expect(out(h, "findmnt -n -o FSTYPE /sys/fs/cgroup")).toBe("cgroup2");
    expect(out(h, `cat ${CG}/cgroup.controllers`)).toBe("cpu memory pids");
    expect(out(h, "cat /proc/self/cgroup")).toMatch(/^0::\//);
  });

  it("a new cgroup has the core files plus those of the controllers its parent enabled", () => {
    const h = createHost();
    h.sh(`mkdir ${CG}/demo`);
    const files = out(h, `ls ${CG}/demo`).split(/\s+/);
    for (const f of ["cgroup.controllers", "cgroup.events", "cgroup.freeze", "cgroup.kill", "cgroup.procs", "cgroup.type", "cpu.stat", "cpu.max", "cpu.weight", "memory.max", "memory.events", "pids.max"]) expect(files).toContain(f);
    expect(out(h, `cat ${CG}/demo/cgroup.type ${CG}/demo/cpu.max ${CG}/demo/cpu.weight ${CG}/demo/memory.max ${CG}/demo/pids.max`)).toBe("domain\nmax 100000\n100\nmax\nmax");
    expect(out(h, `cat ${CG}/demo/cgroup.events`)).toBe("populated 0\nfrozen 0");
    expect(out(h, `cat ${CG}/demo/memory.events`)).toBe("low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\noom_group_kill 0");
    // a grandchild gets no controller files until demo enables them
    h.sh(`mkdir ${CG}/demo/inner`);
    expect(out(h, `ls ${CG}/demo/inner`)).not.toContain("cpu.max");
    expect(h.sh(`echo "+cpu +memory" > ${CG}/demo/cgroup.subtree_control`).exitCode).toBe(0);
    expect(out(h, `cat ${CG}/demo/inner/cgroup.controllers`)).toBe("cpu memory");
    expect(out(h, `ls ${CG}/demo/inner`)).toContain("cpu.max");
  });

  it("rejects garbage exactly as the kernel does, and bash prints it", () => {
    const h = createHost();
    h.sh(`mkdir ${CG}/demo`);
    const r = h.sh(`echo abc > ${CG}/demo/cpu.max`);
    expect(r.stderr).toBe("bash: echo: write error: Invalid argument\n");
    expect(r.exitCode).toBe(1);
    expect(h.sh(`echo 500 100000 > ${CG}/demo/cpu.max`).stderr).toContain("Invalid argument");
    expect(h.sh(`echo 0 > ${CG}/demo/cpu.weight`).stderr).toBe("bash: echo: write error: Numerical result out of range\n");
    expect(h.sh(`echo lots > ${CG}/demo/memory.max`).stderr).toContain("Invalid argument");
    expect(h.sh(`echo +bogus > ${CG}/demo/cgroup.subtree_control`).stderr).toContain("Invalid argument");
    expect(h.sh(`echo 1 > ${CG}/demo/cpu.stat`).stderr).toContain("Permission denied");
    // accepted forms
    for (const [w, r2] of [["max", "max 100000"], ["20000", "20000 100000"], ["30000 50000", "30000 50000"], ["max 200000", "max 200000"]]) {
      h.sh(`echo ${w} > ${CG}/demo/cpu.max`);
      expect(out(h, `cat ${CG}/demo/cpu.max`)).toBe(r2);
    }
    for (const [w, r2] of [["100M", "104857600"], ["1g", "1073741824"], ["4097", "4096"], ["max", "max"]]) {
      h.sh(`echo ${w} > ${CG}/demo/memory.max`);
      expect(out(h, `cat ${CG}/demo/memory.max`)).toBe(r2);
    }
  });

  it("moves processes by pid; /proc/PID/cgroup follows; ESRCH for unknown pids", () => {
    const h = createHost();
    h.sh(`mkdir ${CG}/demo`);
    h.sh("sleep 300 &");
    const pid = out(h, "echo $!");
    h.sh(`echo ${pid} > ${CG}/demo/cgroup.procs`);
    expect(out(h, `cat ${CG}/demo/cgroup.procs`)).toBe(pid);
    expect(out(h, `cat /proc/${pid}/cgroup`)).toBe("0::/demo");
    expect(out(h, `cat ${CG}/demo/cgroup.events`)).toBe("populated 1\nfrozen 0");
    expect(h.sh(`echo 999999 > ${CG}/demo/cgroup.procs`).stderr).toBe("bash: echo: write error: No such process\n");
    const snap = h.snapshot().cgroups.find((c) => c.path === "/demo")!;
    expect(snap.procs).toEqual([Number(pid)]);
    expect(snap.populated).toBe(true);
  });

  it("enforces the no-internal-processes rule and busy rmdir", () => {
    const h = createHost();
    h.sh(`mkdir -p ${CG}/a/b`);
    h.sh("sleep 300 &");
    const pid = out(h, "echo $!");
    h.sh(`echo ${pid} > ${CG}/a/cgroup.procs`);
    expect(h.sh(`echo +cpu > ${CG}/a/cgroup.subtree_control`).stderr).toBe("bash: echo: write error: Device or resource busy\n");
    h.sh(`echo ${pid} > ${CG}/a/b/cgroup.procs`);
    expect(h.sh(`echo +cpu > ${CG}/a/cgroup.subtree_control`).exitCode).toBe(0);
    expect(h.sh(`echo ${pid} > ${CG}/a/cgroup.procs`).stderr).toBe("bash: echo: write error: Device or resource busy\n");
    expect(h.sh(`rmdir ${CG}/a`).stderr).toBe(`rmdir: failed to remove '${CG}/a': Device or resource busy\n`);
    expect(h.sh(`rmdir ${CG}/a/b`).stderr).toBe(`rmdir: failed to remove '${CG}/a/b': Device or resource busy\n`);
    h.sh(`kill -9 ${pid}`);
    expect(h.sh(`rmdir ${CG}/a/b`).exitCode).toBe(0);
    expect(h.sh(`rmdir ${CG}/a`).exitCode).toBe(0);
    expect(out(h, `ls ${CG}`)).not.toMatch(/\ba\b/);
  });

  it("cgroup.max.descendants, pids.max and cgroup.kill", () => {
    const h = createHost();
    h.sh(`mkdir ${CG}/p; echo 0 > ${CG}/p/cgroup.max.descendants`);
    expect(h.sh(`mkdir ${CG}/p/c`).stderr).toBe(`mkdir: cannot create directory '${CG}/p/c': Resource temporarily unavailable\n`);
    h.sh(`echo 2 > ${CG}/p/pids.max`);
    h.sh("sleep 300 &");
    const pid = out(h, "echo $!");
    h.sh(`echo ${pid} > ${CG}/p/cgroup.procs`);
    h.sh(`echo $$ > ${CG}/p/cgroup.procs`);
    const r = h.sh("/bin/true");
    expect(r.stderr).toContain("fork");
    expect(out(h, `echo $$ > ${CG}/cgroup.procs; cat ${CG}/p/pids.events`)).toBe("max 1");
    h.sh(`echo 1 > ${CG}/p/cgroup.kill`);
    expect(out(h, `cat ${CG}/p/cgroup.events`)).toMatch(/populated 0\nfrozen 0$/);
  });
});

describe("CPU: weights and bandwidth", () => {
  it("cpu.max 50000 100000 caps a busy loop at half a CPU and counts throttling", () => {
    const h = createHost();
    h.sh(`mkdir ${CG}/demo; echo "50000 100000" > ${CG}/demo/cpu.max`);
    h.sh("yes > /dev/null &");
    h.sh(`echo $! > ${CG}/demo/cgroup.procs`);
    h.tick(10_000);
    const stat = Object.fromEntries(out(h, `cat ${CG}/demo/cpu.stat`).split("\n").map((l) => l.split(" ")));
    expect(Object.keys(stat)).toEqual(["usage_usec", "user_usec", "system_usec", "nr_periods", "nr_throttled", "throttled_usec", "nr_bursts", "burst_usec"]);
    expect(Number(stat.usage_usec)).toBeGreaterThan(4_900_000);
    expect(Number(stat.usage_usec)).toBeLessThanOrEqual(5_000_000);
    expect(Number(stat.nr_throttled)).toBeGreaterThan(90);
    expect(Number(stat.throttled_usec)).toBeGreaterThan(4_000_000);
    const snap = h.snapshot().cgroups.find((c) => c.path === "/demo")!;
    expect(snap.cpu.recentCpuPercent).toBeCloseTo(50, 0);
    expect(h.events().filter((e) => e.type === "cgroup.throttle").length).toBeLessThanOrEqual(101);
    expect(out(h, "top -b -n 1 | head -8 | tail -1")).toMatch(/ R  50\.0 .* yes$/);
  });

  it("splits contended CPUs by cpu.weight among siblings", () => {
    const h = createHost({ cpus: 2 });
    h.sh(`mkdir ${CG}/lo ${CG}/hi; echo 100 > ${CG}/lo/cpu.weight; echo 300 > ${CG}/hi/cpu.weight`);
    h.sh(`echo $$ > ${CG}/lo/cgroup.procs; stress --cpu 2 --timeout 10s >/dev/null &`);
    h.sh(`echo $$ > ${CG}/hi/cgroup.procs; stress --cpu 2 --timeout 10s >/dev/null &`);
    h.sh(`echo $$ > ${CG}/cgroup.procs`);
    h.tick(5_000);
    const lo = Number(out(h, `head -1 ${CG}/lo/cpu.stat`).split(" ")[1]);
    const hi = Number(out(h, `head -1 ${CG}/hi/cpu.stat`).split(" ")[1]);
    expect(lo + hi).toBeGreaterThan(9_900_000);
    expect(hi / lo).toBeCloseTo(3, 1);
  });

  it("an idle host arms no timer", () => {
    const h = createHost();
    h.tick(1000);
    const k = kernelOf(h);
    expect(k.clock.nextAt()).toBeUndefined();
  });
});

describe("memory: charging, memory.high and the OOM killer", () => {
  it("kills the hog at memory.max, counts it, logs it, and never exceeds the limit", () => {
    const h = createHost();
    h.sh(`mkdir ${CG}/demo`);
    h.sh(`echo 100M > ${CG}/demo/memory.max`);
    h.sh(`echo $$ > ${CG}/demo/cgroup.procs`);
    const r = h.sh("stress --vm 1 --vm-bytes 300M");
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/stress: FAIL: \[\d+\] \(415\) <-- worker \d+ got signal 9/);
    const events = out(h, `cat ${CG}/demo/memory.events`);
    expect(events).toMatch(/^oom 1$/m);
    expect(events).toMatch(/^oom_kill 1$/m);
    expect(Number(out(h, `cat ${CG}/demo/memory.peak`))).toBeLessThanOrEqual(104_857_600);
    const dmesg = out(h, "dmesg");
    expect(dmesg).toMatch(/oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=\(null\),cpuset=\/,mems_allowed=0,oom_memcg=\/demo,task_memcg=\/demo,task=stress,pid=\d+,uid=0/);
    expect(dmesg).toMatch(/Memory cgroup out of memory: Killed process \d+ \(stress\) total-vm:\d+kB, anon-rss:\d+kB, file-rss:\d+kB, shmem-rss:0kB, UID:0 pgtables:\d+kB oom_score_adj:0/);
    const kill = h.events().find((e) => e.type === "oom.kill");
    expect(kill).toMatchObject({ type: "oom.kill", comm: "stress", cgroup: "/demo" });
  });

  it("oom_score_adj steers the victim; memory.high throttles without killing", () => {
    const h = createHost();
    h.sh(`mkdir ${CG}/m; echo 200M > ${CG}/m/memory.max; echo $$ > ${CG}/m/cgroup.procs`);
    h.sh("stress --vm 1 --vm-bytes 120M --vm-keep >/dev/null 2>&1 &");
    h.tick(1000);
    h.sh("stress --vm 1 --vm-bytes 60M --vm-keep >/dev/null 2>&1 &");
    const k = kernelOf(h);
    const workers = [...k.processes.values()].filter((p) => p.alive && p.comm === "stress" && k.cpu.workloadOf(p));
    const smallWorker = workers[workers.length - 1]!;
    h.sh(`echo 1000 > /proc/${smallWorker.pid}/oom_score_adj`);
    h.sh("stress --vm 1 --vm-bytes 100M --vm-keep >/dev/null 2>&1 &");
    h.tick(2000);
    expect(smallWorker.alive).toBe(false);
    expect(Number(h.readFile(`${CG}/m/memory.current`))).toBeLessThanOrEqual(200 * 1024 * 1024);
    h.sh(`echo $$ > ${CG}/cgroup.procs; echo 1 > ${CG}/m/cgroup.kill`);

    h.sh(`mkdir ${CG}/hi; echo 50M > ${CG}/hi/memory.high; echo $$ > ${CG}/hi/cgroup.procs`);
    h.sh("stress --vm 1 --vm-bytes 80M --vm-keep >/dev/null 2>&1 &");
    h.sh(`echo $$ > ${CG}/cgroup.procs`);
    h.tick(500);
    const ev = h.readFile(`${CG}/hi/memory.events`)!;
    expect(Number(/^high (\d+)$/m.exec(ev)![1])).toBeGreaterThan(0);
    expect(ev).toMatch(/^oom_kill 0$/m);
  });

  it("/proc/PID/oom_score follows oom_score_adj (proc_oom_score's 0..2000 × 2/3 scale)", () => {
    const h = createHost();
    expect(out(h, "cat /proc/self/oom_score")).toMatch(/^\d+$/);
    expect(Number(out(h, "echo 1000 > /proc/self/oom_score_adj; cat /proc/self/oom_score"))).toBeGreaterThanOrEqual(1333);
    expect(out(h, "echo -1000 > /proc/self/oom_score_adj; cat /proc/self/oom_score")).toBe("0");
  });

  it("lowering memory.max below usage OOM-kills until it fits", () => {
    const h = createHost();
    h.sh(`mkdir ${CG}/m; echo $$ > ${CG}/m/cgroup.procs`);
    h.sh("stress --vm 2 --vm-bytes 100M --vm-keep >/dev/null 2>&1 &");
    h.sh(`echo $$ > ${CG}/cgroup.procs`);
    h.tick(1000);
    expect(Number(out(h, `cat ${CG}/m/memory.current`))).toBeGreaterThan(200 * 1024 * 1024);
    h.sh(`echo 150M > ${CG}/m/memory.max`);
    expect(Number(out(h, `cat ${CG}/m/memory.current`))).toBeLessThanOrEqual(150 * 1024 * 1024);
    expect(out(h, `cat ${CG}/m/memory.events`)).toMatch(/^oom_kill 1$/m);
  });
});

describe("invariants (fast-check)", () => {
  it("total CPU granted never exceeds the cores; no cgroup uses more than its quota in a period; memory.current ≤ memory.max", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(
          fc.record({
            weight: fc.integer({ min: 1, max: 10_000 }),
            quota: fc.option(fc.integer({ min: 1_000, max: 300_000 }), { nil: null }),
            busy: fc.integer({ min: 0, max: 3 }),
            vm: fc.integer({ min: 0, max: 2 }),
            maxMiB: fc.option(fc.integer({ min: 20, max: 200 }), { nil: null }),
            nested: fc.boolean(),
          }),
          { minLength: 1, maxLength: 5 },
        ),
        (cpus, groups) => {
          const h = createHost({ cpus });
          const k = kernelOf(h);
          groups.forEach((g, i) => {
            const path = g.nested && i > 0 ? `${CG}/g0/n${i}` : `${CG}/g${i}`;
            if (g.nested && i > 0) h.sh(`echo "+cpu +memory" > ${CG}/g0/cgroup.subtree_control`);
            h.sh(`mkdir -p ${path}; echo ${g.weight} > ${path}/cpu.weight`);
            if (g.quota !== null) h.sh(`echo ${g.quota} 100000 > ${path}/cpu.max`);
            if (g.maxMiB !== null) h.sh(`echo ${g.maxMiB}M > ${path}/memory.max`);
            const before = h.sh(`echo $$ > ${path}/cgroup.procs`);
            if (before.exitCode !== 0) return; // g0 may have become an inner node
            if (g.busy) h.sh(`stress --cpu ${g.busy} >/dev/null 2>&1 &`);
            if (g.vm) h.sh(`stress --vm ${g.vm} --vm-bytes 64M >/dev/null 2>&1 &`);
            h.sh(`echo $$ > ${CG}/cgroup.procs`);
          });
          for (let period = 0; period < 15; period++) {
            const before = new Map(k.cgroups.all().map((c) => [c, c.cpu.usageUsec]));
            h.tick(100);
            const granted = k.cpu.grantedNow();
            if (granted > cpus + 1e-9) return false;
            for (const c of k.cgroups.all()) {
              const used = c.cpu.usageUsec - (before.get(c) ?? 0);
              if (c.isRoot) {
                if (used > cpus * 100_000 + 1) return false;
                continue;
              }
              if (c.has("cpu") && c.cpu.quota !== null && used > c.cpu.quota + 1) return false;
              if (c.memory.max !== null && c.memory.current > c.memory.max) return false;
            }
          }
          return true;
        },
      ),
      { numRuns: 30, seed: 42 },
    );
  });
});
