// The scheduler: every running program is a generator that yields what it waits for
// (a timer, a child's exit, input on a pipe). Virtual time only moves when nothing can run.
import type { Reader } from "./io";
import type { Process } from "./process";

export type Wait =
  | { kind: "sleep"; until: number }
  | { kind: "child"; proc: Process }
  | { kind: "read"; reader: Reader }
  | { kind: "forever" }
  /** An interactive shell waiting for the next line typed at the terminal. */
  | { kind: "interactive" }
  /** A daemon waiting for work (a controller's queue, a watch): woken by Notifier.notify(). */
  | { kind: "notify"; on: Notifier };

/** A wake-up handle: programs yield { kind: "notify", on } and sleep until notify() is called. */
export class Notifier {
  /** Set by the scheduler: resumes every task waiting on this notifier. */
  wake: (() => void) | null = null;
  pending = false;
  notify(): void {
    this.pending = true;
    this.wake?.();
  }
}

export type Program = Generator<Wait, number, unknown>;
/** What a program's main() returns: an exit status now, or a generator that runs over time. */
export type ProgramResult = number | Program;

export function* asProgram(r: ProgramResult): Program {
  if (typeof r === "number") return r;
  return yield* r;
}

export class Task {
  done = false;
  waiting: Wait | null = null;
  resumeWith: unknown = undefined;
  constructor(
    readonly proc: Process,
    readonly gen: Program,
    /** A line typed into an interactive shell runs as a task of the shell's process, which must outlive it. */
    readonly keepProcess: boolean,
    readonly onDone?: (status: number) => void,
  ) {}
}

export interface SchedulerHost {
  now(): number;
  at(time: number, fn: () => void): void;
  exitProcess(proc: Process, status: number, signal?: string): void;
  /** cgroup freezer: a task of a frozen process is parked instead of run. */
  isFrozen?(proc: Process): boolean;
}

export class Scheduler {
  private runq: Task[] = [];
  private readonly byPid = new Map<number, Set<Task>>();
  private readonly childWaiters = new Map<Process, Set<Task>>();
  private readonly readWaiters = new Set<Task>();
  /** Tasks whose process sits in a frozen cgroup, in the order they became runnable. */
  private parked: Task[] = [];
  /** Guards against a program that never yields. */
  private steps = 0;

  constructor(private readonly host: SchedulerHost) {}

  start(proc: Process, program: ProgramResult, keepProcess = false, onDone?: (status: number) => void): Task {
    const gen = typeof program === "number" ? (function* () { return program; })() : program;
    const task = new Task(proc, gen, keepProcess, onDone);
    let set = this.byPid.get(proc.pid);
    if (!set) this.byPid.set(proc.pid, (set = new Set()));
    set.add(task);
    this.runq.push(task);
    return task;
  }

  tasksOf(proc: Process): Task[] {
    return [...(this.byPid.get(proc.pid) ?? [])];
  }

  /** Wake a task waiting for an interactive line (or anything) with a value. */
  resume(task: Task, value: unknown): void {
    if (task.done) return;
    task.waiting = null;
    task.resumeWith = value;
    this.runq.push(task);
  }

  /** Run every runnable task until none is left. */
  runReady(): void {
    while (this.runq.length > 0) {
      const task = this.runq.shift()!;
      if (!task.done && this.host.isFrozen?.(task.proc)) {
        this.parked.push(task);
        continue;
      }
      this.step(task);
    }
  }

  /** cgroup.freeze went to 0 (or a process left a frozen cgroup): requeue what may run again. */
  thaw(): void {
    const still: Task[] = [];
    for (const t of this.parked) {
      if (t.done) continue;
      if (this.host.isFrozen?.(t.proc)) still.push(t);
      else this.runq.push(t);
    }
    this.parked = still;
  }

  hasRunnable(): boolean {
    return this.runq.length > 0;
  }

  /** A process died: end its tasks (generator.return runs their finally blocks). */
  killTasks(proc: Process): void {
    for (const task of this.byPid.get(proc.pid) ?? []) {
      if (task.done) continue;
      task.done = true;
      this.readWaiters.delete(task);
      try {
        task.gen.return(0);
      } catch {
        // a dying program cannot object
      }
    }
    this.byPid.delete(proc.pid);
    this.runq = this.runq.filter((t) => t.proc !== proc);
  }

  /** Called by the kernel after a process exited: wake parents waiting for it and pipe readers. */
  processExited(proc: Process, status: number): void {
    const waiters = this.childWaiters.get(proc);
    if (waiters) {
      this.childWaiters.delete(proc);
      for (const t of waiters) this.resume(t, status);
    }
    for (const t of [...this.readWaiters]) {
      if (t.waiting?.kind === "read" && t.waiting.reader.ready()) {
        this.readWaiters.delete(t);
        this.resume(t, undefined);
      }
    }
  }

  private step(task: Task): void {
    if (task.done) return;
    if (++this.steps > 5_000_000) throw new Error("scheduler: runaway program");
    let r: IteratorResult<Wait, number>;
    try {
      r = task.gen.next(task.resumeWith);
    } catch (e) {
      // A crashing program dies like a segfaulting process would; the engine carries on.
      task.done = true;
      task.proc.fds[2].write(`${task.proc.comm}: internal error: ${(e as Error).message}\n`);
      this.finish(task, 139);
      return;
    }
    task.resumeWith = undefined;
    if (r.done) {
      task.done = true;
      this.finish(task, r.value);
      return;
    }
    const w = r.value;
    task.waiting = w;
    switch (w.kind) {
      case "sleep":
        this.host.at(w.until, () => {
          if (!task.done && task.waiting === w) this.resume(task, undefined);
        });
        break;
      case "child":
        if (!w.proc.alive) this.resume(task, w.proc.exitStatus);
        else {
          let set = this.childWaiters.get(w.proc);
          if (!set) this.childWaiters.set(w.proc, (set = new Set()));
          set.add(task);
        }
        break;
      case "read":
        if (w.reader.ready()) this.resume(task, undefined);
        else this.readWaiters.add(task);
        break;
      case "notify":
        if (w.on.pending) {
          w.on.pending = false;
          this.resume(task, undefined);
        } else {
          w.on.wake = () => {
            if (task.done || task.waiting !== w) return;
            w.on.pending = false;
            w.on.wake = null;
            this.resume(task, undefined);
          };
        }
        break;
      case "forever":
      case "interactive":
        break;
    }
  }

  private finish(task: Task, status: number): void {
    this.byPid.get(task.proc.pid)?.delete(task);
    task.onDone?.(status);
    if (!task.keepProcess && task.proc.alive) this.host.exitProcess(task.proc, status);
  }
}
