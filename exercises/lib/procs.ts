// Small, pure helpers the shell exercises share: they read the engine's typed snapshot (never
// command output), so they run the same in Node (`npm run exercise`) and in the page.
import type { HostSnapshot, NsKind, ProcessSnapshot } from "../../engine";

/** The inode of the host's initial namespace of a kind (what PID 1 of the host is in). */
export function hostNs(s: HostSnapshot, kind: NsKind): number {
  const ns = s.namespaces.find((n) => n.kind === kind && n.initial);
  if (!ns) throw new Error(`the snapshot has no initial ${kind} namespace`);
  return ns.inode;
}

/** A process that is alive (not a zombie). */
export const alive = (p: ProcessSnapshot): boolean => p.state !== "Z";

/** The PID a process has inside its own (innermost) PID namespace. */
export const innerPid = (p: ProcessSnapshot): number => p.nspid[p.nspid.length - 1]!;

/** The hostname of a UTS namespace, by inode. */
export function utsHostname(s: HostSnapshot, inode: number): string | undefined {
  return s.namespaces.find((n) => n.kind === "uts" && n.inode === inode)?.hostname;
}

/** Living processes whose PID namespace is not the host's: everything "in a container". */
export function inNewPidNs(s: HostSnapshot): ProcessSnapshot[] {
  const host = hostNs(s, "pid");
  return s.processes.filter((p) => alive(p) && p.ns.pid !== host);
}

/** How ps would name a process: its command line, or [comm]. */
export const cmdline = (p: ProcessSnapshot): string => (p.argv.length ? p.argv.join(" ") : `[${p.comm}]`);

/** The first non-empty line of a file's content, trimmed; undefined for a missing file. */
export function firstLine(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  return text.split("\n").map((l) => l.trim()).find((l) => l !== "") ?? "";
}
