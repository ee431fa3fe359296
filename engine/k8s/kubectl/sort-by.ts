// kubectl get --sort-by=<jsonpath>: the first value the path finds in each object is its key.
// Numbers compare numerically, strings that both parse as quantities (100m, 1Gi) by amount,
// other strings in natural order (pod-9 before pod-10); an object without the field sorts first.
// Go's sort.Sort runs an insertion sort on up to 12 items, which keeps equal keys in list
// order; longer lists use a stable sort here (Go's order for ties there is unspecified).
import type { KObject } from "../api/types";
import { kindOf, goTypeName, numberOf } from "./go-values";
import { JsonPath, JsonPathError } from "./jsonpath";
import { relaxedJsonPath } from "./custom-columns";
import { parseQuantity, QuantityError } from "../quantity";
import type { Quantity } from "../quantity";

/** An error kubectl reports and returns from (printed as "error: …"). */
export class SortError extends Error {}
/** A comparison kubectl cannot make: it exits through klog.Exitf ("F… sorter.go] …"). */
export class SortFatal extends Error {}

const INSERTION_SORT_MAX = 12;

/**
 * Sort OBJS by SORTBY. TABLE: the default and -o wide output (kubectl sorts the rows of the
 * server's Table, with its own error wording); otherwise the items of the List it prints.
 */
export function sortObjects(objs: KObject[], sortBy: string, table: boolean): KObject[] {
  const relaxed = relaxedJsonPath(sortBy);
  // The table sorter falls back to the flag as given when it is not a relaxed path.
  if (typeof relaxed !== "string" && !table) throw new SortError(relaxed.error);
  const field = typeof relaxed === "string" ? relaxed : sortBy;
  let parser: JsonPath;
  try {
    parser = JsonPath.parse(field);
  } catch (e) {
    if (!(e instanceof JsonPathError)) throw e;
    throw new SortError(table ? `sorting error: ${e.message}` : e.message);
  }
  if (!objs.length) return objs;
  const keys = objs.map((o) => {
    try {
      return parser.findResults(o, true)[0]?.[0];
    } catch (e) {
      if (!(e instanceof JsonPathError)) throw e;
      throw new SortError(table ? `Failed to get values for [][]reflect.Value(nil) using ${field} (&errors.errorString{s:${JSON.stringify(e.message)}})` : e.message);
    }
  });
  if (keys.every((k) => k === undefined)) throw new SortError(`couldn't find any field with path "${field}" in the list of objects`);
  const where = table ? "[][][]reflect.Value" : "*unstructured.Unstructured";
  // Each string key's quantity (or that it is none) and bytes, worked out once, not per comparison.
  const prepared = keys.map((k) => (typeof k === "string" ? prepare(k) : null));
  const less = (x: number, y: number): boolean => {
    if (keys[x] === undefined) return true;
    if (keys[y] === undefined) return false;
    const r = isLess(keys[x], keys[y], prepared[x] ?? null, prepared[y] ?? null);
    if (typeof r === "string") throw new SortFatal(`Field ${field} in ${where} is an unsortable type: interface, err: ${r}`);
    return r;
  };
  const order = objs.map((_, i) => i);
  if (objs.length <= INSERTION_SORT_MAX) {
    for (let i = 1; i < order.length; i++) {
      for (let j = i; j > 0 && less(order[j]!, order[j - 1]!); j--) [order[j], order[j - 1]] = [order[j - 1]!, order[j]!];
    }
  } else {
    // One three-way comparison per pair where it is cheap (two strings), else less() both ways.
    order.sort((x, y) => {
      const [a, b, pa, pb] = [keys[x], keys[y], prepared[x], prepared[y]];
      if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
      if (pa && pb) return pa.quantity && pb.quantity ? pa.quantity.cmp(pb.quantity) : naturalCompareBytes(pa.bytes, pb.bytes);
      return less(x, y) ? -1 : less(y, x) ? 1 : 0;
    });
  }
  return order.map((i) => objs[i]!);
}

interface Prepared {
  quantity: Quantity | null;
  bytes: Uint8Array;
}

const encoder = new TextEncoder();

/** The shape of a quantity (sign, number, suffix): anything else is not worth a parse (and its exception). */
const QUANTITY_SHAPE = /^[+-]?(\d+\.?\d*|\.\d+)([numkMGTPE]|[KMGTPE]i|[eE][+-]?\d+)?$/;

function prepare(s: string): Prepared {
  let quantity: Quantity | null = null;
  try {
    if (QUANTITY_SHAPE.test(s)) quantity = parseQuantity(s);
  } catch (e) {
    if (!(e instanceof QuantityError)) throw e;
  }
  return { quantity, bytes: encoder.encode(s) };
}

/** kubectl's isLess for values decoded from JSON; a string is the error kubectl would report. */
function isLess(a: unknown, b: unknown, pa: Prepared | null, pb: Prepared | null): boolean | string {
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (ka === "nil" || kb === "nil") return ka === "nil" && kb !== "nil";
  if (ka === "int" || ka === "float") return kb === ka ? numberOf(a) < numberOf(b) : "unsortable interface: interface";
  if (ka === "string") {
    if (kb !== "string") return "unsortable interface: interface";
    // Both quantities (100m, 1Gi, 3): compared as amounts; otherwise in natural order.
    if (pa!.quantity && pb!.quantity) return pa!.quantity.cmp(pb!.quantity) < 0;
    return naturalCompareBytes(pa!.bytes, pb!.bytes) < 0;
  }
  return `unsortable type: ${goTypeName(a)}`;
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/** Natural order (github.com/fvbommel/sortorder): digit runs compare by value, other bytes as bytes. */
export function naturalLess(s1: string, s2: string): boolean {
  return naturalCompareBytes(encoder.encode(s1), encoder.encode(s2)) < 0;
}

/** Natural order as a three-way comparison (negative: A first). */
function naturalCompareBytes(a: Uint8Array, b: Uint8Array): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const d1 = isDigit(a[i]!);
    const d2 = isDigit(b[j]!);
    // Digits before other characters.
    if (d1 !== d2) return d1 ? -1 : 1;
    if (!d1) {
      if (a[i] !== b[j]) return a[i]! - b[j]!;
      i++;
      j++;
      continue;
    }
    while (i < a.length && a[i] === 48) i++;
    while (j < b.length && b[j] === 48) j++;
    const n1 = i;
    const n2 = j;
    while (i < a.length && isDigit(a[i]!)) i++;
    while (j < b.length && isDigit(b[j]!)) j++;
    // The longer run of significant digits is the larger number.
    if (i - n1 !== j - n2) return i - n1 - (j - n2);
    for (let d = 0; d < i - n1; d++) if (a[n1 + d] !== b[n2 + d]) return a[n1 + d]! - b[n2 + d]!;
    // Same value: fewer leading zeros first.
    if (n1 !== n2) return n1 - n2;
  }
  return a.length - b.length;
}
