// Exercise 3: confine a workload with cgroup v2 so that it never uses more than half a CPU or
// 200 MiB, and still gets its half CPU while a noisy neighbour burns every core. The checks read
// the lab's STATE — the cgroup tree as host.snapshot().cgroups gives it (the numbers `cat
// cpu.max`, `cpu.stat`, `memory.current` or `memory.events` would print) and the process table —
// never the learner's script, so any sequence of commands that gets there passes. They are
// pure: they read, they never advance time, so the page's "Check my work" button can run them
// against the live lab as often as it likes.
import { createHost } from "../../engine/linux";
import type { CgroupSnapshot, Host, HostSnapshot, ProcessSnapshot, ShResult } from "../../engine/linux";
import type { CheckResult, Exercise } from "../exercise";
import { alive, cmdline } from "../lib/procs";

export const CG = "/sys/fs/cgroup";
/** The cgroup the learner makes, as a path inside the cgroup2 mount. */
export const APP = "/app";
/** The neighbour the lab starts with: busy on every CPU, with a weight five times the default. */
export const NEIGHBOUR = "/neighbour";
export const NEIGHBOUR_WEIGHT = 500;
export const NEIGHBOUR_WORKERS = 2;
/** Where the login shell lives (pam_systemd's session scope); the neighbour is started from here. */
export const SESSION = "/user.slice/user-0.slice/session-1.scope";
export const MEMORY_MAX = 200 * 1024 * 1024;
/** A memory user counts when it holds at least this much inside app (the README asks for ~150 MiB). */
export const MEMORY_USER_MIN = 100 * 1024 * 1024;
/** apply() lets this much virtual time pass after the script, so there is something to measure. */
export const RUN_MS = 5_000;
/** Slack on CPU% measured over one second (the scheduler resolves quota on a 1 ms grid). */
const SLACK_PERCENT = 1;

const MiB = (b: number) => `${(b / 1024 / 1024).toFixed(1).replace(/\.0$/, "")} MiB`;
const cpus = (percent: number) => String(Number((percent / 100).toFixed(2)));
const WORKLOAD_COMMS = new Set(["stress", "stress-ng", "yes"]);

/**
 * The lab: a 2-CPU host whose neighbour, /sys/fs/cgroup/neighbour (cpu.weight 500), is busy on
 * both CPUs from the start. It is started the way a learner would, from the shell, and the shell
 * goes back to its session scope afterwards. One multi-line script, so none of it lands in the
 * learner's history; `sh -c '… &'` so the neighbour is not a job of the learner's shell.
 */
function setup(): Host {
  const h = createHost({ seed: 3, cpus: 2 });
  const r = h.sh(
    [
      `mkdir ${CG}${NEIGHBOUR}`,
      `echo ${NEIGHBOUR_WEIGHT} > ${CG}${NEIGHBOUR}/cpu.weight`,
      `echo $$ > ${CG}${NEIGHBOUR}/cgroup.procs`,
      `sh -c 'stress --cpu ${NEIGHBOUR_WORKERS} >/dev/null 2>&1 &'`,
      `echo $$ > ${CG}${SESSION}/cgroup.procs`,
    ].join("\n") + "\n",
  );
  if (r.exitCode !== 0) throw new Error(`exercise 3 setup failed: ${r.stderr}`);
  // Let the neighbour's burst be under way before the learner arrives.
  h.tick(1_000);
  return h;
}

/** Run the script, then let RUN_MS of virtual time pass so cpu.stat and memory.* have moved. */
function apply(host: Host, work: string): ShResult {
  const r = host.sh(work.endsWith("\n") ? work : work + "\n");
  host.tick(RUN_MS);
  return r;
}

const under = (path: string, root: string) => path === root || path.startsWith(root + "/");

interface State {
  s: HostSnapshot;
  app?: CgroupSnapshot;
  root: CgroupSnapshot;
  neighbour?: CgroupSnapshot;
  /** Live processes in app or below. */
  inApp: ProcessSnapshot[];
  /** stress / yes processes that are neither in app nor the neighbour's: the learner's workload, left outside. */
  strays: ProcessSnapshot[];
}

function state(host: Host): State {
  const s = host.snapshot();
  const live = s.processes.filter(alive);
  return {
    s,
    app: s.cgroups.find((c) => c.path === APP),
    root: s.cgroups.find((c) => c.path === "/")!,
    neighbour: s.cgroups.find((c) => c.path === NEIGHBOUR),
    inApp: live.filter((p) => under(p.cgroup, APP)),
    strays: live.filter((p) => WORKLOAD_COMMS.has(p.comm) && !under(p.cgroup, APP) && !under(p.cgroup, NEIGHBOUR)),
  };
}

/** "stress 21 and 22 are in /user.slice/…" */
function describe(ps: ProcessSnapshot[]): string {
  const byCg = new Map<string, ProcessSnapshot[]>();
  for (const p of ps) byCg.set(p.cgroup, [...(byCg.get(p.cgroup) ?? []), p]);
  return [...byCg]
    .map(([cg, list]) => `${list[0]!.comm} ${list.map((p) => p.pid).join(", ")} ${list.length > 1 ? "are" : "is"} still in ${cg}`)
    .join("; ");
}

/** The CPU app is entitled to under contention: CPUs × its weight over the busy siblings' weights. */
function shareUnderContention(st: State): { share: number; formula: string; needWeight: number } | undefined {
  const app = st.app;
  if (!app) return undefined;
  const siblings = st.s.cgroups.filter((c) => c.path !== APP && c.path !== "/" && c.path.lastIndexOf("/") === 0 && c.cpu.recentCpuPercent > 0);
  const others = siblings.reduce((sum, c) => sum + c.cpu.weight, 0);
  const n = st.s.machine.cpus;
  const share = (n * app.cpu.weight) / (app.cpu.weight + others);
  const names = siblings.map((c) => `${c.path} ${c.cpu.weight}`).join(" + ");
  // w / (w + others) × n ≥ 0.5  ⇔  w ≥ others / (2n − 1)
  const needWeight = Math.ceil(others / (2 * n - 1) + 1e-9);
  return { share, formula: `${n} CPUs × ${app.cpu.weight} / (${app.cpu.weight}${others ? ` + ${names}` : ""})`, needWeight };
}

function check(host: Host): CheckResult[] {
  const st = state(host);
  const { app, root } = st;
  const results: CheckResult[] = [];
  const noApp = (name: string): CheckResult => ({ name, ok: false, detail: `${CG}${APP} does not exist, so there is nothing to inspect.`, hint: `Create it first: mkdir ${CG}${APP}` });

  // 1. The cgroup, with the cpu and memory controllers.
  {
    const name = `${CG}${APP} exists with the cpu and memory controllers`;
    if (!app) {
      results.push({ name, ok: false, detail: `There is no ${CG}${APP}: ls ${CG} shows ${st.s.cgroups.filter((c) => c.path.lastIndexOf("/") === 0 && c.path !== "/").map((c) => c.path.slice(1)).join(", ")}.`, hint: `A cgroup is a directory: mkdir ${CG}${APP}` });
    } else {
      const missing = ["cpu", "memory"].filter((c) => !app.controllers.includes(c));
      if (missing.length === 0) results.push({ name, ok: true, detail: `cgroup.controllers of ${APP} lists ${app.controllers.join(" ")}, so cpu.max, cpu.weight and memory.max are there.` });
      else results.push({ name, ok: false, detail: `cgroup.controllers of ${APP} lacks ${missing.join(" and ")}: the parent's cgroup.subtree_control is "${root.subtreeControl.join(" ")}".`, hint: `subtree_control of / lacks ${missing.join(" and ")}: echo "${missing.map((c) => "+" + c).join(" ")}" > ${CG}/cgroup.subtree_control` });
    }
  }

  // 2. cpu.max: half a CPU.
  {
    const name = "cpu.max caps app at half a CPU";
    if (!app) results.push(noApp(name));
    else {
      const { quota, period } = app.cpu.max;
      const shown = `${quota ?? "max"} ${period}`;
      if (quota !== null && quota * 2 === period) results.push({ name, ok: true, detail: `cpu.max is "${shown}": at most ${quota} µs of CPU time in every ${period} µs period.` });
      else if (quota === null) results.push({ name, ok: false, detail: `cpu.max is "${shown}": no quota set, so app may use every CPU.`, hint: `Write a quota and a period: echo "50000 100000" > ${CG}${APP}/cpu.max` });
      else results.push({ name, ok: false, detail: `cpu.max is "${shown}": ${quota} / ${period} = ${(quota / period).toFixed(2)} CPU, not 0.5.`, hint: `Half a CPU is half of every period: echo "50000 100000" > ${CG}${APP}/cpu.max` });
    }
  }

  // 3. memory.max: 200 MiB.
  {
    const name = "memory.max is 200 MiB";
    if (!app) results.push(noApp(name));
    else if (app.memory.max === MEMORY_MAX) results.push({ name, ok: true, detail: `memory.max is ${MEMORY_MAX} bytes (200 MiB).` });
    else if (app.memory.max === null) results.push({ name, ok: false, detail: "memory.max is max: no limit at all.", hint: `echo 200M > ${CG}${APP}/memory.max (the kernel takes K, M and G suffixes, in powers of 1024).` });
    else results.push({ name, ok: false, detail: `memory.max is ${app.memory.max} bytes (${MiB(app.memory.max)}), not ${MEMORY_MAX}.`, hint: `200 MiB is 209715200 bytes: echo 200M > ${CG}${APP}/memory.max (M means MiB here, not a million).` });
  }

  // 4. The busy workload is inside.
  {
    const name = "A busy workload runs inside app";
    const busy = app && app.cpu.recentCpuPercent > 0 && st.inApp.some((p) => WORKLOAD_COMMS.has(p.comm));
    if (busy) {
      const w = st.inApp.filter((p) => WORKLOAD_COMMS.has(p.comm));
      results.push({ name, ok: true, detail: `cgroup.procs of ${APP} lists ${st.inApp.map((p) => p.pid).join(" ")}; ${w.map((p) => `${p.pid} (${p.comm})`).join(", ")} used ${app!.cpu.recentCpuPercent}% of a CPU over the last second.` });
    } else if (!app) results.push(noApp(name));
    else if (st.strays.length) {
      const first = st.strays[0]!;
      const parentIn = st.inApp.find((p) => p.pid === first.ppid);
      results.push({
        name,
        ok: false,
        detail: `${describe(st.strays)}; cgroup.procs of ${APP} has ${st.inApp.length ? st.inApp.map((p) => `${p.pid} (${p.comm})`).join(", ") : "no process"}.`,
        hint: parentIn
          ? `Moving a process does not move the children it already forked: stress's workers stayed behind. Write each pid to ${CG}${APP}/cgroup.procs, or better, move your shell first (echo $$ > ${CG}${APP}/cgroup.procs) and start stress from there, so its workers are born inside.`
          : `The ${first.comm} process is still in ${first.cgroup}: write its pid to ${CG}${APP}/cgroup.procs (echo ${first.pid} > ${CG}${APP}/cgroup.procs), or start it from a shell that is already in ${APP}.`,
      });
    } else {
      results.push({
        name,
        ok: false,
        detail: st.inApp.length ? `${APP} holds ${st.inApp.map((p) => `${p.pid} (${cmdline(p)})`).join(", ")}, but nothing in it used any CPU in the last second.` : `${APP} is empty: cgroup.procs lists no process, and no stress or yes runs outside the neighbour.`,
        hint: `Start a busy loop inside: echo $$ > ${CG}${APP}/cgroup.procs, then stress --cpu 1 --vm 1 --vm-bytes 150M --vm-keep & (if you just started it, give it a second: sleep 2).`,
      });
    }
  }

  // 5. The memory user holds memory, under the limit.
  {
    const name = "A memory user holds 100–200 MiB inside app";
    if (!app) results.push(noApp(name));
    else if (app.memory.current >= MEMORY_USER_MIN && app.memory.current <= MEMORY_MAX) results.push({ name, ok: true, detail: `memory.current is ${app.memory.current} bytes (${MiB(app.memory.current)}), peak ${MiB(app.memory.peak)}.` });
    else if (app.memory.current > MEMORY_MAX) results.push({ name, ok: false, detail: `memory.current is ${MiB(app.memory.current)}, more than 200 MiB: memory.max is ${app.memory.max === null ? "max" : MiB(app.memory.max)}.`, hint: `Set the limit (echo 200M > ${CG}${APP}/memory.max) and keep the memory user below it.` })
    else {
      const oom = app.memory.events.oom_kill > 0;
      results.push({
        name,
        ok: false,
        detail: `memory.current is ${MiB(app.memory.current)}${oom ? `, after ${app.memory.events.oom_kill} OOM kill(s)` : ""}; the workload should hold about 150 MiB.`,
        hint: oom
          ? "The memory user was OOM-killed (see the next check), so it holds nothing now. Ask for less than the limit: --vm-bytes 150M --vm-keep."
          : `Add a memory user that keeps what it allocates, inside ${APP}: stress --vm 1 --vm-bytes 150M --vm-keep (with --cpu 1 in the same command, one stress does both).`,
      });
    }
  }

  // 6. Measured: never more than half a CPU, and the cap really bites.
  {
    const name = "CPU use stays at or below half a CPU (cpu.stat shows throttling)";
    if (!app) results.push(noApp(name));
    else {
      const c = app.cpu;
      const stat = `usage_usec ${c.usageUsec}, nr_periods ${c.nrPeriods}, nr_throttled ${c.nrThrottled}, throttled_usec ${c.throttledUsec}`;
      const capped = c.max.quota !== null && c.max.quota * 2 <= c.max.period;
      if (c.recentCpuPercent > 50 + SLACK_PERCENT) {
        results.push({ name, ok: false, detail: `Over the last second app used ${cpus(c.recentCpuPercent)} CPU (${c.recentCpuPercent}%). cpu.stat: ${stat}.`, hint: capped ? "The cap is set now; let a second pass (sleep 2) and check again." : `Nothing stops it: set cpu.max (echo "50000 100000" > ${CG}${APP}/cpu.max).` });
      } else if (capped && c.nrThrottled > 0 && c.recentCpuPercent > 0) {
        results.push({ name, ok: true, detail: `Over the last second app used ${cpus(c.recentCpuPercent)} CPU; it ran out of quota in ${c.nrThrottled} of ${c.nrPeriods} periods and sat throttled for ${(c.throttledUsec / 1e6).toFixed(2)} s in all. cpu.stat: ${stat}.` });
      } else {
        const share = shareUnderContention(st);
        const starved = capped && c.recentCpuPercent > 0 && share !== undefined && share.share < 0.5;
        results.push({
          name,
          ok: false,
          detail: c.nrThrottled > 0 ? `Nothing in app used any CPU over the last second, so there is nothing to measure. cpu.stat: ${stat}.` : `nr_throttled is ${c.nrThrottled}: the quota has never run out. Over the last second app used ${cpus(c.recentCpuPercent)} CPU. cpu.stat: ${stat}.`,
          hint: !capped
            ? `Without a quota there is nothing to throttle: echo "50000 100000" > ${CG}${APP}/cpu.max`
            : starved
              ? `app never even reaches its quota, because the neighbour leaves it only ${share!.share.toFixed(2)} CPU: see the cpu.weight check.`
              : c.recentCpuPercent === 0
                ? "Nothing in app is busy yet, or it has not run long enough to measure: start the workload inside app and wait a couple of seconds (sleep 2)."
                : "Give it a few periods to run into the quota (sleep 2), then check again.",
        });
      }
    }
  }

  // 7. Weight: its half CPU even while the neighbour bursts.
  {
    const name = "app gets its half CPU while the neighbour bursts (cpu.weight)";
    const share = shareUnderContention(st);
    if (!app || !share) results.push(noApp(name));
    else {
      const measured = app.cpu.recentCpuPercent;
      const neighbourBusy = (st.neighbour?.cpu.recentCpuPercent ?? 0) > 0;
      if (share.share >= 0.5 - 1e-9 && measured >= 50 - SLACK_PERCENT) {
        results.push({ name, ok: true, detail: `Under contention app is entitled to ${share.formula} = ${share.share.toFixed(2)} CPU, and it got ${cpus(measured)} CPU over the last second${neighbourBusy ? ` while the neighbour used ${cpus(st.neighbour!.cpu.recentCpuPercent)}` : ""}.` });
      } else if (share.share < 0.5) {
        results.push({ name, ok: false, detail: `Under contention app gets ${share.formula} = ${share.share.toFixed(2)} CPU, less than its 0.5; it got ${cpus(measured)} CPU over the last second.`, hint: `A cap is not a guarantee. cpu.weight decides the split when CPUs are scarce: raise it to at least ${share.needWeight}, with a little room to spare (echo ${Math.max(share.needWeight + 33, 200)} > ${CG}${APP}/cpu.weight). A Pod's CPU request becomes exactly this weight.` });
      } else {
        results.push({ name, ok: false, detail: `The weights entitle app to ${share.share.toFixed(2)} CPU (${share.formula}), but it used only ${cpus(measured)} CPU over the last second.`, hint: measured === 0 ? "Start a busy workload inside app (see above)." : "The new weight needs a second to show in the measurement: sleep 2, then check again." });
      }
    }
  }

  // 8. No OOM kill.
  {
    const name = "Nothing in app was OOM-killed";
    if (!app) results.push(noApp(name));
    else {
      const ev = app.memory.events;
      if (ev.oom_kill === 0 && app.memory.max !== null && app.memory.peak <= app.memory.max) results.push({ name, ok: true, detail: `memory.events: oom ${ev.oom}, oom_kill 0; memory.peak ${MiB(app.memory.peak)} stayed under memory.max.` });
      else if (ev.oom_kill === 0) results.push({ name, ok: false, detail: "memory.events shows oom_kill 0, but memory.max is max: nothing would stop a leak from eating the host.", hint: `Set the limit first: echo 200M > ${CG}${APP}/memory.max` });
      else results.push({ name, ok: false, detail: `memory.events: max ${ev.max}, oom ${ev.oom}, oom_kill ${ev.oom_kill}. dmesg has the kernel's "Memory cgroup out of memory: Killed process …" line.`, hint: "The memory user asked for more than memory.max, and the kernel killed it. Keep --vm-bytes below 200M (150M leaves room for the processes' own pages); a fresh start needs a new cgroup or a reset lab, because the counters only grow." });
    }
  }

  // 9. The neighbour is untouched: protect app from it, do not cripple it.
  {
    const name = "The neighbour is left alone";
    const n = st.neighbour;
    const workers = st.s.processes.filter((p) => alive(p) && p.cgroup === NEIGHBOUR && p.comm === "stress");
    const problems: string[] = [];
    if (!n) problems.push(`${CG}${NEIGHBOUR} is gone`);
    else {
      if (n.cpu.weight !== NEIGHBOUR_WEIGHT) problems.push(`its cpu.weight is ${n.cpu.weight}, not ${NEIGHBOUR_WEIGHT}`);
      if (n.cpu.max.quota !== null) problems.push(`its cpu.max is "${n.cpu.max.quota} ${n.cpu.max.period}"`);
      if (n.frozen) problems.push("it is frozen");
      if (workers.length < NEIGHBOUR_WORKERS + 1) problems.push(`only ${workers.length} of its ${NEIGHBOUR_WORKERS + 1} stress processes are alive`);
    }
    if (problems.length === 0) results.push({ name, ok: true, detail: `${NEIGHBOUR} still has cpu.weight ${NEIGHBOUR_WEIGHT}, no quota, and its stress processes ${workers.map((p) => p.pid).join(", ")} keep bursting.` });
    else results.push({ name, ok: false, detail: problems.join("; ") + ".", hint: "The task is to protect app from its neighbour, not to cripple the neighbour: change only app's files. Reset the lab to get the neighbour back." });
  }

  return results;
}

const exercise: Exercise = {
  number: 3,
  slug: "03-cgroups",
  title: "Confine a workload: half a CPU, 200 MiB",
  starter: "confine.sh",
  kind: "shell",
  setup,
  apply,
  check,
  hints: [
    `A cgroup is a directory: mkdir ${CG}${APP}. Its files appear by themselves; ls it and cat cpu.max, cpu.weight and memory.max.`,
    `Limits are writes to files: echo "50000 100000" > ${CG}${APP}/cpu.max (50 ms of CPU in every 100 ms period) and echo 200M > ${CG}${APP}/memory.max.`,
    `Processes join by pid: echo $$ > ${CG}${APP}/cgroup.procs moves your shell, and everything it starts afterwards is born inside. Then: stress --cpu 1 --vm 1 --vm-bytes 150M --vm-keep &`,
    `The neighbour has cpu.weight ${NEIGHBOUR_WEIGHT}. On 2 CPUs, app gets 2 × w / (w + ${NEIGHBOUR_WEIGHT}) CPU when both are busy; pick a cpu.weight w that makes that at least 0.5.`,
  ],
};

export default exercise;
