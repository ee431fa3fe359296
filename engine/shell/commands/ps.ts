// ps (procps-ng): reads /proc in the caller's mount namespace, so inside
// `unshare --pid --fork --mount-proc` it sees only the new namespace's processes.
import type { Command, CommandContext } from "../command";
import type { ProcEntry, ProcView } from "./procview";
import { readProc, userName } from "./procview";
import { ProcFs } from "../../linux/procfs";

interface Column {
  header: string;
  width: number;
  right: boolean;
  value(e: ProcEntry, ctx: CommandContext, view: ProcView): string;
}

const pad = (s: string, w: number, right: boolean) => (right ? s.padStart(w) : s.padEnd(w));

/** A process with a CPU-bound workload is runnable (R), as top and ps show it. */
function busy(ctx: CommandContext, e: ProcEntry): boolean {
  return ctx.kernel.cpu.recentPercent(e.p) > 0;
}

/** [DD-]HH:MM:SS of cumulative CPU time. */
function cumulative(usec: number): string {
  const s = Math.floor(usec / 1e6);
  return [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60].map((x) => String(x).padStart(2, "0")).join(":");
}

function lifetimePercent(ctx: CommandContext, e: ProcEntry): string {
  ctx.kernel.cpu.sync();
  const alive = (ctx.kernel.clock.now() - e.p.startTime) * 1000;
  return alive > 0 ? ((ctx.kernel.cpu.cpuTimeUsec(e.p) * 100) / alive).toFixed(1) : "0.0";
}

function hhmm(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getUTCHours()).padStart(2, "0")}:${String(d.getUTCMinutes()).padStart(2, "0")}`;
}

function tty(e: ProcEntry): string {
  return e.p.fds[0].kind === "tty" ? "pts/0" : "?";
}

function args(e: ProcEntry): string {
  return e.p.argv.length ? e.p.argv.join(" ") : `[${e.p.comm}]`;
}

function stat(e: ProcEntry, self: boolean, busy: boolean): string {
  let s = self || busy ? "R" : e.p.state === "Z" ? "Z" : "S";
  if (e.p.pid === 1 || e.p.innerPid === 1) s += "s";
  if (e.p.fds[0].kind === "tty" && (e.p.comm === "bash" || e.p.comm === "-bash")) s += "s+";
  return s.replace("ss+", "s+").replace("s+s", "s+");
}

function nsCol(kind: "pid" | "net" | "uts" | "mnt" | "ipc" | "user" | "cgroup" | "time", header: string): Column {
  return { header, width: 10, right: true, value: (e) => String(e.p.ns[kind].inode) };
}

const COLS: Record<string, Column> = {
  pid: { header: "PID", width: 7, right: true, value: (e) => String(e.pid) },
  ppid: { header: "PPID", width: 7, right: true, value: (e) => String(e.ppid) },
  uid: { header: "UID", width: 5, right: true, value: (e) => String(e.p.uid) },
  user: { header: "USER", width: 8, right: false, value: (e) => userName(e.p.uid) },
  comm: { header: "COMMAND", width: 15, right: false, value: (e) => e.p.comm },
  args: { header: "COMMAND", width: 27, right: false, value: args },
  stat: { header: "STAT", width: 4, right: false, value: (e, ctx) => stat(e, e.p === ctx.proc, busy(ctx, e)) },
  s: { header: "S", width: 1, right: false, value: (e, ctx) => (e.p === ctx.proc || busy(ctx, e) ? "R" : e.p.state) },
  tty: { header: "TT", width: 8, right: false, value: tty },
  time: { header: "TIME", width: 8, right: true, value: (e, ctx) => cumulative(ctx.kernel.cpu.cpuTimeUsec(e.p)) },
  stime: { header: "STIME", width: 5, right: false, value: (e, ctx) => hhmm(ctx.kernel.clock.epochMs() - ctx.kernel.clock.now() + e.p.startTime) },
  rss: { header: "RSS", width: 5, right: true, value: (e) => String(e.p.rssKb) },
  vsz: { header: "VSZ", width: 6, right: true, value: (e) => String(e.p.vszKb) },
  // ps's %CPU is CPU time over the process's lifetime; %MEM is resident memory over the machine's.
  "%cpu": { header: "%CPU", width: 4, right: true, value: (e, ctx) => lifetimePercent(ctx, e) },
  "%mem": { header: "%MEM", width: 4, right: true, value: (e, ctx) => ((e.p.rssKb * 1024 * 100) / ctx.kernel.machine.memory).toFixed(1) },
  ni: { header: "NI", width: 3, right: true, value: () => "0" },
  nlwp: { header: "NLWP", width: 4, right: true, value: () => "1" },
  cgroup: { header: "CGROUP", width: 27, right: false, value: (e) => `0::${e.p.cgroup}` },
  pidns: nsCol("pid", "PIDNS"),
  netns: nsCol("net", "NETNS"),
  utsns: nsCol("uts", "UTSNS"),
  mntns: nsCol("mnt", "MNTNS"),
  ipcns: nsCol("ipc", "IPCNS"),
  userns: nsCol("user", "USERNS"),
  cgroupns: nsCol("cgroup", "CGROUPNS"),
  timens: nsCol("time", "TIMENS"),
};
const ALIASES: Record<string, string> = { cmd: "args", command: "args", ucmd: "comm", ucomm: "comm", uname: "user", euser: "user", ruser: "user", euid: "uid", tname: "tty", tt: "tty", pcpu: "%cpu", pmem: "%mem", rssize: "rss", vsize: "vsz", state: "s", start: "stime", cputime: "time", thcount: "nlwp" };

const USAGE = `
Usage:
 ps [options]

 Try 'ps --help <simple|list|output|threads|misc|all>'
  or 'ps --help <s|l|o|t|m|a>'
 for additional help text.

For more details see ps(1).
`;

const HELP = `
Usage:
 ps [options]

Basic options:
 -A, -e               all processes
 a                    all with tty, including other users
 -a                   all with tty, except session leaders
 x                    processes without controlling ttys

Selection by list:
 -C <command>         command name
 -p, p, --pid <PID>   process id
 --ppid <PID>         parent process id

Output formats:
 -F                   extra full
 -f                   full-format, including command lines
 -o, o, --format <format>
                      user-defined format
 u                    user-oriented format
 --no-headers         do not print header at all
 --forest             ascii art process tree

 (the simulated ps also knows the columns pidns, netns, utsns, mntns, ipcns, userns)

For more details see ps(1).
`;

function fail(ctx: CommandContext, msg: string): number {
  ctx.err(`error: ${msg}\n${USAGE}`);
  return 1;
}

export const ps: Command = {
  name: "ps",
  path: "/usr/bin/ps",
  summary: "report a snapshot of the current processes (reads /proc)",
  usage: HELP,
  run(ctx) {
    const argv = ctx.argv.slice(1);
    let all = false;
    let bsdA = false;
    let bsdX = false;
    let full = false;
    let bsdU = false;
    let headers = true;
    let forest = false;
    const pids: number[] = [];
    const names: string[] = [];
    const ppids: number[] = [];
    let format: string[] | null = null;
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i]!;
      const next = () => argv[++i];
      if (a === "--no-headers" || a === "--no-heading") headers = false;
      else if (a === "--forest") forest = true;
      else if (a === "--pid" || a === "-p" || a === "p" || a === "-q" || a === "q") {
        const v = next();
        if (v === undefined) return fail(ctx, "list of process IDs must follow -p");
        for (const x of v.split(",")) {
          if (!/^\d+$/.test(x)) return fail(ctx, "process ID list syntax error");
          pids.push(Number(x));
        }
      } else if (a === "--ppid") {
        const v = next();
        if (v === undefined) return fail(ctx, "list of process IDs must follow --ppid");
        ppids.push(...v.split(",").map(Number));
      } else if (a === "-C") {
        const v = next();
        if (v === undefined) return fail(ctx, "list of command names must follow -C");
        names.push(...v.split(","));
      } else if (a === "-o" || a === "o" || a === "--format" || a === "-O") {
        const v = next();
        if (v === undefined) return fail(ctx, "format specification must follow -o");
        format = [...(format ?? []), ...v.split(/[ ,]/).filter(Boolean)];
      } else if (a.startsWith("-o") && a.length > 2) {
        format = [...(format ?? []), ...a.slice(2).split(",")];
      } else if (a.startsWith("-p") && /^\d/.test(a.slice(2))) {
        pids.push(...a.slice(2).split(",").map(Number));
      } else if (a.startsWith("--")) {
        return fail(ctx, `unknown gnu long option`);
      } else if (a.startsWith("-")) {
        const flags = a.slice(1);
        for (let j = 0; j < flags.length; j++) {
          const c = flags[j]!;
          if (c === "e" || c === "A") all = true;
          else if (c === "f" || c === "F") full = true;
          else if (c === "a" || c === "x" || c === "l" || c === "H" || c === "w") {
            /* accepted, no effect in this model */
          } else if (c === "o" || c === "p" || c === "C") {
            // -eo pid,comm: a bundled option takes the rest of the word, or the next word.
            const v = flags.slice(j + 1) || next();
            if (v === undefined || v === "") return fail(ctx, c === "o" ? "format specification must follow -o" : c === "p" ? "list of process IDs must follow -p" : "list of command names must follow -C");
            if (c === "o") format = [...(format ?? []), ...v.split(/[ ,]/).filter(Boolean)];
            else if (c === "C") names.push(...v.split(","));
            else {
              for (const x of v.split(",")) {
                if (!/^\d+$/.test(x)) return fail(ctx, "process ID list syntax error");
                pids.push(Number(x));
              }
            }
            break;
          } else return fail(ctx, "unsupported SysV option");
        }
      } else {
        for (const c of a) {
          if (c === "a") bsdA = true;
          else if (c === "x") bsdX = true;
          else if (c === "u") bsdU = true;
          else if (c === "w" || c === "f" || c === "e") {
            if (c === "f") forest = true;
          } else return fail(ctx, "unsupported option (BSD syntax)");
        }
      }
    }
    const view = readProc(ctx);
    if (!view) {
      ctx.err("Error, do this: mount -t proc proc /proc\n");
      return 1;
    }
    let entries = view.entries;
    if (pids.length || names.length || ppids.length) {
      entries = entries.filter((e) => pids.includes(e.pid) || names.includes(e.p.comm) || ppids.includes(e.ppid));
    } else if (!(all || (bsdA && bsdX))) {
      // Default selection: same user and same terminal as the caller — with no terminal
      // (kubectl exec without -t), the processes that have none either.
      const onTty = ctx.proc.fds[0].kind === "tty";
      entries = entries.filter((e) => (e.p.fds[0].kind === "tty") === onTty && e.p.uid === ctx.proc.uid);
    }
    if (forest) entries = forestOrder(entries);

    let cols: Column[];
    let noHeaderCols = false;
    if (format) {
      cols = [];
      for (const spec of format) {
        const [rawName, header] = spec.split("=") as [string, string | undefined];
        const key = ALIASES[rawName.toLowerCase()] ?? rawName.toLowerCase();
        const base = COLS[key];
        if (!base) {
          ctx.err(`error: unknown user-defined format specifier "${rawName}"\n${USAGE}`);
          return 1;
        }
        cols.push({ ...base, header: header !== undefined ? header : base.header });
      }
      noHeaderCols = cols.every((c) => c.header === "");
    } else if (bsdU || (bsdA && bsdX)) {
      cols = [COLS.user!, COLS.pid!, COLS["%cpu"]!, COLS["%mem"]!, COLS.vsz!, COLS.rss!, { ...COLS.tty!, header: "TTY" }, COLS.stat!, { ...COLS.stime!, header: "START", right: true }, { ...COLS.time!, width: 6, value: (e, ctx) => { const t = Math.floor(ctx.kernel.cpu.cpuTimeUsec(e.p) / 1e6); return `${Math.floor(t / 60)}:${String(t % 60).padStart(2, "0")}`; } }, COLS.args!];
    } else if (full) {
      cols = [{ ...COLS.user!, header: "UID" }, COLS.pid!, COLS.ppid!, { header: "C", width: 2, right: true, value: () => "0" }, COLS.stime!, { ...COLS.tty!, header: "TTY" }, COLS.time!, { ...COLS.args!, header: "CMD" }];
    } else {
      cols = [COLS.pid!, { ...COLS.tty!, header: "TTY" }, COLS.time!, { ...COLS.comm!, header: "CMD" }];
    }
    const rows = entries.map((e) => cols.map((c) => c.value(e, ctx, view)));
    if (forest) {
      const argIdx = cols.findIndex((c) => c.header === "CMD" || c.header === "COMMAND");
      if (argIdx >= 0) entries.forEach((e, i) => (rows[i]![argIdx] = forestPrefix(e, view) + rows[i]![argIdx]));
    }
    const lines: string[] = [];
    const render = (cells: string[]) =>
      cells
        .map((s, i) => {
          const c = cols[i]!;
          const last = i === cells.length - 1;
          if (last && !c.right) return s;
          return pad(s, c.width, c.right);
        })
        .join(" ")
        .replace(/\s+$/, "");
    if (headers && !noHeaderCols) lines.push(render(cols.map((c) => c.header)));
    for (const r of rows) lines.push(render(r));
    ctx.out(lines.map((l) => l + "\n").join(""));
    return entries.length || !pids.length ? 0 : 1;
  },
};

function forestOrder(entries: ProcEntry[]): ProcEntry[] {
  const by = new Map(entries.map((e) => [e.pid, e]));
  const kids = new Map<number, ProcEntry[]>();
  const roots: ProcEntry[] = [];
  for (const e of entries) {
    if (by.has(e.ppid) && e.ppid !== e.pid) {
      const list = kids.get(e.ppid) ?? [];
      list.push(e);
      kids.set(e.ppid, list);
    } else roots.push(e);
  }
  const out: ProcEntry[] = [];
  const walk = (e: ProcEntry) => {
    out.push(e);
    for (const k of kids.get(e.pid) ?? []) walk(k);
  };
  roots.forEach(walk);
  return out;
}

function forestPrefix(e: ProcEntry, view: ProcView): string {
  let depth = 0;
  for (let cur = view.byPid.get(e.ppid); cur && depth < 50; cur = view.byPid.get(cur.ppid)) depth++;
  return depth ? " " + "    ".repeat(depth - 1) + " \\_ " : "";
}

export { ProcFs };
