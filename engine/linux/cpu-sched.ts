// Where CPU time goes. Processes run workloads (idle by default; a busy loop; allocating memory)
// and the scheduler shares the machine's CPUs among the runnable ones as CFS does with cgroup v2:
// at every level of the tree, siblings (child cgroups and tasks alike) get time in proportion to
// their weight, a task can use at most one CPU, and a cgroup with cpu.max gets at most QUOTA µs
// per PERIOD — once that is spent its tasks sit throttled until the period ends (CFS bandwidth).
//
// The model is fluid and event-driven rather than tick-by-tick: between two events (a period
// boundary, a quota running out, an allocation reaching a limit) every task runs at a constant
// rate, so accounting is exact and costs nothing per millisecond. A timer is armed only while
// something is runnable; an idle host costs nothing at all.
import type { Cgroup, CgroupHierarchy } from "./cgroup";
import { PAGE } from "./cgroup-memory";
import type { MemoryController } from "./cgroup-memory";
import type { Kernel } from "./kernel";
import type { Process } from "./process";

/** How fast an allocating workload touches new memory while it has a whole CPU (bytes per CPU-µs ≈ 2 GiB/s). */
export const ALLOC_BYTES_PER_CPU_US = 2 * 1024 ** 3 / 1e6;
/** Over memory.high the kernel makes the allocator sleep off its excess: modelled as a slowdown. */
const HIGH_THROTTLE = 1 / 16;
/** Windows for "recent" CPU%: what top and the widgets show. */
const WINDOW_US = 1_000_000;
/** Quota run-outs are resolved on this grid (µs). */
const EXHAUST_GRID_US = 1_000;

export interface WorkloadSpec {
  /** "cpu": a busy loop (yes, stress --cpu). "vm": allocate and touch memory (stress --vm). */
  kind: "cpu" | "vm";
  /** vm: bytes per round. */
  bytes?: number;
  /** vm: keep the memory after a round instead of freeing it and starting over (--vm-keep). */
  keep?: boolean;
  /** vm: sleep this long (ms) holding the memory after each round; Infinity = forever (--vm-hang 0). */
  hangMs?: number;
  /** vm: allocate at most this many bytes per second of virtual time (an "allocate at a rate" workload). */
  rateBytesPerSec?: number;
  /** Fraction of CPU time spent in the kernel (system_usec); the rest is user time. */
  systemShare?: number;
}

export class Workload {
  cpuUsec = 0;
  /** Bytes allocated in the current round (vm). */
  allocated = 0;
  phase: "run" | "hang" = "run";
  hangUntilUs = 0;
  recentPercent = 0;
  windowUsage = 0;
  /** Current rate in CPUs (0..1), valid between two events. */
  rate = 0;
  constructor(
    readonly proc: Process,
    readonly spec: WorkloadSpec,
  ) {}
  get runnable(): boolean {
    return this.phase === "run";
  }
}

/** One sharing level in the scheduler's tree: a cgroup with the cpu controller (or the root). */
interface Entity {
  weight: number;
  cap: number;
  rate: number;
  /** Children (for a group) — undefined for a task. */
  kids?: Entity[];
  task?: Workload;
  cg?: Cgroup;
}

/**
 * Weighted max-min sharing ("water-filling"): `amount` CPUs among entities with weights and
 * caps. Entities that cannot use their fair share get their cap; the rest is re-shared.
 */
export function waterFill(amount: number, entities: { weight: number; cap: number; rate: number }[]): void {
  const order = entities.filter((e) => e.cap > 0).sort((a, b) => a.cap / a.weight - b.cap / b.weight);
  for (const e of entities) e.rate = 0;
  let left = amount;
  let wsum = order.reduce((s, e) => s + e.weight, 0);
  for (const e of order) {
    if (left <= 0 || wsum <= 0) break;
    const fair = (left * e.weight) / wsum;
    e.rate = Math.min(e.cap, fair);
    left -= e.rate;
    wsum -= e.weight;
  }
}

export class CpuScheduler {
  private readonly workloads = new Map<Process, Workload>();
  /** µs of virtual time accounted so far. */
  private doneUs = 0;
  private dirty = true;
  private quotaGroups: Cgroup[] = [];
  /** Subtree CPU rate of every cgroup with a runnable task below (for usage and budgets). */
  private groupRates = new Map<Cgroup, number>();
  private cancelTimer: (() => void) | null = null;
  private timerAt = Infinity;
  private syncing = false;
  private replanPending = false;

  constructor(
    private readonly kernel: Kernel,
    private readonly tree: CgroupHierarchy,
    private readonly memory: MemoryController,
  ) {
    tree.onChange(() => this.invalidate());
  }

  get cpus(): number {
    return this.kernel.machine.cpus;
  }

  private nowUs(): number {
    return this.kernel.clock.now() * 1000;
  }

  /** Start a workload in `proc` (replacing any). */
  run(proc: Process, spec: WorkloadSpec): Workload {
    this.sync();
    const w = new Workload(proc, spec);
    this.workloads.set(proc, w);
    this.invalidate();
    return w;
  }

  /** The process stopped its workload (or exited). */
  stop(proc: Process): void {
    if (!this.workloads.has(proc)) return;
    this.sync();
    const w = this.workloads.get(proc);
    this.workloads.delete(proc);
    if (w && w.allocated > 0 && proc.alive) this.memory.free(proc, w.allocated);
    this.invalidate();
  }

  workloadOf(proc: Process): Workload | undefined {
    return this.workloads.get(proc);
  }

  /** CPU time a process has used (µs). */
  cpuTimeUsec(proc: Process): number {
    return this.workloads.get(proc)?.cpuUsec ?? 0;
  }

  /** CPU% of a process over the last completed second (100 = one CPU). */
  recentPercent(proc: Process): number {
    return this.workloads.get(proc)?.recentPercent ?? 0;
  }

  /** A write to cpu.max: past time is accounted under the old limit, the new one starts a fresh period. */
  setBandwidth(cg: Cgroup, quota: number | null, period: number): void {
    this.sync();
    cg.cpu.quota = quota;
    cg.cpu.period = period;
    const now = this.nowUs();
    cg.cpu.periodStart = Math.floor(now / period) * period;
    cg.cpu.budget = quota ?? 0;
    cg.cpu.throttled = false;
    cg.cpu.activeThisPeriod = false;
    this.invalidate();
  }

  /** Something changed (runnable set, weights, quotas, membership): recompute rates. */
  invalidate(): void {
    this.dirty = true;
    // Re-plan once, when the current burst of changes is over (a script moving 10,000
    // processes must not re-share the CPUs 10,000 times): a timer due now.
    if (this.replanPending || this.syncing) return;
    this.replanPending = true;
    this.kernel.clock.at(this.kernel.clock.now(), () => {
      this.replanPending = false;
      this.sync();
      if (this.dirty) this.recompute();
      this.arm();
    });
  }

  /** Bring every counter up to the current virtual time. Call before reading or changing state. */
  sync(): void {
    if (this.syncing) return;
    this.syncing = true;
    try {
      const target = this.nowUs();
      let guard = 0;
      while (this.doneUs < target && guard++ < 1_000_000) this.step(target);
      this.doneUs = Math.max(this.doneUs, target);
    } finally {
      this.syncing = false;
    }
    this.arm();
  }

  /** Valid while !dirty: set by recompute(). */
  private anyRunnable = false;
  private nextHangUs = Infinity;

  private hasRunnable(): boolean {
    for (const w of this.workloads.values()) if (w.runnable) return true;
    return false;
  }

  /** Keep one timer: at the next point where something observable happens. */
  private arm(): void {
    if (this.dirty) {
      // Re-share first (once, in the replan timer); that arms the real next event.
      if (this.workloads.size > 0) this.invalidate();
      return;
    }
    let next = this.nextHangUs;
    if (this.anyRunnable) next = Math.min(next, this.nextBoundary(this.doneUs), this.doneUs + this.nextEventIn());
    if (!Number.isFinite(next)) {
      this.cancelTimer?.();
      this.cancelTimer = null;
      this.timerAt = Infinity;
      return;
    }
    const atMs = Math.max(next, this.nowUs() + 1) / 1000;
    if (this.cancelTimer && this.timerAt === atMs) return;
    this.cancelTimer?.();
    this.timerAt = atMs;
    this.cancelTimer = this.kernel.clock.at(atMs, () => {
      this.cancelTimer = null;
      this.timerAt = Infinity;
      this.sync();
    });
  }

  /** The next period boundary of any bandwidth-limited cgroup, or the next CPU% window. */
  private nextBoundary(t: number): number {
    let b = (Math.floor(t / WINDOW_US) + 1) * WINDOW_US;
    for (const q of this.quotaGroups) b = Math.min(b, (Math.floor(t / q.cpu.period) + 1) * q.cpu.period);
    return b;
  }

  /** µs until the next discrete event at the current rates: a quota running out or a memory threshold. */
  private nextEventIn(): number {
    return Math.min(this.nextExhaustIn(), this.nextMemoryEventIn());
  }

  /** µs until the first bandwidth-limited group spends its budget. */
  private nextExhaustIn(): number {
    let dt = Infinity;
    for (const q of this.quotaGroups) {
      const r = this.groupRates.get(q) ?? 0;
      if (r > 0 && !q.cpu.throttled) dt = Math.min(dt, q.cpu.budget / r);
    }
    return dt;
  }

  /** µs until an allocating workload reaches its target, a memory.high or a memory.max, or wakes from a hang. */
  private nextMemoryEventIn(): number {
    let dt = Infinity;
    const now = this.doneUs;
    const allocating: [Workload, number, Cgroup][] = [];
    const sharing = new Map<Cgroup, number>();
    for (const w of this.workloads.values()) {
      if (w.phase === "hang" && Number.isFinite(w.hangUntilUs)) dt = Math.min(dt, Math.max(0, w.hangUntilUs - now));
      if (w.spec.kind !== "vm") continue;
      const ar = this.allocRate(w);
      if (ar <= 0) continue;
      const cg = this.tree.of(w.proc);
      allocating.push([w, ar, cg]);
      sharing.set(cg, (sharing.get(cg) ?? 0) + 1);
    }
    for (const [w, ar, cg] of allocating) {
      const target = w.spec.bytes ?? 0;
      dt = Math.min(dt, Math.max(PAGE, target - w.allocated) / ar);
      const room = this.memory.headroom(cg);
      if (Number.isFinite(room)) dt = Math.min(dt, Math.max(PAGE, room) / (ar * (sharing.get(cg) ?? 1)));
      for (const a of cg.ancestry()) {
        if (a.isRoot) break;
        if (a.memory.high !== null && a.memory.current < a.memory.high) dt = Math.min(dt, Math.max(PAGE, a.memory.high - a.memory.current) / ar);
      }
    }
    // (Never a zero-length step: a limit reached exactly must still move time forward.)
    return Math.max(1e-3, dt);
  }

  /** Bytes per µs a vm workload touches right now. */
  private allocRate(w: Workload): number {
    if (w.spec.kind !== "vm" || w.phase !== "run" || w.rate <= 0) return 0;
    const target = w.spec.bytes ?? 0;
    if (w.allocated >= target) return 0;
    let r = w.rate * ALLOC_BYTES_PER_CPU_US;
    if (w.spec.rateBytesPerSec !== undefined) r = Math.min(r, w.spec.rateBytesPerSec / 1e6);
    if (this.memory.overHigh(this.tree.of(w.proc))) r *= HIGH_THROTTLE;
    return r;
  }

  /** The cgroup whose cpu settings a task of `cg` obeys: the nearest with the cpu controller. */
  private cpuNode(cg: Cgroup): Cgroup {
    let c = cg;
    while (!c.isRoot && !c.has("cpu")) c = c.parent!;
    return c;
  }

  /** Rebuild the sharing tree and give every runnable task its rate. */
  private recompute(): void {
    this.dirty = false;
    this.anyRunnable = false;
    this.nextHangUs = Infinity;
    for (const w of this.workloads.values()) {
      if (w.runnable) this.anyRunnable = true;
      else if (Number.isFinite(w.hangUntilUs)) this.nextHangUs = Math.min(this.nextHangUs, w.hangUntilUs);
    }
    for (const w of this.workloads.values()) w.rate = 0;
    const nodes = new Map<Cgroup, Entity>();
    const entity = (cg: Cgroup): Entity => {
      let e = nodes.get(cg);
      if (e) return e;
      e = { weight: cg.cpu.weight, cap: 0, rate: 0, kids: [], cg };
      nodes.set(cg, e);
      if (!cg.isRoot) entity(this.cpuNode(cg.parent!)).kids!.push(e);
      return e;
    };
    const root = entity(this.tree.root);
    for (const w of this.workloads.values()) {
      if (!w.runnable || !w.proc.alive) continue;
      const cg = this.tree.of(w.proc);
      if (cg.frozen) continue;
      entity(this.cpuNode(cg)).kids!.push({ weight: 100, cap: 1, rate: 0, task: w });
    }
    const capOf = (e: Entity): number => {
      if (e.task) return e.cap;
      let c = 0;
      for (const k of e.kids!) c += capOf(k);
      e.cap = e.cg && !e.cg.isRoot && e.cg.cpu.throttled ? 0 : c;
      return e.cap;
    };
    capOf(root);
    const share = (e: Entity, amount: number): void => {
      if (e.task) {
        e.task.rate = amount;
        return;
      }
      waterFill(amount, e.kids!);
      for (const k of e.kids!) share(k, k.rate);
    };
    share(root, Math.min(this.cpus, root.cap));
    // Subtree rates for usage accounting (every cgroup, controller or not) and for budgets.
    this.groupRates = new Map();
    for (const w of this.workloads.values()) {
      if (w.rate <= 0) continue;
      for (const a of this.tree.of(w.proc).ancestry()) this.groupRates.set(a, (this.groupRates.get(a) ?? 0) + w.rate);
    }
    this.quotaGroups = this.tree.known().filter((c) => !c.isRoot && c.has("cpu") && c.cpu.quota !== null);
  }

  private refill(q: Cgroup, start: number): void {
    q.cpu.periodStart = start;
    q.cpu.budget = q.cpu.quota ?? 0;
    q.cpu.throttled = false;
    q.cpu.activeThisPeriod = (this.groupRates.get(q) ?? 0) > 0 || this.hasRunnableIn(q);
  }

  private hasRunnableIn(q: Cgroup): boolean {
    for (const w of this.workloads.values()) if (w.runnable && w.proc.alive && this.isUnder(this.tree.of(w.proc), q)) return true;
    return false;
  }

  private isUnder(cg: Cgroup, anc: Cgroup): boolean {
    for (const a of cg.ancestry()) if (a === anc) return true;
    return false;
  }

  /** Advance from doneUs towards `target` by one event-free stretch, then handle what happened. */
  private step(target: number): void {
    if (this.dirty) this.recompute();
    const t0 = this.doneUs;
    const boundary = this.nextBoundary(t0);
    // Quota run-outs are handled on a 1 ms grid (each group still gets exactly its budget;
    // siblings may miss < 1 ms of the CPU it leaves behind): with hundreds of capped groups,
    // one re-share per run-out would cost more than it tells.
    const exhaust = this.nextExhaustIn();
    const exhaustAt = Number.isFinite(exhaust) ? Math.max(t0 + 1e-3, Math.ceil((t0 + exhaust) / EXHAUST_GRID_US) * EXHAUST_GRID_US) : Infinity;
    const t1 = Math.min(target, boundary, t0 + this.nextMemoryEventIn(), exhaustAt);
    const dt = t1 - t0;
    // 1. CPU time; a group whose budget runs out inside the step gets exactly its budget.
    let scaled = false;
    const factor = new Map<Cgroup, number>();
    for (const q of this.quotaGroups) {
      const r = this.groupRates.get(q) ?? 0;
      if (r <= 0) continue;
      q.cpu.activeThisPeriod = true;
      const want = r * dt;
      if (want > q.cpu.budget) {
        factor.set(q, Math.max(0, q.cpu.budget) / want);
        scaled = true;
        if (!q.cpu.throttled) q.cpu.throttledSince = t0 + Math.max(0, q.cpu.budget) / r;
      }
    }
    const account = (cg: Cgroup, used: number) => {
      cg.cpu.usageUsec += used;
      const sys = used * 0.06;
      cg.cpu.systemUsec += sys;
      cg.cpu.userUsec += used - sys;
    };
    if (!scaled) {
      for (const w of this.workloads.values()) if (w.rate > 0) w.cpuUsec += w.rate * dt;
      for (const [cg, r] of this.groupRates) account(cg, r * dt);
    } else {
      for (const w of this.workloads.values()) {
        if (w.rate <= 0) continue;
        const chain = [...this.tree.of(w.proc).ancestry()];
        let f = 1;
        for (const a of chain) f = Math.min(f, factor.get(a) ?? 1);
        const used = w.rate * dt * f;
        w.cpuUsec += used;
        for (const a of chain) account(a, used);
      }
    }
    for (const q of this.quotaGroups) {
      const r = this.groupRates.get(q) ?? 0;
      if (r <= 0) continue;
      q.cpu.budget -= r * dt * (factor.get(q) ?? 1);
      if (factor.has(q) || q.cpu.budget <= 1e-6) {
        if (!q.cpu.throttled) {
          if (!factor.has(q)) q.cpu.throttledSince = t1;
          q.cpu.throttled = true;
          this.dirty = true;
        }
        q.cpu.budget = 0;
      }
    }
    // 2. memory touched by allocating workloads
    for (const w of [...this.workloads.values()]) {
      if (w.spec.kind !== "vm") continue;
      const ar = this.allocRate(w);
      if (ar <= 0 || !w.proc.alive) continue;
      const target = w.spec.bytes ?? 0;
      // Whole pages, rounded up: a step that reaches a limit must touch at least the page that crosses it.
      let want = Math.min(target - w.allocated, Math.max(PAGE, Math.ceil((ar * dt) / PAGE) * PAGE));
      if (target - w.allocated - want < PAGE) want = target - w.allocated;
      if (want <= 0) continue;
      const before = this.memory.headroom(this.tree.of(w.proc));
      this.doneUs = t1;
      w.allocated += this.memory.allocate(w.proc, want);
      if (!w.proc.alive) continue;
      if (w.allocated >= target) this.roundDone(w, t1);
      else if (before < want) this.dirty = true;
      if (this.memory.overHigh(this.tree.of(w.proc))) this.dirty = true;
    }
    this.doneUs = t1;
    // 3. workloads waking from --vm-hang
    if (this.nextHangUs <= t1) for (const w of this.workloads.values()) {
      if (w.phase === "hang" && w.hangUntilUs <= t1) {
        w.phase = "run";
        this.memory.free(w.proc, w.allocated);
        w.allocated = 0;
        this.dirty = true;
      }
    }
    // 4. period and window boundaries
    if (t1 === boundary) this.boundary(t1);
  }

  /** A vm round finished: hang holding it, keep it, or free it and start again (stress's loop). */
  private roundDone(w: Workload, t: number): void {
    const hang = w.spec.hangMs;
    if (hang !== undefined) {
      w.phase = "hang";
      w.hangUntilUs = Number.isFinite(hang) ? t + hang * 1000 : Infinity;
      this.dirty = true;
    } else if (!w.spec.keep) {
      this.memory.free(w.proc, w.allocated);
      w.allocated = 0;
    }
  }

  private boundary(t: number): void {
    for (const q of this.quotaGroups) {
      if (t % q.cpu.period !== 0) continue;
      const c = q.cpu;
      if (c.activeThisPeriod) c.nrPeriods++;
      if (c.throttled) {
        c.nrThrottled++;
        // Each CPU runqueue the group was running on sits throttled (the kernel sums them).
        const width = Math.max(1, Math.min(this.cpus, this.runnableTasksUnder(q)));
        c.throttledUsec += (t - c.throttledSince) * width;
        this.kernel.emit({ type: "cgroup.throttle", path: q.path, throttledUsec: Math.floor(c.throttledUsec), nrThrottled: c.nrThrottled });
        this.dirty = true;
      }
      this.refill(q, t);
    }
    if (t % WINDOW_US === 0) {
      for (const cg of this.tree.known()) {
        cg.cpu.recentPercent = ((cg.cpu.usageUsec - cg.cpu.windowUsage) / WINDOW_US) * 100;
        cg.cpu.windowUsage = cg.cpu.usageUsec;
      }
      for (const w of this.workloads.values()) {
        w.recentPercent = ((w.cpuUsec - w.windowUsage) / WINDOW_US) * 100;
        w.windowUsage = w.cpuUsec;
      }
    }
  }

  private runnableTasksUnder(q: Cgroup): number {
    let n = 0;
    for (const w of this.workloads.values()) if (w.runnable && w.proc.alive && this.isUnder(this.tree.of(w.proc), q)) n++;
    return n;
  }

  /** A process died: its workload goes (memory is uncharged by the memory controller). */
  exited(proc: Process): void {
    if (!this.workloads.has(proc)) return;
    this.sync();
    this.workloads.delete(proc);
    this.invalidate();
  }

  /** Total CPUs handed out right now (for property tests: never more than the machine has). */
  grantedNow(): number {
    this.sync();
    if (this.dirty) this.recompute();
    let s = 0;
    for (const w of this.workloads.values()) s += w.rate;
    return s;
  }
}
