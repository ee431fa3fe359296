// The interactive terminal session: a stack of shells. `unshare --fork bash` or `nsenter -t PID`
// without a command starts a new interactive shell that takes over the terminal; `exit` hands
// it back. Each typed line runs as a task of the top shell's process, in virtual time.
import type { ShResult } from "../api";
import type { Kernel } from "../linux/kernel";
import { TextReader, Tty } from "../linux/io";
import type { Process } from "../linux/process";
import type { Task } from "../linux/tasks";
import type { Io } from "./interpreter";
import { ShellState, runSource } from "./interpreter";

/** How far a single foreground command may advance virtual time before we press Ctrl-C for the reader. */
export const FOREGROUND_LIMIT_MS = 24 * 3600 * 1000;
/** Timer firings one typed line may cause before it counts as never finishing. */
export const MAX_FOREGROUND_TIMERS = 1_000;

interface Level {
  sh: ShellState;
  /** The interactive shell program's task, resumed with the exit status on `exit`. */
  task: Task | null;
  busy: boolean;
}

export class Session {
  readonly tty: Tty;
  private readonly stack: Level[] = [];
  readonly history: string[] = [];

  constructor(
    readonly kernel: Kernel,
    private readonly spawnLogin: () => Process,
  ) {
    this.tty = new Tty();
    (this.tty as Tty & { session?: Session }).session = this;
  }

  /** Called by the login (or an interactive `bash`) program when it starts reading the terminal. */
  attach(sh: ShellState, task: Task | null): void {
    this.stack.push({ sh, task, busy: false });
  }

  top(): ShellState {
    this.ensureShell();
    return this.stack[this.stack.length - 1]!.sh;
  }

  depth(): number {
    return this.stack.length;
  }

  private ensureShell(): void {
    while (this.stack.length && !this.stack[this.stack.length - 1]!.sh.proc.alive) this.stack.pop();
    if (this.stack.length === 0) {
      const proc = this.spawnLogin();
      const sh = new ShellState(this.kernel, proc, "bash", true);
      sh.history = this.history;
      this.attach(sh, null);
    }
  }

  run(line: string, stdin?: string): ShResult {
    this.ensureShell();
    this.tty.take();
    const level = this.stack[this.stack.length - 1]!;
    const sh = level.sh;
    this.reportJobs(sh);
    const trimmed = line.trim();
    if (trimmed && !line.includes("\n")) this.history.push(line);
    const io: Io = { 0: stdin !== undefined ? new TextReader(stdin) : this.tty, 1: this.tty, 2: this.tty.stderr() };
    let status = 0;
    level.busy = true;
    // The shell may live on another machine (after `ssh worker-1`): run the line on its kernel.
    sh.kernel.sched.start(sh.proc, runSource(sh, line, io), true, (s) => {
      status = s;
      level.busy = false;
      sh.lastStatus = s;
      if (sh.exitStatus !== null || sh.execd) this.leave(level, sh.exitStatus ?? s);
    });
    this.drive();
    const { out, err } = this.tty.take();
    sh.kernel.emit({ type: "shell.command", line, exitCode: status });
    return { stdout: out, stderr: err, exitCode: status };
  }

  /** `exit` in an interactive shell: end it and hand the terminal back to the shell below. */
  private leave(level: Level, status: number): void {
    const i = this.stack.indexOf(level);
    if (i < 0) return;
    this.stack.splice(i, 1);
    if (level.task) level.sh.kernel.sched.resume(level.task, status);
    else if (level.sh.proc.alive) {
      // The login shell: logging out ends the session; a fresh login takes its place.
      level.sh.kernel.exitProcess(level.sh.proc, status);
    }
  }

  /** Run the world until the top shell is idle again (or a new interactive shell took over). */
  private drive(): void {
    const k = this.kernel;
    const limit = k.clock.now() + FOREGROUND_LIMIT_MS;
    let fired = 0;
    for (let guard = 0; guard < 100_000; guard++) {
      // Other machines on the same clock (a cluster's nodes) run too: a command may wait on them.
      k.runWorld();
      this.ensureShell();
      const level = this.stack[this.stack.length - 1]!;
      if (!level.busy) return;
      // A busy foreground job (yes > /dev/null) keeps the CPU timers firing forever: after a
      // bounded amount of virtual time, press Ctrl-C for the reader as a real terminal user would.
      if (++fired <= MAX_FOREGROUND_TIMERS && k.clock.fireNext(limit)) continue;
      // Nothing can make progress: the foreground job would block forever. Press Ctrl-C.
      this.interrupt();
      if (!level.busy) return;
    }
  }

  /** Ctrl-C: SIGINT to the foreground job of the top shell. */
  interrupt(): void {
    const level = this.stack[this.stack.length - 1];
    if (!level) return;
    const fg = level.sh.foreground;
    this.tty.write("^C\n");
    if (fg && fg.alive) {
      // SIGINT goes to the whole foreground process group: the job and its descendants.
      const victims: Process[] = [];
      const walk = (p: Process) => {
        victims.push(p);
        p.children.forEach(walk);
      };
      walk(fg);
      for (const v of victims.reverse()) level.sh.kernel.exitProcess(v, 130, "INT");
    } else if (level.busy) {
      level.busy = false;
      level.sh.kernel.sched.killTasks(level.sh.proc);
    }
    this.kernel.runWorld();
  }

  private reportJobs(sh: ShellState): void {
    for (const j of sh.jobs) {
      if (!j.proc.alive && !j.reported) {
        j.reported = true;
        const st = j.proc.exitStatus ?? 0;
        const state = st === 0 ? "Done" : st > 128 ? (st === 137 ? "Killed" : st === 143 ? "Terminated" : `Exit ${st}`) : `Exit ${st}`;
        this.tty.write(`[${j.id}]+  ${state.padEnd(24)}${j.text.replace(/\s*&$/, "")}\n`);
      }
    }
    sh.jobs = sh.jobs.filter((j) => j.proc.alive || !j.reported);
  }
}

/** The Session that owns a terminal, if the reader is one. */
export function sessionOf(io: { kind: string }): Session | undefined {
  return (io as { session?: Session }).session;
}
