// One Linux kernel: the process table, namespaces, mounts and the scheduler of one host.
// Everything above it (shell commands, the container runtime, the kubelet) changes the host
// only through the system calls modelled here.
import { isReadOnlyMount, readOnlyView } from "./readonly";
import type { EngineEvent, NsKind } from "../api";
import { Clock } from "../sim/clock";
import { EventLog } from "../sim/events";
import { Random } from "../sim/random";
import { NULL_READER, NULL_WRITER } from "./io";
import { MountTable } from "./mounts";
import type { Mount } from "./mounts";
import { INITIAL_NS_INODE, Namespace } from "./namespaces";
import { KernelError, Process } from "./process";
import { ProcFs } from "./procfs";
import { Scheduler } from "./tasks";
import type { ProgramResult } from "./tasks";
import { TreeFs, enoent, pathParts } from "./vfs";
import type { FileSystem, LookupContext, VNode } from "./vfs";
import { seedRootFs } from "./rootfs";
import { Machine } from "../hardware/machine";
import { CgroupHierarchy } from "./cgroup";
import { CgroupFs } from "./cgroupfs";
import { MemoryController } from "./cgroup-memory";
import { CpuScheduler } from "./cpu-sched";

/** A program a binary on disk runs: gets its process and argv, returns an exit status or a generator. */
export type ProgramFn = (proc: Process, argv: string[]) => ProgramResult;

/** Signals by name and number (the subset the course uses). */
export const SIGNALS: Record<string, number> = {
  HUP: 1, INT: 2, QUIT: 3, KILL: 9, USR1: 10, SEGV: 11, USR2: 12, PIPE: 13, ALRM: 14, TERM: 15, CHLD: 17, CONT: 18, STOP: 19,
};

type EventBody = EngineEvent extends infer E ? (E extends EngineEvent ? Omit<E, "time" | "host"> : never) : never;

export interface KernelOptions {
  hostname: string;
  seed: number;
  clock?: Clock;
  events?: EventLog;
  /** The hardware it runs on (default: 2 CPUs, 4 GiB). */
  machine?: Machine;
}

export class Kernel {
  readonly clock: Clock;
  readonly events: EventLog;
  readonly rng: Random;
  readonly processes = new Map<number, Process>();
  readonly namespaces = new Set<Namespace>();
  readonly initNs: Record<NsKind, Namespace>;
  readonly programs = new Map<string, ProgramFn>();
  readonly sched: Scheduler;
  readonly rootFs: TreeFs;
  readonly name: string;
  private nextNsInode = 4026532160;
  private nextMountId = 21;
  /** Every kernel sharing this one's clock (a lab or cluster); work on any of them may unblock ours. */
  world: Kernel[] = [this];

  /** Run every runnable task on every machine of the world until none is left. */
  runWorld(): void {
    for (let again = true; again; ) {
      again = false;
      for (const k of this.world) {
        if (k.sched.hasRunnable()) again = true;
        k.sched.runReady();
      }
    }
  }

  /** The kernel ring buffer (dmesg). */
  readonly dmesg: { t: number; text: string }[] = [];
  readonly machine: Machine;
  /** cgroup v2: the hierarchy, the memory controller and the CPU scheduler that obey it. */
  readonly cgroups: CgroupHierarchy;
  readonly memory: MemoryController;
  readonly cpu: CpuScheduler;

  constructor(opts: KernelOptions) {
    this.name = opts.hostname;
    this.clock = opts.clock ?? new Clock();
    this.events = opts.events ?? new EventLog();
    this.rng = new Random(opts.seed);
    this.machine = opts.machine ?? new Machine({ name: opts.hostname });
    this.cgroups = new CgroupHierarchy(this);
    this.memory = new MemoryController(this, this.cgroups);
    this.cpu = new CpuScheduler(this, this.cgroups, this.memory);
    this.sched = new Scheduler({
      now: () => this.clock.now(),
      at: (t, fn) => this.clock.at(t, fn),
      exitProcess: (p, s, sig) => this.exitProcess(p, s, sig),
      isFrozen: (p) => this.cgroups.of(p).frozen,
    });

    const init = {} as Record<NsKind, Namespace>;
    for (const kind of Object.keys(INITIAL_NS_INODE) as NsKind[]) {
      init[kind] = new Namespace(kind, INITIAL_NS_INODE[kind], null, null, true);
      this.namespaces.add(init[kind]);
    }
    for (const ns of Object.values(init)) ns.owner = init.user;
    init.uts.hostname = opts.hostname;
    init.user.uidMap = [[0, 0, 4294967295]];
    init.user.gidMap = [[0, 0, 4294967295]];
    this.initNs = init;

    this.rootFs = new TreeFs("ext4", "/dev/vda1", () => this.clock.now(), "254:1");
    seedRootFs(this.rootFs, opts.hostname);
    const table = new MountTable();
    init.mnt.mounts = table;
    const root = this.mountFs(table, this.rootFs, "/", 1, "rw,relatime", "shared");
    this.mountFs(table, new ProcFs(this, init.pid), "/proc", root.id, "rw,nosuid,nodev,noexec,relatime", "shared");
    const sysfs = new TreeFs("sysfs", "sysfs", () => this.clock.now());
    sysfs.put("/fs/cgroup", null);
    sysfs.put("/kernel/hostname", null);
    const sys = this.mountFs(table, sysfs, "/sys", root.id, "rw,nosuid,nodev,noexec,relatime", "shared");
    const cgroup2 = this.mountFs(table, new CgroupFs(this, this.cgroups), "/sys/fs/cgroup", sys.id, "rw,nosuid,nodev,noexec,relatime", "shared");
    cgroup2.superOptions = "rw,nsdelegate,memory_recursiveprot";
    const devfs = new TreeFs("devtmpfs", "udev", () => this.clock.now());
    for (const d of ["null", "zero", "tty", "random", "urandom", "console"]) devfs.put(`/${d}`, "", { mode: 0o666 });
    this.mountFs(table, devfs, "/dev", root.id, "rw,nosuid,relatime,size=4096k,nr_inodes=1048576,mode=755", "shared");
    const run = new TreeFs("tmpfs", "tmpfs", () => this.clock.now());
    run.put("/netns", null);
    run.put("/lock", null);
    this.mountFs(table, run, "/run", root.id, "rw,nosuid,nodev,noexec,relatime,size=2462572k,mode=755", "shared");
  }

  emit(body: EventBody): void {
    this.events.emit({ ...body, time: this.clock.now(), host: this.name } as EngineEvent);
  }

  /** A cgroup was frozen or thawed (or a process moved across): park or wake its tasks. */
  freezeChanged(): void {
    this.sched.thaw();
    this.cpu.invalidate();
  }

  log(text: string): void {
    this.dmesg.push({ t: this.clock.now(), text });
  }

  /** Allocate a namespace of `kind`, created by `creator`, starting as a copy of `from` where that applies. */
  createNamespace(kind: NsKind, creator: Process, from: Namespace): Namespace {
    const parent = kind === "pid" || kind === "user" ? from : from;
    const owner = kind === "user" ? from : creator.ns.user;
    const ns = new Namespace(kind, this.nextNsInode++, parent, owner, false);
    if (kind === "uts") ns.hostname = from.hostname;
    if (kind === "mnt") {
      ns.mounts = from.mounts!.clone(() => this.nextMountId++);
      // unshare(1) makes every mount in a new mount namespace private (util-linux's default).
      for (const m of ns.mounts.mounts) {
        m.propagation = "private";
        delete m.peerGroup;
      }
    }
    if (kind === "cgroup") ns.cgroupRoot = creator.cgroup;
    this.namespaces.add(ns);
    this.emit({ type: "ns.create", kind, inode: ns.inode, pid: creator.pid });
    return ns;
  }

  allocPid(ns: Namespace): number {
    // Linux hands out pids in increasing order and wraps at pid_max, skipping pids in use.
    let pid = ns.nextPid;
    while (ns.pids.has(pid)) pid++;
    ns.nextPid = pid + 1;
    return pid;
  }

  registerProcess(p: Process): void {
    this.processes.set(p.pid, p);
    this.memory.forked(p);
    for (const w of new Set([p.fds[1], p.fds[2]])) w.open?.();
    if (p.fds[1] === p.fds[2]) p.fds[2].open?.();
    this.emit({ type: "process.start", pid: p.pid, ppid: p.ppid, comm: p.comm });
  }

  /** The first process of the host (pid 1 in every initial namespace). */
  spawnInit(argv: string[]): Process {
    const p = new Process(this.allocPid(this.initNs.pid), this.initNs, { 0: NULL_READER, 1: NULL_WRITER, 2: NULL_WRITER });
    p.nspid = [p.pid];
    this.initNs.pid.pids.set(p.pid, p);
    this.initNs.pid.init = p;
    p.argv = argv;
    p.comm = (argv[0]!.split("/").pop() ?? "").slice(0, 15);
    p.cwd = "/";
    this.registerProcess(p);
    return p;
  }

  /** exit(2) and the kernel's clean-up: reparent orphans, kill a dead init's namespace, drop references. */
  exitProcess(proc: Process, status: number, signal?: string): void {
    if (!proc.alive) return;
    proc.exitStatus = status;
    proc.state = "Z";
    this.sched.killTasks(proc);
    this.cpu.exited(proc);
    this.memory.exited(proc);
    for (const w of new Set([proc.fds[1], proc.fds[2]])) w.close?.();
    if (proc.fds[1] === proc.fds[2]) proc.fds[2].close?.();

    const pidNs = proc.ns.pid;
    if (pidNs.init === proc) {
      // When a pid namespace's init dies, the kernel SIGKILLs everything else in it.
      pidNs.defunct = true;
      for (const other of [...pidNs.pids.values()]) if (other !== proc) this.exitProcess(other, 128 + SIGNALS.KILL!, "KILL");
    }
    for (const child of proc.children) {
      const reaper = child.ns.pid.init && child.ns.pid.init.alive && child.ns.pid.init !== proc ? this.findReaper(child) : this.processes.get(1)!;
      child.parent = reaper;
      child.ppid = reaper.pid;
      reaper.children.add(child);
    }
    proc.children.clear();
    proc.parent?.children.delete(proc);

    for (const ns of proc.ns.pid.ancestry()) {
      const inner = proc.pidIn(ns);
      if (inner !== undefined && ns.pids.get(inner) === proc) ns.pids.delete(inner);
    }
    this.processes.delete(proc.pid);
    for (const kind of Object.keys(proc.ns) as NsKind[]) this.release(proc.ns[kind]);
    this.release(proc.pidForChildren);
    this.release(proc.timeForChildren);
    const body = { type: "process.exit" as const, pid: proc.pid, comm: proc.comm, status };
    this.emit(signal ? { ...body, signal } : body);
    // A waiter may sit on another machine of the world (ssh, kubectl exec wait across hosts).
    for (const k of this.world) k.sched.processExited(proc, status);
  }

  /** The process that adopts an orphan: the init of the orphan's pid namespace. */
  private findReaper(child: Process): Process {
    return child.ns.pid.init ?? this.processes.get(1)!;
  }

  /** Drop one reference; a namespace nobody holds any more is destroyed. */
  release(ns: Namespace): void {
    ns.refs--;
    if (ns.refs <= 0 && !ns.initial && ns.alive) {
      ns.alive = false;
      this.namespaces.delete(ns);
      this.emit({ type: "ns.destroy", kind: ns.kind, inode: ns.inode });
    }
  }

  /** kill(2). Returns false when no such process. */
  kill(pid: number, sig: number): boolean {
    const proc = this.processes.get(pid);
    if (!proc) return false;
    if (sig === 0) return true;
    const name = Object.entries(SIGNALS).find(([, n]) => n === sig)?.[0] ?? String(sig);
    if (sig === SIGNALS.CHLD || sig === SIGNALS.CONT) return true;
    // The init of a pid namespace only gets signals it installed a handler for; from an ancestor
    // namespace SIGKILL and SIGSTOP are forced through. The simulated programs install no handlers,
    // so `kill PID` (SIGTERM) on a container's pid 1 does nothing — the reason `docker stop` waits.
    if (proc.innerPid === 1 && sig !== SIGNALS.KILL && sig !== SIGNALS.STOP && !proc.catches?.has(sig)) return true;
    if (proc.pid === 1) return true;
    this.exitProcess(proc, 128 + sig, name);
    return true;
  }

  // ---- mounts ----

  mountFs(table: MountTable, fs: FileSystem, mountpoint: string, parentId: number, options: string, propagation: Mount["propagation"]): Mount {
    const m: Mount = {
      id: this.nextMountId++,
      parentId,
      mountpoint,
      fs,
      rootNode: fs.root,
      rootPath: "/",
      options,
      superOptions: "rw",
      propagation,
    };
    if (propagation === "shared") m.peerGroup = 1;
    table.add(m);
    this.emit({ type: "mount", mntns: this.mntNsOfTable(table), target: mountpoint, fstype: fs.type });
    return m;
  }

  newMountId(): number {
    return this.nextMountId++;
  }

  private mntNsOfTable(table: MountTable): number {
    for (const ns of this.namespaces) if (ns.mounts === table) return ns.inode;
    return this.initNs.mnt.inode;
  }

  /**
   * Path walk: follow mounts and symlinks from the process's root. Returns the node and the
   * canonical path, or throws ENOENT / ENOTDIR / ELOOP like namei does.
   */
  resolve(proc: Process, path: string, follow = true): { node: VNode; path: string } {
    const r = this.walk(proc, path, follow);
    if (typeof r !== "string") return r;
    throw r === "ENOENT" ? enoent() : r === "ENOTDIR" ? new KernelError("ENOTDIR", "Not a directory") : new KernelError("ELOOP", "Too many levels of symbolic links");
  }

  /**
   * resolve() for a caller that only asks "is it there?" (execvp trying each PATH directory):
   * null instead of an exception, so a miss costs no Error object and stack trace.
   */
  tryResolve(proc: Process, path: string, follow = true): { node: VNode; path: string } | null {
    try {
      const r = this.walk(proc, path, follow);
      return typeof r === "string" ? null : r;
    } catch {
      return null;
    }
  }

  /** The path walk behind resolve(): the node, or the errno that stopped it. */
  private walk(proc: Process, path: string, follow: boolean): { node: VNode; path: string } | "ENOENT" | "ENOTDIR" | "ELOOP" {
    const table = proc.ns.mnt.mounts!;
    const ctx: LookupContext = { proc };
    // chroot: every absolute path (and every absolute symlink) starts at the process's root.
    const rootParts = proc.root === "/" ? [] : pathParts(proc.root);
    const parts = pathParts(path.startsWith("/") ? path : `${proc.cwd}/${path}`);
    let todo = rootParts.length ? [...rootParts, ...parts] : parts;
    let hops = 0;
    for (;;) {
      const top = table.at("/")!;
      // Below a read-only mount every node is a read-only view (its lookups hand out more views).
      let node: VNode = isReadOnlyMount(top) ? readOnlyView(top.rootNode) : top.rootNode;
      const done: string[] = [];
      /** "/" + done.join("/"), kept as the walk goes (the mount lookup needs it at every step). */
      let at = "";
      let restarted = false;
      for (let i = 0; i < todo.length; i++) {
        const name = todo[i]!;
        if (node.type !== "dir") return "ENOTDIR";
        let child = node.lookup?.(name, ctx);
        const here = `${at}/${name}`;
        const mounted = table.at(here);
        if (mounted) child = isReadOnlyMount(mounted) ? readOnlyView(mounted.rootNode) : mounted.rootNode;
        if (!child) return "ENOENT";
        const last = i === todo.length - 1;
        if (child.type === "symlink" && (!last || follow) && child.follow) {
          node = child.follow(ctx);
          done.push(name);
          at = here;
          continue;
        }
        if (child.type === "symlink" && (!last || follow) && child.readlink) {
          if (++hops > 40) return "ELOOP";
          const target = child.readlink(ctx);
          const rest = todo.slice(i + 1);
          todo = target.startsWith("/")
            ? [...rootParts, ...pathParts(`${target}/${rest.join("/")}`)]
            : pathParts(`/${done.join("/")}/${target}/${rest.join("/")}`);
          restarted = true;
          break;
        }
        node = child;
        done.push(name);
        at = here;
      }
      if (!restarted) return { node, path: "/" + done.slice(rootParts.length).join("/") };
    }
  }

  /**
   * pivot_root(2) followed by the umount of the old root that runc does: mounts below
   * newRoot are re-rooted at "/", everything else leaves this mount namespace.
   */
  pivotRoot(proc: Process, newRoot: string, putOld?: string): void {
    const table = proc.ns.mnt.mounts!;
    const top = table.at(newRoot);
    if (!top || newRoot === "/") throw new KernelError("EINVAL", "Invalid argument");
    const inside = (m: { mountpoint: string }) => m.mountpoint === newRoot || m.mountpoint.startsWith(newRoot + "/");
    const kept = table.mounts.filter(inside);
    const old = table.mounts.filter((m) => !inside(m));
    for (const m of kept) m.mountpoint = m.mountpoint === newRoot ? "/" : m.mountpoint.slice(newRoot.length);
    // With put_old the old root stays reachable there until `umount -l put_old`.
    if (putOld) for (const m of old) m.mountpoint = putOld === "/" ? m.mountpoint : putOld + (m.mountpoint === "/" ? "" : m.mountpoint);
    table.mounts = putOld ? [...kept, ...old] : kept;
    proc.root = "/";
    proc.cwd = "/";
    this.emit({ type: "mount", mntns: proc.ns.mnt.inode, target: "/", fstype: top.fs.type });
  }

  /** mkdir -p through the VFS as `proc` sees it (mounts and symlinks included). */
  mkdirp(proc: Process, path: string): VNode {
    const parts = pathParts(path);
    const ctx = { proc };
    let node = this.resolve(proc, "/").node;
    for (let i = 0; i < parts.length; i++) {
      const prefix = "/" + parts.slice(0, i + 1).join("/");
      let next = this.tryResolve(proc, prefix)?.node;
      if (!next) {
        if (!node.create) throw new KernelError("EACCES", "Permission denied");
        next = node.create(parts[i]!, "dir", ctx);
      }
      node = next;
    }
    return node;
  }

  /** Create or replace a file through the VFS as `proc` sees it. */
  writeFile(proc: Process, path: string, content: string): VNode {
    const i = path.lastIndexOf("/");
    const dir = this.mkdirp(proc, path.slice(0, i) || "/");
    const name = path.slice(i + 1);
    const ctx = { proc };
    const node = dir.lookup?.(name, ctx) ?? dir.create!(name, "file", ctx);
    node.write!(content, false, ctx);
    return node;
  }

  /** The namespace a path names (/proc/PID/ns/net, /run/netns/NAME), as setns(open(path)) would use. */
  nsFromPath(proc: Process, path: string): Namespace {
    const { node } = this.resolve(proc, path, true);
    const ns = node.nsRef;
    if (!(ns instanceof Namespace)) throw new KernelError("EINVAL", "Invalid argument");
    return ns;
  }
}
