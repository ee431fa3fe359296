// One Linux machine: kernel state plus an interactive shell session on it.
// (Interface first; implementation follows in this file.)
import type { EngineEvent, HostSnapshot, ShOptions, ShResult } from "../api";

export interface HostOptions {
  /** Seed for the host's random numbers (same seed + same commands → same outputs). */
  seed?: number;
  /** Hostname; default "node". */
  hostname?: string;
  /** Shared virtual clock and event log, when several hosts form one world (createLab). */
  clock?: import("../sim/clock").Clock;
  events?: import("../sim/events").EventLog;
  /** CPUs and RAM (bytes) of the machine under the host; default 2 CPUs and 4 GiB. */
  cpus?: number;
  memory?: number;
  /** Called with the new kernel before boot (createLab cables its NIC to the wire). */
  beforeBoot?: (kernel: Kernel) => void;
}

/** Tab completion: replace line.slice(start) with one of the candidates. */
export interface Completion {
  start: number;
  candidates: string[];
}

export interface Host {
  readonly name: string;
  /** Run one command line (or a multi-line script) in the interactive shell session. */
  sh(line: string, opts?: ShOptions): ShResult;
  /** The prompt the session would print now, e.g. "root@node:~# " (changes inside `unshare … bash`). */
  prompt(): string;
  /** Completion of command names (first word) and paths (other words) at the end of `line`. */
  complete(line: string): Completion;
  /** Lines typed so far in this session (what `history` prints). */
  history(): readonly string[];
  /** Advance virtual time by ms (background `sleep`s finish, timers fire). */
  tick(ms: number): void;
  /** Run until nothing more is scheduled in the near future (bounded). */
  settle(): void;
  /** Typed state for widgets and checks. */
  snapshot(): HostSnapshot;
  /** Every overlay mount (container root filesystems, hand-made ones) with the layer serving each path. */
  overlays(query?: import("../api").OverlayQuery): import("../api").OverlaySnapshot[];
  /** A regular file's content as the host's init sees it (host mount namespace), or undefined; runs no command and copies nothing up. */
  readFile(path: string): string | undefined;
  /** Create or replace a regular file as the host's init sees it, as an editor saving it would (parents made as needed); false when it cannot be written. Runs no command. */
  writeFile(path: string, content: string): boolean;
  /** Every network namespace with its links, addresses, routes, processes and ip_forward (what `ip` shows, typed). */
  network(): import("../api").NetSnapshot;
  /**
   * Send one packet (and collect its reply) through the real network stack with tracing on:
   * every hop, chain, rule tested, verdict and NAT rewrite. In a lab it follows the packet
   * across the wire. Throws an Error naming the problem for an unknown namespace or bad address.
   */
  tracePacket(opts: import("../api").TracePacketOptions): import("../api").PacketTraceSnapshot;
  /** Subscribe to engine events; returns an unsubscribe function. */
  on(type: "event", fn: (e: EngineEvent) => void): () => void;
  /** The deterministic event log so far. */
  events(): readonly EngineEvent[];
}

// ---- implementation ----
import type { NamespaceSnapshot, ProcessSnapshot } from "../api";
import { NS_KINDS } from "../api";
import { Kernel } from "./kernel";
import { clone, execve } from "./process";
import type { Process } from "./process";
import { installCommands, commandNames } from "../shell/registry";
import { Session } from "../shell/session";
import { ShellState } from "../shell/interpreter";
import { resetInoCounter } from "./vfs";
import { overlaySnapshots } from "./overlay-snapshot";
import { Machine } from "../hardware/machine";
import { cgroupSnapshots } from "./cgroup-snapshot";
import { systemdOf } from "./systemd";
import { networkSnapshot } from "./net/snapshot";
import { tracePacket } from "./net/trace-api";

const LOGIN_ENV: [string, string][] = [
  ["HOME", "/root"],
  ["LANG", "C.UTF-8"],
  ["LOGNAME", "root"],
  ["PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
  ["SHELL", "/bin/bash"],
  ["TERM", "xterm-256color"],
  ["USER", "root"],
];

/** A booted machine: systemd, a few daemons, and root logged in over ssh with a bash prompt. */
class LinuxHost implements Host {
  readonly kernel: Kernel;
  readonly session: Session;
  private sshd: Process;

  constructor(opts: HostOptions) {
    resetInoCounter();
    const name = opts.hostname ?? "node";
    const machine = new Machine({ name, ...(opts.cpus !== undefined ? { cpus: opts.cpus } : {}), ...(opts.memory !== undefined ? { memory: opts.memory } : {}) });
    this.kernel = new Kernel({ hostname: name, seed: opts.seed ?? 1, machine, ...(opts.clock ? { clock: opts.clock } : {}), ...(opts.events ? { events: opts.events } : {}) });
    opts.beforeBoot?.(this.kernel);
    const k = this.kernel;
    installCommands(k);
    // /bin, /sbin and /lib are symlinks into /usr on a modern Debian.
    for (const l of ["bin", "sbin", "lib"]) {
      const node = k.rootFs.root.children.get(l);
      if (node && node.children.size === 0) {
        k.rootFs.root.children.delete(l);
        k.rootFs.put(`/${l}`, null, { symlink: `usr/${l}` });
      }
    }
    k.programs.set("daemon", () => (function* () { yield { kind: "forever" } as const; return 0; })());
    for (const d of ["/usr/lib/systemd/systemd", "/usr/lib/systemd/systemd-journald", "/usr/sbin/cron", "/usr/sbin/sshd", "/usr/bin/containerd", "/usr/bin/containerd-shim-runc-v2"]) {
      k.rootFs.put(d, "\x7fELF daemon\n", { mode: 0o755, program: "daemon" });
    }
    const init = k.spawnInit(["/sbin/init"]);
    init.comm = "systemd";
    // Services come up the way a Debian node starts them: as systemd units.
    const sd = systemdOf(k);
    sd.install("systemd-journald", "Journal Service", ["/usr/lib/systemd/systemd-journald"], { restart: "always", documentation: "man:systemd-journald.service(8)" });
    sd.install("cron", "Regular background program processing daemon", ["/usr/sbin/cron", "-f"], { documentation: "man:cron(8)" });
    sd.install("containerd", "containerd container runtime", ["/usr/bin/containerd"], { documentation: "https://containerd.io" });
    sd.install("ssh", "OpenBSD Secure Shell server", ["/usr/sbin/sshd", "-D"], { documentation: "man:sshd(8) man:sshd_config(5)" });
    for (const unit of ["systemd-journald", "cron", "containerd", "ssh"]) sd.start(unit);
    k.sched.runReady();
    this.sshd = sd.mainProcess("ssh")!;
    // sshd rewrites its own command line (setproctitle), as ps shows on any server.
    this.sshd.argv = ["sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups"];
    this.session = new Session(k, () => this.login());
    this.session.top();
  }

  /** sshd forks a session process, which runs root's login shell on the terminal. */
  private login(): Process {
    const k = this.kernel;
    const tty = this.session.tty;
    const sess = clone(k, this.sshd, { fds: { 0: tty, 1: tty, 2: tty.stderr() } });
    execve(k, sess, ["sshd: root@pts/0"]);
    sess.comm = "sshd";
    const shell = clone(k, sess, { fds: { 0: tty, 1: tty, 2: tty.stderr() } });
    execve(k, shell, ["-bash"]);
    shell.comm = "bash";
    // pam_systemd moves a login into its session scope under user.slice.
    k.cgroups.place(sess, "/user.slice/user-0.slice/session-1.scope");
    k.cgroups.place(shell, "/user.slice/user-0.slice/session-1.scope");
    shell.cwd = "/root";
    shell.env = new Map(LOGIN_ENV);
    k.sched.runReady();
    return shell;
  }

  get name(): string {
    return this.kernel.name;
  }

  sh(line: string, opts: ShOptions = {}): ShResult {
    return this.session.run(line, opts.stdin);
  }

  prompt(): string {
    const sh = this.session.top();
    const p = sh.proc;
    const user = p.ns.user.uidMap.length === 0 ? "nobody" : "root";
    const host = p.ns.uts.hostname.split(".")[0];
    const home = "/root";
    const cwd = p.cwd === home ? "~" : p.cwd.startsWith(home + "/") ? "~" + p.cwd.slice(home.length) : p.cwd;
    return `${user}@${host}:${cwd}${user === "root" ? "#" : "$"} `;
  }

  complete(line: string): Completion {
    const m = /(\S*)$/.exec(line)!;
    const word = m[1]!;
    const start = line.length - word.length;
    const before = line.slice(0, start).trim();
    const first = before === "" || /(\||;|&&|\|\|)$/.test(before) || /^(sudo|exec|nsenter.*|unshare.*|sh -c|bash -c)$/.test(before) && false;
    if (first && !word.includes("/")) {
      const names = new Set([...commandNames(), "cd", "echo", "exit", "export", "history", "help", "kill", "pwd", "exec", "jobs", "wait", "type", "which", "source", "true", "false"]);
      return { start, candidates: [...names].filter((n) => n.startsWith(word)).sort() };
    }
    const sh = this.session.top();
    const slash = word.lastIndexOf("/");
    const dirPart = slash >= 0 ? word.slice(0, slash + 1) : "";
    const base = slash >= 0 ? word.slice(slash + 1) : word;
    try {
      const dirPath = dirPart ? (dirPart.startsWith("/") ? dirPart : `${sh.proc.cwd}/${dirPart}`) : sh.proc.cwd;
      const { node } = this.kernel.resolve(sh.proc, dirPath);
      const names = node.list?.({ proc: sh.proc }) ?? [];
      const candidates = names
        .filter((n) => n.startsWith(base) && (base.startsWith(".") || !n.startsWith(".")))
        .map((n) => {
          const child = node.lookup?.(n, { proc: sh.proc });
          let isDir = child?.type === "dir";
          if (child?.type === "symlink") {
            try {
              isDir = this.kernel.resolve(sh.proc, `${dirPath}/${n}`).node.type === "dir";
            } catch {
              isDir = false;
            }
          }
          return dirPart + n + (isDir ? "/" : "");
        });
      return { start, candidates: candidates.sort() };
    } catch {
      return { start, candidates: [] };
    }
  }

  history(): readonly string[] {
    return this.session.history;
  }

  // A host that shares its clock with others (a lab, a cluster) moves them all: time is one.
  tick(ms: number): void {
    const k = this.kernel;
    k.runWorld();
    k.clock.advanceTo(k.clock.now() + Math.max(0, ms), () => k.runWorld());
    k.runWorld();
  }

  settle(): void {
    // Run whatever is due now and anything scheduled within the next minute of virtual time.
    const k = this.kernel;
    const limit = k.clock.now() + 60_000;
    k.runWorld();
    while (k.clock.fireNext(limit)) k.runWorld();
  }

  snapshot(): HostSnapshot {
    const k = this.kernel;
    const processes: ProcessSnapshot[] = [...k.processes.values()]
      .filter((p) => p.alive)
      .sort((a, b) => a.pid - b.pid)
      .map((p) => ({
        pid: p.pid,
        ppid: p.ppid,
        comm: p.comm,
        argv: [...p.argv],
        uid: p.uid,
        state: p.state,
        nspid: [...p.nspid],
        ns: Object.fromEntries(NS_KINDS.map((kind) => [kind, p.ns[kind].inode])) as ProcessSnapshot["ns"],
        cgroup: p.cgroup,
      }));
    const namespaces: NamespaceSnapshot[] = [...k.namespaces]
      .filter((ns) => ns.alive)
      .sort((a, b) => a.inode - b.inode)
      .map((ns) => {
        const s: NamespaceSnapshot = {
          kind: ns.kind,
          inode: ns.inode,
          parent: ns.kind === "pid" || ns.kind === "user" ? (ns.parent?.inode ?? null) : null,
          initial: ns.initial,
          pids: processes.filter((p) => p.ns[ns.kind] === ns.inode).map((p) => p.pid),
        };
        if (ns.kind === "uts") s.hostname = ns.hostname;
        return s;
      });
    const machine = { cpus: k.machine.cpus, memory: k.machine.memory };
    return { name: k.name, time: k.clock.now(), processes, namespaces, shellPid: this.session.top().proc.pid, machine, cgroups: cgroupSnapshots(k) };
  }

  overlays(query?: import("../api").OverlayQuery): import("../api").OverlaySnapshot[] {
    return overlaySnapshots(this.kernel, query);
  }

  readFile(path: string): string | undefined {
    const init = this.kernel.processes.get(1)!;
    try {
      const { node } = this.kernel.resolve(init, path);
      return node.type === "file" ? (node.read?.({ proc: init }) ?? "") : undefined;
    } catch {
      return undefined;
    }
  }

  writeFile(path: string, content: string): boolean {
    const init = this.kernel.processes.get(1)!;
    try {
      if (!path.startsWith("/") || path.endsWith("/")) return false;
      const node = this.kernel.writeFile(init, path, content);
      return node.type === "file";
    } catch {
      return false;
    }
  }

  network(): import("../api").NetSnapshot {
    return networkSnapshot(this.kernel);
  }

  tracePacket(opts: import("../api").TracePacketOptions): import("../api").PacketTraceSnapshot {
    return tracePacket(this.kernel, opts);
  }

  on(_type: "event", fn: (e: import("../api").EngineEvent) => void): () => void {
    return this.kernel.events.subscribe(fn);
  }

  events(): readonly import("../api").EngineEvent[] {
    return this.kernel.events.all();
  }
}

/** Boot one simulated Linux machine. */
export function createHost(opts: HostOptions = {}): Host {
  return new LinuxHost(opts);
}

export { ShellState };
