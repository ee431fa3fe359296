// Shell builtins: the commands bash runs inside its own process (no fork), which is why
// `cd`, `exit`, `exec` and `export` can change the shell itself, and why `echo` and `kill`
// never show up in ps.
import { SIGNALS } from "../linux/kernel";
import type { Process } from "../linux/process";
import type { Program } from "../linux/tasks";
import { KernelError } from "../linux/process";
import { joinPath } from "../linux/vfs";
import { execProgram, findExecutable } from "./exec";
import type { Io, ShellState } from "./interpreter";
import { runSource } from "./interpreter";
import { commandSummaries } from "./registry";

export type Builtin = (sh: ShellState, argv: string[], io: Io) => Program;

const done = (n: number): Program => (function* () { return n; })();

export const BUILTINS = new Map<string, Builtin>();
const def = (names: string[], fn: Builtin) => names.forEach((n) => BUILTINS.set(n, fn));

def(["true", ":"], () => done(0));
def(["false"], () => done(1));

def(["echo"], (_sh, argv, io) => {
  let args = argv.slice(1);
  let newline = true;
  let escapes = false;
  while (args[0] && /^-[neE]+$/.test(args[0])) {
    if (args[0].includes("n")) newline = false;
    if (args[0].includes("e")) escapes = true;
    if (args[0].includes("E")) escapes = false;
    args = args.slice(1);
  }
  let text = args.join(" ");
  if (escapes) text = text.replace(/\\n/g, "\n").replace(/\\t/g, "\t").replace(/\\\\/g, "\\");
  io[1].write(text + (newline ? "\n" : ""));
  return done(0);
});

def(["pwd"], (sh, _argv, io) => {
  io[1].write(sh.proc.cwd + "\n");
  return done(0);
});

def(["cd"], (sh, argv, io) => {
  // bash refuses a second operand (a glob that matched two directories) rather than picking one
  if (argv.length > 2) {
    io[2].write(`${sh.errPrefix()}cd: too many arguments\n`);
    return done(1);
  }
  const target = argv[1] ?? sh.vars.get("HOME") ?? "/root";
  const path = joinPath(sh.proc.cwd, target === "~" ? (sh.vars.get("HOME") ?? "/root") : target.replace(/^~\//, (sh.vars.get("HOME") ?? "/root") + "/"));
  try {
    const { node } = sh.kernel.resolve(sh.proc, path);
    if (node.type !== "dir") throw new KernelError("ENOTDIR", "Not a directory");
    sh.proc.cwd = path;
    sh.vars.set("PWD", path);
    return done(0);
  } catch (e) {
    io[2].write(`${sh.errPrefix()}cd: ${target}: ${(e as KernelError).text ?? "error"}\n`);
    return done(1);
  }
});

def(["export"], (sh, argv) => {
  for (const a of argv.slice(1)) {
    const eq = a.indexOf("=");
    const name = eq >= 0 ? a.slice(0, eq) : a;
    if (eq >= 0) sh.vars.set(name, a.slice(eq + 1));
    sh.exported.add(name);
  }
  return done(0);
});

def(["unset"], (sh, argv) => {
  for (const a of argv.slice(1)) {
    sh.vars.delete(a);
    sh.exported.delete(a);
  }
  return done(0);
});

def(["exit", "logout"], (sh, argv, io) => {
  // A login shell is one whose argv[0] starts with "-" (sshd and login start "-bash").
  const login = sh.proc.argv[0]?.startsWith("-") ?? false;
  if (argv[0] === "logout" && !login) {
    io[2].write(`${sh.errPrefix()}logout: not login shell: use \`exit'\n`);
    return done(1);
  }
  const arg = argv[1];
  if (arg !== undefined && !/^-?\d+$/.test(arg)) {
    io[2].write(`${sh.errPrefix()}exit: ${arg}: numeric argument required\n`);
    sh.exitStatus = 2;
    return done(2);
  }
  sh.exitStatus = arg === undefined ? sh.lastStatus : ((Number(arg) % 256) + 256) % 256;
  // bash says goodbye on standard error: "logout" from a login shell, "exit" from any other.
  if (sh.interactive) io[2].write(login ? "logout\n" : "exit\n");
  return done(sh.exitStatus);
});

def(["exec"], (sh, argv, io) =>
  (function* (): Program {
    let args = argv.slice(1);
    // exec -a NAME cmd: run cmd with argv[0] = NAME (what ps shows as the command line).
    let argv0: string | undefined;
    if (args[0] === "-a") {
      argv0 = args[1];
      args = args.slice(2);
    }
    if (args.length === 0) return 0;
    const found = findExecutable(sh.kernel, sh.proc, args[0]!);
    if (!found.ok) {
      io[2].write(`${sh.errPrefix()}exec: ${args[0]}: ${found.why === "ENOENT" ? "not found" : "Permission denied"}\n`);
      sh.exitStatus = found.why === "ENOENT" ? 127 : 126;
      return sh.exitStatus;
    }
    sh.proc.fds = { 0: io[0], 1: io[1], 2: io[2] };
    sh.proc.env = sh.environment();
    sh.execd = true;
    const status = yield* execProgram(sh.kernel, sh.proc, argv0 !== undefined ? [argv0, ...args.slice(1)] : args, found.node, found.path);
    sh.exitStatus = status;
    return status;
  })(),
);

export function parseSignal(s: string): number | undefined {
  const up = s.toUpperCase().replace(/^SIG/, "");
  if (/^\d+$/.test(up)) return Number(up);
  return SIGNALS[up];
}

def(["kill"], (sh, argv, io) => {
  let args = argv.slice(1);
  let sig = SIGNALS.TERM!;
  if (args[0] === "-l") {
    io[1].write(Object.entries(SIGNALS).map(([n, v]) => `${String(v).padStart(2)}) SIG${n}`).join("\n") + "\n");
    return done(0);
  }
  if (args[0] === "-s" && args[1]) {
    const s = parseSignal(args[1]);
    if (s === undefined) {
      io[2].write(`${sh.errPrefix()}kill: ${args[1]}: invalid signal specification\n`);
      return done(1);
    }
    sig = s;
    args = args.slice(2);
  } else if (args[0]?.startsWith("-") && args[0].length > 1) {
    const s = parseSignal(args[0].slice(1));
    if (s === undefined) {
      io[2].write(`${sh.errPrefix()}kill: ${args[0].slice(1)}: invalid signal specification\n`);
      return done(1);
    }
    sig = s;
    args = args.slice(1);
  }
  if (args.length === 0) {
    io[2].write("kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n");
    return done(2);
  }
  let status = 0;
  for (const a of args) {
    let target: Process | undefined;
    if (a.startsWith("%")) {
      const job = sh.jobs.find((j) => j.id === Number(a.slice(1)));
      if (!job || !job.proc.alive) {
        io[2].write(`${sh.errPrefix()}kill: ${a}: no such job\n`);
        status = 1;
        continue;
      }
      target = job.proc;
    } else if (/^\d+$/.test(a)) {
      target = sh.proc.ns.pid.pids.get(Number(a));
    } else {
      io[2].write(`${sh.errPrefix()}kill: ${a}: arguments must be process or job IDs\n`);
      status = 1;
      continue;
    }
    if (!target || !target.alive) {
      io[2].write(`${sh.errPrefix()}kill: (${a}) - No such process\n`);
      status = 1;
      continue;
    }
    sh.kernel.kill(target.pid, sig);
  }
  return done(status);
});

def(["wait"], (sh, argv, io) =>
  (function* (): Program {
    let status = 0;
    // wait PID…: the status of each named job, even one that already ended (bash remembers it).
    if (argv.length > 1) {
      for (const a of argv.slice(1)) {
        const job = sh.jobs.find((j) => (a.startsWith("%") ? `%${j.id}` === a : String(j.proc.pidIn(sh.proc.ns.pid) ?? j.proc.pid) === a));
        if (!job) {
          io[2].write(`${sh.errPrefix()}wait: pid ${a} is not a child of this shell\n`);
          status = 127;
          continue;
        }
        status = job.proc.alive ? ((yield { kind: "child", proc: job.proc }) as number) : (job.proc.exitStatus ?? 0);
      }
      return status;
    }
    for (const child of [...sh.proc.children]) {
      if (child.alive) status = (yield { kind: "child", proc: child }) as number;
    }
    return status;
  })(),
);

def(["jobs"], (sh, _argv, io) => {
  for (const j of sh.jobs) {
    const state = j.proc.alive ? "Running" : "Done";
    io[1].write(`[${j.id}]${j === sh.jobs.at(-1) ? "+" : "-"}  ${state.padEnd(24)}${j.text}\n`);
  }
  return done(0);
});

def(["history"], (sh, argv, io) => {
  if (argv[1] === "-c") {
    sh.history.length = 0;
    return done(0);
  }
  const n = argv[1] ? Number(argv[1]) : sh.history.length;
  const start = Math.max(0, sh.history.length - n);
  sh.history.slice(start).forEach((l, i) => io[1].write(`${String(start + i + 1).padStart(5)}  ${l}\n`));
  return done(0);
});

def(["type", "which", "command"], (sh, argv, io) => {
  let status = 0;
  const isWhich = argv[0] === "which";
  const args = argv.slice(1).filter((a) => a !== "-v");
  for (const name of args) {
    if (BUILTINS.has(name) && !isWhich) {
      io[1].write(argv[0] === "command" ? `${name}\n` : `${name} is a shell builtin\n`);
      continue;
    }
    const f = findExecutable(sh.kernel, sh.proc, name);
    if (f.ok) io[1].write(isWhich || argv[0] === "command" ? `${f.path}\n` : `${name} is ${f.path}\n`);
    else {
      if (argv[0] === "type") io[2].write(`${sh.errPrefix()}type: ${name}: not found\n`);
      status = 1;
    }
  }
  return done(status);
});

def(["source", "."], (sh, argv, io) =>
  (function* (): Program {
    const file = argv[1];
    if (!file) {
      io[2].write(`${sh.errPrefix()}${argv[0]}: filename argument required\n`);
      return 2;
    }
    let text: string;
    try {
      const { node } = sh.kernel.resolve(sh.proc, joinPath(sh.proc.cwd, file));
      text = node.read?.({ proc: sh.proc }) ?? "";
    } catch (e) {
      io[2].write(`${sh.errPrefix()}${file}: ${(e as KernelError).text ?? "error"}\n`);
      return 1;
    }
    return yield* runSource(sh, text, io);
  })(),
);

def(["help"], (_sh, argv, io) => {
  const rows = commandSummaries();
  if (argv[1]) {
    const r = rows.find((x) => x.name === argv[1]);
    io[1].write(r ? `${r.name}: ${r.summary}\nRun '${r.name} --help' for its options.\n` : `bash: help: no help topics match \`${argv[1]}'.\n`);
    return done(r ? 0 : 1);
  }
  io[1].write(
    "This is a simulated Linux host. Commands behave like the real tools; each has --help.\n" +
      "Shell: pipes |, ; && ||, > >> <, here-documents <<EOF, $VAR, $(…), & for background, exit.\n\n",
  );
  const width = Math.max(...rows.map((r) => r.name.length));
  for (const r of rows) io[1].write(`  ${r.name.padEnd(width)}  ${r.summary}\n`);
  return done(0);
});

def(["printf"], (_sh, argv, io) => {
  const fmt = argv[1] ?? "";
  const args = argv.slice(2);
  let i = 0;
  const one = () =>
    fmt
      .replace(/%([sd%])/g, (_m, c: string) => (c === "%" ? "%" : c === "d" ? String(parseInt(args[i++] ?? "0", 10) || 0) : (args[i++] ?? "")))
      .replace(/\\n/g, "\n")
      .replace(/\\t/g, "\t");
  let out = one();
  while (i < args.length && /%[sd]/.test(fmt)) out += one();
  io[1].write(out);
  return done(0);
});

def(["test", "["], (sh, argv, io) => {
  const args = argv[0] === "[" ? argv.slice(1, argv.at(-1) === "]" ? -1 : undefined) : argv.slice(1);
  if (argv[0] === "[" && argv.at(-1) !== "]") {
    io[2].write(`${sh.errPrefix()}[: missing \`]'\n`);
    return done(2);
  }
  const exists = (p: string) => {
    try {
      return sh.kernel.resolve(sh.proc, joinPath(sh.proc.cwd, p)).node;
    } catch {
      return undefined;
    }
  };
  let r: boolean;
  const [a, b, c] = args;
  if (args.length === 0) r = false;
  else if (args.length === 1) r = a !== "";
  else if (args.length === 2 && a === "!") r = b === "";
  else if (args.length === 2) {
    const n = exists(b!);
    r = a === "-e" ? !!n : a === "-f" ? n?.type === "file" : a === "-d" ? n?.type === "dir" : a === "-z" ? b === "" : a === "-n" ? b !== "" : false;
  } else {
    const x = Number(a), y = Number(c);
    r = b === "=" || b === "==" ? a === c : b === "!=" ? a !== c : b === "-eq" ? x === y : b === "-ne" ? x !== y : b === "-gt" ? x > y : b === "-lt" ? x < y : b === "-ge" ? x >= y : b === "-le" ? x <= y : false;
  }
  return done(r ? 0 : 1);
});
