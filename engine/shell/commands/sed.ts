// sed (GNU sed 4.9): the stream editor. The script is parsed into a flat list of commands
// (blocks and branches become jumps), then run once per input line: pattern space, hold space,
// range addresses and the append queue, as in GNU's execute.c. Errors are GNU's words and
// character positions.
import type { Command, CommandContext } from "../command";
import { KernelError } from "../../linux/process";
import { posixToJs } from "./regex";
import { writeFile } from "./write-file";
import { errText } from "./operands";

const USAGE = `Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...

  -n, --quiet, --silent
                 suppress automatic printing of pattern space
  -e script, --expression=script
                 add the script to the commands to be executed
  -f script-file, --file=script-file
                 add the contents of script-file to the commands to be executed
  -i[SUFFIX], --in-place[=SUFFIX]
                 edit files in place (makes backup if SUFFIX supplied)
  -E, -r, --regexp-extended
                 use extended regular expressions in the script
  -s, --separate
                 consider files as separate rather than as a single
                 continuous long stream.

Commands: s y p P d D n N g G h H x = l q Q a i c r w b t T : { } z F #
Addresses: N, $, /re/ (flags I M), \\cREc, first~step, addr1,addr2, addr1,+N,
addr1,~N, 0,/re/, and ! to negate.
`;

type Addr = { k: "line"; n: number } | { k: "last" } | { k: "re"; re: RegExp | null } | { k: "step"; n: number; step: number } | { k: "plus" | "mult"; n: number };

interface Cmd {
  name: string;
  a1?: Addr;
  a2?: Addr;
  neg: boolean;
  /** Range state: inside addr1,addr2 and, for +N, the last line of the range. */
  active?: boolean;
  last?: number;
  re?: RegExp | null;
  /** s replacement: literal text, group numbers, or case conversions (\U \L \u \l \E). */
  repl?: (string | number | { c: string })[];
  global?: boolean;
  nth?: number;
  print?: number;
  text?: string;
  label?: string;
  jump?: number;
  file?: string;
  code?: number;
  map?: Map<string, string>;
}

class SedError extends Error {
  constructor(readonly pos: number, message: string, readonly exit = 1) {
    super(message);
  }
}

/** Parse the whole script (every -e joined by newlines, as GNU does). */
function parse(s: string, extended: boolean): Cmd[] {
  let p = 0;
  const cmds: Cmd[] = [];
  const open: number[] = [];
  const fail = (m: string, at = p): never => {
    throw new SedError(at, m);
  };
  const ws = () => {
    while (s[p] === " " || s[p] === "\t") p++;
  };
  /** Text up to an unescaped delimiter; brackets are skipped whole, \delim becomes delim. */
  const delimited = (d: string, what: string): string => {
    let out = "";
    while (p < s.length && s[p] !== d) {
      if (s[p] === "\n") fail(what); // an unescaped newline ends the command early
      if (s[p] === "\\" && p + 1 < s.length) {
        out += s[p + 1] === d ? d : s[p + 1] === "\n" ? "\\n" : s.slice(p, p + 2);
        p += 2;
      } else if (s[p] === "[" && what !== "y") {
        let j = p + 1;
        if (s[j] === "^") j++;
        if (s[j] === "]") j++;
        while (j < s.length && s[j] !== "]") j = s[j] === "[" && s[j + 1] === ":" && s.indexOf(":]", j + 2) >= 0 ? s.indexOf(":]", j + 2) + 2 : j + 1;
        if (j >= s.length) fail(what, s.length);
        out += s.slice(p, j + 1);
        p = j + 1;
      } else out += s[p++];
    }
    if (p >= s.length) fail(what, s.length);
    p++;
    return out;
  };
  const regex = (src: string, flags: string, at: number): RegExp | null => {
    if (src === "") return null;
    try {
      return new RegExp(posixToJs(src, extended), flags);
    } catch (e) {
      const m = String((e as Error).message);
      return fail(/group|\(/i.test(m) ? "Unmatched ( or \\(" : /\[/.test(m) ? "unterminated address regex" : "Invalid preceding regular expression", at);
    }
  };
  const num = () => {
    const m = /^\d+/.exec(s.slice(p))!;
    p += m[0].length;
    return Number(m[0]);
  };
  const address = (): Addr | undefined => {
    if (/\d/.test(s[p] ?? "")) {
      const n = num();
      if (s[p] === "~") {
        p++;
        return { k: "step", n, step: /\d/.test(s[p] ?? "") ? num() : 0 };
      }
      return { k: "line", n };
    }
    if (s[p] === "$") return p++, { k: "last" };
    if (s[p] === "/" || s[p] === "\\") {
      if (s[p] === "\\") p++;
      const d = s[p++];
      if (d === undefined || d === "\n" || d === "\\") fail("unexpected `,'");
      const src = delimited(d!, "unterminated address regex");
      let flags = "s";
      while (s[p] === "I" || s[p] === "M") flags += s[p++] === "I" ? "i" : "m";
      return { k: "re", re: regex(src, flags, p) };
    }
    return undefined;
  };
  /** Label or file name: the rest of the line (labels also end at ';'). */
  const rest = (semicolon: boolean) => {
    ws();
    const end = s.slice(p).search(semicolon ? /[;\n]/ : /\n/);
    const v = end < 0 ? s.slice(p) : s.slice(p, p + end);
    p += v.length;
    return semicolon ? v.trimEnd() : v;
  };
  /** a, i, c text in GNU's one-line form (a text) or POSIX form (a\ NEWLINE text). */
  const text = () => {
    ws();
    if (p >= s.length) fail("expected \\ after `a', `c' or `i'");
    if (s[p] === "\\") {
      p++;
      if (s[p] === "\n") p++;
      else ws();
    }
    let t = "";
    while (p < s.length && s[p] !== "\n") {
      if (s[p] === "\\" && p + 1 < s.length) p++;
      t += s[p++];
    }
    return t === "" && p >= s.length ? "" : t + "\n"; // a\ at the very end appends nothing
  };
  while (true) {
    while (p < s.length && " \t\n;".includes(s[p]!)) p++;
    if (p >= s.length) break;
    const cmd: Cmd = { name: "", neg: false };
    cmd.a1 = address();
    if (cmd.a1 && s[p] === ",") {
      p++;
      ws();
      if (s[p] === "+" || s[p] === "~") {
        const k = s[p++] === "+" ? "plus" : "mult";
        if (!/\d/.test(s[p] ?? "")) fail("expected address", p + 1);
        cmd.a2 = { k, n: num() };
      } else cmd.a2 = address();
      if (!cmd.a2 || cmd.a2.k === "step") fail("unexpected `,'", p + 1);
    }
    ws();
    while (s[p] === "!") (cmd.neg = true), p++, ws();
    if (p >= s.length) fail("missing command");
    const c = (cmd.name = s[p++]!);
    const addrs = cmd.a2 ? 2 : cmd.a1 ? 1 : 0;
    if (cmd.a1?.k === "line" && cmd.a1.n === 0 && (cmd.a2?.k !== "re" || !cmd.a2)) fail("invalid usage of line address 0");
    if (cmd.a1?.k === "line" && cmd.a1.n === 0) cmd.active = true;
    if (addrs && "#:}".includes(c)) fail(c === "#" ? "comments don't accept any addresses" : c === ":" ? ": doesn't want any addresses" : "unexpected `}'");
    if (addrs > 1 && "qQ".includes(c)) fail("command only uses one address");
    let tail = true;
    switch (c) {
      case "{":
        open.push(cmds.length);
        tail = false;
        break;
      case "}":
        if (!open.length) fail("unexpected `}'");
        cmds[open.pop()!]!.jump = cmds.length + 1;
        break;
      case "#":
        rest(false);
        continue;
      case ":":
        cmd.label = rest(true);
        if (!cmd.label) fail("\":\" lacks a label");
        break;
      case "a":
      case "i":
      case "c":
        cmd.text = text();
        tail = false;
        break;
      case "b":
      case "t":
      case "T":
        cmd.label = rest(true);
        break;
      case "r":
      case "w":
        cmd.file = rest(false);
        if (!cmd.file) fail("missing filename in r/R/w/W commands");
        tail = false;
        break;
      case "q":
      case "Q":
      case "l":
        ws();
        if (/\d/.test(s[p] ?? "")) cmd.code = num();
        break;
      case "s": {
        const d = s[p++];
        if (d === undefined || d === "\n" || d === "\\") fail("unterminated `s' command");
        const src = delimited(d!, "unterminated `s' command");
        const rhs = delimited(d!, "unterminated `s' command");
        let flags = "s";
        for (;;) {
          const f = s[p];
          if (f === "g") (cmd.global && fail("multiple `g' options to `s' command", p + 1)), (cmd.global = true);
          else if (f === "p") (cmd.print && fail("multiple `p' options to `s' command", p + 1)), (cmd.print = 1);
          else if (f === "i" || f === "I" || f === "m" || f === "M") flags += f.toLowerCase();
          else if (f !== undefined && /\d/.test(f)) {
            if (cmd.nth) fail("multiple number options to `s' command", p + 1);
            const at = p;
            if ((cmd.nth = num()) === 0) fail("number option to `s' command may not be zero", at + 1);
            continue;
          } else if (f === "w") {
            p++;
            cmd.file = rest(false);
            if (!cmd.file) fail("missing filename in r/R/w/W commands");
            break;
          } else if (f === "e") fail("the `e' command is not supported by this simulated sed", p + 1);
          else if (f === undefined || " \t\n;}#".includes(f)) break;
          else fail("unknown option to `s'", p + 1);
          p++;
        }
        cmd.re = regex(src, flags, p);
        const groups = cmd.re ? new RegExp(cmd.re.source + "|").exec("")!.length - 1 : 9;
        cmd.repl = [];
        for (let i = 0; i < rhs.length; i++) {
          const ch = rhs[i]!;
          if (ch === "&") cmd.repl.push(0);
          else if (ch !== "\\" || i + 1 >= rhs.length) cmd.repl.push(ch);
          else {
            const e = rhs[++i]!;
            if (/\d/.test(e)) {
              if (Number(e) > groups) fail(`invalid reference \\${e} on \`s' command's RHS`);
              cmd.repl.push(Number(e));
            } else if ("LUluE".includes(e)) cmd.repl.push({ c: e });
            else cmd.repl.push(e === "n" ? "\n" : e === "t" ? "\t" : e);
          }
        }
        break;
      }
      case "y": {
        const d = s[p++];
        if (d === undefined || d === "\n" || d === "\\") fail("unterminated `y' command");
        const unesc = (t: string) => t.replace(/\\(.)/gs, (_, e: string) => (e === "n" ? "\n" : e === "t" ? "\t" : e));
        const from = [...unesc(delimited(d!, "unterminated `y' command"))];
        const to = [...unesc(delimited(d!, "unterminated `y' command"))];
        if (from.length !== to.length) fail("strings for `y' command are different lengths");
        cmd.map = new Map(from.map((f, i) => [f, to[i]!]));
        break;
      }
      case "e":
        fail("the `e' command is not supported by this simulated sed");
        break;
      case "v":
        rest(true);
        break;
      default:
        if (!"=dDgGhHnNpPxzF".includes(c)) fail(`unknown command: \`${c}'`);
    }
    if (tail) {
      ws();
      if (p < s.length && !";\n}#".includes(s[p]!)) fail("extra characters after command", p + 1);
    }
    cmds.push(cmd);
  }
  if (open.length) fail("unmatched `{'", 0);
  // Branches: to the label's position, or (no label) to the end of the script.
  for (const cmd of cmds) {
    if (!"btT".includes(cmd.name)) continue;
    if (!cmd.label) cmd.jump = cmds.length;
    else {
      const at = cmds.findIndex((x) => x.name === ":" && x.label === cmd.label);
      if (at < 0) throw new SedError(-1, `can't find label for jump to \`${cmd.label}'`, 4);
      cmd.jump = at;
    }
  }
  return cmds;
}

/** One input line and whether a newline ended it (GNU keeps a missing final newline missing). */
interface Line {
  text: string;
  nl: boolean;
  file: string;
}

/** The l command: C escapes, octal for the rest, lines folded at 70 columns with a trailing \. */
function visible(ps: string, width: number): string {
  const esc: Record<string, string> = { "\\": "\\\\", "\x07": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v" };
  let out = "";
  let col = 0;
  for (const ch of ps) {
    const code = ch.charCodeAt(0);
    const e = esc[ch] ?? (code < 32 || code >= 127 ? "\\" + code.toString(8).padStart(3, "0") : ch);
    if (width > 1 && col + e.length > width - 1) (out += "\\\n"), (col = 0);
    out += e;
    col += e.length;
  }
  return out + "$\n";
}

/** Run the script over one stream of lines; returns the exit code from q/Q, or null. */
function execute(cmds: Cmd[], lines: Line[], o: { quiet: boolean; out: (t: string, nl?: boolean) => void; hold: { s: string }; files: Map<string, string>; ctx: CommandContext; lastRe: { re: RegExp | null } }): number | null {
  let idx = -1;
  let ps = "";
  let appendQ: string[] = [];
  let steps = 0;
  const isLast = () => idx === lines.length - 1;
  const lineNo = () => idx + 1;
  const emitPs = () => o.out(ps, lines[idx]?.nl ?? true);
  const flush = () => {
    for (const t of appendQ) o.out(t, false);
    appendQ = [];
  };
  const useRe = (re: RegExp | null | undefined): RegExp => {
    const r = re ?? o.lastRe.re;
    if (!r) throw new SedError(-1, "-e expression #1, char 0: no previous regular expression");
    o.lastRe.re = r;
    return r;
  };
  const test = (a: Addr): boolean => {
    if (a.k === "line") return lineNo() === a.n;
    if (a.k === "last") return isLast();
    if (a.k === "step") return a.step <= 0 ? lineNo() === a.n : lineNo() >= a.n && (lineNo() - a.n) % a.step === 0;
    if (a.k === "re") {
      const r = useRe(a.re);
      r.lastIndex = 0;
      return r.test(ps);
    }
    return false;
  };
  const selected = (c: Cmd): boolean => {
    if (!c.a1) return true;
    if (!c.a2) return test(c.a1);
    const a2 = c.a2;
    if (c.active) {
      if (a2.k === "line" ? lineNo() >= a2.n : a2.k === "plus" ? lineNo() >= c.last! : a2.k === "mult" ? lineNo() % a2.n === 0 : test(a2)) c.active = false;
      return true;
    }
    if (!test(c.a1)) return false;
    c.active = !(a2.k === "line" ? a2.n <= lineNo() : a2.k === "plus" ? a2.n === 0 : a2.k === "mult" ? a2.n <= 0 || lineNo() % a2.n === 0 : a2.k === "last" && isLast());
    c.last = lineNo() + (a2.k === "plus" ? a2.n : 0);
    return true;
  };
  const substitute = (c: Cmd): boolean => {
    const re = useRe(c.re);
    const g = new RegExp(re.source, re.flags.includes("g") ? re.flags : re.flags + "g");
    let count = 0;
    let did = false;
    const nth = c.nth ?? 1;
    ps = ps.replace(g, (...m: unknown[]) => {
      const groups = m.slice(0, -2) as (string | undefined)[];
      const whole = groups[0]!;
      if (++count < nth || (count > nth && !c.global)) return whole;
      did = true;
      let out = "";
      let mode = "";
      let once = "";
      for (const part of c.repl!) {
        if (typeof part === "object") {
          if (part.c === "u" || part.c === "l") once = part.c;
          else mode = part.c === "E" ? "" : part.c;
          continue;
        }
        let t = typeof part === "number" ? groups[part] ?? "" : part;
        if (mode) t = mode === "U" ? t.toUpperCase() : t.toLowerCase();
        if (once && t) (t = (once === "u" ? t[0]!.toUpperCase() : t[0]!.toLowerCase()) + t.slice(1)), (once = "");
        out += t;
      }
      return out;
    });
    return did;
  };
  // w FILE: /dev/stdout takes its place in the output; other files are written at the end.
  const save = (f: string) => (f === "/dev/stdout" ? o.out(ps, true) : o.files.set(f, (o.files.get(f) ?? "") + ps + "\n"));
  let subst = false;
  let restart = false; // D: run the script again on what is left, without reading a line
  for (;;) {
    if (!restart) {
      if (idx + 1 >= lines.length) return null;
      ps = lines[++idx]!.text;
      subst = false;
    }
    restart = false;
    let autoprint = !o.quiet;
    steps = 0;
    let pc = 0;
    let quit: number | null = null;
    cycle: while (pc < cmds.length) {
      // Limits a real sed does not have, so that nothing typed can hang the page.
      if (ps.length > 10_000_000) throw new SedError(-1, "couldn't re-allocate memory", 4);
      if (++steps > 1_000_000) throw new SedError(-1, "the script ran 1000000 commands on one line without ending its cycle; stopped (a limit of this simulation)", 4);
      const c = cmds[pc++]!;
      if (c.name === ":" || c.name === "}") continue;
      if (selected(c) === c.neg) {
        if (c.name === "{") pc = c.jump!;
        continue;
      }
      switch (c.name) {
        case "=": o.out(`${lineNo()}`, true); break;
        case "a": appendQ.push(c.text!); break;
        case "i": o.out(c.text!, false); break;
        case "c":
          if (!c.a2 || c.neg || !c.active) o.out(c.text!, false);
          autoprint = false;
          break cycle;
        case "d": autoprint = false; break cycle;
        case "D":
          if (!ps.includes("\n")) { autoprint = false; break cycle; }
          ps = ps.slice(ps.indexOf("\n") + 1);
          autoprint = false;
          restart = true;
          break cycle;
        case "g": ps = o.hold.s; break;
        case "G": ps += "\n" + o.hold.s; break;
        case "h": o.hold.s = ps; break;
        case "H": o.hold.s += "\n" + ps; break;
        case "x": [ps, o.hold.s] = [o.hold.s, ps]; break;
        case "l": o.out(visible(ps, c.code ?? 70), false); break;
        case "n":
        case "N":
          // At the last line GNU prints the pattern space and stops (POSIX would not print for N).
          if (isLast()) { quit = 0; break cycle; }
          if (c.name === "n") {
            if (!o.quiet) emitPs();
            flush();
            ps = lines[++idx]!.text;
          } else ps += "\n" + lines[++idx]!.text;
          break;
        case "p": emitPs(); break;
        case "P": o.out(ps.split("\n")[0]!, true); break;
        case "q": quit = c.code ?? 0; break cycle;
        case "Q": return c.code ?? 0;
        case "r":
          try {
            const { node } = o.ctx.kernel.resolve(o.ctx.proc, o.ctx.abs(c.file!));
            const t = node.type === "file" ? node.read?.({ proc: o.ctx.proc }) ?? "" : "";
            if (t) appendQ.push(t.endsWith("\n") ? t : t + "\n");
          } catch {
            // GNU sed reads nothing, silently, from a file it cannot open.
          }
          break;
        case "w": save(c.file!); break;
        case "s":
          if (substitute(c)) {
            subst = true;
            if (c.print) emitPs();
            if (c.file) save(c.file);
          }
          break;
        case "y": ps = [...ps].map((ch) => c.map!.get(ch) ?? ch).join(""); break;
        case "b": pc = c.jump!; break;
        case "t":
        case "T":
          if (subst === (c.name === "t")) pc = c.jump!;
          subst = false;
          break;
        case "z": ps = ""; break;
        case "F": o.out(lines[idx]!.file, true); break;
      }
    }
    if (autoprint) emitPs();
    flush();
    if (quit !== null) return quit;
  }
}

function splitLines(text: string, file: string): Line[] {
  if (text === "") return [];
  const parts = text.split("\n");
  const nl = parts[parts.length - 1] === "";
  if (nl) parts.pop();
  return parts.map((t, i) => ({ text: t, nl: i < parts.length - 1 || nl, file }));
}

export const sed: Command = {
  name: "sed",
  path: "/usr/bin/sed",
  summary: "stream editor: s/re/repl/g, p, d, a/i/c, addresses, -n -E -i",
  usage: USAGE,
  readsStdin: true,
  run(ctx) {
    const args = ctx.argv.slice(1);
    let quiet = false, extended = false, separate = false;
    let inPlace: string | null = null;
    const scripts: { text: string; where: (local: number, line: number) => string }[] = [];
    const files: string[] = [];
    const bad = (m: string) => (ctx.err(`sed: ${m}\n${USAGE}`), 1);
    const readScript = (f: string): string | number => {
      try {
        const { node } = ctx.kernel.resolve(ctx.proc, ctx.abs(f));
        if (node.type === "dir") throw new KernelError("EISDIR", "Is a directory");
        return (node.read?.({ proc: ctx.proc }) ?? "").replace(/\n$/, "");
      } catch (e) {
        ctx.err(`sed: couldn't open file ${f}: ${errText(e)}\n`);
        return 4;
      }
    };
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a === "--") {
        files.push(...args.slice(i + 1));
        break;
      }
      if (!a.startsWith("-") || a === "-") {
        files.push(a);
        continue;
      }
      const long = /^--([\w-]+)(?:=(.*))?$/s.exec(a);
      if (long) {
        const [, name, v] = long;
        if (name === "quiet" || name === "silent") quiet = true;
        else if (name === "regexp-extended") extended = true;
        else if (name === "separate") separate = true;
        else if (name === "unbuffered") continue;
        else if (name === "in-place") inPlace = v ?? "";
        else if (name === "expression" || name === "file") {
          const val = v ?? args[++i];
          if (val === undefined) return bad(`option '--${name}' requires an argument`);
          const n = scripts.length + 1;
          const t = name === "file" ? readScript(val) : val;
          if (typeof t === "number") return t;
          scripts.push({ text: t, where: name === "file" ? (_c, line) => `file ${val} line ${line}` : (c) => `-e expression #${n}, char ${c}` });
        } else return bad(`unrecognized option '${a}'`);
        continue;
      }
      for (let j = 1; j < a.length; j++) {
        const c = a[j]!;
        if (c === "n") quiet = true;
        else if (c === "E" || c === "r") extended = true;
        else if (c === "s") separate = true;
        else if (c === "u") continue; // unbuffered: output here is never held back anyway
        else if (c === "i") {
          inPlace = a.slice(j + 1);
          break;
        } else if (c === "e" || c === "f") {
          const val = j + 1 < a.length ? a.slice(j + 1) : args[++i];
          if (val === undefined) return bad(`option requires an argument -- '${c}'`);
          const n = scripts.length + 1;
          const t = c === "f" ? readScript(val) : val;
          if (typeof t === "number") return t;
          scripts.push({ text: t, where: c === "f" ? (_c, line) => `file ${val} line ${line}` : (ch) => `-e expression #${n}, char ${ch}` });
          break;
        } else return bad(`invalid option -- '${c}'`);
      }
    }
    if (!scripts.length) {
      const first = files.shift();
      if (first === undefined) {
        ctx.err(USAGE);
        return 1;
      }
      scripts.push({ text: first, where: (c) => `-e expression #1, char ${c}` });
    }
    const whole = scripts.map((x) => x.text).join("\n");
    let cmds: Cmd[];
    try {
      cmds = parse(whole, extended);
    } catch (e) {
      if (!(e instanceof SedError)) throw e;
      if (e.pos < 0) return ctx.err(`sed: ${e.message}\n`), e.exit;
      // Which -e (or -f) the position falls in, and the character (or line) within it.
      let start = 0;
      let k = 0;
      while (k < scripts.length - 1 && e.pos > start + scripts[k]!.text.length) start += scripts[k++]!.text.length + 1;
      const local = e.message === "unmatched `{'" ? 0 : e.pos - start;
      const line = scripts[k]!.text.slice(0, local).split("\n").length;
      ctx.err(`sed: ${scripts[k]!.where(local, line)}: ${e.message}\n`);
      return e.exit;
    }
    if (inPlace !== null && !files.length) {
      ctx.err("sed: no input files\n");
      return 4;
    }
    // Read every input now: the stream is all there is (no blocking reads in the simulation).
    let status = 0;
    const inputs: { name: string; text: string }[] = [];
    for (const f of files.length ? files : ["-"]) {
      if (f === "-" && inPlace === null) {
        inputs.push({ name: "-", text: ctx.stdin });
        continue;
      }
      try {
        const { node } = ctx.kernel.resolve(ctx.proc, ctx.abs(f));
        if (node.type === "dir") {
          ctx.err(inPlace !== null ? `sed: couldn't edit ${f}: not a regular file\n` : `sed: read error on ${f}: Is a directory\n`);
          status = 4;
          continue;
        }
        inputs.push({ name: f, text: node.read?.({ proc: ctx.proc }) ?? "" });
      } catch (e) {
        ctx.err(`sed: can't read ${f}: ${errText(e)}\n`);
        status = 2;
      }
    }
    // w files are opened (created, truncated) before the first line, as GNU sed does.
    const files2 = new Map<string, string>();
    for (const c of cmds) {
      if (!c.file || c.file === "/dev/stdout" || c.name === "r" || files2.has(c.file)) continue;
      try {
        writeFile(ctx, c.file, "");
      } catch (e) {
        ctx.err(`sed: couldn't open file ${c.file}: ${errText(e)}\n`);
        return 4;
      }
      files2.set(c.file, "");
    }
    const hold = { s: "" };
    const lastRe = { re: null as RegExp | null };
    let buf = "";
    let missingNl = false;
    // A last line that had no newline is printed without one, until more output follows it.
    const out = (t: string, nl = true) => {
      if (missingNl) (buf += "\n"), (missingNl = false);
      buf += t;
      if (nl) buf += "\n";
      else if (t && !t.endsWith("\n")) missingNl = true;
    };
    const o = { quiet, out, hold, files: files2, ctx, lastRe };
    const streams = inPlace !== null || separate ? inputs.map((i) => [i]) : [inputs];
    let quit: number | null = null;
    try {
      for (const group of streams) {
        const lines = group.flatMap((i, n) => splitLines(i.text, i.name).map((l) => (n < group.length - 1 ? { ...l, nl: true } : l)));
        quit = execute(cmds, lines, o);
        if (inPlace !== null) {
          const f = group[0]!.name;
          try {
            if (inPlace) writeFile(ctx, inPlace.includes("*") ? inPlace.replace(/\*/g, f.split("/").pop()!) : f + inPlace, group[0]!.text);
            writeFile(ctx, f, buf);
          } catch (e) {
            ctx.err(`sed: couldn't edit ${f}: ${errText(e)}\n`);
            return 4;
          }
          buf = "";
          missingNl = false;
        }
        if (quit !== null) break;
      }
    } catch (e) {
      if (!(e instanceof SedError)) throw e;
      if (inPlace === null) ctx.out(buf);
      ctx.err(`sed: ${e.message}\n`);
      return e.exit;
    }
    ctx.out(buf);
    for (const [f, t] of files2) {
      try {
        writeFile(ctx, f, t);
      } catch (e) {
        ctx.err(`sed: couldn't open file ${f}: ${errText(e)}\n`);
        return 4;
      }
    }
    return quit ?? status;
  },
};
