// tr (GNU coreutils): translate, squeeze or delete characters. `tr -d '\n'`, `tr a-z A-Z` and
// `tr -s ' '` before cut are the everyday uses.
import type { Command, CommandContext } from "../command";
import { usageError } from "../command";

const USAGE = `Usage: tr [OPTION]... STRING1 [STRING2]
Translate, squeeze, and/or delete characters from standard input,
writing to standard output.  STRING1 and STRING2 specify arrays of
characters ARRAY1 and ARRAY2 that control the action.

  -c, -C, --complement    use the complement of ARRAY1
  -d, --delete            delete characters in ARRAY1, do not translate
  -s, --squeeze-repeats   replace each sequence of a repeated character
                            that is listed in the last specified ARRAY,
                            with a single occurrence of that character
  -t, --truncate-set1     first truncate ARRAY1 to length of ARRAY2

ARRAYs are specified as strings of characters: CHAR, \\NNN (octal), \\\\, \\a,
\\b, \\f, \\n, \\r, \\t, \\v, CHAR1-CHAR2, [CHAR*], [CHAR*REPEAT], [:alnum:],
[:alpha:], [:blank:], [:cntrl:], [:digit:], [:graph:], [:lower:], [:print:],
[:punct:], [:space:], [:upper:], [:xdigit:].
`;

const span = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => String.fromCharCode(a + i)).join("");
const CLASSES: Record<string, string> = {
  digit: span(48, 57), upper: span(65, 90), lower: span(97, 122), space: "\t\n\v\f\r ", blank: "\t ",
  cntrl: span(0, 31) + "\x7f", print: span(32, 126), graph: span(33, 126), xdigit: "0123456789ABCDEFabcdef",
};
CLASSES.alpha = CLASSES.upper! + CLASSES.lower!;
CLASSES.alnum = CLASSES.digit! + CLASSES.alpha;
CLASSES.punct = [...CLASSES.graph!].filter((c) => !CLASSES.alnum!.includes(c)).join("");

const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", a: "\x07", b: "\b", f: "\f", v: "\v" };

/** An ARRAY: its characters, the classes named in it, and where a [c*] fill goes. */
interface CharArray {
  chars: string[];
  classes: string[];
  fill?: { at: number; char: string };
}

/** Expand one STRING; a string is an error message. */
function expand(s: string, ctx: CommandContext): CharArray | string {
  const out: CharArray = { chars: [], classes: [] };
  let i = 0;
  const one = (): string => {
    const c = s[i++]!;
    if (c !== "\\") return c;
    if (i >= s.length) {
      ctx.err("tr: warning: an unescaped backslash at end of string is not portable\n");
      return "\\";
    }
    const oct = /^[0-7]{1,3}/.exec(s.slice(i));
    if (oct) {
      i += oct[0].length;
      return String.fromCharCode(parseInt(oct[0], 8) & 255);
    }
    const e = s[i++]!;
    return ESCAPES[e] ?? e;
  };
  while (i < s.length) {
    const cls = /^\[:(\w*):\]/.exec(s.slice(i));
    if (cls) {
      if (!(cls[1]! in CLASSES)) return `invalid character class '${cls[1]}'`;
      out.classes.push(cls[1]!);
      out.chars.push(...CLASSES[cls[1]!]!);
      i += cls[0].length;
      continue;
    }
    const rep = /^\[(\\?.)\*(\d*)\]/s.exec(s.slice(i));
    if (rep) {
      const c = rep[1]!.length === 2 ? ESCAPES[rep[1]![1]!] ?? rep[1]![1]! : rep[1]!;
      const n = rep[2] ? parseInt(rep[2], rep[2].startsWith("0") ? 8 : 10) : 0;
      if (n > 0) out.chars.push(...c.repeat(n));
      else out.fill = { at: out.chars.length, char: c };
      i += rep[0].length;
      continue;
    }
    const start = i;
    const lo = one();
    if (s[i] === "-" && i + 1 < s.length) {
      i++;
      const hi = one();
      if (hi < lo) return `range-endpoints of '${s.slice(start, i)}' are in reverse collating sequence order`;
      out.chars.push(...span(lo.charCodeAt(0), hi.charCodeAt(0)));
    } else out.chars.push(lo);
  }
  return out;
}

export const tr: Command = {
  name: "tr",
  path: "/usr/bin/tr",
  summary: "translate, squeeze or delete characters (tr a-z A-Z, -d, -s, -c)",
  usage: USAGE,
  readsStdin: true,
  run(ctx) {
    const o = new Set<string>();
    const ops: string[] = [];
    const long: Record<string, string> = { "--complement": "c", "--delete": "d", "--squeeze-repeats": "s", "--truncate-set1": "t" };
    for (const a of ctx.argv.slice(1)) {
      if (ops.length || !a.startsWith("-") || a === "-") ops.push(a);
      else if (a.startsWith("--")) {
        if (!long[a]) return usageError(ctx, "tr", `unrecognized option '${a}'`);
        o.add(long[a]);
      } else
        for (const c of a.slice(1)) {
          if (!"cCdst".includes(c)) return usageError(ctx, "tr", `invalid option -- '${c}'`);
          o.add(c === "C" ? "c" : c);
        }
    }
    const del = o.has("d"), squeeze = o.has("s");
    const need = del && !squeeze ? 1 : del || !squeeze ? 2 : 1;
    if (!ops.length) return usageError(ctx, "tr", "missing operand");
    if (ops.length < need) {
      const why = del ? "both deleting and squeezing repeats" : "translating";
      return usageError(ctx, "tr", `missing operand after '${ops[0]}'\nTwo strings must be given when ${why}.`);
    }
    if (ops.length > 2 || (ops.length > 1 && del && !squeeze)) {
      const why = ops.length === 2 ? "\nOnly one string may be given when deleting without squeezing repeats." : "";
      return usageError(ctx, "tr", `extra operand '${ops[need]}'${why}`);
    }
    const fail = (m: string) => (ctx.err(`tr: ${m}\n`), 1);
    const a1 = expand(ops[0]!, ctx);
    if (typeof a1 === "string") return fail(a1);
    const a2 = ops[1] === undefined ? null : expand(ops[1], ctx);
    if (typeof a2 === "string") return fail(a2);
    let set1 = a1.chars;
    if (o.has("c")) {
      const inSet = new Set(set1);
      set1 = span(0, 255).split("").filter((c) => !inSet.has(c));
    }
    const translating = a2 !== null && !del;
    const map = new Map<string, string>();
    if (translating) {
      if (a2.classes.some((c) => c !== "upper" && c !== "lower")) return fail("when translating, the only character classes that may appear in\nstring2 are 'upper' and 'lower'");
      let set2 = a2.chars;
      if (a2.fill) set2 = [...set2.slice(0, a2.fill.at), ...a2.fill.char.repeat(Math.max(0, set1.length - set2.length)), ...set2.slice(a2.fill.at)];
      if (!set2.length && !o.has("t")) return fail("when not truncating set1, string2 must be non-empty");
      if (o.has("t")) set1 = set1.slice(0, set2.length);
      set1.forEach((c, i) => map.set(c, set2[Math.min(i, set2.length - 1)]!));
    }
    const inSet1 = new Set(set1);
    const squeezeSet = new Set(squeeze ? (a2 && (translating || del) ? a2.chars : set1) : []);
    let out = "";
    for (const ch of ctx.stdin) {
      if (del && inSet1.has(ch)) continue;
      const c = map.get(ch) ?? ch;
      if (squeezeSet.has(c) && out.endsWith(c)) continue;
      out += c;
    }
    ctx.out(out);
    return 0;
  },
};
