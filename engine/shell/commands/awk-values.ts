// awk's values: numbers, strings, and "strnums" (input text that looks like a number: a field,
// a split() element, a -v value), which compare as numbers against numbers. What awk prints for
// a number (an integer as an integer, else %.6g) and how it splits a record into fields.
import { cformat } from "./cformat";
import { posixToJs } from "./regex";

/** Input text: a string that compares numerically when it looks like a number. */
export class Input {
  constructor(readonly s: string) {}
}
/** undefined is an uninitialised variable: "" and 0 at once. */
export type V = number | string | Input | undefined;

const NUMERIC = /^[ \t\n]*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?[ \t\n]*$/;
const LEADING = /^[ \t\n]*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/;

/** The number in the text's longest numeric prefix (strtod), 0 if none. */
export function toNum(v: V): number {
  if (typeof v === "number") return v;
  const s = v instanceof Input ? v.s : v ?? "";
  const m = LEADING.exec(s);
  return m ? Number(m[0]) : 0;
}

/** A number as awk turns it into a string (CONVFMT, or OFMT when printing). */
export function numText(n: number, fmt: string): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e16) return String(n);
  if (!isFinite(n)) return isNaN(n) ? "nan" : n > 0 ? "inf" : "-inf";
  return cformat(fmt, () => ({ num: () => n, str: () => String(n) }));
}

export function toStr(v: V, fmt = "%.6g"): string {
  return typeof v === "number" ? numText(v, fmt) : v instanceof Input ? v.s : v ?? "";
}

function numeric(v: V): boolean {
  return typeof v === "number" || v === undefined || (v instanceof Input && NUMERIC.test(v.s));
}

/** <0, 0, >0: numerically when both sides are numeric, else as strings. */
export function compare(a: V, b: V, fmt: string): number {
  if (numeric(a) && numeric(b)) {
    const x = toNum(a), y = toNum(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const x = toStr(a, fmt), y = toStr(b, fmt);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function truthy(v: V): boolean {
  if (typeof v === "number") return v !== 0;
  if (v instanceof Input) return NUMERIC.test(v.s) ? toNum(v) !== 0 : v.s !== "";
  return !!v;
}

const cache = new Map<string, RegExp>();
/** A dynamic regular expression (a string used where awk wants an ERE), compiled once. */
export function ere(src: string, flags = ""): RegExp {
  const key = flags + "/" + src;
  let re = cache.get(key);
  if (!re) cache.set(key, (re = new RegExp(posixToJs(src, true, true), flags)));
  return re;
}

/** Split text as awk splits a record with this FS: " " on runs of blanks, one other character literally, else an ERE. */
export function splitFields(text: string, fs: string, paragraph = false): string[] {
  if (fs === " ") {
    const t = text.replace(/^[ \t\n]+|[ \t\n]+$/g, "");
    return t === "" ? [] : t.split(/[ \t\n]+/);
  }
  if (text === "") return [];
  let parts: string[];
  if (fs.length === 1 && fs !== "\\") parts = text.split(fs);
  else if (fs === "") parts = [...text];
  else {
    const re = ere(fs, "g");
    parts = [];
    let last = 0;
    re.lastIndex = 0;
    for (let m; (m = re.exec(text)); ) {
      if (m[0] === "") re.lastIndex++;
      else parts.push(text.slice(last, m.index)), (last = m.index + m[0].length);
    }
    parts.push(text.slice(last));
  }
  return paragraph ? parts.flatMap((p) => p.split("\n")) : parts;
}
