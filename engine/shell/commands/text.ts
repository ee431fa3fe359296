// Text filters that read files or standard input: cat, grep, head, tail, wc, sort, uniq, tr, cut.
import type { Command, CommandContext } from "../command";
import { letterFlags, usageError } from "../command";
import { KernelError } from "../../linux/process";
import { posixToJs } from "./regex";

/** Read each named file (or stdin when none / "-"), reporting errors like coreutils. */
export function readInputs(ctx: CommandContext, tool: string, files: string[]): { texts: { name: string; text: string }[]; status: number } {
  const texts: { name: string; text: string }[] = [];
  let status = 0;
  if (files.length === 0) files = ["-"];
  for (const f of files) {
    if (f === "-") {
      texts.push({ name: "(standard input)", text: ctx.stdin });
      continue;
    }
    try {
      const { node } = ctx.kernel.resolve(ctx.proc, ctx.abs(f));
      if (node.type === "dir") throw new KernelError("EISDIR", "Is a directory");
      texts.push({ name: f, text: node.read?.({ proc: ctx.proc }) ?? "" });
    } catch (e) {
      ctx.err(`${tool}: ${f}: ${(e as KernelError).text ?? (e as Error).message}\n`);
      status = tool === "grep" ? 2 : 1;
    }
  }
  return { texts, status };
}

function lines(text: string): string[] {
  if (text === "") return [];
  const l = text.split("\n");
  if (l[l.length - 1] === "") l.pop();
  return l;
}

export const cat: Command = {
  name: "cat",
  path: "/usr/bin/cat",
  summary: "concatenate files and print them (try /proc/self/status)",
  usage: "Usage: cat [OPTION]... [FILE]...\nConcatenate FILE(s) to standard output.\n\nWith no FILE, or when FILE is -, read standard input.\n\n  -n, --number             number all output lines\n",
  readsStdin: true,
  run(ctx) {
    const args = ctx.argv.slice(1);
    const number = args.includes("-n");
    const bad = args.find((a) => a.startsWith("-") && a !== "-" && a !== "-n");
    if (bad) return usageError(ctx, "cat", bad.startsWith("--") ? `unrecognized option '${bad}'` : `invalid option -- '${bad.slice(1, 2)}'`);
    const { texts, status } = readInputs(ctx, "cat", args.filter((a) => a !== "-n"));
    let out = texts.map((t) => t.text).join("");
    if (number) out = lines(out).map((l, i) => `${String(i + 1).padStart(6)}\t${l}\n`).join("");
    ctx.out(out);
    return status;
  },
};

export const grep: Command = {
  name: "grep",
  path: "/usr/bin/grep",
  summary: "print lines that match patterns (-e -i -v -c -n -E -F -w -o -q -A -B -C)",
  usage: "Usage: grep [OPTION]... PATTERNS [FILE]...\nSearch for PATTERNS in each FILE.\n\n  -E, --extended-regexp     PATTERNS are extended regular expressions\n  -F, --fixed-strings       PATTERNS are strings\n  -e, --regexp=PATTERNS     use PATTERNS for matching\n  -i, --ignore-case         ignore case distinctions in patterns and data\n  -v, --invert-match        select non-matching lines\n  -w, --word-regexp         match only whole words\n  -c, --count               print only a count of selected lines per FILE\n  -n, --line-number         print line number with output lines\n  -o, --only-matching       show only nonempty parts of lines that match\n  -q, --quiet, --silent     suppress all normal output\n  -B, --before-context=NUM  print NUM lines of leading context\n  -A, --after-context=NUM   print NUM lines of trailing context\n  -C, --context=NUM         print NUM lines of output context\n",
  readsStdin: true,
  run(ctx) {
    const flags = new Set<string>();
    const rest: string[] = [];
    const patterns: string[] = [];
    let before = 0;
    let after = 0;
    const args = ctx.argv.slice(1);
    const contextNum = (opt: string, v: string | undefined): number | null => {
      if (v !== undefined && /^\d+$/.test(v)) return Number(v);
      ctx.err(v === undefined ? `grep: option requires an argument -- '${opt}'\nUsage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n` : `grep: ${v}: invalid context length argument\n`);
      return null;
    };
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a === "--") {
        rest.push(...args.slice(i + 1));
        break;
      }
      if (a.startsWith("--")) {
        const [name, value] = a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
        if (name === "--regexp") {
          const v = value ?? args[++i];
          if (v === undefined) return usageError(ctx, "grep", "option '--regexp' requires an argument", 2);
          patterns.push(v);
          continue;
        }
        const ctxOpt = { "--after-context": "A", "--before-context": "B", "--context": "C" }[name];
        if (ctxOpt) {
          const n = contextNum(ctxOpt, value ?? args[++i]);
          if (n === null) return 2;
          if (ctxOpt !== "B") after = n;
          if (ctxOpt !== "A") before = n;
          continue;
        }
        const map: Record<string, string> = { "--ignore-case": "i", "--invert-match": "v", "--count": "c", "--line-number": "n", "--extended-regexp": "E", "--fixed-strings": "F", "--word-regexp": "w", "--only-matching": "o", "--quiet": "q", "--silent": "q" };
        if (!map[a]) return usageError(ctx, "grep", `unrecognized option '${a}'`, 2);
        flags.add(map[a]);
        continue;
      }
      if (a.startsWith("-") && a.length > 1) {
        for (let j = 1; j < a.length; j++) {
          const c = a[j]!;
          // -e, -A, -B, -C take a value: the rest of this word, or the next word.
          if ("eABC".includes(c)) {
            const v = j + 1 < a.length ? a.slice(j + 1) : args[++i];
            if (c === "e") {
              if (v === undefined) return usageError(ctx, "grep", "option requires an argument -- 'e'", 2);
              patterns.push(v);
            } else {
              const n = contextNum(c, v);
              if (n === null) return 2;
              if (c !== "B") after = n;
              if (c !== "A") before = n;
            }
            break;
          }
          if (!"ivcnEFwoqsHh".includes(c)) {
            ctx.err(`grep: invalid option -- '${c}'\nUsage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n`);
            return 2;
          }
          flags.add(c);
        }
        continue;
      }
      rest.push(a);
    }
    if (!patterns.length) {
      const first = rest.shift();
      if (first === undefined) {
        ctx.err("Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n");
        return 2;
      }
      patterns.push(first);
    }
    // PATTERNS: every -e, each line of each one; a line matches if any of them does.
    let re: RegExp;
    try {
      const alternatives = patterns.flatMap((p) => p.split("\n")).map((p) => (flags.has("F") ? p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") : posixToJs(p, flags.has("E"))));
      let src = alternatives.map((a) => `(?:${a})`).join("|");
      if (flags.has("w")) src = `\\b(?:${src})\\b`;
      re = new RegExp(src, flags.has("i") ? "gi" : "g");
    } catch {
      ctx.err("grep: Unmatched ( or \\(\n");
      return 2;
    }
    const { texts, status } = readInputs(ctx, "grep", rest);
    const multi = texts.length > 1;
    const showContext = (before > 0 || after > 0) && !flags.has("q") && !flags.has("c") && !flags.has("o");
    let matched = 0;
    let printedAny = false;
    for (const t of texts) {
      let count = 0;
      const all = lines(t.text);
      let lastPrinted = -1;
      let trailing = 0;
      // A selected line is printed with ":" after its prefix; a context line with "-"; "--"
      // separates groups that are not adjacent, as GNU grep does.
      const print = (idx: number, sep: ":" | "-") => {
        if (showContext && printedAny && lastPrinted >= 0 && idx > lastPrinted + 1) ctx.out("--\n");
        else if (showContext && printedAny && lastPrinted < 0) ctx.out("--\n");
        ctx.out(`${multi ? t.name + sep : ""}${flags.has("n") ? `${idx + 1}${sep}` : ""}${all[idx]}\n`);
        lastPrinted = idx;
        printedAny = true;
      };
      all.forEach((line, idx) => {
        re.lastIndex = 0;
        const hit = re.test(line) !== flags.has("v");
        if (!hit) {
          if (showContext && trailing > 0) {
            trailing--;
            print(idx, "-");
          }
          return;
        }
        count++;
        if (flags.has("q") || flags.has("c")) return;
        if (flags.has("o") && !flags.has("v")) {
          const prefix = (multi ? `${t.name}:` : "") + (flags.has("n") ? `${idx + 1}:` : "");
          re.lastIndex = 0;
          for (const m of line.matchAll(re)) if (m[0]) ctx.out(`${prefix}${m[0]}\n`);
          return;
        }
        if (showContext) for (let b = Math.max(lastPrinted + 1, idx - before); b < idx; b++) print(b, "-");
        print(idx, ":");
        trailing = after;
      });
      if (flags.has("c")) ctx.out(`${multi ? t.name + ":" : ""}${count}\n`);
      matched += count;
    }
    if (status) return status;
    return matched > 0 ? 0 : 1;
  },
};

function countArg(ctx: CommandContext, tool: string): { n: number; files: string[]; fromEnd: boolean } | number {
  const args = ctx.argv.slice(1);
  let n = 10;
  let fromEnd = false;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "-n" || a === "--lines") {
      const v = args[++i] ?? "";
      if (!/^[+-]?\d+$/.test(v)) {
        ctx.err(`${tool}: invalid number of lines: '${v}'\n`);
        return 1;
      }
      fromEnd = v.startsWith("+");
      n = Math.abs(Number(v));
    } else if (/^-\d+$/.test(a)) n = Number(a.slice(1));
    else if (/^-n[+-]?\d+$/.test(a)) n = Math.abs(Number(a.slice(2)));
    else if (a.startsWith("-") && a !== "-") return usageError(ctx, tool, a.startsWith("--") ? `unrecognized option '${a}'` : `invalid option -- '${a.slice(1, 2)}'`);
    else files.push(a);
  }
  return { n, files, fromEnd };
}

export const head: Command = {
  name: "head",
  path: "/usr/bin/head",
  summary: "output the first part of files (-n N)",
  usage: "Usage: head [OPTION]... [FILE]...\nPrint the first 10 lines of each FILE to standard output.\n\n  -n, --lines=[-]NUM       print the first NUM lines instead of the first 10\n",
  readsStdin: true,
  run(ctx) {
    const a = countArg(ctx, "head");
    if (typeof a === "number") return a;
    const { texts, status } = readInputs(ctx, "head", a.files);
    for (const t of texts) ctx.out(lines(t.text).slice(0, a.n).map((l) => l + "\n").join(""));
    return status;
  },
};

export const tail: Command = {
  name: "tail",
  path: "/usr/bin/tail",
  summary: "output the last part of files (-n N)",
  usage: "Usage: tail [OPTION]... [FILE]...\nPrint the last 10 lines of each FILE to standard output.\n\n  -n, --lines=[+]NUM       output the last NUM lines, instead of the last 10;\n                             or use -n +NUM to output starting with line NUM\n",
  readsStdin: true,
  run(ctx) {
    const a = countArg(ctx, "tail");
    if (typeof a === "number") return a;
    const { texts, status } = readInputs(ctx, "tail", a.files);
    for (const t of texts) {
      const l = lines(t.text);
      const sel = a.fromEnd ? l.slice(Math.max(0, a.n - 1)) : a.n === 0 ? [] : l.slice(-a.n);
      ctx.out(sel.map((x) => x + "\n").join(""));
    }
    return status;
  },
};

export const wc: Command = {
  name: "wc",
  path: "/usr/bin/wc",
  summary: "count lines, words and bytes (-l -w -c)",
  usage: "Usage: wc [OPTION]... [FILE]...\nPrint newline, word, and byte counts for each FILE.\n\n  -c, --bytes            print the byte counts\n  -l, --lines            print the newline counts\n  -w, --words            print the word counts\n",
  readsStdin: true,
  run(ctx) {
    const parsed = letterFlags(ctx, "wc", "lwcm", { "--lines": "l", "--words": "w", "--bytes": "c", "--chars": "m" });
    if (typeof parsed === "number") return parsed;
    const { flags: opts, operands: files } = parsed;
    const { texts, status } = readInputs(ctx, "wc", files);
    const show = opts.size ? ["l", "w", "c", "m"].filter((o) => opts.has(o)) : ["l", "w", "c"];
    const rows = texts.map((t) => {
      const counts: Record<string, number> = {
        l: (t.text.match(/\n/g) ?? []).length,
        w: t.text.split(/\s+/).filter(Boolean).length,
        c: new TextEncoder().encode(t.text).length,
        m: [...t.text].length,
      };
      return { name: files.length ? t.name : "", vals: show.map((s) => counts[s]!) };
    });
    if (rows.length > 1) rows.push({ name: "total", vals: show.map((_, i) => rows.reduce((s, r) => s + r.vals[i]!, 0)) });
    const width = show.length === 1 && files.length <= 1 ? 0 : Math.max(1, ...rows.flatMap((r) => r.vals.map((v) => String(v).length)));
    for (const r of rows) ctx.out(r.vals.map((v) => String(v).padStart(width)).join(" ") + (r.name ? ` ${r.name}` : "") + "\n");
    return status;
  },
};

export const sort: Command = {
  name: "sort",
  path: "/usr/bin/sort",
  summary: "sort lines of text (-n -r -u)",
  usage: "Usage: sort [OPTION]... [FILE]...\nWrite sorted concatenation of all FILE(s) to standard output.\n\n  -n, --numeric-sort          compare according to string numerical value\n  -r, --reverse               reverse the result of comparisons\n  -u, --unique                output only the first of an equal run\n",
  readsStdin: true,
  run(ctx) {
    const flags = ctx.argv.slice(1).filter((a) => a.startsWith("-") && a !== "-").join("");
    const files = ctx.argv.slice(1).filter((a) => !a.startsWith("-") || a === "-");
    const { texts, status } = readInputs(ctx, "sort", files);
    let l = texts.flatMap((t) => lines(t.text));
    l.sort((a, b) => (flags.includes("n") ? parseFloat(a) - parseFloat(b) || (a < b ? -1 : a > b ? 1 : 0) : a < b ? -1 : a > b ? 1 : 0));
    if (flags.includes("r")) l.reverse();
    if (flags.includes("u")) l = l.filter((x, i) => i === 0 || x !== l[i - 1]);
    ctx.out(l.map((x) => x + "\n").join(""));
    return status;
  },
};

export const cut: Command = {
  name: "cut",
  path: "/usr/bin/cut",
  summary: "print selected fields of each line (-d DELIM -f LIST, -c LIST)",
  usage: "Usage: cut OPTION... [FILE]...\nPrint selected parts of lines from each FILE to standard output.\n\n  -c, --characters=LIST   select only these characters\n  -d, --delimiter=DELIM   use DELIM instead of TAB for field delimiter\n  -f, --fields=LIST       select only these fields\n",
  readsStdin: true,
  run(ctx) {
    const args = ctx.argv.slice(1);
    let delim = "\t";
    let fields: string | undefined;
    let chars: string | undefined;
    const files: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a === "-d") delim = args[++i] ?? "";
      else if (a.startsWith("-d")) delim = a.slice(2);
      else if (a === "-f") fields = args[++i];
      else if (a.startsWith("-f")) fields = a.slice(2);
      else if (a === "-c") chars = args[++i];
      else if (a.startsWith("-c")) chars = a.slice(2);
      else if (a.startsWith("-") && a !== "-") return usageError(ctx, "cut", `invalid option -- '${a.slice(1, 2)}'`);
      else files.push(a);
    }
    if (delim.length !== 1) {
      ctx.err("cut: the delimiter must be a single character\nTry 'cut --help' for more information.\n");
      return 1;
    }
    const list = fields ?? chars;
    if (!list) return usageError(ctx, "cut", "you must specify a list of bytes, characters, or fields");
    const picks: [number, number][] = [];
    for (const part of list.split(",")) {
      const m = /^(\d*)(-?)(\d*)$/.exec(part);
      if (!m || (!m[1] && !m[3])) return usageError(ctx, "cut", `invalid field value '${part}'`);
      const lo = m[1] ? Number(m[1]) : 1;
      const hi = m[2] ? (m[3] ? Number(m[3]) : Infinity) : lo;
      picks.push([lo, hi]);
    }
    const want = (i: number) => picks.some(([lo, hi]) => i >= lo && i <= hi);
    const { texts, status } = readInputs(ctx, "cut", files);
    for (const t of texts) {
      for (const line of lines(t.text)) {
        if (chars) ctx.out([...line].filter((_, i) => want(i + 1)).join("") + "\n");
        else if (!line.includes(delim)) ctx.out(line + "\n");
        else ctx.out(line.split(delim).filter((_, i) => want(i + 1)).join(delim) + "\n");
      }
    }
    return status;
  },
};
