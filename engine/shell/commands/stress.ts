// Workload generators: yes, stress and stress-ng. They do nothing but burn CPU and touch memory,
// which is exactly what makes cgroup limits visible: the CPU scheduler (engine/linux/cpu-sched.ts)
// runs their workloads in virtual time, the memory controller charges what they allocate.
import type { Kernel } from "../../linux/kernel";
import { clone } from "../../linux/process";
import type { Process } from "../../linux/process";
import type { Program } from "../../linux/tasks";
import type { WorkloadSpec } from "../../linux/cpu-sched";
import type { Command, CommandContext } from "../command";
import { errnoText, usageError } from "../command";

/** A busy/allocating process: runs `spec` until killed or until `untilMs` (virtual). */
function* workerProgram(k: Kernel, proc: Process, spec: WorkloadSpec, untilMs: number): Program {
  k.cpu.run(proc, spec);
  try {
    yield Number.isFinite(untilMs) ? { kind: "sleep", until: untilMs } : { kind: "forever" };
  } finally {
    k.cpu.stop(proc);
  }
  return 0;
}

export const yes: Command = {
  name: "yes",
  path: "/usr/bin/yes",
  summary: "print 'y' forever (to /dev/null: a pure busy loop)",
  usage: "Usage: yes [STRING]...\n  or:  yes OPTION\nRepeatedly output a line with all specified STRING(s), or 'y'.\n\n      --help        display this help and exit\n      --version     output version information and exit\n",
  run(ctx) {
    const line = (ctx.argv.slice(1).join(" ") || "y") + "\n";
    const out = ctx.proc.fds[1];
    if (out.kind === "pipe") {
      // A pipe holds 64 KiB; the reader (head, grep -m) takes what it needs and goes, and yes
      // dies of SIGPIPE on its next write.
      out.write(line.repeat(Math.ceil(65_536 / line.length)));
      return 141;
    }
    if (out.kind === "tty") out.write(line.repeat(200));
    // Writing to /dev/null (or a terminal that keeps up) is pure CPU: about a fifth of it in
    // the kernel's write path.
    return workerProgram(ctx.kernel, ctx.proc, { kind: "cpu", systemShare: 0.2 }, Infinity);
  },
};

/** stress's size argument: a number with b/k/m/g (any case, powers of 1024). */
function parseSize(text: string): number | null {
  const m = /^(\d+)([bBkKmMgG]?)$/.exec(text);
  if (!m) return null;
  const mul = { "": 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase()]!;
  return Number(m[1]) * mul;
}

/** stress's time argument: seconds, or with s/m/h/d/y. */
function parseTime(text: string): number | null {
  const m = /^(\d+)([smhdy]?)$/.exec(text);
  if (!m) return null;
  return Number(m[1]) * { "": 1, s: 1, m: 60, h: 3600, d: 86400, y: 31536000 }[m[2]!]!;
}

interface HogPlan {
  cpu: number;
  io: number;
  vm: number;
  hdd: number;
  vmBytes: number;
  vmKeep: boolean;
  vmHang: number | undefined;
  timeoutS: number | undefined;
  quiet: boolean;
}

const STRESS_USAGE = `\`stress' imposes certain types of compute stress on your system

Usage: stress [OPTION [ARG]] ...
 -?, --help         show this help statement
     --version      show version statement
 -v, --verbose      be verbose
 -q, --quiet        be quiet
 -n, --dry-run      show what would have been done
 -t, --timeout N    timeout after N seconds
     --backoff N    wait factor of N microseconds before work starts
 -c, --cpu N        spawn N workers spinning on sqrt()
 -i, --io N         spawn N workers spinning on sync()
 -m, --vm N         spawn N workers spinning on malloc()/free()
     --vm-bytes B   malloc B bytes per vm worker (default is 256MB)
     --vm-stride B  touch a byte every B bytes (default is 4096)
     --vm-hang N    sleep N secs before free (default none, 0 is inf)
     --vm-keep      redirty memory instead of freeing and reallocating
 -d, --hdd N        spawn N workers spinning on write()/unlink()
     --hdd-bytes B  write B bytes per hdd worker (default is 1GB)

Example: stress --cpu 8 --io 4 --vm 2 --vm-bytes 128M --timeout 10s

Note: Numbers may be suffixed with s,m,h,d,y (time) or B,K,M,G (size).
(In this simulation io and hdd workers are modelled as busy loops in the kernel.)
`;

function parseStress(ctx: CommandContext): HogPlan | number {
  const plan: HogPlan = { cpu: 0, io: 0, vm: 0, hdd: 0, vmBytes: 256 * 1024 ** 2, vmKeep: false, vmHang: undefined, timeoutS: undefined, quiet: false };
  const a = ctx.argv.slice(1);
  if (a.length === 0) {
    ctx.out(STRESS_USAGE);
    return 0;
  }
  for (let i = 0; i < a.length; i++) {
    const opt = a[i]!;
    const val = () => a[++i];
    const num = (name: string): number | null => {
      const v = val();
      if (v === undefined || !/^\d+$/.test(v)) {
        ctx.err(`stress: FAIL: [${ctx.proc.innerPid}] (${name === "timeout" ? 282 : 277}) invalid number: ${v ?? ""}\n`);
        return null;
      }
      return Number(v);
    };
    switch (opt) {
      case "-c": case "--cpu": { const n = num("cpu"); if (n === null) return 1; plan.cpu = n; break; }
      case "-i": case "--io": { const n = num("io"); if (n === null) return 1; plan.io = n; break; }
      case "-m": case "--vm": { const n = num("vm"); if (n === null) return 1; plan.vm = n; break; }
      case "-d": case "--hdd": { const n = num("hdd"); if (n === null) return 1; plan.hdd = n; break; }
      case "--vm-bytes": case "--vm-stride": case "--hdd-bytes": {
        const v = val();
        const b = v === undefined ? null : parseSize(v);
        if (b === null) {
          ctx.err(`stress: FAIL: [${ctx.proc.innerPid}] (291) invalid number: ${v ?? ""}\n`);
          return 1;
        }
        if (opt === "--vm-bytes") plan.vmBytes = b;
        break;
      }
      case "--vm-hang": { const n = num("vm-hang"); if (n === null) return 1; plan.vmHang = n; break; }
      case "--vm-keep": plan.vmKeep = true; break;
      case "--backoff": if (num("backoff") === null) return 1; break;
      case "-t": case "--timeout": {
        const v = val();
        const s = v === undefined ? null : parseTime(v);
        if (s === null) {
          ctx.err(`stress: FAIL: [${ctx.proc.innerPid}] (282) invalid time: ${v ?? ""}\n`);
          return 1;
        }
        plan.timeoutS = s;
        break;
      }
      case "-q": case "--quiet": plan.quiet = true; break;
      case "-v": case "--verbose": case "-n": case "--dry-run": break;
      case "--version": ctx.out("stress 1.0.7\n"); return 0;
      case "-?": ctx.out(STRESS_USAGE); return 0;
      default:
        ctx.err(`stress: FAIL: [${ctx.proc.innerPid}] (244) unrecognized option: ${opt}\n`);
        return 1;
    }
  }
  return plan;
}

function specsOf(plan: HogPlan): WorkloadSpec[] {
  const specs: WorkloadSpec[] = [];
  for (let i = 0; i < plan.cpu; i++) specs.push({ kind: "cpu", systemShare: 0.01 });
  for (let i = 0; i < plan.io; i++) specs.push({ kind: "cpu", systemShare: 0.9 });
  for (let i = 0; i < plan.vm; i++) {
    const s: WorkloadSpec = { kind: "vm", bytes: plan.vmBytes, keep: plan.vmKeep, systemShare: 0.3 };
    if (plan.vmHang !== undefined) s.hangMs = plan.vmHang === 0 ? Infinity : plan.vmHang * 1000;
    specs.push(s);
  }
  for (let i = 0; i < plan.hdd; i++) specs.push({ kind: "cpu", systemShare: 0.9 });
  return specs;
}

/** Fork one worker per spec; watch them; report like the real tool. */
function* runHogs(ctx: CommandContext, tool: "stress" | "stress-ng", plan: HogPlan): Program {
  const k = ctx.kernel;
  const me = ctx.proc;
  const id = me.innerPid;
  const start = k.clock.now();
  const until = plan.timeoutS !== undefined ? start + plan.timeoutS * 1000 : Infinity;
  const info = (text: string) => {
    if (!plan.quiet) ctx.out(tool === "stress" ? `stress: info: [${id}] ${text}\n` : `stress-ng: info:  [${id}] ${text}\n`);
  };
  if (tool === "stress") info(`dispatching hogs: ${plan.cpu} cpu, ${plan.io} io, ${plan.vm} vm, ${plan.hdd} hdd`);
  else {
    if (plan.timeoutS !== undefined) info(`setting to a ${plan.timeoutS} secs run per stressor`);
    info(`dispatching hogs: ${[plan.cpu ? `${plan.cpu} cpu` : "", plan.vm ? `${plan.vm} vm` : "", plan.io ? `${plan.io} io` : ""].filter(Boolean).join(", ")}`);
  }
  const workers: Process[] = [];
  for (const spec of specsOf(plan)) {
    let w: Process;
    try {
      w = clone(k, me, { fds: { ...me.fds } });
    } catch (e) {
      ctx.err(tool === "stress" ? `stress: FAIL: [${id}] (598) fork failed: ${errnoText(e)}\n` : `stress-ng: error: [${id}] fork failed: ${errnoText(e)}\n`);
      for (const o of workers) k.exitProcess(o, 143, "TERM");
      return 1;
    }
    w.comm = tool === "stress" ? "stress" : `stress-ng-${spec.kind}`;
    k.sched.start(w, workerProgram(k, w, spec, until));
    workers.push(w);
  }
  const secs = () => Math.round((k.clock.now() - start) / 1000);
  let failed = false;
  // What each tool prints when it finds a worker killed by a signal.
  const reportDeath = (dead: Process) => {
    const sig = (dead.exitStatus ?? 0) - 128;
    if (tool === "stress") {
      ctx.err(`stress: FAIL: [${id}] (415) <-- worker ${dead.pidIn(me.ns.pid) ?? dead.pid} got signal ${sig}\n`);
      ctx.err(`stress: WARN: [${id}] (417) now reaping child worker processes\n`);
    } else ctx.err(`stress-ng: info:  [${id}] ${dead.comm.replace("stress-ng-", "")}: child died: signal ${sig} '${sig === 9 ? "SIGKILL" : "SIG" + sig}' (instance 0)\n`);
  };
  // The master wait()s for any worker; a worker killed by a signal fails the run.
  while (workers.some((w) => w.alive)) {
    const dead = workers.find((w) => !w.alive && (w.exitStatus ?? 0) !== 0);
    if (dead && !failed) {
      failed = true;
      reportDeath(dead);
      for (const o of workers) if (o.alive) k.exitProcess(o, 143, "TERM");
      break;
    }
    const next = workers.find((w) => w.alive)!;
    // Wake at the next worker exit; poll a little so a sibling's death is noticed promptly.
    yield { kind: "sleep", until: Math.min(until, k.clock.now() + 100) };
    void next;
  }
  if (!failed) {
    const dead = workers.find((w) => (w.exitStatus ?? 0) !== 0);
    if (dead) {
      failed = true;
      reportDeath(dead);
    }
  }
  if (tool === "stress") {
    if (failed) ctx.err(`stress: FAIL: [${id}] (451) failed run completed in ${secs()}s\n`);
    else info(`successful run completed in ${secs()}s`);
  } else {
    if (failed) ctx.err(`stress-ng: info:  [${id}] unsuccessful run completed in ${((k.clock.now() - start) / 1000).toFixed(2)} secs\n`);
    else info(`successful run completed in ${((k.clock.now() - start) / 1000).toFixed(2)} secs`);
  }
  return failed ? (tool === "stress" ? 1 : 2) : 0;
}

export const stress: Command = {
  name: "stress",
  path: "/usr/bin/stress",
  summary: "impose CPU and memory load (--cpu N, --vm N --vm-bytes B, --timeout N)",
  usage: STRESS_USAGE,
  run(ctx) {
    const plan = parseStress(ctx);
    if (typeof plan === "number") return plan;
    if (plan.cpu + plan.io + plan.vm + plan.hdd === 0) {
      ctx.out(STRESS_USAGE);
      return 0;
    }
    return runHogs(ctx, "stress", plan);
  },
};

const STRESS_NG_USAGE = `stress-ng, version 0.18.06

Usage: stress-ng [OPTION [ARG]]

General control options:
 -t N, --timeout T         timeout after T seconds
 -q,   --quiet             quiet output

Stressor specific options (a subset):
 -c N, --cpu N             start N workers spinning on sqrt(rand())
 -m N, --vm N              start N workers spinning on anonymous mmap
       --vm-bytes N        allocate N bytes per vm worker (default 256MB)
       --vm-hang N         sleep N seconds before unmapping memory
       --vm-keep           redirty memory instead of reallocating

Example: stress-ng --cpu 4 --vm 2 --vm-bytes 1G --timeout 60s
(In this simulation only the cpu and vm stressors exist.)
`;

/** stress-ng sizes: b/k/m/g (powers of 1024) or a percentage of physical memory. */
function parseNgSize(text: string, memory: number): number | null {
  const pct = /^(\d+(?:\.\d+)?)%$/.exec(text);
  if (pct) return Math.floor((Number(pct[1]) / 100) * memory);
  return parseSize(text);
}

export const stressNg: Command = {
  name: "stress-ng",
  path: "/usr/bin/stress-ng",
  summary: "impose CPU and memory load (--cpu N --vm N --vm-bytes SIZE --timeout Ns)",
  usage: STRESS_NG_USAGE,
  run(ctx) {
    const plan: HogPlan = { cpu: 0, io: 0, vm: 0, hdd: 0, vmBytes: 256 * 1024 ** 2, vmKeep: true, vmHang: undefined, timeoutS: undefined, quiet: false };
    const a = ctx.argv.slice(1);
    for (let i = 0; i < a.length; i++) {
      let opt = a[i]!;
      let v: string | undefined;
      const eq = opt.indexOf("=");
      if (opt.startsWith("--") && eq > 0) {
        v = opt.slice(eq + 1);
        opt = opt.slice(0, eq);
      }
      const val = () => v ?? a[++i];
      const bad = (what: string) => {
        ctx.err(`stress-ng: error: [${ctx.proc.innerPid}] invalid value '${what}' for option ${opt}\n`);
        return 1;
      };
      switch (opt) {
        case "-c": case "--cpu": { const x = val() ?? ""; if (!/^\d+$/.test(x)) return bad(x); plan.cpu = Number(x); break; }
        case "-m": case "--vm": { const x = val() ?? ""; if (!/^\d+$/.test(x)) return bad(x); plan.vm = Number(x); break; }
        case "--vm-bytes": { const x = val() ?? ""; const b = parseNgSize(x, ctx.kernel.machine.memory); if (b === null) return bad(x); plan.vmBytes = b; break; }
        case "--vm-hang": { const x = val() ?? ""; if (!/^\d+$/.test(x)) return bad(x); plan.vmHang = Number(x); break; }
        case "--vm-keep": plan.vmKeep = true; break;
        case "-t": case "--timeout": { const x = val() ?? ""; const s = parseTime(x); if (s === null) return bad(x); plan.timeoutS = s; break; }
        case "-q": case "--quiet": plan.quiet = true; break;
        case "--metrics-brief": case "--metrics": case "-v": case "--verbose": break;
        case "--version": ctx.out("stress-ng, version 0.18.06 (gcc 14.2.0, x86_64 Linux 6.12.48-kijl)\n"); return 0;
        default: return usageError(ctx, "stress-ng", `unrecognized option '${opt}'`);
      }
    }
    if (plan.cpu + plan.vm === 0) {
      ctx.err(`stress-ng: error: [${ctx.proc.innerPid}] No stress workers invoked (one or more were unsupported)\n`);
      return 1;
    }
    // A cpu count of 0 means one per online CPU.
    return runHogs(ctx, "stress-ng", plan);
  },
};
