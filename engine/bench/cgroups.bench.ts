// cgroup bench (plain tsx script): `npx tsx engine/bench/cgroups.bench.ts`.
// 1,000 cgroups × 10 busy processes (each cgroup weighted and capped by cpu.max, a tenth of them
// also allocating memory towards memory.max), then 60 s of virtual time. The set-up goes through
// the host's own Linux operations: mkdir in cgroupfs, writes to cpu.weight / cpu.max /
// memory.max / cgroup.procs, clone(2) — no kernel structure is poked.
import { createHost } from "../index";
import type { Kernel } from "../linux/kernel";
import { clone } from "../linux/process";
import type { Program } from "../linux/tasks";

const now = () => performance.now();
const kernelOf = (h: unknown) => (h as { kernel: Kernel }).kernel;
const GROUPS = 1_000;
const PER_GROUP = 10;

function bench(cpus: number, SECONDS: number): void {
  const h = createHost({ seed: 1, cpus, memory: 64 * 1024 ** 3 });
  const k = kernelOf(h);
  const init = k.processes.get(1)!;
  const t0 = now();
  for (let g = 0; g < GROUPS; g++) {
    const dir = `/sys/fs/cgroup/g${g}`;
    k.mkdirp(init, dir);
    k.writeFile(init, `${dir}/cpu.weight`, String(1 + (g % 200) * 10));
    k.writeFile(init, `${dir}/cpu.max`, `${10_000 + (g % 10) * 20_000} 100000`);
    if (g % 10 === 0) k.writeFile(init, `${dir}/memory.max`, "64M");
    const procs = k.resolve(init, `${dir}/cgroup.procs`).node;
    for (let i = 0; i < PER_GROUP; i++) {
      const p = clone(k, init);
      p.comm = g % 10 === 0 && i === 0 ? "stress-vm" : "burn";
      procs.write!(String(p.pid), false, { proc: init });
      k.cpu.run(p, g % 10 === 0 && i === 0 ? { kind: "vm", bytes: 100 * 1024 ** 2, keep: true } : { kind: "cpu" });
      k.sched.start(p, (function* (): Program { yield { kind: "forever" }; return 0; })());
    }
  }
  const setupMs = now() - t0;
  const heap0 = process.memoryUsage().heapUsed;
  const t1 = now();
  h.tick(SECONDS * 1000);
  const runMs = now() - t1;
  const heap = process.memoryUsage().heapUsed;
  const snap = h.snapshot();
  const total = snap.cgroups.filter((c) => /^\/g\d+$/.test(c.path)).reduce((s, c) => s + c.cpu.usageUsec, 0);
  const throttled = snap.cgroups.filter((c) => c.cpu.nrThrottled > 0).length;
  const ooms = h.events().filter((e) => e.type === "oom.kill").length;
  console.log(
    `${cpus} CPUs, ${GROUPS} cgroups × ${PER_GROUP} busy processes, ${SECONDS} s virtual: set-up ${setupMs.toFixed(0)} ms, run ${runMs.toFixed(0)} ms, ` +
      `heap ${(heap / 1024 ** 2).toFixed(0)} MiB (+${((heap - heap0) / 1024 ** 2).toFixed(0)} during the run); ` +
      `CPU handed out ${(total / 1e6).toFixed(1)} s of ${cpus * SECONDS} s possible; ${throttled} cgroups throttled; ${ooms} OOM kills`,
  );
}

bench(2, 60); // the target: contended, the weights decide (quotas never bind)
// Quota-bound: cgroups run out of cpu.max at different moments of every period, so the CPUs are
// re-shared up to once per millisecond. Kept short: this is the model's slow path (see README).
bench(64, 5);
