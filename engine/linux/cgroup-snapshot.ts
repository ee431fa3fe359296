// The cgroup tree as typed data for widgets: what `cat` of each interface file would show,
// without parsing any text.
import type { CgroupSnapshot } from "../api";
import type { Kernel } from "./kernel";

export function cgroupSnapshots(k: Kernel): CgroupSnapshot[] {
  k.cpu.sync();
  const tree = k.cgroups;
  // One pass over the process table instead of one per cgroup.
  const byPath = new Map<string, number[]>();
  for (const p of [...k.processes.values()].sort((a, b) => a.pid - b.pid)) {
    if (!p.alive) continue;
    let list = byPath.get(p.cgroup);
    if (!list) byPath.set(p.cgroup, (list = []));
    list.push(p.pid);
  }
  const all = tree.all();
  const subtreeCount = new Map<string, number>();
  for (const cg of [...all].reverse()) {
    let n = byPath.get(cg.path)?.length ?? 0;
    for (const c of cg.children.values()) n += subtreeCount.get(c.path) ?? 0;
    subtreeCount.set(cg.path, n);
  }
  return all.map((cg) => {
    const m = cg.memory;
    return {
      path: cg.path,
      controllers: [...cg.controllers],
      subtreeControl: [...cg.subtreeControl],
      procs: byPath.get(cg.path) ?? [],
      populated: (subtreeCount.get(cg.path) ?? 0) > 0,
      frozen: cg.frozen,
      cpu: {
        weight: cg.cpu.weight,
        max: { quota: cg.cpu.quota, period: cg.cpu.period },
        usageUsec: Math.floor(cg.cpu.usageUsec),
        nrPeriods: cg.cpu.nrPeriods,
        nrThrottled: cg.cpu.nrThrottled,
        throttledUsec: Math.floor(cg.cpu.throttledUsec),
        recentCpuPercent: Math.round(cg.cpu.recentPercent * 10) / 10,
      },
      memory: { current: m.current, max: m.max, high: m.high, peak: m.peak, events: { ...m.events } },
      pids: { current: subtreeCount.get(cg.path) ?? 0, max: cg.pids.max },
    };
  });
}
