// awk: the pattern-action language, the subset people type on one line (see USAGE). The
// program is compiled straight into closures; records and fields follow POSIX (FS, $0
// rebuilt with OFS when a field changes, NF assignable). Unsupported syntax is a syntax error
// in the one-true-awk's words, exit 2 — never a throw.
import type { Command, CommandContext } from "../command";
import { KernelError } from "../../linux/process";
import { cformat } from "./cformat";
import { Input, compare, ere, splitFields, toNum, toStr, truthy } from "./awk-values";
import type { V } from "./awk-values";
import { writeFile } from "./write-file";
import { errText } from "./operands";

const USAGE = `Usage: awk [-F fs] [-v var=value] [--] 'program' [var=value] [file ...]
       awk [-F fs] [-v var=value] -f progfile [file ...]

A subset of POSIX awk: BEGIN and END, patterns (/re/, expressions, ranges p1,p2),
print and printf (also > and >> to files), variables and associative arrays
(a[k], for (k in a), (k in a), delete), if/else, while, do, for, break, continue,
next, exit, the operators of POSIX awk, and the built-ins length, substr, index,
split, sub, gsub, match, sprintf, int, sqrt, exp, log, sin, cos, atan2, rand,
srand, tolower, toupper. Special variables: NR NF FNR FS OFS ORS RS FILENAME
SUBSEP RSTART RLENGTH CONVFMT OFMT ENVIRON. Not here: getline, user-defined
functions, output pipes and system().
`;

type Tok = { t: string; v: string; at: number; line: number };
/** A compiled expression; an lvalue can also be assigned. */
interface N {
  ev(): V;
  set?(v: V): V;
  re?: RegExp;
  list?: N[];
}
/** A compiled statement: returns how control leaves it. */
type S = () => number;
const NORMAL = 0, BREAK = 1, CONTINUE = 2, NEXT = 3, EXIT = 4;

class AwkError extends Error {
  constructor(message: string, readonly tok?: Tok) {
    super(message);
  }
}

const KEYWORDS = new Set("BEGIN END if else while for do break continue next exit delete in print printf getline function func return nextfile".split(" "));
const BUILTINS = new Set("length substr index split sub gsub match sprintf int sqrt exp log sin cos atan2 rand srand tolower toupper close fflush system".split(" "));
/** Operators, longest first so that "+=" wins over "+". */
const OPS = "+= -= *= /= %= ^= == <= >= != ++ -- && || >> !~ ** { } ( ) [ ] ; , + - * / % ^ ! > < | ? : ~ $ =".split(" ");
const ESC: Record<string, string> = { n: "\n", t: "\t", r: "\r", b: "\b", f: "\f", v: "\v", a: "\x07", "\\": "\\", '"': '"', "/": "/" };

/** Escapes of a string literal (also -v values and -F). */
export function unescape(s: string): string {
  return s.replace(/\\([0-7]{1,3}|.)/gs, (m, e: string) => (/^[0-7]/.test(e) ? String.fromCharCode(parseInt(e, 8)) : ESC[e] ?? m));
}

function lex(src: string): Tok[] {
  const toks: Tok[] = [];
  let line = 1;
  for (let i = 0; i < src.length; ) {
    const c = src[i]!;
    const at = i;
    if (c === " " || c === "\t" || c === "\r") {
      i++;
    } else if (c === "\\" && src[i + 1] === "\n") {
      i += 2;
      line++;
    } else if (c === "#") {
      while (i < src.length && src[i] !== "\n") i++;
    } else if (c === "\n") {
      toks.push({ t: "nl", v: c, at, line: line++ });
      i++;
    } else if (/[0-9.]/.test(c) && /^(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.test(src.slice(i))) {
      const m = /^(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(src.slice(i))!;
      toks.push({ t: "num", v: m[0], at, line });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_]\w*/.exec(src.slice(i))!;
      toks.push({ t: KEYWORDS.has(m[0]) ? m[0] : BUILTINS.has(m[0]) ? "fn" : "name", v: m[0], at, line });
      i += m[0].length;
    } else if (c === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== '"' && src[j] !== "\n") j += src[j] === "\\" ? 2 : 1;
      if (src[j] !== '"') throw new AwkError("non-terminated string", { t: "str", v: src.slice(i, j), at, line });
      toks.push({ t: "str", v: unescape(src.slice(i + 1, j)), at, line });
      i = j + 1;
    } else if (c === "/" && !["num", "str", "name", "fn", ")", "]", "$", "++", "--"].includes(toks[toks.length - 1]?.t ?? "")) {
      // A slash where an operand is expected starts a regular expression.
      let j = i + 1;
      let inBracket = false;
      while (j < src.length && src[j] !== "\n" && (src[j] !== "/" || inBracket)) {
        if (src[j] === "\\") j++;
        else if (src[j] === "[" && !inBracket) inBracket = true, src[j + 1] === "]" && j++;
        else if (src[j] === "]") inBracket = false;
        j++;
      }
      if (src[j] !== "/") throw new AwkError("non-terminated regular expression", { t: "re", v: src.slice(i, j), at, line });
      toks.push({ t: "re", v: src.slice(i + 1, j).replace(/\\\//g, "/"), at, line });
      i = j + 1;
    } else {
      const op = OPS.find((o) => src.startsWith(o, i));
      if (!op) throw new AwkError("syntax error", { t: c, v: c, at, line });
      toks.push({ t: op === "**" ? "^" : op, v: op, at, line });
      i += op.length;
    }
  }
  toks.push({ t: "eof", v: "", at: src.length, line });
  return toks;
}

/** Everything a running program touches. */
class Runtime {
  vars = new Map<string, V | Map<string, V>>();
  rec = "";
  fields: string[] | null = null;
  out = "";
  /** print > FILE: what each file gets, and whether it was opened with >> (append). */
  files = new Map<string, { text: string; append: boolean }>();
  exit: number | null = null;
  steps = 0;
  seed = 0;
  randState = 0;
  constructor(readonly ctx: CommandContext) {
    for (const [k, v] of Object.entries({ FS: " ", OFS: " ", ORS: "\n", RS: "\n", SUBSEP: "\x1c", CONVFMT: "%.6g", OFMT: "%.6g", NR: 0, FNR: 0, RSTART: 0, RLENGTH: -1, FILENAME: "" })) this.vars.set(k, v);
    this.vars.set("ENVIRON", new Map([...ctx.proc.env].map(([k, v]) => [k, new Input(v)])));
  }
  get(name: string): V {
    if (name === "NF") return this.split().length;
    const v = this.vars.get(name);
    if (v instanceof Map) throw new AwkError(`can't use array ${name} in scalar context`);
    return v;
  }
  set(name: string, v: V): V {
    if (this.vars.get(name) instanceof Map) throw new AwkError(`can't assign to ${name}; it's an array name.`);
    if (name === "NF") {
      const f = this.split();
      const n = Math.max(0, Math.trunc(toNum(v)));
      while (f.length < n) f.push("");
      f.length = n;
      this.rebuild();
      return n;
    }
    this.vars.set(name, v);
    return v;
  }
  arr(name: string): Map<string, V> {
    let a = this.vars.get(name);
    if (a instanceof Map) return a;
    if (a !== undefined) throw new AwkError(`can't use scalar ${name} as array`);
    this.vars.set(name, (a = new Map()));
    return a;
  }
  str(v: V): string {
    return toStr(v, toStr(this.vars.get("CONVFMT") as V));
  }
  cmp(a: V, b: V): number {
    return compare(a, b, toStr(this.vars.get("CONVFMT") as V));
  }
  split(): string[] {
    return (this.fields ??= splitFields(this.rec, this.str(this.get("FS")), this.str(this.get("RS")) === ""));
  }
  rebuild(): void {
    this.rec = this.fields!.join(this.str(this.get("OFS")));
  }
  field(i: number): V {
    if (i < 0) throw new AwkError(`trying to access out of range field ${i}`);
    return new Input(i === 0 ? this.rec : this.split()[i - 1] ?? "");
  }
  setField(i: number, v: V): V {
    if (i < 0) throw new AwkError(`trying to access out of range field ${i}`);
    if (i > 100_000) throw new AwkError(`trying to access out of range field ${i}`);
    const s = this.str(v);
    if (i === 0) {
      this.rec = s;
      this.fields = null;
    } else {
      const f = this.split();
      while (f.length < i) f.push("");
      f[i - 1] = s;
      this.rebuild();
    }
    return v;
  }
  /** Output text of print: numbers with OFMT. */
  outStr(v: V): string {
    return typeof v === "number" ? toStr(v, toStr(this.vars.get("OFMT") as V)) : this.str(v);
  }
  tick(): void {
    if (++this.steps > 5_000_000) throw new AwkError("program ran longer than this simulation allows");
  }
  rand(): number {
    // A small deterministic generator (xorshift); real awks differ from each other here too.
    let x = (this.randState ||= 0x9e3779b9 ^ this.seed) >>> 0;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.randState = x >>> 0;
    return this.randState / 4294967296;
  }
}

/** The compiler: recursive descent over the tokens, producing closures over one Runtime. */
function compile(toks: Tok[], rt: Runtime) {
  let i = 0;
  const tok = (): Tok => toks[i]!;
  function peek(n = 1): Tok {
    return toks[Math.min(i + n, toks.length - 1)]!;
  }
  function fail(at = tok(), why = "syntax error"): never {
    throw new AwkError(why, at);
  }
  function eat(t: string): Tok {
    if (tok().t !== t) fail();
    return toks[i++]!;
  }
  function accept(t: string): boolean {
    if (tok().t !== t) return false;
    i++;
    return true;
  }
  function nls(): void {
    while (tok().t === "nl") i++;
  }
  function terms(): void {
    while (tok().t === "nl" || tok().t === ";") i++;
  }

  function program(): { begin: S[]; end: S[]; rules: { pat?: () => boolean; act: S }[] } {
    const p = { begin: [] as S[], end: [] as S[], rules: [] as { pat?: () => boolean; act: S }[] };
    terms();
    while (tok().t !== "eof") {
      if (tok().t === "function" || tok().t === "func") fail(tok(), "user-defined functions are not supported by this awk");
      if (accept("BEGIN")) p.begin.push(block());
      else if (accept("END")) p.end.push(block());
      else {
        let pat: (() => boolean) | undefined;
        if (tok().t !== "{") {
          const a = expr();
          if (accept(",")) {
            nls();
            const b = expr();
            let on = false;
            pat = () => {
              if (!on && !truthy(a.ev())) return false;
              on = !truthy(b.ev());
              return true;
            };
          } else pat = () => truthy(a.ev());
        }
        p.rules.push({ pat, act: tok().t === "{" ? block() : () => ((rt.out += rt.rec + rt.str(rt.get("ORS"))), NORMAL) });
      }
      terms();
    }
    return p;
  }

  function block(): S {
    eat("{");
    const body: S[] = [];
    terms();
    while (!accept("}")) {
      if (tok().t === "eof") fail();
      body.push(stmt());
      terms();
    }
    return () => {
      for (const s of body) {
        const r = s();
        if (r) return r;
      }
      return NORMAL;
    };
  }

  /** The end of a simple statement: ; newline } or end of program. */
  function end(): void {
    if (!accept(";") && !accept("nl") && tok().t !== "}" && tok().t !== "eof") fail();
  }

  function body(): S {
    nls();
    if (accept(";")) return () => NORMAL;
    return stmt();
  }

  function stmt(): S {
    const t = tok();
    switch (t.t) {
      case "{":
        return block();
      case "if": {
        i++;
        eat("(");
        const c = expr();
        eat(")");
        const then = body();
        const save = i;
        terms();
        if (accept("else")) {
          const other = body();
          return () => (truthy(c.ev()) ? then() : other());
        }
        i = save;
        return () => (truthy(c.ev()) ? then() : NORMAL);
      }
      case "while": {
        i++;
        eat("(");
        const c = expr();
        eat(")");
        if (tok().t === ";" || tok().t === "nl") {
          i++;
          return loopOf(c, () => NORMAL);
        }
        return loopOf(c, body());
      }
      case "do": {
        i++;
        const b = body();
        terms();
        eat("while");
        eat("(");
        const c = expr();
        eat(")");
        end();
        let first = true;
        const loop = loopOf({ ev: () => (first ? ((first = false), 1) : c.ev()) }, b);
        return () => ((first = true), loop());
      }
      case "for": {
        i++;
        eat("(");
        if (tok().t === "name" && peek().t === "in" && peek(2).t === "name" && peek(3).t === ")") {
          const k = eat("name").v;
          i++;
          const a = eat("name").v;
          eat(")");
          const b = body();
          return () => {
            for (const key of [...rt.arr(a).keys()]) {
              rt.tick();
              rt.set(k, new Input(key));
              const r = b();
              if (r === BREAK) break;
              if (r === NEXT || r === EXIT) return r;
            }
            return NORMAL;
          };
        }
        const init = tok().t === ";" ? undefined : simple();
        eat(";");
        nls();
        const c = tok().t === ";" ? { ev: () => 1 } : expr();
        eat(";");
        nls();
        const step = tok().t === ")" ? undefined : simple();
        eat(")");
        const loop = loopOf(c, body(), step);
        return () => (init?.(), loop());
      }
      case ";":
        i++;
        return () => NORMAL;
      default: {
        const s = simple();
        end();
        return s;
      }
    }
  }

  function loopOf(c: N, b: S, step?: S): S {
    return () => {
      while (truthy(c.ev())) {
        rt.tick();
        const r = b();
        if (r === BREAK) break;
        if (r === NEXT || r === EXIT) return r;
        step?.();
      }
      return NORMAL;
    };
  }

  /** A simple statement: print, printf, next, exit, delete, break, continue, or an expression. */
  function simple(): S {
    const t = tok();
    switch (t.t) {
      case "print":
      case "printf": {
        i++;
        let args: N[] = [];
        if (!["nl", ";", "}", ">", ">>", "|", "eof"].includes(tok().t)) {
          args = exprList(true);
          if (args.length === 1 && args[0]!.list) args = args[0]!.list;
        }
        let dest: N | undefined;
        let append = false;
        if (tok().t === "|") fail(tok(), "output pipes are not supported by this awk");
        if (tok().t === ">" || tok().t === ">>") {
          append = toks[i++]!.t === ">>";
          dest = concat(true);
        }
        if (t.t === "printf" && !args.length) fail();
        const text =
          t.t === "print"
            ? () => (args.length ? args.map((a) => rt.outStr(a.ev())).join(rt.str(rt.get("OFS"))) : rt.rec) + rt.str(rt.get("ORS"))
            : () => sprintf(rt, args.map((a) => a.ev()));
        return () => {
          const s = text();
          if (!dest) rt.out += s;
          else {
            const f = rt.str(dest.ev());
            const file = rt.files.get(f) ?? { text: "", append };
            file.text += s;
            rt.files.set(f, file);
          }
          return NORMAL;
        };
      }
      case "next":
        i++;
        return () => NEXT;
      case "break":
      case "continue":
        i++;
        return () => (t.t === "break" ? BREAK : CONTINUE);
      case "exit": {
        i++;
        const code = ["nl", ";", "}", "eof"].includes(tok().t) ? undefined : expr();
        return () => {
          if (code) rt.exit = toNum(code.ev());
          return EXIT;
        };
      }
      case "delete": {
        i++;
        const name = eat("name").v;
        if (!accept("[")) return () => (rt.arr(name).clear(), NORMAL);
        const key = subscript();
        return () => (rt.arr(name).delete(key()), NORMAL);
      }
      case "getline":
      case "return":
      case "nextfile":
        return fail(t, `${t.v} is not supported by this awk`);
      default: {
        const e = expr();
        return () => (e.ev(), NORMAL);
      }
    }
  }

  function exprList(noGt = false): N[] {
    const list = [expr(noGt)];
    while (accept(",")) {
      nls();
      list.push(expr(noGt));
    }
    return list;
  }

  /** a[i, j]: the subscripts joined by SUBSEP. */
  function subscript(): () => string {
    const keys = exprList();
    eat("]");
    return keys.length === 1 ? () => rt.str(keys[0]!.ev()) : () => keys.map((k) => rt.str(k.ev())).join(rt.str(rt.get("SUBSEP")));
  }

  function expr(noGt = false): N {
    return ternary(noGt);
  }

  function ternary(noGt: boolean): N {
    const c = or(noGt);
    if (accept("?")) {
      nls();
      const a = ternary(noGt);
      nls();
      eat(":");
      nls();
      const b = ternary(noGt);
      return { ev: () => (truthy(c.ev()) ? a.ev() : b.ev()) };
    }
    const op = tok().t;
    if (c.set && ["=", "+=", "-=", "*=", "/=", "%=", "^="].includes(op)) {
      i++;
      nls();
      const r = ternary(noGt);
      const set = c.set;
      if (op === "=") return { ev: () => set(r.ev()) };
      const f = arith(op[0]!);
      return { ev: () => set(f(toNum(c.ev()), toNum(r.ev()))) };
    }
    return c;
  }

  function or(noGt: boolean): N {
    let l = and(noGt);
    while (accept("||")) {
      nls();
      const a = l, b = and(noGt);
      l = { ev: () => (truthy(a.ev()) || truthy(b.ev()) ? 1 : 0) };
    }
    return l;
  }

  function and(noGt: boolean): N {
    let l = inExpr(noGt);
    while (accept("&&")) {
      nls();
      const a = l, b = inExpr(noGt);
      l = { ev: () => (truthy(a.ev()) && truthy(b.ev()) ? 1 : 0) };
    }
    return l;
  }

  function inExpr(noGt: boolean): N {
    let l = match(noGt);
    while (tok().t === "in") {
      i++;
      const name = eat("name").v;
      const keys = l.list ?? [l];
      l = { ev: () => (rt.arr(name).has(keys.map((k) => rt.str(k.ev())).join(rt.str(rt.get("SUBSEP")))) ? 1 : 0) };
    }
    return l;
  }

  function match(noGt: boolean): N {
    let l = compare(noGt);
    while (tok().t === "~" || tok().t === "!~") {
      const neg = toks[i++]!.t === "!~";
      const a = l, r = compare(noGt);
      l = { ev: () => (regexOf(rt, r).test(rt.str(a.ev())) !== neg ? 1 : 0) };
    }
    return l;
  }

  function compare(noGt: boolean): N {
    const l = concat(noGt);
    const op = tok().t;
    if (!["<", "<=", "==", "!=", ">=", ">"].includes(op) || (noGt && op === ">")) return l;
    i++;
    const r = concat(noGt);
    const test = { "<": (c: number) => c < 0, "<=": (c: number) => c <= 0, "==": (c: number) => c === 0, "!=": (c: number) => c !== 0, ">=": (c: number) => c >= 0, ">": (c: number) => c > 0 }[op]!;
    return { ev: () => (test(rt.cmp(l.ev(), r.ev())) ? 1 : 0) };
  }

  function concat(_noGt: boolean): N {
    let l = additive();
    // An operand right after an operand is concatenation ("-" and "+" stay binary operators).
    while (["num", "str", "name", "fn", "$", "(", "++", "--"].includes(tok().t)) {
      const a = l, b = additive();
      l = {
        ev: () => {
          const s = rt.str(a.ev()) + rt.str(b.ev());
          if (s.length > 10_000_000) throw new AwkError("out of memory in concatenation");
          return s;
        },
      };
    }
    return l;
  }

  function additive(): N {
    let l = mul();
    while (tok().t === "+" || tok().t === "-") {
      const f = arith(toks[i++]!.t);
      const a = l, b = mul();
      l = { ev: () => f(toNum(a.ev()), toNum(b.ev())) };
    }
    return l;
  }

  function mul(): N {
    let l = unary();
    while (tok().t === "*" || tok().t === "/" || tok().t === "%") {
      const f = arith(toks[i++]!.t);
      const a = l, b = unary();
      l = { ev: () => f(toNum(a.ev()), toNum(b.ev())) };
    }
    return l;
  }

  function unary(): N {
    if (accept("!")) {
      const a = unary();
      return { ev: () => (truthy(a.ev()) ? 0 : 1) };
    }
    if (tok().t === "-" || tok().t === "+") {
      const neg = toks[i++]!.t === "-";
      const a = unary();
      return { ev: () => (neg ? -toNum(a.ev()) : toNum(a.ev())) };
    }
    return power();
  }

  function power(): N {
    const b = postfix();
    if (!accept("^")) return b;
    const e = unary(); // right-associative, and 2^-1 is allowed
    return { ev: () => toNum(b.ev()) ** toNum(e.ev()) };
  }

  function postfix(): N {
    const p = primary();
    if ((tok().t === "++" || tok().t === "--") && p.set) {
      const d = toks[i++]!.t === "++" ? 1 : -1;
      const set = p.set;
      return { ev: () => {
        const old = toNum(p.ev());
        set(old + d);
        return old;
      } };
    }
    return p;
  }

  function primary(): N {
    const t = toks[i++]!;
    switch (t.t) {
      case "num": {
        const n = Number(t.v);
        return { ev: () => n };
      }
      case "str":
        return { ev: () => t.v };
      case "re": {
        let re: RegExp;
        try {
          re = ere(t.v);
        } catch {
          return fail(t, "syntax error in regular expression");
        }
        return { re, ev: () => (re.test(rt.rec) ? 1 : 0) };
      }
      case "(": {
        nls();
        const list = exprList();
        nls();
        eat(")");
        return list.length > 1 ? { list, ev: () => fail(t) } : { ev: () => list[0]!.ev(), re: list[0]!.re };
      }
      case "$": {
        const e = tok().t === "++" || tok().t === "--" || tok().t === "-" ? unary() : primary();
        return { ev: () => rt.field(Math.trunc(toNum(e.ev()))), set: (v) => rt.setField(Math.trunc(toNum(e.ev())), v) };
      }
      case "++":
      case "--": {
        const p = primary();
        if (!p.set) fail(t);
        const d = t.t === "++" ? 1 : -1;
        const set = p.set;
        return { ev: () => set(toNum(p.ev()) + d) };
      }
      case "name": {
        if (accept("[")) {
          const key = subscript();
          return { ev: () => {
            const a = rt.arr(t.v);
            const k = key();
            if (!a.has(k)) a.set(k, undefined); // a reference creates the element, as in awk
            return a.get(k);
          }, set: (v) => (rt.arr(t.v).set(key(), v), v) };
        }
        return { ev: () => rt.get(t.v), set: (v) => rt.set(t.v, v) };
      }
      case "fn":
        return builtin(t);
      case "getline":
        return fail(t, "getline is not supported by this awk");
      default:
        return fail(t);
    }
  }

  function builtin(t: Tok): N {
    const name = t.v;
    if (name === "length") {
      // length, length(), length(x) (a string's length, or an array's size), length(expr).
      if (!accept("(")) return { ev: () => [...rt.rec].length };
      if (accept(")")) return { ev: () => [...rt.rec].length };
      if (tok().t === "name" && peek().t === ")") {
        const nm = eat("name").v;
        eat(")");
        return { ev: () => {
          const v = rt.vars.get(nm);
          return v instanceof Map ? v.size : [...rt.str(nm === "NF" ? rt.get(nm) : v)].length;
        } };
      }
      const e = expr();
      eat(")");
      return { ev: () => [...rt.str(e.ev())].length };
    }
    eat("(");
    nls();
    const args: N[] = [];
    let arrName = "";
    while (tok().t !== ")") {
      // split()'s second argument is an array name, not a value.
      if (name === "split" && args.length === 1 && tok().t === "name") {
        arrName = eat("name").v;
        args.push({ ev: () => undefined });
      } else args.push(expr());
      if (!accept(",")) break;
      nls();
    }
    nls();
    eat(")");
    const [a, b, c] = args;
    const s = (n?: N) => rt.str(n?.ev());
    const n = (x?: N) => toNum(x?.ev());
    const arity = (lo: number, hi: number) => {
      if (args.length < lo || args.length > hi) fail(t, `function ${name} called with ${args.length} args`);
    };
    switch (name) {
      case "substr":
        arity(2, 3);
        return { ev: () => {
          const str = s(a);
          const from = roundHalfEven(n(b));
          const to = c ? from + roundHalfEven(n(c)) : Infinity;
          const lo = Math.max(from, 1), hi = Math.min(to, str.length + 1);
          return lo < hi ? str.slice(lo - 1, hi - 1) : "";
        } };
      case "index":
        arity(2, 2);
        return { ev: () => s(a).indexOf(s(b)) + 1 };
      case "split":
        arity(2, 3);
        if (!arrName) fail(t);
        return { ev: () => {
          const parts = c?.re ? splitFields(s(a), c.re.source, false) : splitFields(s(a), c ? s(c) : rt.str(rt.get("FS")));
          const arr = rt.arr(arrName);
          arr.clear();
          parts.forEach((p, i) => arr.set(String(i + 1), new Input(p)));
          return parts.length;
        } };
      case "sub":
      case "gsub": {
        arity(2, 3);
        const target = c ?? { ev: () => rt.field(0), set: (v: V) => rt.setField(0, v) };
        if (!target.set) fail(t);
        const set = target.set;
        return { ev: () => {
          const re = regexOf(rt, a!, "g");
          const repl = s(b);
          let count = 0;
          const out = s(target).replace(re, (m) => {
            if (name === "sub" && count) return m;
            count++;
            return repl.replace(/\\\\|\\&|&/g, (x) => (x === "&" ? m : x === "\\&" ? "&" : "\\"));
          });
          if (count) set(out);
          return count;
        } };
      }
      case "match":
        arity(2, 2);
        return { ev: () => {
          const m = regexOf(rt, b!).exec(s(a));
          rt.vars.set("RSTART", m ? m.index + 1 : 0);
          rt.vars.set("RLENGTH", m ? m[0].length : -1);
          return m ? m.index + 1 : 0;
        } };
      case "sprintf":
        if (!a) fail(t);
        return { ev: () => sprintf(rt, args.map((x) => x.ev())) };
      case "tolower":
      case "toupper":
        arity(1, 1);
        return { ev: () => (name === "tolower" ? s(a).toLowerCase() : s(a).toUpperCase()) };
      case "int":
        arity(1, 1);
        return { ev: () => Math.trunc(n(a)) };
      case "rand":
        arity(0, 0);
        return { ev: () => rt.rand() };
      case "srand":
        arity(0, 1);
        return { ev: () => {
          const prev = rt.seed;
          rt.seed = a ? n(a) : rt.ctx.kernel.clock.now() / 1000;
          rt.randState = 0;
          return prev;
        } };
      case "close":
      case "fflush":
        return { ev: () => 0 };
      case "system":
        return fail(t, "system() is not supported by this awk");
      default: {
        arity(name === "atan2" ? 2 : 1, name === "atan2" ? 2 : 1);
        const f = { sqrt: Math.sqrt, exp: Math.exp, log: Math.log, sin: Math.sin, cos: Math.cos }[name as "sqrt"];
        return { ev: () => (name === "atan2" ? Math.atan2(n(a), n(b)) : f(n(a))) };
      }
    }
  }
  return program();
}

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function arith(op: string): (a: number, b: number) => number {
  switch (op) {
    case "+": return (a, b) => a + b;
    case "-": return (a, b) => a - b;
    case "*": return (a, b) => a * b;
    case "^": return (a, b) => a ** b;
    default:
      return (a, b) => {
        if (b === 0) throw new AwkError(op === "/" ? "division by zero" : "division by zero in %");
        return op === "/" ? a / b : a % b;
      };
  }
}

/** The regular expression a value stands for: a /literal/ as written, anything else as a dynamic ERE. */
function regexOf(rt: Runtime, n: N, flags = ""): RegExp {
  if (n.re) return flags ? new RegExp(n.re.source, flags) : n.re;
  const src = rt.str(n.ev());
  try {
    return ere(src, flags);
  } catch {
    throw new AwkError(`regular expression compile failed (missing operand)\n${src}`);
  }
}

function sprintf(rt: Runtime, vals: V[]): string {
  const fmt = rt.str(vals[0]);
  let k = 1;
  return cformat(fmt, () => {
    const v = vals[k++];
    return { num: () => toNum(v), str: () => rt.str(v), isNum: typeof v === "number" };
  });
}

export const awk: Command = {
  name: "awk",
  path: "/usr/bin/awk",
  summary: "pattern scanning and processing: awk '$3 > 100 {print $1}' (a POSIX subset)",
  usage: USAGE,
  readsStdin: true,
  run(ctx) {
    const args = ctx.argv.slice(1);
    const assigns: string[] = [];
    let fs: string | null = null;
    let src: string | null = null;
    let i = 0;
    const usage = () => (ctx.err("usage: awk [-F fs][-v var=value][prog | -f progfile][file ...]\n"), 2);
    for (; i < args.length; i++) {
      const a = args[i]!;
      if (a === "--") {
        i++;
        break;
      }
      if (!a.startsWith("-") || a === "-") break;
      const opt = a[1]!;
      if (!"Fvf".includes(opt)) {
        ctx.err(`awk: not an option: ${a}\n`);
        return 2;
      }
      const v = a.length > 2 ? a.slice(2) : args[++i];
      if (v === undefined) {
        ctx.err(`awk: no ${opt === "F" ? "field separator" : opt === "v" ? "variable name" : "program filename"}\n`);
        return 2;
      }
      if (opt === "F") fs = v === "t" ? "\t" : unescape(v);
      else if (opt === "v") {
        if (!/^[A-Za-z_]\w*=/.test(v)) {
          ctx.err(`awk: invalid -v argument: ${v}\n`);
          return 2;
        }
        assigns.push(v);
      } else {
        try {
          const { node } = ctx.kernel.resolve(ctx.proc, ctx.abs(v));
          if (node.type === "dir") throw new KernelError("EISDIR", "Is a directory");
          src = (src ?? "") + (node.read?.({ proc: ctx.proc }) ?? "") + "\n";
        } catch (e) {
          ctx.err(`awk: can't open file ${v}: ${errText(e)}\n`);
          return 2;
        }
      }
    }
    if (src === null) {
      if (i >= args.length) return usage();
      src = args[i++]!;
    }
    const operands = args.slice(i);
    const rt = new Runtime(ctx);
    const assign = (a: string) => {
      const eq = a.indexOf("=");
      rt.set(a.slice(0, eq), new Input(unescape(a.slice(eq + 1))));
    };
    let prog: ReturnType<typeof compile>;
    try {
      if (fs !== null) rt.set("FS", fs);
      assigns.forEach(assign);
      prog = compile(lex(src), rt);
    } catch (err) {
      const e = err instanceof AwkError ? err : new AwkError("syntax error");
      const t = e.tok;
      const line = t?.line ?? 1;
      const context = t ? `${src.slice(Math.max(0, src.lastIndexOf("\n", t.at - 1) + 1), t.at)} >>> ${t.v} <<< ` : "";
      const note = e.message === "syntax error" ? "" : `awk: ${e.message}\n`;
      ctx.err(`awk: syntax error at source line ${line}\n context is\n\t${context}\n${note}awk: bailing out at source line ${line}\n`);
      return 2;
    }
    let status = 0;
    const runEnd = () => {
      for (const s of prog.end) if (s() === EXIT) break;
    };
    try {
      let exited = false;
      for (const s of prog.begin) if (s() === EXIT && (exited = true)) break;
      if (!exited && (prog.rules.length || prog.end.length)) {
        const inputs = operands.filter((o) => !/^[A-Za-z_]\w*=/.test(o)).length ? operands : [...operands, "-"];
        outer: for (const op of inputs) {
          if (/^[A-Za-z_]\w*=/.test(op)) {
            assign(op);
            continue;
          }
          let text: string;
          if (op === "-") text = ctx.stdin;
          else {
            try {
              const { node } = ctx.kernel.resolve(ctx.proc, ctx.abs(op));
              if (node.type === "dir") throw new KernelError("EISDIR", "Is a directory");
              text = node.read?.({ proc: ctx.proc }) ?? "";
            } catch (e) {
              ctx.err(`awk: cannot open ${op} (${errText(e)})\n`);
              status = 2;
              continue;
            }
          }
          rt.vars.set("FILENAME", op === "-" ? "" : op);
          rt.vars.set("FNR", 0);
          const rs = rt.str(rt.get("RS"));
          const records = text === "" ? [] : rs === "" ? text.replace(/^\n+|\n+$/g, "").split(/\n\n+/) : text.replace(rs === "\n" ? /\n$/ : /(?!)/, "").split(rs.length === 1 ? rs : ere(rs));
          if (rs.length === 1 && rs !== "\n" && records[records.length - 1] === "") records.pop();
          for (const r of records) {
            rt.rec = r;
            rt.fields = null;
            rt.vars.set("NR", toNum(rt.get("NR")) + 1);
            rt.vars.set("FNR", toNum(rt.get("FNR")) + 1);
            for (const rule of prog.rules) {
              if (rule.pat && !rule.pat()) continue;
              const res = rule.act();
              if (res === NEXT) break;
              if (res === EXIT) break outer;
            }
          }
        }
      }
      runEnd();
    } catch (e) {
      // A runtime error (or a limit of the simulation): what was printed so far, then the message.
      ctx.out(rt.out);
      ctx.err(`awk: ${e instanceof AwkError ? e.message : "out of memory"}\n source line number 1\n`);
      return 2;
    }
    ctx.out(rt.out);
    for (const [f, file] of rt.files) {
      try {
        writeFile(ctx, f, file.text, file.append);
      } catch (e) {
        ctx.err(`awk: can't redirect to ${f} (${errText(e)})\n`);
        return 2;
      }
    }
    return rt.exit ?? status;
  },
};
