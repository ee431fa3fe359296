// The shell itself: expands words, sets up redirections and pipes, forks and waits — a
// real process for every external command, so `ps` in a pipeline sees its neighbours and
// `sh -c` inside `unshare --pid --fork` is pid 1.
import { isReadOnlyView } from "../linux/readonly";
import type { Kernel } from "../linux/kernel";
import { Capture, NULL_WRITER, Pipe, TextReader } from "../linux/io";
import type { Reader, Writer } from "../linux/io";
import { KernelError, clone } from "../linux/process";
import type { Process } from "../linux/process";
import type { Program } from "../linux/tasks";
import { TreeNode, joinPath } from "../linux/vfs";
import type { AndOr, Command, CompoundCommand, ListItem, Pipeline, Redirect, Script, SimpleCommand, Word } from "./ast";
import { isSimple } from "./ast";
import { BUILTINS } from "./builtins";
import { execProgram, findExecutable, spawn } from "./exec";
import { ShellSyntaxError, parse } from "./parser";

export interface Io {
  0: Reader;
  1: Writer;
  2: Writer;
}

export interface Job {
  id: number;
  proc: Process;
  text: string;
  reported: boolean;
}

/** One running shell: its process, variables and jobs. */
export class ShellState {
  vars = new Map<string, string>();
  exported = new Set<string>();
  lastStatus = 0;
  lastBg = 0;
  jobs: Job[] = [];
  positional: string[] = [];
  /** Set by `exit`: the script stops and the shell ends with this status. */
  exitStatus: number | null = null;
  /** Set by `exec`: the shell's process became another program; its status ends the script. */
  foreground: Process | null = null;
  /** Set by `exec`: the process now runs another program and must end with it. */
  execd = false;
  /** Lines typed (interactive shells). */
  history: string[] = [];

  constructor(
    readonly kernel: Kernel,
    public proc: Process,
    /** "bash" or "sh": decides error-message style. */
    readonly flavour: "bash" | "sh",
    readonly interactive: boolean,
    /** Line number reported by non-interactive error messages. */
    public line = 1,
  ) {
    for (const [k, v] of proc.env) {
      this.vars.set(k, v);
      this.exported.add(k);
    }
    if (!this.vars.has("PATH")) {
      this.vars.set("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
      this.exported.add("PATH");
    }
  }

  /** A copy for a subshell (background job, pipeline element, $(…)). */
  fork(proc: Process): ShellState {
    const s = new ShellState(this.kernel, proc, this.flavour, false, this.line);
    s.vars = new Map(this.vars);
    s.exported = new Set(this.exported);
    s.lastStatus = this.lastStatus;
    s.lastBg = this.lastBg;
    s.positional = [...this.positional];
    s.dollarDollar = this.dollarDollar ?? this.proc.innerPid;
    return s;
  }

  /** $$ stays the parent shell's pid inside subshells. */
  dollarDollar: number | null = null;

  /** Error message prefix in the style of the real shell. */
  errPrefix(): string {
    if (this.interactive) return "bash: ";
    return this.flavour === "sh" ? `sh: ${this.line}: ` : `bash: line ${this.line}: `;
  }

  notFound(name: string): string {
    if (this.flavour === "sh" && !this.interactive) return `sh: ${this.line}: ${name}: not found\n`;
    return `${this.errPrefix()}${name}: command not found\n`;
  }

  environment(): Map<string, string> {
    const env = new Map<string, string>();
    for (const k of this.exported) {
      const v = this.vars.get(k);
      if (v !== undefined) env.set(k, v);
    }
    return env;
  }
}

/** fork(2) failed (e.g. ENOMEM in a pid namespace whose init died): bash reports it and a non-interactive shell gives up. */
function forkFailed(sh: ShellState, io: Io, e: unknown): number {
  io[2].write(`${sh.flavour}: fork: ${(e as KernelError).text ?? "Cannot allocate memory"}\n`);
  if (!sh.interactive) sh.exitStatus = 254;
  return 254;
}

/** Parse and run a script; syntax errors are reported like bash (status 2). */
export function* runSource(sh: ShellState, src: string, io: Io): Program {
  let script: Script;
  try {
    script = parse(src);
  } catch (e) {
    if (e instanceof ShellSyntaxError) {
      io[2].write(`${sh.errPrefix()}${e.message}\n`);
      sh.lastStatus = 2;
      return 2;
    }
    throw e;
  }
  return yield* runScript(sh, script, io);
}

export function* runScript(sh: ShellState, script: Script, io: Io): Program {
  for (const item of script) {
    if (sh.exitStatus !== null) break;
    yield* runItem(sh, item, io);
  }
  return sh.exitStatus ?? sh.lastStatus;
}

function* runItem(sh: ShellState, item: ListItem, io: Io): Program {
  if (!item.background) {
    sh.lastStatus = yield* runAndOr(sh, item.andOr, io);
    return sh.lastStatus;
  }
  // cmd & : a child runs it while the shell goes on.
  const k = sh.kernel;
  let child: Process;
  const single = item.andOr.rest.length === 0 && item.andOr.first.cmds.length === 1 ? item.andOr.first.cmds[0]! : null;
  try {
    child = clone(k, sh.proc, { fds: { 0: io[0], 1: io[1], 2: io[2] } });
  } catch (e) {
    sh.lastStatus = forkFailed(sh, io, e);
    return sh.lastStatus;
  }
  const sub = sh.fork(child);
  const bgIo: Io = { 0: sh.interactive ? new TextReader("") : io[0], 1: io[1], 2: io[2] };
  k.sched.start(
    child,
    (function* (): Program {
      if (single) return yield* runCommand(sub, single, bgIo, true);
      return yield* runAndOr(sub, item.andOr, bgIo);
    })(),
  );
  sh.lastBg = child.innerPid;
  sh.lastStatus = 0;
  if (sh.interactive) {
    const id = (sh.jobs.at(-1)?.id ?? 0) + 1;
    sh.jobs.push({ id, proc: child, text: item.text, reported: false });
    io[2].write(`[${id}] ${child.pidIn(sh.proc.ns.pid) ?? child.pid}\n`);
  }
  // Let the job start now, as it would on a real machine before the next prompt.
  k.sched.runReady();
  return 0;
}

function* runAndOr(sh: ShellState, ao: AndOr, io: Io): Program {
  let status = yield* runPipeline(sh, ao.first, io);
  for (const { op, pipeline } of ao.rest) {
    if (sh.exitStatus !== null) break;
    if ((op === "&&" && status === 0) || (op === "||" && status !== 0)) status = yield* runPipeline(sh, pipeline, io);
  }
  return status;
}

function* runPipeline(sh: ShellState, p: Pipeline, io: Io): Program {
  let status: number;
  if (p.cmds.length === 1) {
    status = yield* runCommand(sh, p.cmds[0]!, io, false);
  } else {
    // Every element is its own process, all alive at once, joined by pipes.
    const k = sh.kernel;
    const procs: Process[] = [];
    const starts: (() => void)[] = [];
    let input: Reader = io[0];
    for (let i = 0; i < p.cmds.length; i++) {
      const last = i === p.cmds.length - 1;
      const pipe = last ? null : new Pipe();
      const out = pipe ? pipe.writer : io[1];
      let child: Process;
      try {
        child = clone(k, sh.proc, { fds: { 0: input, 1: out, 2: io[2] } });
      } catch (e) {
        return forkFailed(sh, io, e);
      }
      const sub = sh.fork(child);
      const cmd = p.cmds[i]!;
      const childIo: Io = { 0: input, 1: out, 2: io[2] };
      starts.push(() =>
        k.sched.start(
          child,
          (function* (): Program {
            return yield* runCommand(sub, cmd, childIo, true);
          })(),
        ),
      );
      procs.push(child);
      if (pipe) input = pipe.reader;
    }
    // All elements run at once; starting the readers first lets them exec before the writer
    // runs, so `ps -ef | grep sleep` finds the grep too, as on a real machine.
    for (const start of starts.reverse()) start();
    status = 0;
    for (const child of procs) {
      sh.foreground = child;
      status = (yield { kind: "child", proc: child }) as number;
    }
    sh.foreground = null;
  }
  if (p.negate) status = status === 0 ? 1 : 0;
  sh.lastStatus = status;
  return status;
}

export const MAX_LOOP_ROUNDS = 1000;

export function* runCommand(sh: ShellState, cmd: Command, io: Io, inChild: boolean): Program {
  if (isSimple(cmd)) return yield* runSimple(sh, cmd, io, inChild);
  return yield* runCompound(sh, cmd, io);
}

/** for / while / until / if / { } / ( ): run in this shell (a subshell forks first). */
function* runCompound(sh: ShellState, cmd: CompoundCommand, io: Io): Program {
  let cio: Io;
  try {
    cio = yield* applyRedirects(sh, cmd.redirects, io);
  } catch (e) {
    io[2].write(`${sh.errPrefix()}${(e as Error).message}\n`);
    return 1;
  }
  const body = function* (script: Script): Program {
    return yield* runScript(sh, script, cio);
  };
  let status = 0;
  switch (cmd.kind) {
    case "group": {
      if (!cmd.subshell) return yield* body(cmd.body);
      let child: Process;
      try {
        child = clone(sh.kernel, sh.proc, { fds: { 0: cio[0], 1: cio[1], 2: cio[2] } });
      } catch (e) {
        return forkFailed(sh, io, e);
      }
      const sub = sh.fork(child);
      sh.kernel.sched.start(child, runScript(sub, cmd.body, cio));
      return (yield { kind: "child", proc: child }) as number;
    }
    case "for": {
      const words: string[] = [];
      if (cmd.words) for (const w of cmd.words) words.push(...(yield* expandWord(sh, w, cio)));
      else words.push(...sh.positional);
      for (const w of words) {
        if (sh.exitStatus !== null) break;
        sh.vars.set(cmd.name, w);
        status = yield* body(cmd.body);
      }
      return status;
    }
    case "while": {
      // A loop that never ends would freeze the page: the simulation stops it and says so.
      for (let round = 0; sh.exitStatus === null; round++) {
        if (round === MAX_LOOP_ROUNDS) {
          cio[2].write(`${sh.errPrefix()}loop stopped after ${MAX_LOOP_ROUNDS} rounds (this simulated shell does not run endless loops; press Ctrl-C on a real one)\n`);
          return 130;
        }
        const c = yield* body(cmd.cond);
        if ((c === 0) === cmd.until) break;
        status = yield* body(cmd.body);
      }
      return status;
    }
    case "if": {
      for (const clause of cmd.clauses) {
        if ((yield* body(clause.cond)) === 0) return yield* body(clause.body);
      }
      return cmd.otherwise ? yield* body(cmd.otherwise) : 0;
    }
  }
}

/**
 * One simple command. `inChild` means we already are a forked child for it (background job,
 * pipeline element): an external program then replaces this process instead of forking again.
 */
export function* runSimple(sh: ShellState, cmd: SimpleCommand, io: Io, inChild: boolean): Program {
  const k = sh.kernel;
  const words: string[] = [];
  for (const w of cmd.words) words.push(...(yield* expandWord(sh, w, io)));
  const assigns: [string, string][] = [];
  for (const a of cmd.assigns) assigns.push([a.name, (yield* expandWord(sh, a.value, io, false)).join(" ")]);

  let cio: Io;
  try {
    cio = yield* applyRedirects(sh, cmd.redirects, io);
  } catch (e) {
    const msg = (e as Error).message;
    io[2].write(sh.flavour === "sh" && !sh.interactive ? `${sh.errPrefix()}cannot create ${msg.replace(/: ([^:]+)$/, ": $1")}\n` : `${sh.errPrefix()}${msg}\n`);
    return sh.flavour === "sh" && !sh.interactive ? 2 : 1;
  }

  if (words.length === 0) {
    for (const [n, v] of assigns) sh.vars.set(n, v);
    return 0;
  }

  const name = words[0]!;
  const builtin = BUILTINS.get(name);
  if (builtin) {
    const status = yield* builtin(sh, words, cio);
    // A builtin whose write(2) failed (EINVAL from a cgroup file, say) exits 1, as bash's echo does.
    return (cio[1] as Writer & { failed?: boolean }).failed ? 1 : status;
  }

  const found = findExecutable(k, sh.proc, name);
  if (!found.ok) {
    if (found.why === "ENOENT") {
      if (name.includes("/")) cio[2].write(`${sh.errPrefix()}${name}: No such file or directory\n`);
      else cio[2].write(sh.notFound(name));
      return 127;
    }
    cio[2].write(`${sh.errPrefix()}${found.path}: ${found.why === "EISDIR" ? "Is a directory" : "Permission denied"}\n`);
    return 126;
  }
  const env = sh.environment();
  for (const [n, v] of assigns) env.set(n, v);

  if (inChild) {
    sh.proc.fds = { 0: cio[0], 1: cio[1], 2: cio[2] };
    sh.proc.env = env;
    return yield* execProgram(k, sh.proc, words, found.node);
  }
  let child: Process;
  try {
    child = spawn(k, sh.proc, words, found.node, {
      fds: { 0: cio[0], 1: cio[1], 2: cio[2] },
      prepare: (c) => {
        c.env = env;
      },
    });
  } catch (e) {
    return forkFailed(sh, cio, e);
  }
  sh.foreground = child;
  const status = (yield { kind: "child", proc: child }) as number;
  sh.foreground = null;
  return status;
}

/** Expand one word: parameters, command substitution, then field splitting of unquoted results. */
export function* expandWord(sh: ShellState, word: Word, io: Io, split = true): Generator<import("../linux/tasks").Wait, string[], unknown> {
  const fields: string[] = [];
  let cur = "";
  let has = false;
  for (const part of word) {
    let value: string;
    if (part.t === "lit") {
      cur += part.v;
      has = true;
      continue;
    } else if (part.t === "var") {
      value = lookupVar(sh, part.name);
    } else {
      value = yield* commandSubstitution(sh, part.src, io);
    }
    if (part.quoted || !split) {
      cur += value;
      has = true;
      continue;
    }
    const pieces = value.split(/[ \t\n]+/);
    for (let i = 0; i < pieces.length; i++) {
      if (i > 0) {
        if (has) fields.push(cur);
        cur = "";
        has = false;
      }
      if (pieces[i]) {
        cur += pieces[i];
        has = true;
      }
    }
  }
  if (has) fields.push(cur);
  // Pathname expansion: unquoted *, ? and [...] match files (no match: the word stays as typed).
  const globbing = split && word.some((p) => p.t === "lit" && !p.quoted && /[*?[]/.test(p.v));
  return globbing ? fields.flatMap((f) => (/[*?[]/.test(f) ? glob(sh, f) : [f])) : fields;
}

function globRegex(part: string): RegExp {
  let re = "";
  for (let i = 0; i < part.length; i++) {
    const c = part[i]!;
    if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "[") {
      const end = part.indexOf("]", i + 1);
      if (end < 0) re += "\\[";
      else {
        re += `[${part.slice(i + 1, end).replace(/^!/, "^").replace(/\\/g, "\\\\")}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

export function glob(sh: ShellState, pattern: string): string[] {
  const absolute = pattern.startsWith("/");
  const parts = pattern.split("/").filter(Boolean);
  let paths = [absolute ? "/" : ""];
  for (const part of parts) {
    const next: string[] = [];
    for (const base of paths) {
      if (!/[*?[]/.test(part)) {
        next.push(base === "/" ? `/${part}` : base ? `${base}/${part}` : part);
        continue;
      }
      let names: string[] = [];
      try {
        const { node } = sh.kernel.resolve(sh.proc, base || ".");
        names = node.list?.({ proc: sh.proc }) ?? [];
      } catch {
        continue;
      }
      const re = globRegex(part);
      for (const n of names) if (re.test(n) && (part.startsWith(".") || !n.startsWith("."))) next.push(base === "/" ? `/${n}` : base ? `${base}/${n}` : n);
    }
    paths = next;
  }
  const found = paths.filter((p) => {
    try {
      sh.kernel.resolve(sh.proc, p, false);
      return true;
    } catch {
      return false;
    }
  });
  return found.length ? found.sort() : [pattern];
}

function lookupVar(sh: ShellState, name: string): string {
  switch (name) {
    case "?":
      return String(sh.lastStatus);
    case "$":
      return String(sh.dollarDollar ?? sh.proc.innerPid);
    case "!":
      return sh.lastBg ? String(sh.lastBg) : "";
    case "#":
      return String(sh.positional.length);
    case "@":
    case "*":
      return sh.positional.join(" ");
    case "0":
      return sh.flavour;
    case "-":
      return sh.interactive ? "himBH" : "hB";
    default:
      if (/^[1-9]$/.test(name)) return sh.positional[Number(name) - 1] ?? "";
      return sh.vars.get(name) ?? "";
  }
}

/** $(…): a subshell child with its stdout captured; trailing newlines removed. */
function* commandSubstitution(sh: ShellState, src: string, io: Io): Generator<import("../linux/tasks").Wait, string, unknown> {
  const k = sh.kernel;
  const cap = new Capture();
  let child: Process;
  try {
    child = clone(k, sh.proc, { fds: { 0: io[0], 1: cap, 2: io[2] } });
  } catch (e) {
    forkFailed(sh, io, e);
    return "";
  }
  const sub = sh.fork(child);
  k.sched.start(child, runSource(sub, src, { 0: io[0], 1: cap, 2: io[2] }));
  sh.lastStatus = (yield { kind: "child", proc: child }) as number;
  return cap.text.replace(/\n+$/, "");
}

function* applyRedirects(sh: ShellState, redirects: Redirect[], io: Io): Generator<import("../linux/tasks").Wait, Io, unknown> {
  const out: Io = { ...io };
  for (const r of redirects) {
    if (r.op === "<<") {
      let body = r.heredoc!.body;
      if (r.heredoc!.expand) body = yield* expandHeredoc(sh, body, io);
      out[0] = new TextReader(body);
      continue;
    }
    const target = (yield* expandWord(sh, r.target, io)).join(" ");
    if (r.op === "<<<") {
      out[0] = new TextReader(target + "\n");
    } else if (r.op === ">&") {
      if (target === "1" || target === "2") {
        const w = out[Number(target) as 1 | 2];
        if (r.fd === 1 || r.fd === 2) out[r.fd] = w;
      } else {
        const w = openWriter(sh, target, false);
        out[1] = w;
        out[2] = w;
      }
    } else if (r.op === "&>") {
      const w = openWriter(sh, target, false);
      out[1] = w;
      out[2] = w;
    } else if (r.op === "<") {
      out[0] = new TextReader(readFileText(sh, target));
    } else {
      const w = openWriter(sh, target, r.op === ">>");
      if (r.fd === 1 || r.fd === 2) out[r.fd] = w;
    }
  }
  return out;
}

function* expandHeredoc(sh: ShellState, body: string, io: Io): Generator<import("../linux/tasks").Wait, string, unknown> {
  // Here-documents expand $VAR and $(…) but do no quote removal or field splitting.
  let out = "";
  const re = /\$\(([^)]*)\)|\$\{([^}]+)\}|\$([A-Za-z_][A-Za-z0-9_]*|[0-9?$!#])|\\([$`\\])/g;
  let last = 0;
  for (let m = re.exec(body); m; m = re.exec(body)) {
    out += body.slice(last, m.index);
    if (m[1] !== undefined) out += yield* commandSubstitution(sh, m[1], io);
    else if (m[2] !== undefined) out += lookupVar(sh, m[2]);
    else if (m[3] !== undefined) out += lookupVar(sh, m[3]);
    else out += m[4];
    last = re.lastIndex;
  }
  return out + body.slice(last);
}

function fsError(path: string, e: unknown): Error {
  return new Error(`${path}: ${(e as KernelError).text ?? (e as Error).message}`);
}

/** Open a file for writing (O_CREAT|O_TRUNC or O_APPEND) in the shell's mount namespace. */
export function openWriter(sh: ShellState, path: string, append: boolean): Writer {
  const k = sh.kernel;
  if (path === "/dev/null") return NULL_WRITER;
  if (path === "/dev/stdout" || path === "/dev/tty") return sh.proc.fds[1];
  if (path === "/dev/stderr") return sh.proc.fds[2];
  const abs = joinPath(sh.proc.cwd, path);
  const ctx = { proc: sh.proc };
  let node;
  try {
    node = k.resolve(sh.proc, abs).node;
  } catch (e) {
    if (!(e instanceof KernelError) || e.code !== "ENOENT") throw fsError(path, e);
    const dir = abs.slice(0, abs.lastIndexOf("/")) || "/";
    let parent;
    try {
      parent = k.resolve(sh.proc, dir).node;
    } catch (e2) {
      throw fsError(path, e2);
    }
    if (parent.type !== "dir") throw fsError(path, new KernelError("ENOTDIR", "Not a directory"));
    if (!parent.create) throw fsError(path, new KernelError("EACCES", "Permission denied"));
    try {
      node = parent.create(abs.slice(abs.lastIndexOf("/") + 1), "file", ctx);
    } catch (e3) {
      throw fsError(path, e3);
    }
  }
  if (node.type === "dir") throw fsError(path, new KernelError("EISDIR", "Is a directory"));
  if (isReadOnlyView(node)) throw fsError(path, new KernelError("EROFS", "Read-only file system"));
  if (!node.write) throw fsError(path, new KernelError("EACCES", "Permission denied"));
  const target = node;
  // The kernel truncates on open; writes then append. Writes to pseudo-files (cgroupfs, procfs)
  // are applied per write(2), and a rejected write is reported on the shell's stderr.
  if (!append && target instanceof TreeNode) target.write("", false);
  let first = true;
  const writer: Writer & { failed?: boolean } = {
    kind: "file",
    write: (text: string) => {
      try {
        const isTree = target instanceof TreeNode;
        target.write!(text, isTree ? true : !first || append, ctx);
        first = false;
      } catch (e) {
        writer.failed = true;
        sh.proc.fds[2].write(`${sh.errPrefix()}echo: write error: ${(e as KernelError).text ?? (e as Error).message}\n`);
      }
    },
  };
  return writer;
}

export function readFileText(sh: ShellState, path: string): string {
  const k = sh.kernel;
  try {
    const { node } = k.resolve(sh.proc, joinPath(sh.proc.cwd, path));
    if (node.type === "dir") throw new KernelError("EISDIR", "Is a directory");
    return node.read?.({ proc: sh.proc }) ?? "";
  } catch (e) {
    throw fsError(path, e);
  }
}
