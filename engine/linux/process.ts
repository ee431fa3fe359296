// Processes: what a container really is. A process points at one namespace of each kind,
// has a pid in every pid namespace from its own up to the host's, and a cgroup.
import type { NsKind, ProcState } from "../api";
import type { Kernel } from "./kernel";
import type { Namespace, NsFlags } from "./namespaces";
import type { Reader, Writer } from "./io";

export class Process {
  ppid = 0;
  parent: Process | null = null;
  readonly children = new Set<Process>();
  comm = "";
  argv: string[] = [];
  uid = 0;
  gid = 0;
  state: ProcState = "S";
  /** pid in each pid namespace, host's first (NSpid in /proc/PID/status). */
  nspid: number[] = [];
  cwd = "/root";
  /** chroot(2): the directory (in the mount namespace) this process sees as "/". */
  root = "/";
  env = new Map<string, string>();
  /** cgroup v2 path relative to the hierarchy root. */
  cgroup = "/";
  oomScoreAdj = 0;
  /** Virtual ms when it started. */
  startTime = 0;
  /** Resident memory in KiB and virtual size, for ps (a workload model refines them later). */
  rssKb = 1620;
  vszKb = 2592;
  exitStatus: number | null = null;
  /** Signals the program installed a handler for (a server that exits cleanly on SIGTERM). */
  catches?: Set<number>;
  fds: { 0: Reader; 1: Writer; 2: Writer };
  readonly ns: Record<NsKind, Namespace>;
  pidForChildren: Namespace;
  timeForChildren: Namespace;

  constructor(
    readonly pid: number,
    ns: Record<NsKind, Namespace>,
    fds: { 0: Reader; 1: Writer; 2: Writer },
  ) {
    this.ns = { ...ns };
    for (const k of Object.keys(this.ns) as NsKind[]) this.ns[k].refs++;
    this.pidForChildren = ns.pid;
    this.timeForChildren = ns.time;
    ns.pid.refs++;
    ns.time.refs++;
    this.fds = fds;
  }

  /** The pid as seen from inside the process's own pid namespace. */
  get innerPid(): number {
    return this.nspid[this.nspid.length - 1]!;
  }

  /** The pid this process has in `ns`, or undefined if it is not visible there. */
  pidIn(ns: Namespace): number | undefined {
    const own = this.ns.pid;
    const depth = own.level - ns.level;
    if (depth < 0) return undefined;
    let cur: Namespace | null = own;
    for (let i = 0; i < depth; i++) cur = cur!.parent;
    if (cur !== ns) return undefined;
    return this.nspid[ns.level];
  }

  get alive(): boolean {
    return this.exitStatus === null;
  }

  setNs(kind: NsKind, ns: Namespace): void {
    const old = this.ns[kind];
    if (old === ns) return;
    ns.refs++;
    this.ns[kind] = ns;
    old.refs--;
  }

  setPidForChildren(ns: Namespace): void {
    ns.refs++;
    this.pidForChildren.refs--;
    this.pidForChildren = ns;
  }

  setTimeForChildren(ns: Namespace): void {
    ns.refs++;
    this.timeForChildren.refs--;
    this.timeForChildren = ns;
  }
}

export interface CloneOptions {
  /** CLONE_NEW* flags: the child starts in new namespaces of these kinds. */
  flags?: NsFlags;
  fds?: { 0: Reader; 1: Writer; 2: Writer };
}

/**
 * clone(2) / fork(2): make a child of `parent`. The child inherits every namespace, except that
 * it lands in the parent's pid_for_children namespace — so the first child after
 * `unshare --pid` becomes pid 1 there, and gets a pid in every ancestor pid namespace too.
 * If that namespace's init has already died, the kernel refuses with ENOMEM.
 */
export function clone(kernel: Kernel, parent: Process, opts: CloneOptions = {}): Process {
  const flags = opts.flags ?? {};
  let pidNs = parent.pidForChildren;
  if (flags.pid) pidNs = kernel.createNamespace("pid", parent, pidNs);
  const chain = pidNs.ancestry(); // own namespace first, host's last
  if (chain.some((ns) => ns.defunct)) throw new KernelError("ENOMEM", "Cannot allocate memory");
  kernel.cgroups.chargeFork(parent); // pids.max: EAGAIN before any pid is taken

  const ns = { ...parent.ns, pid: pidNs, time: parent.timeForChildren };
  const nspid = chain.map((n) => kernel.allocPid(n)).reverse();
  const child = new Process(nspid[0]!, ns, opts.fds ?? { ...parent.fds });
  child.nspid = nspid;
  chain.forEach((n, i) => n.pids.set(nspid[nspid.length - 1 - i]!, child));
  if (!pidNs.init) pidNs.init = child;

  child.parent = parent;
  child.ppid = parent.pid;
  parent.children.add(child);
  child.comm = parent.comm;
  child.argv = [...parent.argv];
  child.uid = parent.uid;
  child.gid = parent.gid;
  child.cwd = parent.cwd;
  child.root = parent.root;
  child.env = new Map(parent.env);
  child.cgroup = parent.cgroup;
  child.oomScoreAdj = parent.oomScoreAdj;
  child.startTime = kernel.clock.now();
  child.rssKb = parent.rssKb;
  child.vszKb = parent.vszKb;
  kernel.registerProcess(child);

  // Namespaces other than pid are created for the child after it exists (copy_namespaces).
  const rest: NsFlags = { ...flags, pid: false };
  for (const kind of Object.keys(rest) as NsKind[]) {
    if (!rest[kind]) continue;
    child.setNs(kind, kernel.createNamespace(kind, child, child.ns[kind]));
  }
  return child;
}

/** execve(2): the same process (same pid, same namespaces) now runs another program. */
export function execve(kernel: Kernel, proc: Process, argv: string[], filename?: string): void {
  // comm comes from the executable's file name, not argv[0] (which `exec -a` can change).
  const path = filename ?? argv[0] ?? "";
  proc.argv = [...argv];
  proc.comm = (path.split("/").pop() ?? path).slice(0, 15);
  kernel.emit({ type: "process.exec", pid: proc.pid, comm: proc.comm, argv: [...argv] });
}

/** An errno-carrying failure from a simulated system call. */
export class KernelError extends Error {
  constructor(
    readonly code: string,
    readonly text: string,
  ) {
    super(`${code}: ${text}`);
  }
}

/** errno numbers (asm-generic/errno-base.h) for the codes the engine raises. */
export const ERRNO: Record<string, number> = {
  EPERM: 1, ENOENT: 2, ESRCH: 3, EINTR: 4, EIO: 5, E2BIG: 7, ENOEXEC: 8, EBADF: 9, ECHILD: 10, EAGAIN: 11, ENOMEM: 12, EACCES: 13,
  EBUSY: 16, EEXIST: 17, EXDEV: 18, ENODEV: 19, ENOTDIR: 20, EISDIR: 21, EINVAL: 22, ENOSPC: 28, EROFS: 30, ENOTEMPTY: 39, ELOOP: 40,
};
