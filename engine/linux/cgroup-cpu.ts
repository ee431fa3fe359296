// The cpu controller's per-cgroup state and its interface files: cpu.weight (share under
// contention), cpu.max (CFS bandwidth: QUOTA microseconds per PERIOD) and cpu.stat.
// The numbers move in engine/linux/cpu-sched.ts; this file only holds and formats them.
import { KernelError } from "./process";

export const DEFAULT_PERIOD_US = 100_000;
/** sched/core.c: min_cfs_quota_period / max_cfs_quota_period. */
const MIN_PERIOD_US = 1_000;
const MAX_PERIOD_US = 1_000_000;
const MIN_QUOTA_US = 1_000;

export class CpuState {
  weight = 100;
  /** cpu.max quota in µs per period; null = "max" (no bandwidth limit). */
  quota: number | null = null;
  period = DEFAULT_PERIOD_US;
  // cpu.stat, in µs; usage includes every descendant (it is hierarchical, as in the kernel).
  usageUsec = 0;
  userUsec = 0;
  systemUsec = 0;
  nrPeriods = 0;
  nrThrottled = 0;
  throttledUsec = 0;
  // bandwidth bookkeeping for the current period
  /** Quota left in the current period (µs of CPU). */
  budget = 0;
  /** Start (µs of virtual time) of the period `budget` belongs to. */
  periodStart = 0;
  /** Quota ran out in this period: no task below runs until the next one. */
  throttled = false;
  throttledSince = 0;
  /** Had runnable tasks at some point in this period (the period timer was active). */
  activeThisPeriod = false;
  /** CPU% over the last completed second (100 = one whole CPU). */
  recentPercent = 0;
  /** usageUsec when the current one-second window began. */
  windowUsage = 0;
}

/** cpu.max as the kernel prints it. */
export function formatCpuMax(s: CpuState): string {
  return `${s.quota === null ? "max" : s.quota} ${s.period}\n`;
}

/**
 * Parse a write to cpu.max like cpu_period_quota_parse() + tg_set_cfs_bandwidth(): "max",
 * "QUOTA", "max PERIOD" or "QUOTA PERIOD"; a missing period keeps the current one.
 */
export function parseCpuMax(text: string, currentPeriod: number): { quota: number | null; period: number } {
  const toks = text.trim().split(/\s+/).filter(Boolean);
  if (toks.length === 0) throw einval();
  let period = currentPeriod;
  // sscanf("%llu") takes the leading digits of the period and ignores anything else.
  const pm = toks[1] !== undefined ? /^\+?(\d+)/.exec(toks[1]) : null;
  if (pm) period = Number(pm[1]);
  let quota: number | null;
  const qm = /^\+?(\d+)/.exec(toks[0]!);
  if (qm) quota = Number(qm[1]);
  else if (toks[0] === "max") quota = null;
  else throw einval();
  if (period < MIN_PERIOD_US || period > MAX_PERIOD_US) throw einval();
  if (quota !== null && quota < MIN_QUOTA_US) throw einval();
  return { quota, period };
}

/** cpu.weight: 1..10000 (CGROUP_WEIGHT_MIN..MAX); out of range is ERANGE, not a number EINVAL. */
export function parseCpuWeight(text: string): number {
  const t = text.trim();
  if (!/^\+?\d+$/.test(t)) throw einval();
  const w = Number(t);
  if (w < 1 || w > 10_000) throw new KernelError("ERANGE", "Numerical result out of range");
  return w;
}

/** sched_prio_to_weight[], nice -20..19: what cpu.weight.nice maps through. */
const NICE_WEIGHTS = [
  88761, 71755, 56483, 46273, 36291, 29154, 23254, 18705, 14949, 11916, 9548, 7620, 6100, 4904, 3906, 3121, 2501, 1991, 1586, 1277, 1024, 820, 655, 526, 423, 335, 272, 215, 172, 137, 110, 87, 70, 56, 45, 36, 29, 23, 18, 15,
];

/** cpu.weight.nice: the nice value whose load weight is closest to this cgroup weight. */
export function weightToNice(weight: number): number {
  const load = (weight * 1024) / 100;
  let best = 0;
  for (let i = 1; i < NICE_WEIGHTS.length; i++) if (Math.abs(NICE_WEIGHTS[i]! - load) < Math.abs(NICE_WEIGHTS[best]! - load)) best = i;
  return best - 20;
}

export function niceToWeight(nice: number): number {
  const load = NICE_WEIGHTS[nice + 20]!;
  return Math.max(1, Math.min(10_000, Math.round((load * 100) / 1024)));
}

/**
 * cpu.stat. Without the cpu controller only the usage lines exist (they are core files); with
 * it, the bandwidth counters follow, in the kernel's order.
 */
export function formatCpuStat(s: CpuState, withController: boolean): string {
  const lines = [`usage_usec ${Math.floor(s.usageUsec)}`, `user_usec ${Math.floor(s.userUsec)}`, `system_usec ${Math.floor(s.systemUsec)}`];
  if (withController) {
    lines.push(`nr_periods ${s.nrPeriods}`, `nr_throttled ${s.nrThrottled}`, `throttled_usec ${Math.floor(s.throttledUsec)}`, "nr_bursts 0", "burst_usec 0");
  }
  return lines.join("\n") + "\n";
}

function einval(): KernelError {
  return new KernelError("EINVAL", "Invalid argument");
}
