// Tools like ps and lsns learn about processes only by reading /proc in their own mount
// namespace; which pid namespace that /proc belongs to decides what they see and which pids
// they print. This helper is that read.
import type { CommandContext } from "../command";
import type { Process } from "../../linux/process";
import { ProcFs } from "../../linux/procfs";
import type { Namespace } from "../../linux/namespaces";

export interface ProcEntry {
  /** pid as numbered in the /proc the tool reads. */
  pid: number;
  ppid: number;
  p: Process;
}

export interface ProcView {
  pidNs: Namespace;
  entries: ProcEntry[];
  byPid: Map<number, ProcEntry>;
}

export function readProc(ctx: CommandContext): ProcView | null {
  const mount = ctx.proc.ns.mnt.mounts!.at("/proc");
  if (!mount || !(mount.fs instanceof ProcFs)) return null;
  const pidNs = mount.fs.pidNs;
  const entries: ProcEntry[] = [];
  for (const [pid, p] of pidNs.pids) {
    if (!p.alive) continue;
    entries.push({ pid, ppid: p.parent ? (p.parent.pidIn(pidNs) ?? 0) : 0, p });
  }
  entries.sort((a, b) => a.pid - b.pid);
  return { pidNs, entries, byPid: new Map(entries.map((e) => [e.pid, e])) };
}

export function userName(uid: number): string {
  return uid === 0 ? "root" : uid === 65534 ? "nobody" : uid === 1 ? "daemon" : String(uid);
}

/** The uid a process shows from inside its user namespace (unmapped → overflow uid 65534). */
export function uidInOwnNs(p: Process): number {
  const map = p.ns.user.uidMap;
  for (const [inside, outside, count] of map) if (p.uid >= outside && p.uid < outside + count) return inside + (p.uid - outside);
  return 65534;
}
