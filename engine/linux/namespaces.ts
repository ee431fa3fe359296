// Linux namespaces as objects that processes point to. A namespace lives while anything
// references it (a process, a bind mount such as /run/netns/NAME) and is destroyed after.
import type { NsKind } from "../api";
import type { Kernel } from "./kernel";
import type { Process } from "./process";
import { MountTable } from "./mounts";

/** Inode numbers the kernel gives its initial namespaces (include/linux/proc_ns.h). */
export const INITIAL_NS_INODE: Record<NsKind, number> = {
  time: 4026531834,
  cgroup: 4026531835,
  user: 4026531837,
  pid: 4026531836,
  uts: 4026531838,
  ipc: 4026531839,
  net: 4026531840,
  mnt: 4026531841,
};

export class Namespace {
  /** Processes (or tasks' pid_for_children / bind mounts) holding a reference. */
  refs = 0;
  alive = true;
  /** uts: the hostname. */
  hostname = "";
  /** pid: next pid to hand out, pid → process, the init (pid 1), and whether init has died. */
  nextPid = 1;
  readonly pids = new Map<number, Process>();
  init: Process | null = null;
  /** pid: once init has exited, fork() into this namespace fails with ENOMEM. */
  defunct = false;
  /** pid: depth (host = 0). */
  readonly level: number;
  /** mnt: the mount table. */
  mounts: MountTable | null = null;
  /** user: uid map "inside outside count" lines (empty: unmapped → overflow uid 65534). */
  uidMap: [number, number, number][] = [];
  gidMap: [number, number, number][] = [];
  /** ipc: System V shared memory segments (ipcs -m). */
  shmSegments = 0;
  /** cgroup: the cgroup path that appears as "/" inside. */
  cgroupRoot = "/";

  constructor(
    readonly kind: NsKind,
    readonly inode: number,
    /** pid and user namespaces nest; other kinds record where they were created from. */
    readonly parent: Namespace | null,
    /** The user namespace that owns this one. */
    public owner: Namespace | null,
    readonly initial: boolean,
  ) {
    this.level = parent && kind === "pid" ? parent.level + 1 : 0;
  }

  /** "net:[4026531840]" — what readlink /proc/PID/ns/net prints. */
  get link(): string {
    return `${this.kind}:[${this.inode}]`;
  }

  /** Host-pid chain of pid namespaces from this one up to the host's. */
  ancestry(): Namespace[] {
    const chain: Namespace[] = [];
    for (let ns: Namespace | null = this; ns; ns = ns.parent) chain.push(ns);
    return chain;
  }
}

/** The namespace kinds `unshare` and `clone` can create, as flags (CLONE_NEW*). */
export type NsFlags = Partial<Record<NsKind, boolean>>;

/**
 * unshare(2): move the calling process into new namespaces of the requested kinds.
 * A new pid namespace is special: the caller stays where it is and only its future children
 * land in the new namespace (pid_for_children), which is why `unshare --pid` needs `--fork`.
 * A new mount namespace starts as a copy of the caller's mount table; a new UTS namespace
 * starts with the caller's hostname; a new network namespace has only a loopback that is down.
 */
export function unshare(kernel: Kernel, proc: Process, flags: NsFlags): void {
  // A new user namespace is created first: it owns every other namespace made in the same call.
  if (flags.user) {
    const userNs = kernel.createNamespace("user", proc, proc.ns.user);
    proc.setNs("user", userNs);
  }
  for (const kind of ["mnt", "uts", "ipc", "net", "cgroup", "pid", "time"] as const) {
    if (!flags[kind]) continue;
    if (kind === "pid") {
      proc.setPidForChildren(kernel.createNamespace("pid", proc, proc.pidForChildren));
    } else if (kind === "time") {
      proc.setTimeForChildren(kernel.createNamespace("time", proc, proc.timeForChildren));
    } else {
      proc.setNs(kind, kernel.createNamespace(kind, proc, proc.ns[kind]));
    }
  }
}

/**
 * setns(2): join an existing namespace (what nsenter does for each --flag).
 * Joining a pid namespace, like creating one, only affects the caller's future children.
 */
export function setns(kernel: Kernel, proc: Process, target: Namespace): void {
  if (!target.alive) throw new Error("setns: namespace is gone");
  if (target.kind === "pid") proc.setPidForChildren(target);
  else if (target.kind === "time") proc.setTimeForChildren(target);
  else proc.setNs(target.kind, target);
  if (target.kind === "mnt") proc.cwd = "/";
  kernel.emit({ type: "ns.enter", kind: target.kind, inode: target.inode, pid: proc.pid });
}
