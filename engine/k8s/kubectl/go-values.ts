// How Go prints the values kubectl's template printers find. kubectl decodes an object into
// "unstructured" Go values (map[string]interface{}, []interface{}, string, int64, float64,
// bool, nil) and then prints them with fmt or encoding/json; these helpers reproduce those
// spellings so `-o jsonpath`, `-o custom-columns` and their error messages read as the real ones.

/** A number the template itself wrote as a float (`1.5`, `2.0`): Go keeps it a float64 even when whole. */
export class GoFloat {
  constructor(readonly value: number) {}
}

/** One byte of a string, as Go's reflection yields it when a wildcard walks a string (a uint8). */
export class GoByte {
  constructor(readonly value: number) {}
}

export type GoKind = "map" | "slice" | "string" | "int" | "float" | "bool" | "nil" | "uint8";

export function kindOf(v: unknown): GoKind {
  if (v === null || v === undefined) return "nil";
  if (v instanceof GoFloat) return "float";
  if (v instanceof GoByte) return "uint8";
  if (Array.isArray(v)) return "slice";
  if (typeof v === "string") return "string";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "float";
  return "map";
}

/** The Go type name reflection reports (`%v is not array or slice` messages). */
export function goTypeName(v: unknown): string {
  return { map: "map[string]interface {}", slice: "[]interface {}", string: "string", int: "int64", float: "float64", bool: "bool", nil: "interface {}", uint8: "uint8" }[kindOf(v)];
}

export function numberOf(v: unknown): number {
  return v instanceof GoFloat || v instanceof GoByte ? v.value : (v as number);
}

/** strconv.FormatFloat(f, 'g', -1, 64), which fmt's %v uses: the exponent form from 1e+06 and below 1e-04. */
export function goFloat(f: number): string {
  if (!Number.isFinite(f)) return Number.isNaN(f) ? "NaN" : f > 0 ? "+Inf" : "-Inf";
  if (f === 0) return Object.is(f, -0) ? "-0" : "0";
  const [mantissa, expText] = f.toExponential().split("e") as [string, string];
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) return `${mantissa}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  return String(f);
}

/** fmt's %v: strings bare, maps as map[k:v] with sorted keys, slices as [a b], nil as <nil>. */
export function goV(v: unknown): string {
  switch (kindOf(v)) {
    case "nil":
      return "<nil>";
    case "string":
      return v as string;
    case "int":
    case "uint8":
      return String(numberOf(v));
    case "float":
      return goFloat(numberOf(v));
    case "bool":
      return String(v);
    case "slice":
      return `[${(v as unknown[]).map(goV).join(" ")}]`;
    default: {
      const m = v as Record<string, unknown>;
      return `map[${Object.keys(m).sort().map((k) => `${k}:${goV(m[k])}`).join(" ")}]`;
    }
  }
}

/** fmt's %#v of an unstructured value: Go syntax, as kubectl dumps "the object given to jsonpath engine". */
export function goSharpV(v: unknown): string {
  switch (kindOf(v)) {
    case "nil":
      return "interface {}(nil)";
    case "string":
      return goQuote(v as string);
    case "int":
    case "uint8":
      return String(numberOf(v));
    case "float":
      return goFloat(numberOf(v));
    case "bool":
      return String(v);
    case "slice":
      return `[]interface {}{${(v as unknown[]).map(goSharpV).join(", ")}}`;
    default: {
      const m = v as Record<string, unknown>;
      return `map[string]interface {}{${Object.keys(m).sort().map((k) => `${goQuote(k)}:${goSharpV(m[k])}`).join(", ")}}`;
    }
  }
}

/** strconv.Quote: a double-quoted Go string literal. */
export function goQuote(s: string): string {
  const named: Record<string, string> = { "\x07": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v", "\\": "\\\\", '"': '\\"' };
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (named[ch]) out += named[ch];
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return out + '"';
}

/** encoding/json's Marshal: map keys sorted, and <, >, & escaped for HTML as Go does by default. */
export function goJSON(v: unknown, indent = ""): string {
  const plain = (x: unknown): unknown => {
    if (x instanceof GoFloat || x instanceof GoByte) return x.value;
    if (Array.isArray(x)) return x.map(plain);
    if (x && typeof x === "object") return Object.fromEntries(Object.keys(x).sort().map((k) => [k, plain((x as Record<string, unknown>)[k])]));
    return x === undefined ? null : x;
  };
  return JSON.stringify(plain(v), null, indent).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
