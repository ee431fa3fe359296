// xargs (GNU findutils): build command lines from standard input and run them, one child
// process after another, through the host's own fork and exec:
// `kubectl get pods -o name | xargs kubectl delete`.
import type { Command, CommandContext } from "../command";
import { usageError } from "../command";
import type { Program } from "../../linux/tasks";
import { NULL_READER } from "../../linux/io";
import { findExecutable, spawn } from "../exec";
import { errText } from "./operands";

const USAGE = `Usage: xargs [OPTION]... COMMAND [INITIAL-ARGS]...
Run COMMAND with arguments INITIAL-ARGS and more arguments read from input.

  -0, --null                   items are separated by a null, not whitespace;
                                 disables quote and backslash processing
  -d, --delimiter=CHARACTER    items in input stream are separated by CHARACTER,
                                 not by whitespace
  -I R                         same as --replace=R
  -i, --replace[=R]            replace R in INITIAL-ARGS with names read
                                 from standard input, split at newlines;
                                 if R is unspecified, assume {}
  -L, --max-lines=MAX-LINES    use at most MAX-LINES non-blank input lines per
                                 command line
  -n, --max-args=MAX-ARGS      use at most MAX-ARGS arguments per command line
  -P, --max-procs=MAX-PROCS    accepted; commands here run one at a time
  -r, --no-run-if-empty        if there are no arguments, then do not run COMMAND
  -t, --verbose                print commands before executing them

COMMAND defaults to echo.
`;

/** Blank-separated items with xargs's quoting ('…', "…", backslash); a string is the error. */
function items(text: string): string[][] | string {
  const lines: string[][] = [];
  let cur: string[] = [];
  let word: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      const nl = text.indexOf("\n", i + 1);
      if (end < 0 || (nl >= 0 && nl < end)) return `unmatched ${c === "'" ? "single" : "double"} quote; by default quotes are special to xargs unless you use the -0 option`;
      word = (word ?? "") + text.slice(i + 1, end);
      i = end;
    } else if (c === "\\" && i + 1 < text.length) word = (word ?? "") + text[++i];
    else if (c === " " || c === "\t" || c === "\n") {
      if (word !== null) cur.push(word);
      word = null;
      if (c === "\n" && cur.length) (lines.push(cur), (cur = []));
    } else word = (word ?? "") + c;
  }
  if (word !== null) cur.push(word);
  if (cur.length) lines.push(cur);
  return lines;
}

export const xargs: Command = {
  name: "xargs",
  path: "/usr/bin/xargs",
  summary: "build and run command lines from standard input (-n, -I {}, -0, -r, -t)",
  usage: USAGE,
  readsStdin: true,
  run(ctx) {
    const args = ctx.argv.slice(1);
    let maxArgs = 0, maxLines = 0;
    let replace: string | null = null;
    let delim: string | null = null;
    let noEmpty = false, trace = false;
    let i = 0;
    for (; i < args.length && args[i]!.startsWith("-") && args[i] !== "-"; i++) {
      const a = args[i]!;
      if (a === "--") {
        i++;
        break;
      }
      const long = /^--([\w-]+)(?:=(.*))?$/s.exec(a);
      const key = long ? { null: "0", delimiter: "d", replace: "i", "max-lines": "L", "max-args": "n", "max-procs": "P", "no-run-if-empty": "r", verbose: "t" }[long[1]!] : a[1]!;
      if (!key || (long && "0rt".includes(key) && long[2] !== undefined)) return usageError(ctx, "xargs", `unrecognized option '${a}'`);
      const rest = long ? long[2] : a.slice(2) || undefined;
      if ("0rt".includes(key)) {
        for (const c of long ? key : a.slice(1)) {
          if (!"0rt".includes(c)) return usageError(ctx, "xargs", `invalid option -- '${c}'`);
          if (c === "0") delim = "\0";
          else if (c === "r") noEmpty = true;
          else trace = true;
        }
        continue;
      }
      if (key === "i") {
        replace = rest ?? "{}";
        continue;
      }
      if (!"dILnP".includes(key)) return usageError(ctx, "xargs", `invalid option -- '${key}'`);
      const v = rest ?? args[++i];
      if (v === undefined) return usageError(ctx, "xargs", long ? `option '--${long[1]}' requires an argument` : `option requires an argument -- '${key}'`);
      if (key === "I") replace = v;
      else if (key === "d") delim = v.length === 2 && v[0] === "\\" ? ({ n: "\n", t: "\t", "0": "\0" }[v[1]!] ?? v[1]!) : v;
      else {
        if (!/^\d+$/.test(v)) return usageError(ctx, "xargs", `invalid number "${v}" for -${key} option`);
        if (Number(v) < 1 && key !== "P") return usageError(ctx, "xargs", `value ${v} for -${key} option should be >= 1`);
        if (key === "n") maxArgs = Number(v);
        if (key === "L") maxLines = Number(v);
      }
    }
    const command = args.length > i ? args.slice(i) : ["echo"];
    // What each run gets: -I one input line; -L N lines; -n N items; else everything at once.
    let groups: string[][];
    if (delim !== null) {
      const parts = ctx.stdin.split(delim);
      if (parts[parts.length - 1] === "" || (delim !== "\0" && parts[parts.length - 1] === "\n")) parts.pop();
      groups = parts.map((p) => [p]);
    } else if (replace !== null) groups = ctx.stdin.split("\n").map((l) => l.replace(/^[ \t]+/, "")).filter((l) => l !== "").map((l) => [l]);
    else {
      const parsed = items(ctx.stdin);
      if (typeof parsed === "string") {
        ctx.err(`xargs: ${parsed}\n`);
        return 1;
      }
      groups = parsed;
    }
    const runs: string[][] = [];
    if (replace !== null) for (const [line] of groups) runs.push(command.map((w) => w.split(replace!).join(line)));
    else {
      const per = maxArgs || (maxLines ? 0 : Infinity);
      const flat = groups.flat();
      if (per) for (let k = 0; k < flat.length; k += per) runs.push([...command, ...flat.slice(k, k + per)]);
      else for (let k = 0; k < groups.length; k += maxLines) runs.push([...command, ...groups.slice(k, k + maxLines).flat()]);
      if (!runs.length && !noEmpty) runs.push(command);
    }
    return runAll(ctx, runs, trace);
  },
};

/** Run each command line in turn; GNU's statuses: 123 some run failed, 124 one exited 255, 125 killed, 126/127 cannot run. */
function* runAll(ctx: CommandContext, runs: string[][], trace: boolean): Program {
  let status = 0;
  for (const argv of runs) {
    if (trace) ctx.err(argv.join(" ") + "\n");
    const found = findExecutable(ctx.kernel, ctx.proc, argv[0]!);
    if (!found.ok) {
      ctx.err(`xargs: ${argv[0]}: ${found.why === "ENOENT" ? "No such file or directory" : found.why === "EISDIR" ? "Is a directory" : "Permission denied"}\n`);
      return found.why === "ENOENT" ? 127 : 126;
    }
    let child;
    try {
      // The command's standard input is /dev/null: xargs itself is reading the real one.
      child = spawn(ctx.kernel, ctx.proc, argv, found.node, { prepare: (c) => (c.fds = { ...c.fds, 0: NULL_READER }) });
    } catch (e) {
      ctx.err(`xargs: cannot fork: ${errText(e)}\n`);
      return 126;
    }
    const code = (yield { kind: "child", proc: child }) as number;
    if (code === 255) {
      ctx.err(`xargs: ${argv[0]}: exited with status 255; aborting\n`);
      return 124;
    }
    if (code > 128 && code < 160) {
      ctx.err(`xargs: ${argv[0]}: terminated by signal ${code - 128}\n`);
      return 125;
    }
    if (code !== 0) status = 123;
  }
  return status;
}
