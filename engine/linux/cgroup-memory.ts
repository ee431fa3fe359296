// The memory controller: charges go to a cgroup and every ancestor (page counters are
// hierarchical); memory.high slows an allocator down; at memory.max, with nothing to reclaim
// (anonymous memory, no swap), the cgroup's OOM killer picks the task with the highest badness
// inside that cgroup and SIGKILLs it. Modelled on mm/memcontrol.c and mm/oom_kill.c.
import type { Cgroup, CgroupHierarchy } from "./cgroup";
import type { Kernel } from "./kernel";
import { KernelError } from "./process";
import type { Process } from "./process";

export const PAGE = 4096;
/** try_charge_memcg() retries reclaim this often (MAX_RECLAIM_RETRIES) before declaring OOM. */
const MAX_RECLAIM_RETRIES = 16;
/** Charges are taken in batches of 64 pages (MEMCG_CHARGE_BATCH); each over-high batch is one "high" event. */
const CHARGE_BATCH = 64 * PAGE;

export type MemoryEventName = "low" | "high" | "max" | "oom" | "oom_kill" | "oom_group_kill";
export const MEMORY_EVENTS: readonly MemoryEventName[] = ["low", "high", "max", "oom", "oom_kill", "oom_group_kill"];

export class MemoryState {
  /** memory.max / memory.high in bytes; null = "max". */
  max: number | null = null;
  high: number | null = null;
  low = 0;
  min = 0;
  oomGroup = false;
  /** Bytes charged here and below. */
  current = 0;
  peak = 0;
  /** The anonymous part of `current` (the rest is kernel memory: stacks, page tables). */
  anon = 0;
  /** memory.events (this cgroup and its descendants) and memory.events.local (this cgroup only). */
  readonly events: Record<MemoryEventName, number> = { low: 0, high: 0, max: 0, oom: 0, oom_kill: 0, oom_group_kill: 0 };
  readonly eventsLocal: Record<MemoryEventName, number> = { low: 0, high: 0, max: 0, oom: 0, oom_kill: 0, oom_group_kill: 0 };
}

/** "max" or a byte count, as memory.max prints. */
export function formatLimit(v: number | null): string {
  return v === null ? "max\n" : `${v}\n`;
}

/**
 * page_counter_memparse(): "max", or a number with an optional K/M/G/T/P/E suffix
 * (memparse, any case), rounded down to whole pages. Anything else is EINVAL.
 */
export function parseMemoryLimit(text: string): number | null {
  const t = text.trim();
  if (t === "max") return null;
  const m = /^(0[xX][0-9a-fA-F]+|\d+)([kKmMgGtTpPeE]?)$/.exec(t);
  if (!m) throw new KernelError("EINVAL", "Invalid argument");
  const shift = { "": 0, k: 10, m: 20, g: 30, t: 40, p: 50, e: 60 }[m[2]!.toLowerCase()]!;
  const bytes = Number(BigInt(m[1]!) << BigInt(shift));
  return Math.floor(bytes / PAGE) * PAGE;
}

export function formatMemoryEvents(e: Record<MemoryEventName, number>): string {
  return MEMORY_EVENTS.map((k) => `${k} ${e[k]}\n`).join("");
}

/** memory.stat: the kernel's keys in its order; the engine fills the ones it models. */
export function formatMemoryStat(s: MemoryState): string {
  const kernel = s.current - s.anon;
  const pairs: [string, number][] = [
    ["anon", s.anon], ["file", 0], ["kernel", kernel], ["kernel_stack", Math.min(kernel, Math.floor(kernel / 8 / PAGE) * PAGE)], ["pagetables", kernel - Math.min(kernel, Math.floor(kernel / 8 / PAGE) * PAGE)],
    ["sec_pagetables", 0], ["percpu", 0], ["sock", 0], ["vmalloc", 0], ["shmem", 0], ["zswap", 0], ["zswapped", 0],
    ["file_mapped", 0], ["file_dirty", 0], ["file_writeback", 0], ["swapcached", 0], ["anon_thp", 0], ["file_thp", 0], ["shmem_thp", 0],
    ["inactive_anon", 0], ["active_anon", s.anon], ["inactive_file", 0], ["active_file", 0], ["unevictable", 0],
    ["slab_reclaimable", 0], ["slab_unreclaimable", 0], ["slab", 0],
    ["pgscan", 0], ["pgsteal", 0], ["pgfault", Math.floor(s.anon / PAGE)], ["pgmajfault", 0],
  ];
  return pairs.map(([k, v]) => `${k} ${v}\n`).join("");
}

/** What a process has charged, and where (charges stay with the cgroup that took them). */
interface ProcMemory {
  /** Bytes the process mapped at start (text, stack, libc): charged where it was forked. */
  base: number;
  /** Anonymous memory the workload allocated. */
  anon: number;
  charges: Map<Cgroup, number>;
}

export class MemoryController {
  private readonly byProc = new Map<Process, ProcMemory>();

  constructor(
    private readonly kernel: Kernel,
    private readonly tree: CgroupHierarchy,
  ) {}

  /** A new process: its baseline pages are charged to the cgroup it was born in. */
  forked(p: Process): void {
    const base = p.rssKb * 1024;
    const pm: ProcMemory = { base, anon: 0, charges: new Map() };
    this.byProc.set(p, pm);
    const cg = this.tree.of(p);
    this.chargeTo(cg, base, false);
    pm.charges.set(cg, base);
  }

  /** exit(2): everything the process charged is given back. */
  exited(p: Process): void {
    const pm = this.byProc.get(p);
    if (!pm) return;
    this.byProc.delete(p);
    for (const [cg, bytes] of pm.charges) this.uncharge(cg, bytes, bytes - (cg === this.firstCharge(pm) ? pm.base : 0));
  }

  /** Anonymous bytes a process holds (its RSS beyond the baseline). */
  anonOf(p: Process): number {
    return this.byProc.get(p)?.anon ?? 0;
  }

  private firstCharge(pm: ProcMemory): Cgroup | undefined {
    return pm.charges.keys().next().value;
  }

  private chargeTo(cg: Cgroup, bytes: number, anon: boolean): void {
    for (const a of cg.ancestry()) {
      a.memory.current += bytes;
      if (anon) a.memory.anon += bytes;
      if (a.memory.current > a.memory.peak) a.memory.peak = a.memory.current;
    }
  }

  private uncharge(cg: Cgroup, bytes: number, anonBytes: number): void {
    for (const a of cg.ancestry()) {
      a.memory.current = Math.max(0, a.memory.current - bytes);
      a.memory.anon = Math.max(0, a.memory.anon - anonBytes);
    }
  }

  /** The lowest ancestor (self first) whose memory.max `bytes` more would exceed, if any. */
  overLimit(cg: Cgroup, bytes: number): Cgroup | null {
    for (const a of cg.ancestry()) {
      if (a.isRoot) break;
      if (a.memory.max !== null && a.memory.current + bytes > a.memory.max) return a;
    }
    return null;
  }

  /** Headroom below the tightest memory.max on the way up (Infinity when unlimited). */
  headroom(cg: Cgroup): number {
    let room = Infinity;
    for (const a of cg.ancestry()) {
      if (a.isRoot) break;
      if (a.memory.max !== null) room = Math.min(room, a.memory.max - a.memory.current);
    }
    return Math.max(0, room);
  }

  /** True when some ancestor is above its memory.high: the allocator gets throttled. */
  overHigh(cg: Cgroup): boolean {
    for (const a of cg.ancestry()) {
      if (a.isRoot) break;
      if (a.memory.high !== null && a.memory.current > a.memory.high) return true;
    }
    return false;
  }

  /**
   * The workload of `p` touches `bytes` more anonymous memory (page-rounded by the caller).
   * Returns the bytes actually charged; when a limit is hit the OOM killer runs, and
   * `p` may be the one it kills.
   */
  allocate(p: Process, bytes: number): number {
    const pm = this.byProc.get(p);
    if (!pm || !p.alive || bytes <= 0) return 0;
    const cg = this.tree.of(p);
    let charged = 0;
    for (let attempt = 0; attempt < 8 && p.alive; attempt++) {
      const want = bytes - charged;
      if (want <= 0) break;
      const over = this.overLimit(cg, want);
      const take = over ? Math.floor(this.headroom(cg) / PAGE) * PAGE : want;
      if (take > 0) {
        this.chargeTo(cg, take, true);
        pm.anon += take;
        pm.charges.set(cg, (pm.charges.get(cg) ?? 0) + take);
        charged += take;
        this.countHigh(cg, take);
      }
      if (!over) break;
      // Nothing to reclaim (anonymous memory, no swap): every retry is a "max" event, then OOM.
      this.event(over, "max", MAX_RECLAIM_RETRIES + 1);
      if (!this.outOfMemory(over, p)) break;
    }
    this.updateRss(p);
    return charged;
  }

  /** Give back `bytes` of anonymous memory (stress frees its buffer between rounds). */
  free(p: Process, bytes: number): void {
    const pm = this.byProc.get(p);
    if (!pm) return;
    let left = Math.min(bytes, pm.anon);
    pm.anon -= left;
    // Newest charges first, never the baseline pages.
    for (const [cg, b] of [...pm.charges].reverse()) {
      if (left <= 0) break;
      const anonHere = cg === this.firstCharge(pm) ? b - pm.base : b;
      const n = Math.min(left, anonHere);
      if (n <= 0) continue;
      this.uncharge(cg, n, n);
      pm.charges.set(cg, b - n);
      left -= n;
    }
    this.updateRss(p);
  }

  private updateRss(p: Process): void {
    const pm = this.byProc.get(p);
    if (!pm) return;
    p.rssKb = Math.round((pm.base + pm.anon) / 1024);
    p.vszKb = Math.max(p.vszKb, p.rssKb + 1024);
  }

  private countHigh(cg: Cgroup, charged: number): void {
    for (const a of cg.ancestry()) {
      if (a.isRoot) break;
      if (a.memory.high !== null && a.memory.current > a.memory.high) this.event(a, "high", Math.max(1, Math.ceil(charged / CHARGE_BATCH)));
    }
  }

  /** memcg_memory_event(): local counter here, hierarchical counter here and in every non-root ancestor. */
  event(cg: Cgroup, name: (typeof MEMORY_EVENTS)[number], n = 1): void {
    cg.memory.eventsLocal[name] += n;
    for (const a of cg.ancestry()) {
      if (a.isRoot) break;
      a.memory.events[name] += n;
    }
  }

  /**
   * oom_badness(): resident pages plus page tables, adjusted by oom_score_adj scaled to the
   * size of the OOM domain (`totalPages`). -1000 means never. Returns null for unkillable.
   */
  badness(p: Process, totalPages: number): number | null {
    if (p.oomScoreAdj === -1000 || p.pid === 1) return null;
    const rssPages = Math.ceil((p.rssKb * 1024) / PAGE);
    return rssPages + this.pgtablesKb(p) / 4 + Math.trunc((p.oomScoreAdj * totalPages) / 1000);
  }

  /** Page-table size for a process's mapping: 8 bytes per page, rounded to whole pages. */
  pgtablesKb(p: Process): number {
    return Math.max(4, Math.ceil((p.vszKb / 4) * 8 / PAGE) * 4);
  }

  /** /proc/PID/oom_score: the badness scaled into 0..2000, then by 2/3 (proc_oom_score()). */
  oomScore(p: Process): number {
    const total = this.kernel.machine.totalPages;
    const b = this.badness(p, total);
    if (b === null) return 0;
    return Math.max(0, Math.trunc(((1000 + Math.trunc((b * 1000) / total)) * 2) / 3));
  }

  /**
   * mem_cgroup_out_of_memory(): pick the task inside `memcg` with the highest badness and kill
   * it (all of the cgroup with memory.oom.group). Returns false when nothing could be killed.
   */
  outOfMemory(memcg: Cgroup, allocator: Process | null): boolean {
    const k = this.kernel;
    this.event(memcg, "oom");
    const totalPages = Math.floor((memcg.memory.max ?? k.machine.memory) / PAGE);
    let victim: Process | null = null;
    let best = -Infinity;
    for (const p of this.tree.subtreeProcs(memcg)) {
      const b = this.badness(p, totalPages);
      if (b === null) continue;
      if (b > best) {
        best = b;
        victim = p;
      }
    }
    if (allocator) {
      const adj = allocator.oomScoreAdj;
      k.log(`${allocator.comm} invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=${adj}`);
    }
    k.log(`memory: usage ${Math.floor(memcg.memory.current / 1024)}kB, limit ${Math.floor((memcg.memory.max ?? 0) / 1024)}kB, failcnt ${memcg.memory.events.max}`);
    if (!victim) {
      k.log("Out of memory and no killable processes...");
      return false;
    }
    const taskMemcg = this.tree.of(victim);
    k.log(
      `oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=${memcg.path},task_memcg=${taskMemcg.path},task=${victim.comm},pid=${victim.pid},uid=${victim.uid}`,
    );
    const victims = memcg.memory.oomGroup ? this.tree.subtreeProcs(memcg).filter((p) => p.oomScoreAdj !== -1000) : [victim];
    for (const v of victims) this.kill(v, memcg);
    if (memcg.memory.oomGroup) this.event(memcg, "oom_group_kill");
    return true;
  }

  private kill(victim: Process, memcg: Cgroup): void {
    const k = this.kernel;
    const pm = this.byProc.get(victim);
    const anonKb = Math.floor((pm?.anon ?? 0) / 1024) + Math.floor((pm?.base ?? 0) / 1024 / 2);
    const fileKb = Math.floor((pm?.base ?? 0) / 1024) - Math.floor((pm?.base ?? 0) / 1024 / 2);
    k.log(
      `Memory cgroup out of memory: Killed process ${victim.pid} (${victim.comm}) total-vm:${victim.vszKb}kB, anon-rss:${anonKb}kB, file-rss:${fileKb}kB, shmem-rss:0kB, UID:${victim.uid} pgtables:${this.pgtablesKb(victim)}kB oom_score_adj:${victim.oomScoreAdj}`,
    );
    this.event(this.tree.of(victim), "oom_kill");
    k.emit({ type: "oom.kill", pid: victim.pid, comm: victim.comm, cgroup: this.tree.of(victim).path, memcg: memcg.path });
    k.exitProcess(victim, 137, "KILL");
  }

  /**
   * A write to memory.max below the current usage: reclaim what can be (nothing, for anonymous
   * memory without swap), then OOM-kill until the cgroup fits (memory_max_write()).
   */
  enforceMax(cg: Cgroup): void {
    for (let guard = 0; guard < 10_000; guard++) {
      const max = cg.memory.max;
      if (max === null || cg.memory.current <= max) return;
      this.event(cg, "max");
      if (!this.outOfMemory(cg, null)) return;
    }
  }
}
