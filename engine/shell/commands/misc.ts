// Small everyday tools: sleep (in virtual time), id, whoami, clear, env, date, pidof, pgrep, dmesg.
import type { Program } from "../../linux/tasks";
import type { Command } from "../command";
import { usageError } from "../command";
import { readProc, uidInOwnNs, userName } from "./procview";

/** NUMBER[SUFFIX] as sleep and timeout read it (s, m, h, d; seconds by default), in ms. */
export function parseDuration(text: string): number | null {
  const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(text);
  if (!m) return null;
  return Number(m[1]) * 1000 * ({ "": 1, s: 1, m: 60, h: 3600, d: 86400 } as Record<string, number>)[m[2]!]!;
}

export const sleep: Command = {
  name: "sleep",
  path: "/usr/bin/sleep",
  summary: "wait for a number of seconds of virtual time (or 'infinity')",
  usage: "Usage: sleep NUMBER[SUFFIX]...\n  or:  sleep OPTION\nPause for NUMBER seconds.  SUFFIX may be 's' for seconds (the default),\n'm' for minutes, 'h' for hours or 'd' for days.  NUMBER need not be an\ninteger.  Given two or more arguments, pause for the amount of time\nspecified by the sum of their values.  'infinity' pauses forever.\n",
  run(ctx) {
    const args = ctx.argv.slice(1);
    if (!args.length) return usageError(ctx, "sleep", "missing operand");
    let ms = 0;
    for (const a of args) {
      if (a === "infinity" || a === "inf") {
        ms = Infinity;
        continue;
      }
      const t = parseDuration(a);
      if (t === null) return usageError(ctx, "sleep", `invalid time interval '${a}'`);
      ms += t;
    }
    const until = ctx.kernel.clock.now() + ms;
    return (function* (): Program {
      yield Number.isFinite(until) ? { kind: "sleep", until } : { kind: "forever" };
      return 0;
    })();
  },
};

export const id: Command = {
  name: "id",
  path: "/usr/bin/id",
  summary: "print user and group ids (as seen in the user namespace)",
  usage: "Usage: id [OPTION]... [USER]...\nPrint user and group information for each specified USER,\nor (when USER omitted) for the current process.\n\n  -u, --user     print only the effective user ID\n  -g, --group    print only the effective group ID\n  -n, --name     print a name instead of a number, for -u,-g\n",
  run(ctx) {
    const uid = uidInOwnNs(ctx.proc);
    const gid = uid;
    const group = (g: number) => (g === 0 ? "root" : g === 65534 ? "nogroup" : String(g));
    const a = ctx.argv.slice(1);
    const bad = a.find((x) => !["-u", "-g", "-n", "-un", "-nu", "-gn", "-ng"].includes(x));
    if (bad) return usageError(ctx, "id", `invalid option -- '${bad.slice(1, 2)}'`);
    const name = a.some((x) => x.includes("n"));
    if (a.some((x) => x.includes("u"))) ctx.out(`${name ? userName(uid) : uid}\n`);
    else if (a.some((x) => x.includes("g"))) ctx.out(`${name ? group(gid) : gid}\n`);
    else ctx.out(`uid=${uid}(${userName(uid)}) gid=${gid}(${group(gid)}) groups=${gid}(${group(gid)})\n`);
    return 0;
  },
};

export const whoami: Command = {
  name: "whoami",
  path: "/usr/bin/whoami",
  summary: "print the effective user name",
  usage: "Usage: whoami [OPTION]...\nPrint the user name associated with the current effective user ID.\n",
  run(ctx) {
    ctx.out(userName(uidInOwnNs(ctx.proc)) + "\n");
    return 0;
  },
};

export const clear: Command = {
  name: "clear",
  path: "/usr/bin/clear",
  summary: "clear the terminal screen",
  usage: "Usage: clear [options]\n\nOptions:\n  -x       do not try to clear scrollback\n",
  run(ctx) {
    ctx.out(ctx.argv.includes("-x") ? "\x1b[H\x1b[2J" : "\x1b[H\x1b[2J\x1b[3J");
    return 0;
  },
};

export const env: Command = {
  name: "env",
  path: "/usr/bin/env",
  summary: "print the environment",
  usage: "Usage: env [OPTION]... [-] [NAME=VALUE]... [COMMAND [ARG]...]\nSet each NAME to VALUE in the environment and run COMMAND.\n",
  run(ctx) {
    for (const [k, v] of [...ctx.proc.env].sort()) ctx.out(`${k}=${v}\n`);
    return 0;
  },
};

export const date: Command = {
  name: "date",
  path: "/usr/bin/date",
  summary: "print the (virtual) date and time",
  usage: "Usage: date [OPTION]... [+FORMAT]\nDisplay the current time in the given FORMAT.\n\n  +%s   seconds since 1970-01-01 00:00:00 UTC\n",
  run(ctx) {
    const ms = ctx.kernel.clock.epochMs();
    if (ctx.argv[1] === "+%s") {
      ctx.out(`${Math.floor(ms / 1000)}\n`);
      return 0;
    }
    const d = new Date(ms);
    const days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    const t = d.toISOString().slice(11, 19);
    ctx.out(`${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ${t} UTC ${d.getUTCFullYear()}\n`);
    return 0;
  },
};

export const pidof: Command = {
  name: "pidof",
  path: "/usr/bin/pidof",
  summary: "print the pids of running programs by name",
  usage: "Usage: pidof [options] [program [...]]\n\n -s        return one PID only\n",
  run(ctx) {
    const single = ctx.argv.includes("-s");
    const names = ctx.argv.slice(1).filter((a) => !a.startsWith("-"));
    const view = readProc(ctx);
    if (!view) return 1;
    let pids = view.entries.filter((e) => names.some((n) => e.p.comm === n || e.p.argv[0] === n || e.p.argv[0]?.split("/").pop() === n) && e.p !== ctx.proc).map((e) => e.pid).reverse();
    if (single) pids = pids.slice(0, 1);
    if (!pids.length) return 1;
    ctx.out(pids.join(" ") + "\n");
    return 0;
  },
};

export const pgrep: Command = {
  name: "pgrep",
  path: "/usr/bin/pgrep",
  summary: "look up processes by name (-f full command line, -l list names)",
  usage: "Usage:\n pgrep [options] <pattern>\n\nOptions:\n -f, --full                use full process name to match\n -l, --list-name           list PID and process name\n -a, --list-full           list PID and full command line\n -n, --newest              select most recently started\n -o, --oldest              select least recently started\n",
  run(ctx) {
    const args = ctx.argv.slice(1);
    const flags = args.filter((a) => a.startsWith("-")).join("");
    const pattern = args.find((a) => !a.startsWith("-"));
    if (!pattern) {
      ctx.err("pgrep: no matching criteria specified\nTry `pgrep --help' for more information.\n");
      return 2;
    }
    let re: RegExp;
    try {
      re = new RegExp(pattern);
    } catch {
      ctx.err(`pgrep: invalid regular expression: ${pattern}\n`);
      return 2;
    }
    const view = readProc(ctx);
    if (!view) return 3;
    let hits = view.entries.filter((e) => e.p !== ctx.proc && re.test(flags.includes("f") ? e.p.argv.join(" ") : e.p.comm));
    if (flags.includes("n")) hits = hits.slice(-1);
    if (flags.includes("o")) hits = hits.slice(0, 1);
    for (const e of hits) ctx.out(flags.includes("a") ? `${e.pid} ${e.p.argv.join(" ")}\n` : flags.includes("l") ? `${e.pid} ${e.p.comm}\n` : `${e.pid}\n`);
    return hits.length ? 0 : 1;
  },
};

export const dmesg: Command = {
  name: "dmesg",
  path: "/usr/bin/dmesg",
  summary: "print the kernel ring buffer (OOM kills appear here)",
  usage: "Usage:\n dmesg [options]\n\nDisplay or control the kernel ring buffer.\n",
  run(ctx) {
    for (const l of ctx.kernel.dmesg) ctx.out(`[${(l.t / 1000 + 3.1).toFixed(6).padStart(12)}] ${l.text}\n`);
    return 0;
  },
};

export const trueCmd: Command = {
  name: "true",
  path: "/usr/bin/true",
  summary: "do nothing, successfully",
  usage: "Usage: true [ignored command line arguments]\nExit with a status code indicating success.\n",
  run: () => 0,
};

export const falseCmd: Command = {
  name: "false",
  path: "/usr/bin/false",
  summary: "do nothing, unsuccessfully",
  usage: "Usage: false [ignored command line arguments]\nExit with a status code indicating failure.\n",
  run: () => 1,
};

export const echoCmd: Command = {
  name: "echo",
  path: "/usr/bin/echo",
  summary: "display a line of text",
  usage: "Usage: echo [SHORT-OPTION]... [STRING]...\nEcho the STRING(s) to standard output.\n\n  -n             do not output the trailing newline\n",
  run(ctx) {
    const args = ctx.argv.slice(1);
    const n = args[0] === "-n";
    ctx.out((n ? args.slice(1) : args).join(" ") + (n ? "" : "\n"));
    return 0;
  },
};
