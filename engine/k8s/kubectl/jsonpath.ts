// kubectl's JSONPath templates (k8s.io/client-go/util/jsonpath), written for this engine from
// the documented grammar and the real tool's observable behaviour:
//   text outside braces is printed as is; inside an action:
//   .field  ['field']  ['a','b'] (union)  [0] [-1] [1:3] [*]  ..field (recursive descent)
//   [?(@.type=="Ready")]  [?(@.port>=80)]  [?(@.x)] (exists)  "quoted\ttext"  @ and $ (ignored)
//   {range EXPR} … {end}: the actions in between run once per result, relative to it.
// Each action prints its results separated by single spaces; maps and lists print as JSON.
import { GoByte, GoFloat, goJSON, goTypeName, goV, kindOf, numberOf } from "./go-values";

export class JsonPathError extends Error {}

interface Param {
  known: boolean;
  value: number;
  /** [N] means [N:N+1]: the end is derived from the start (and wraps with it when N is -1). */
  derived: boolean;
}

export type Node =
  | { type: "text"; text: string }
  | { type: "list"; nodes: Node[] }
  | { type: "field"; name: string }
  | { type: "identifier"; name: string }
  | { type: "array"; params: [Param, Param, Param] }
  | { type: "filter"; left: Node[]; right: Node[]; op: string }
  | { type: "int"; value: number }
  | { type: "float"; value: number }
  | { type: "bool"; value: boolean }
  | { type: "wildcard" }
  | { type: "recursive" }
  | { type: "union"; lists: Node[][] };

const DICT_KEY = /^'([^']*)'$/;
const SLICE = /^(-?\d*)(:-?\d*)?(:-?\d*)?$/;
const COMPARISON = /^([^!<>=]+)([!<>=]+)(.+?)$/;

const isTerminator = (ch: string | undefined) => ch === undefined || " \t\r\n.,[]$@{}".includes(ch);
const isAlphaNumeric = (ch: string) => /^[\p{L}\p{Nd}_]$/u.test(ch);

/** %#U: U+0021 '!' */
const unicodeName = (ch: string) => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")} '${ch}'`;

class Parser {
  pos = 0;
  readonly root: Node[] = [];
  constructor(private readonly input: string) {}

  parse(): Node[] {
    const s = this.input;
    while (this.pos < s.length) {
      const open = s.indexOf("{", this.pos);
      if (open < 0) {
        this.root.push({ type: "text", text: s.slice(this.pos) });
        break;
      }
      if (open > this.pos) this.root.push({ type: "text", text: s.slice(this.pos, open) });
      this.pos = open + 1;
      const action: Node[] = [];
      this.root.push({ type: "list", nodes: action });
      this.inside(action);
    }
    return this.root;
  }

  /** The inside of one {action}, up to and including its closing brace. */
  private inside(cur: Node[]): void {
    const s = this.input;
    for (;;) {
      if (s.startsWith("}", this.pos)) {
        this.pos++;
        return;
      }
      if (s.startsWith("[?(", this.pos)) {
        this.filter(cur);
        continue;
      }
      if (s.startsWith("..", this.pos)) {
        if (cur.at(-1)?.type === "recursive") throw new JsonPathError("invalid multiple recursive descent");
        this.pos += 2;
        cur.push({ type: "recursive" });
        const next = s[this.pos];
        if (next !== undefined && isAlphaNumeric(next)) this.field(cur);
        continue;
      }
      const ch = String.fromCodePoint(s.codePointAt(this.pos) ?? 0);
      if (this.pos >= s.length || ch === "\r" || ch === "\n") throw new JsonPathError("unclosed action");
      if (ch === " " || ch === "@" || ch === "$") this.pos++;
      else if (ch === "[") {
        this.pos++;
        this.array(cur);
      } else if (ch === '"' || ch === "'") {
        this.pos++;
        this.quote(cur, ch);
      } else if (ch === ".") {
        this.pos++;
        this.field(cur);
      } else if (ch === "+" || ch === "-" || /\d/.test(ch)) this.number(cur);
      else if (isAlphaNumeric(ch)) this.identifier(cur);
      else throw new JsonPathError(`unrecognized character in action: ${unicodeName(ch)}`);
    }
  }

  /** A field name runs to the next unescaped terminator; a backslash escapes a dot (kubernetes\.io/name). */
  private field(cur: Node[]): void {
    const s = this.input;
    const start = this.pos;
    while (this.pos < s.length) {
      if (s[this.pos] === "\\") this.pos += 2;
      else if (isTerminator(s[this.pos])) break;
      else this.pos++;
    }
    const value = s.slice(start, Math.min(this.pos, s.length));
    cur.push(value === "*" ? { type: "wildcard" } : { type: "field", name: value.replaceAll("\\", "") });
  }

  /** range, end, true, false — or a word the evaluator will reject. */
  private identifier(cur: Node[]): void {
    const start = this.pos;
    while (!isTerminator(this.input[this.pos])) this.pos++;
    const value = this.input.slice(start, this.pos);
    cur.push(value === "true" || value === "false" ? { type: "bool", value: value === "true" } : { type: "identifier", name: value });
  }

  private number(cur: Node[]): void {
    const s = this.input;
    const start = this.pos;
    if (s[this.pos] === "+" || s[this.pos] === "-") this.pos++;
    while (this.pos < s.length && /[\d.]/.test(s[this.pos]!)) this.pos++;
    const value = s.slice(start, this.pos);
    if (/^[+-]?\d+$/.test(value)) cur.push({ type: "int", value: Number(value) });
    else if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(value)) cur.push({ type: "float", value: Number(value) });
    else throw new JsonPathError(`cannot parse number ${value}`);
  }

  /** [...]: a union (comma), a quoted key, or an index/slice. */
  private array(cur: Node[]): void {
    const s = this.input;
    const start = this.pos;
    for (;;) {
      const ch = s[this.pos++];
      if (ch === undefined || ch === "\n") throw new JsonPathError("unterminated array");
      if (ch === "]") break;
    }
    let text = s.slice(start, this.pos - 1);
    if (text === "*") text = ":";
    const parts = text.split(",");
    if (parts.length > 1) {
      cur.push({ type: "union", lists: parts.map((p) => parseAction(`[${p.replace(/^ +| +$/g, "")}]`)) });
      return;
    }
    const key = DICT_KEY.exec(text);
    if (key) {
      cur.push(...parseAction(`.${key[1]}`));
      return;
    }
    const m = SLICE.exec(text);
    if (!m) throw new JsonPathError(`invalid array index ${text}`);
    const params: [Param, Param, Param] = [
      { known: false, value: 0, derived: false },
      { known: false, value: 0, derived: false },
      { known: false, value: 0, derived: false },
    ];
    for (let i = 0; i < 3; i++) {
      let v = m[i + 1] ?? "";
      if (v === "") {
        if (i === 1) params[1] = { known: true, value: params[0].value + 1, derived: true };
        continue;
      }
      if (i > 0) v = v.slice(1);
      if (i > 0 && v === "") continue;
      if (!/^[+-]?\d+$/.test(v)) throw new JsonPathError(`array index ${v} is not a number`);
      params[i] = { known: true, value: Number(v), derived: false };
    }
    cur.push({ type: "array", params });
  }

  /** [?(LEFT OP RIGHT)] or [?(PATH)] (exists); quotes may hide a ")" inside the comparison. */
  private filter(cur: Node[]): void {
    const s = this.input;
    this.pos += 3;
    const start = this.pos;
    let begin = false;
    let end = false;
    let pair = "";
    for (;;) {
      const ch = s[this.pos++];
      if (ch === undefined || ch === "\n") throw new JsonPathError("unterminated filter");
      if (ch === '"' || ch === "'") {
        if (!begin) {
          begin = true;
          pair = ch;
          continue;
        }
        if (s[this.pos - 2] !== "\\" && ch === pair) end = true;
      } else if (ch === ")" && begin === end) break;
    }
    if (s[this.pos++] !== "]") throw new JsonPathError("unclosed array expect ]");
    const text = s.slice(start, this.pos - 2);
    const m = COMPARISON.exec(text);
    if (!m) cur.push({ type: "filter", left: parseAction(text), right: [], op: "exists" });
    else cur.push({ type: "filter", left: parseAction(m[1]!), right: parseAction(m[3]!), op: m[2]! });
  }

  private quote(cur: Node[], q: string): void {
    const s = this.input;
    const start = this.pos - 1;
    for (;;) {
      const ch = s[this.pos++];
      if (ch === undefined || ch === "\n") throw new JsonPathError("unterminated quoted string");
      if (ch === q && s[this.pos - 2] !== "\\") break;
    }
    const value = s.slice(start, this.pos);
    const text = unquote(value);
    if (text === null) throw new JsonPathError(`unquote string ${value} error invalid syntax`);
    cur.push({ type: "text", text });
  }
}

/** The nodes of TEXT parsed as the inside of one action (unions, quoted keys and filters reuse the parser). */
function parseAction(text: string): Node[] {
  const nodes = new Parser(`{${text}}`).parse();
  return nodes[0]?.type === "list" ? nodes[0].nodes : [];
}

/** Go's strconv unquoting, which also accepts single quotes: \n \t \\ \" \' \xHH \uHHHH \OOO. */
function unquote(value: string): string | null {
  const q = value[0]!;
  const body = value.slice(1, -1);
  const simple: Record<string, string> = { a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\" };
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch === q) return null;
    if (ch !== "\\") {
      out += ch;
      continue;
    }
    const e = body[++i];
    if (e === undefined) return null;
    if (simple[e]) out += simple[e];
    else if (e === "'" || e === '"') {
      if (e !== q) return null;
      out += e;
    } else if (e === "x" || e === "u" || e === "U") {
      const n = { x: 2, u: 4, U: 8 }[e];
      const hex = body.slice(i + 1, i + 1 + n);
      if (hex.length !== n || !/^[0-9a-fA-F]+$/.test(hex)) return null;
      out += String.fromCodePoint(parseInt(hex, 16));
      i += n;
    } else if (/[0-7]/.test(e)) {
      const oct = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(oct) || parseInt(oct, 8) > 255) return null;
      out += String.fromCharCode(parseInt(oct, 8));
      i += 2;
    } else return null;
  }
  return out;
}

const isMap = (v: unknown) => kindOf(v) === "map";

function firstIdentifier(n: Node): string | undefined {
  return n.type === "list" ? n.nodes.find((x): x is { type: "identifier"; name: string } => x.type === "identifier")?.name : undefined;
}

/** A parsed template: results grouped per action, as the real FindResults returns them. */
export class JsonPath {
  private constructor(
    readonly template: string,
    private readonly nodes: Node[],
  ) {}

  /** Parse TEMPLATE; a syntax error throws JsonPathError with the parser's own message. */
  static parse(template: string): JsonPath {
    return new JsonPath(template, new Parser(template).parse());
  }

  findResults(data: unknown, allowMissingKeys: boolean): unknown[][] {
    const out: unknown[][] = [];
    new Evaluator(allowMissingKeys).sequence(this.nodes, data, out);
    return out;
  }

  /** The printed template: each action's results joined by spaces; maps and lists as JSON. */
  execute(data: unknown, allowMissingKeys: boolean): string {
    return this.findResults(data, allowMissingKeys).map((group) => group.map(text).join(" ")).join("");
  }

  /** -o jsonpath-as-json: each action's results as one indented JSON array. */
  executeAsJSON(data: unknown, allowMissingKeys: boolean): string {
    return this.findResults(data, allowMissingKeys).map((group) => goJSON(group, "    ") + "\n").join("");
  }
}

function text(v: unknown): string {
  const k = kindOf(v);
  return k === "map" || k === "slice" ? goJSON(v) : goV(v);
}

class Evaluator {
  constructor(private readonly allowMissingKeys: boolean) {}

  /** Top-level (or range-body) nodes against DATA. A range over nothing ends the template there. */
  sequence(seq: Node[], data: unknown, out: unknown[][]): void {
    for (let i = 0; i < seq.length; i++) {
      const node = seq[i]!;
      const ident = firstIdentifier(node);
      if (ident === "end") throw new JsonPathError("not in range, nothing to end");
      if (ident !== "range") {
        out.push(this.walk([data], node));
        continue;
      }
      const end = matchingEnd(seq, i);
      const items = this.walk([data], node);
      if (!items.length) return;
      const body = seq.slice(i + 1, end);
      for (const item of items) this.sequence(body, item, out);
      i = end;
    }
  }

  private walk(input: unknown[], node: Node): unknown[] {
    switch (node.type) {
      case "list":
        return node.nodes.reduce((cur, n) => this.walk(cur, n), input);
      case "text":
        return [node.text];
      case "field":
        return this.field(input, node.name);
      case "array":
        return this.array(input, node.params);
      case "filter":
        return this.filter(input, node);
      case "int":
      case "bool":
        return input.map(() => node.value);
      case "float":
        return input.map(() => new GoFloat(node.value));
      case "wildcard":
        return input.flatMap(children);
      case "recursive":
        return this.recursive(input);
      case "union":
        return node.lists.flatMap((l) => this.walk(input, { type: "list", nodes: l }));
      case "identifier":
        if (node.name === "range" || node.name === "end") return input;
        throw new JsonPathError(`unrecognized identifier ${node.name}`);
    }
  }

  private field(input: unknown[], name: string): unknown[] {
    if (!input.length) return [];
    const results: unknown[] = [];
    for (const v of input) if (isMap(v) && Object.prototype.hasOwnProperty.call(v, name)) results.push((v as Record<string, unknown>)[name]);
    if (!results.length && !this.allowMissingKeys) throw new JsonPathError(`${name} is not found`);
    return results;
  }

  private array(input: unknown[], params: [Param, Param, Param]): unknown[] {
    const results: unknown[] = [];
    for (const v of input) {
      if (v === null || v === undefined) continue;
      if (!Array.isArray(v)) throw new JsonPathError(`${goTypeName(v)} is not array or slice`);
      const len = v.length;
      let from = params[0].known ? params[0].value : 0;
      if (from < 0) from += len;
      let to = params[1].known ? params[1].value : len;
      if (to < 0 || (to === 0 && params[1].derived)) to += len;
      if (to !== from) {
        if (from >= len || from < 0) throw new JsonPathError(`array index out of bounds: index ${from}, length ${len}`);
        if (to > len) throw new JsonPathError(`array index out of bounds: index ${to - 1}, length ${len}`);
      }
      // (a loop, not push(...slice): a List of 150,000 pods would overflow the call stack)
      for (let i = from; i < to; i++) results.push(v[i]);
    }
    return results;
  }

  private filter(input: unknown[], node: { left: Node[]; right: Node[]; op: string }): unknown[] {
    const results: unknown[] = [];
    for (const v of input) {
      if (!Array.isArray(v)) throw new JsonPathError(`${goV(v)} is not array or slice and cannot be filtered`);
      for (const item of v) {
        if (node.op === "exists") {
          let found: unknown[] = [];
          try {
            found = this.walk([item], { type: "list", nodes: node.left });
          } catch {
            found = [];
          }
          if (found.length) results.push(item);
          continue;
        }
        const lefts = this.walk([item], { type: "list", nodes: node.left });
        // An element without the field is skipped; a path giving several values cannot be compared.
        if (!lefts.length) continue;
        if (lefts.length > 1) throw new JsonPathError("can only compare one element at a time");
        const rights = this.walk([item], { type: "list", nodes: node.right });
        if (rights.length !== 1) throw new JsonPathError("can only compare one element at a time");
        if (compare(node.op, lefts[0], rights[0])) results.push(item);
      }
    }
    return results;
  }

  /** ..: every value that has children (a non-empty map, list or string), parents before their children. */
  private recursive(input: unknown[], result: unknown[] = []): unknown[] {
    for (const v of input) {
      // A string's children are bytes, which have none: it counts itself, and that is all.
      if (typeof v === "string") {
        if (v.length) result.push(v);
        continue;
      }
      const kids = children(v);
      if (!kids.length) continue;
      result.push(v);
      this.recursive(kids, result);
    }
    return result;
  }
}

/** What a wildcard yields: a map's values, a list's items, a string's bytes. */
function children(v: unknown): unknown[] {
  switch (kindOf(v)) {
    case "map":
      return Object.values(v as Record<string, unknown>);
    case "slice":
      return v as unknown[];
    case "string":
      return [...new TextEncoder().encode(v as string)].map((b) => new GoByte(b));
    default:
      return [];
  }
}

function matchingEnd(seq: Node[], rangeAt: number): number {
  let depth = 0;
  for (let j = rangeAt + 1; j < seq.length; j++) {
    const id = firstIdentifier(seq[j]!);
    if (id === "range") depth++;
    else if (id === "end" && depth-- === 0) return j;
  }
  return seq.length;
}

/** The comparisons of Go's text/template (eq, ne, lt, le, gt, ge) on basic kinds. */
function compare(op: string, l: unknown, r: unknown): boolean {
  const basic = (v: unknown) => {
    const k = kindOf(v);
    return k === "uint8" ? "int" : k === "map" || k === "slice" || k === "nil" ? null : k;
  };
  const kl = basic(l);
  const kr = basic(r);
  if (!["==", "!=", "<", ">", "<=", ">="].includes(op)) throw new JsonPathError(`unrecognized filter operator ${op}`);
  if (kl === null || kr === null) throw new JsonPathError("invalid type for comparison");
  if (kl !== kr) throw new JsonPathError("incompatible types for comparison");
  const a = kl === "string" || kl === "bool" ? l : numberOf(l);
  const b = kl === "string" || kl === "bool" ? r : numberOf(r);
  if (op === "==") return a === b;
  if (op === "!=") return a !== b;
  if (kl === "bool") throw new JsonPathError("invalid type for comparison");
  const [x, y] = [a as number | string, b as number | string];
  return op === "<" ? x < y : op === ">" ? x > y : op === "<=" ? x <= y : x >= y;
}
