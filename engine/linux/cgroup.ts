// cgroup v2: one hierarchy of control groups, as kernel state. Rules follow
// Documentation/admin-guide/cgroup-v2.rst: a controller reaches a child only when the parent
// lists it in cgroup.subtree_control; a non-root cgroup holds processes or enables controllers
// for children, never both ("no internal processes"); a populated cgroup cannot be removed.
// Membership lives in one place, Process.cgroup (the path /proc/PID/cgroup prints); the tree
// answers "who is in here" by asking the process table.
import type { Kernel } from "./kernel";
import { KernelError } from "./process";
import type { Process } from "./process";
import { CpuState } from "./cgroup-cpu";
import { MemoryState } from "./cgroup-memory";

/** The controllers this kernel offers on the cgroup2 hierarchy, in the kernel's order. */
export const CONTROLLERS = ["cpu", "memory", "pids"] as const;
export type Controller = (typeof CONTROLLERS)[number];

export class PidsState {
  /** pids.max; null = "max". */
  max: number | null = null;
  /** pids.events "max": forks refused because of this cgroup's limit. */
  eventsMax = 0;
  peak = 0;
}

export class Cgroup {
  readonly children = new Map<string, Cgroup>();
  readonly subtreeControl = new Set<Controller>();
  /** cgroup.freeze as written (1 = this cgroup asked to be frozen). */
  freeze = false;
  maxDepth: number | null = null;
  maxDescendants: number | null = null;
  readonly cpu = new CpuState();
  readonly memory = new MemoryState();
  readonly pids = new PidsState();
  /** Inode of the directory in cgroupfs (also the cgroup id the kernel reports). */
  readonly id: number;

  constructor(
    readonly name: string,
    readonly parent: Cgroup | null,
    id: number,
  ) {
    this.id = id;
  }

  get path(): string {
    if (!this.parent) return "/";
    const up = this.parent.path;
    return up === "/" ? `/${this.name}` : `${up}/${this.name}`;
  }

  get isRoot(): boolean {
    return this.parent === null;
  }

  /** cgroup.controllers: what the parent hands down (the root has every controller). */
  get controllers(): Set<Controller> {
    return this.parent ? this.parent.subtreeControl : new Set(CONTROLLERS);
  }

  has(c: Controller): boolean {
    return this.parent ? this.parent.subtreeControl.has(c) : false;
  }

  /** Frozen in effect: this cgroup or an ancestor wrote 1 to cgroup.freeze. */
  get frozen(): boolean {
    for (let c: Cgroup | null = this; c; c = c.parent) if (c.freeze) return true;
    return false;
  }

  get depth(): number {
    let d = 0;
    for (let c = this.parent; c; c = c.parent) d++;
    return d;
  }

  /** This cgroup and every descendant, parents before children, names sorted. */
  *walk(): Generator<Cgroup> {
    yield this;
    for (const name of [...this.children.keys()].sort()) yield* this.children.get(name)!.walk();
  }

  /** Self and ancestors up to (and including) the root. */
  *ancestry(): Generator<Cgroup> {
    for (let c: Cgroup | null = this; c; c = c.parent) yield c;
  }

  countDescendants(): number {
    let n = 0;
    for (const c of this.children.values()) n += 1 + c.countDescendants();
    return n;
  }
}

export type CgroupListener = (what: "create" | "remove" | "migrate" | "config", cg: Cgroup, proc?: Process) => void;

export class CgroupHierarchy {
  readonly root: Cgroup;
  private readonly byPath = new Map<string, Cgroup>();
  private nextId = 1;
  private readonly listeners: CgroupListener[] = [];

  constructor(private readonly kernel: Kernel) {
    this.root = new Cgroup("", null, this.nextId++);
    this.byPath.set("/", this.root);
    // A systemd host boots with the common controllers enabled for the whole tree, so a fresh
    // `mkdir /sys/fs/cgroup/demo` already has cpu.max and memory.max.
    for (const c of CONTROLLERS) this.root.subtreeControl.add(c);
  }

  onChange(fn: CgroupListener): void {
    this.listeners.push(fn);
  }

  private notify(what: Parameters<CgroupListener>[0], cg: Cgroup, proc?: Process): void {
    for (const fn of this.listeners) fn(what, cg, proc);
  }

  /** Tell listeners (the CPU scheduler) that a cgroup's knobs changed. */
  configChanged(cg: Cgroup): void {
    this.notify("config", cg);
  }

  get(path: string): Cgroup | undefined {
    return this.byPath.get(path);
  }

  /**
   * Put a process into the cgroup at `path`, creating missing directories on the way (what
   * systemd does for a unit or a session scope: mkdir, then write the pid to cgroup.procs).
   */
  place(proc: Process, path: string): Cgroup {
    let cg = this.root;
    for (const name of path.split("/").filter(Boolean)) cg = cg.children.get(name) ?? this.mkdir(cg, name, true);
    this.migrate(proc, cg);
    return cg;
  }

  /**
   * Processes whose cgroup path names no directory yet (a component that assigned
   * Process.cgroup directly instead of going through cgroupfs) get their directories made,
   * so the tree and /proc/PID/cgroup never disagree.
   */
  adopt(): void {
    for (const p of this.kernel.processes.values()) {
      if (!p.alive || this.byPath.has(p.cgroup)) continue;
      let cg = this.root;
      for (const name of p.cgroup.split("/").filter(Boolean)) cg = cg.children.get(name) ?? this.mkdir(cg, name, true);
    }
  }

  /** The cgroup a process is in. */
  of(proc: Process): Cgroup {
    if (!this.byPath.has(proc.cgroup)) this.adopt();
    let path = proc.cgroup;
    for (;;) {
      const cg = this.byPath.get(path);
      if (cg) return cg;
      const i = path.lastIndexOf("/");
      path = i <= 0 ? "/" : path.slice(0, i);
    }
  }

  all(): Cgroup[] {
    this.adopt();
    return [...this.root.walk()];
  }

  /** Every cgroup, without first adopting stray paths (for the scheduler's hot paths). */
  known(): Cgroup[] {
    return [...this.byPath.values()];
  }

  /** Live processes whose cgroup is exactly `cg`, by host pid. */
  procs(cg: Cgroup): Process[] {
    const path = cg.path;
    return [...this.kernel.processes.values()].filter((p) => p.alive && p.cgroup === path).sort((a, b) => a.pid - b.pid);
  }

  /** Live processes in `cg` or below. */
  subtreeProcs(cg: Cgroup): Process[] {
    const path = cg.path;
    const prefix = path === "/" ? "/" : path + "/";
    return [...this.kernel.processes.values()].filter((p) => p.alive && (p.cgroup === path || p.cgroup.startsWith(prefix))).sort((a, b) => a.pid - b.pid);
  }

  /** cgroup.events "populated": a live process here or in any descendant. */
  populated(cg: Cgroup): boolean {
    const path = cg.path;
    const prefix = path === "/" ? "/" : path + "/";
    for (const p of this.kernel.processes.values()) if (p.alive && (p.cgroup === path || p.cgroup.startsWith(prefix))) return true;
    return false;
  }

  /** mkdir(2) in cgroupfs. */
  mkdir(parent: Cgroup, name: string, bypassLimits = false): Cgroup {
    if (parent.children.has(name)) throw new KernelError("EEXIST", "File exists");
    if (!/^[^/\n]+$/.test(name) || name.includes(".") && /^(cgroup|cpu|memory|pids|io)\./.test(name)) throw new KernelError("EINVAL", "Invalid argument");
    // cgroup.max.depth / cgroup.max.descendants of every ancestor: EAGAIN, as cgroup_check_hierarchy_limits().
    let depth = 1;
    for (let a: Cgroup | null = bypassLimits ? null : parent; a; a = a.parent, depth++) {
      if (a.maxDescendants !== null && a.countDescendants() >= a.maxDescendants) throw new KernelError("EAGAIN", "Resource temporarily unavailable");
      if (a.maxDepth !== null && depth > a.maxDepth) throw new KernelError("EAGAIN", "Resource temporarily unavailable");
    }
    const cg = new Cgroup(name, parent, this.nextId++);
    parent.children.set(name, cg);
    this.byPath.set(cg.path, cg);
    this.kernel.emit({ type: "cgroup.create", path: cg.path });
    this.notify("create", cg);
    return cg;
  }

  /** rmdir(2): only an empty leaf (no live process, no child cgroup) goes. */
  rmdir(cg: Cgroup): void {
    if (cg.isRoot) throw new KernelError("EBUSY", "Device or resource busy");
    if (cg.children.size > 0 || this.populated(cg)) throw new KernelError("EBUSY", "Device or resource busy");
    const path = cg.path;
    cg.parent!.children.delete(cg.name);
    this.byPath.delete(path);
    this.kernel.emit({ type: "cgroup.remove", path });
    this.notify("remove", cg);
  }

  /**
   * Move a whole process into `dst` (a write to cgroup.procs). The no-internal-process rule:
   * a non-root cgroup that hands controllers to its children cannot take processes (EBUSY).
   * Memory already charged stays with the old cgroup, as in v2; new charges go to `dst`.
   */
  migrate(proc: Process, dst: Cgroup): void {
    if (!dst.isRoot && dst.subtreeControl.size > 0) throw new KernelError("EBUSY", "Device or resource busy");
    if (proc.cgroup === dst.path) return;
    const from = this.of(proc);
    proc.cgroup = dst.path;
    this.notify("migrate", dst, proc);
    if (from.frozen !== dst.frozen) this.kernel.freezeChanged?.();
  }

  /** Write to cgroup.subtree_control: "+cpu -memory". All tokens are checked before any applies. */
  setSubtreeControl(cg: Cgroup, text: string): void {
    const enable = new Set<Controller>();
    const disable = new Set<Controller>();
    for (const tok of text.split(/\s+/).filter(Boolean)) {
      const sign = tok[0];
      const name = tok.slice(1) as Controller;
      if ((sign !== "+" && sign !== "-") || !(CONTROLLERS as readonly string[]).includes(name)) throw new KernelError("EINVAL", "Invalid argument");
      if (sign === "+") {
        disable.delete(name);
        enable.add(name);
      } else {
        enable.delete(name);
        disable.add(name);
      }
    }
    const available = cg.controllers;
    for (const c of enable) if (!available.has(c)) throw new KernelError("ENOENT", "No such file or directory");
    const adding = [...enable].filter((c) => !cg.subtreeControl.has(c));
    // Enabling for children while this (non-root) cgroup itself holds processes: EBUSY.
    if (adding.length && !cg.isRoot && this.procs(cg).length > 0) throw new KernelError("EBUSY", "Device or resource busy");
    // A controller a child still hands further down cannot be taken away.
    for (const c of disable) for (const child of cg.children.values()) if (child.subtreeControl.has(c)) throw new KernelError("EBUSY", "Device or resource busy");
    for (const c of enable) cg.subtreeControl.add(c);
    for (const c of disable) cg.subtreeControl.delete(c);
    for (const c of cg.children.values()) this.configChanged(c);
  }

  /** cgroup.kill: SIGKILL every process in the subtree. */
  killAll(cg: Cgroup): void {
    for (const p of this.subtreeProcs(cg)) this.kernel.exitProcess(p, 137, "KILL");
  }

  /** fork(2) accounting for pids.max: EAGAIN when any ancestor is at its limit. */
  chargeFork(parent: Process): void {
    const cg = this.of(parent);
    for (const a of cg.ancestry()) {
      if (a.isRoot || !a.has("pids") || a.pids.max === null) continue;
      // (Counted only where a limit is set, so forks stay O(1) on an unlimited tree.)
      if (this.pidsCurrent(a) >= a.pids.max) {
        // pids.events counts at the cgroup whose limit was hit.
        a.pids.eventsMax++;
        throw new KernelError("EAGAIN", "Resource temporarily unavailable");
      }
    }
  }

  /** pids.current: live processes in the subtree. */
  pidsCurrent(cg: Cgroup): number {
    const n = this.subtreeProcs(cg).length;
    if (n > cg.pids.peak) cg.pids.peak = n;
    return n;
  }

}
