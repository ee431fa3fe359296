// systemd, the part a node needs: unit files under /etc/systemd/system, start/stop/restart,
// a main process per service, Restart=on-failure, and a journal. Kubernetes the Hard Way
// installs every component this way — so a binary without its execute bit fails exactly as
// it does on a real machine: status=203/EXEC, and the cluster limps on without it.
import type { Kernel } from "./kernel";
import { SIGNALS } from "./kernel";
import { KernelError, clone, execve } from "./process";
import type { Process } from "./process";
import type { Writer } from "./io";
import { asProgram } from "./tasks";

export interface Unit {
  name: string;
  description: string;
  execStart: string[];
  documentation?: string;
  restart: "no" | "on-failure" | "always";
  restartSec: number;
  state: "active" | "inactive" | "failed" | "activating";
  result: "success" | "exit-code" | "signal";
  mainPid: number | null;
  lastExit: { pid: number; status: number; code: "exited" | "killed"; signal?: string } | null;
  since: number;
  restarts: number;
  enabled: boolean;
}

export interface JournalEntry {
  t: number;
  unit: string;
  /** syslog identifier shown before the pid: "systemd", "kube-scheduler", "(cheduler)" */
  ident: string;
  pid: number;
  msg: string;
}

export class Systemd {
  readonly units = new Map<string, Unit>();
  readonly journal: JournalEntry[] = [];
  private readonly procs = new Map<string, Process>();

  constructor(private readonly kernel: Kernel) {}

  /** Write a unit file and register it (what `systemctl daemon-reload` reads). */
  install(name: string, description: string, execStart: string[], opts: { restart?: Unit["restart"]; documentation?: string } = {}): Unit {
    const unit: Unit = { name, description, execStart, restart: opts.restart ?? "on-failure", restartSec: 5, state: "inactive", result: "success", mainPid: null, lastExit: null, since: this.kernel.clock.now(), restarts: 0, enabled: true, ...(opts.documentation ? { documentation: opts.documentation } : {}) };
    this.units.set(name, unit);
    const text = `[Unit]\nDescription=${description}\n${opts.documentation ? `Documentation=${opts.documentation}\n` : ""}\n[Service]\nExecStart=${execStart.join(" \\\n  ")}\nRestart=${unit.restart}\nRestartSec=${unit.restartSec}\n\n[Install]\nWantedBy=multi-user.target\n`;
    this.kernel.rootFs.put(`/etc/systemd/system/${name}.service`, text);
    return unit;
  }

  log(unit: string, ident: string, pid: number, msg: string): void {
    this.journal.push({ t: this.kernel.clock.now(), unit, ident, pid, msg });
    if (this.journal.length > 20_000) this.journal.splice(0, 5_000);
  }

  /** A writer that sends a service's stdout/stderr to the journal, line by line. */
  journalWriter(unit: string, ident: string, pid: () => number): Writer {
    let buf = "";
    return {
      kind: "file",
      write: (text) => {
        buf += text;
        let i;
        while ((i = buf.indexOf("\n")) >= 0) {
          this.log(unit, ident, pid(), buf.slice(0, i));
          buf = buf.slice(i + 1);
        }
      },
    };
  }

  start(name: string): { ok: boolean } {
    const u = this.units.get(name);
    if (!u) throw new KernelError("ENOENT", `Unit ${name}.service not found.`);
    if (u.state === "active") return { ok: true };
    const k = this.kernel;
    const init = k.processes.get(1)!;
    const bin = u.execStart[0]!;
    const ident = `(${bin.split("/").pop()!.slice(-8)})`;
    let child: Process;
    try {
      child = clone(k, init);
    } catch {
      return this.failed(u, 0, 1, "exited");
    }
    child.cwd = "/";
    // systemd puts every service in its own cgroup: mkdir system.slice/NAME.service, write the pid.
    k.cgroups.place(child, `/system.slice/${name}.service`);
    child.comm = ident.slice(0, 15);
    const out = this.journalWriter(name, bin.split("/").pop()!, () => child.pid);
    child.fds = { 0: child.fds[0], 1: out, 2: out };
    // execve: the binary must exist and be executable, or the service fails at step EXEC.
    let node;
    try {
      node = k.resolve(child, bin).node;
      if ((node.mode & 0o111) === 0 || !node.program) throw new KernelError("EACCES", "Permission denied");
    } catch (e) {
      const text = (e as KernelError).text ?? "No such file or directory";
      this.log(name, ident, child.pid, `${name}.service: Failed to execute ${bin}: ${text}`);
      this.log(name, ident, child.pid, `${name}.service: Failed at step EXEC spawning ${bin}: ${text}`);
      const pid = child.pid;
      k.exitProcess(child, 203);
      return this.failed(u, pid, 203, "exited");
    }
    execve(k, child, u.execStart);
    u.state = "active";
    u.result = "success";
    u.mainPid = child.pid;
    u.since = k.clock.now();
    this.procs.set(name, child);
    this.log(name, "systemd", 1, `Started ${name}.service - ${u.description}.`);
    k.sched.start(child, asProgram(k.programs.get(node.program)!(child, u.execStart)), false, (status) => this.exited(name, child, status));
    k.emit({ type: "process.exec", pid: child.pid, comm: child.comm, argv: [...u.execStart] });
    return { ok: true };
  }

  private exited(name: string, proc: Process, status: number): void {
    const u = this.units.get(name);
    if (!u || u.mainPid !== proc.pid) return;
    this.procs.delete(name);
    u.mainPid = null;
    if (u.state === "inactive") return; // stopped on purpose
    const signal = status > 128 ? Object.entries(SIGNALS).find(([, n]) => n === status - 128)?.[0] : undefined;
    if (signal) this.failed(u, proc.pid, status, "killed", signal);
    else if (status !== 0) this.failed(u, proc.pid, status, "exited");
    else {
      u.state = "inactive";
      u.lastExit = { pid: proc.pid, status, code: "exited" };
      this.log(name, "systemd", 1, `${name}.service: Deactivated successfully.`);
    }
  }

  private failed(u: Unit, pid: number, status: number, code: "exited" | "killed", signal?: string): { ok: boolean } {
    u.state = "failed";
    u.result = code === "killed" ? "signal" : "exit-code";
    u.lastExit = { pid, status, code, ...(signal ? { signal } : {}) };
    u.since = this.kernel.clock.now();
    u.mainPid = null;
    const how = code === "killed" ? `code=killed, status=${status - 128}/${signal}` : `code=exited, status=${status}/${status === 203 ? "EXEC" : "FAILURE"}`;
    this.log(u.name, "systemd", 1, `${u.name}.service: Main process exited, ${how}`);
    this.log(u.name, "systemd", 1, `${u.name}.service: Failed with result '${u.result}'.`);
    if (status === 203) this.log(u.name, "systemd", 1, `Failed to start ${u.name}.service - ${u.description}.`);
    if (u.restart !== "no") {
      // Restart=on-failure: try again after RestartSec, for as long as it keeps failing.
      this.kernel.clock.after(u.restartSec * 1000, () => {
        if (u.state !== "failed") return;
        u.restarts++;
        this.log(u.name, "systemd", 1, `${u.name}.service: Scheduled restart job, restart counter is at ${u.restarts}.`);
        this.start(u.name);
      });
    }
    return { ok: false };
  }

  stop(name: string): void {
    const u = this.units.get(name);
    if (!u) throw new KernelError("ENOENT", `Unit ${name}.service not loaded.`);
    const p = this.procs.get(name);
    u.state = "inactive";
    u.result = "success";
    u.since = this.kernel.clock.now();
    if (p && p.alive) {
      this.log(name, "systemd", 1, `Stopping ${name}.service - ${u.description}...`);
      this.kernel.exitProcess(p, 128 + SIGNALS.TERM!, "TERM");
      u.lastExit = { pid: p.pid, status: 0, code: "exited" };
      this.log(name, "systemd", 1, `${name}.service: Deactivated successfully.`);
      this.log(name, "systemd", 1, `Stopped ${name}.service - ${u.description}.`);
    }
    u.mainPid = null;
    this.procs.delete(name);
  }

  restart(name: string): { ok: boolean } {
    if (!this.units.has(name)) throw new KernelError("ENOENT", `Unit ${name}.service not found.`);
    this.stop(name);
    return this.start(name);
  }

  mainProcess(name: string): Process | undefined {
    return this.procs.get(name);
  }
}

const instances = new WeakMap<Kernel, Systemd>();
export function systemdOf(kernel: Kernel): Systemd {
  let s = instances.get(kernel);
  if (!s) instances.set(kernel, (s = new Systemd(kernel)));
  return s;
}
