// kubectl get -o custom-columns=HEADER:PATH,… and -o custom-columns-file=FILE: one row per
// object, each cell the JSONPath's results joined by commas (Go's %v spelling), "<none>" when
// the path finds nothing, laid out by the tabwriter kubectl's printers share (minwidth 6,
// padding 3).
import type { KObject } from "../api/types";
import { goV } from "./go-values";
import { JsonPath, JsonPathError } from "./jsonpath";
import { tabwrite } from "./tabwriter";

export interface Column {
  header: string;
  /** The path as kubectl normalises it: {.metadata.name}. */
  fieldSpec: string;
}

const RELAXED = /^\{\.?([^{}]+)\}$|^\.?([^{}]+)$/;

/** kubectl's RelaxedJSONPathExpression: "metadata.name", ".metadata.name", "{metadata.name}" → "{.metadata.name}". */
export function relaxedJsonPath(expr: string): string | { error: string } {
  if (!expr.length) return expr;
  const m = RELAXED.exec(expr);
  if (!m) return { error: "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'" };
  return `{.${m[1] || m[2]}}`;
}

/** NAME:.metadata.name,IP:.status.podIP → columns, or kubectl's error. */
export function columnsFromSpec(spec: string): Column[] | { error: string } {
  if (!spec.length) return { error: "custom-columns format specified but no custom columns given" };
  const columns: Column[] = [];
  for (const part of spec.split(",")) {
    const colon = part.indexOf(":");
    if (colon < 0) return { error: `unexpected custom-columns spec: ${part}, expected <header>:<json-path-expr>` };
    const path = relaxedJsonPath(part.slice(colon + 1));
    if (typeof path !== "string") return path;
    columns.push({ header: part.slice(0, colon), fieldSpec: path });
  }
  return columns;
}

/** A columns file: a line of headers, then a line of paths, both split on whitespace. */
export function columnsFromTemplate(text: string): Column[] | { error: string } {
  // Lines as bufio.Scanner yields them: a final newline does not start another line.
  const lines = text === "" ? [] : text.replace(/\n$/, "").split("\n");
  const expected = "Expected format is one line of space separated headers, one line of space separated column specs.";
  if (lines.length < 1) return { error: `invalid template, missing header line. ${expected}` };
  if (lines.length < 2) return { error: `invalid template, missing spec line. ${expected}` };
  const headers = lines[0]!.split(/\s+/).filter(Boolean);
  const specs = lines[1]!.split(/\s+/).filter(Boolean);
  if (headers.length !== specs.length) return { error: `number of headers (${headers.length}) and field specifications (${specs.length}) don't match` };
  const columns: Column[] = [];
  for (const [i, header] of headers.entries()) {
    const path = relaxedJsonPath(specs[i]!);
    if (typeof path !== "string") return path;
    columns.push({ header, fieldSpec: path });
  }
  return columns;
}

/** The table for OBJS (a list's items, or the one object asked for by name). */
export function printColumns(columns: Column[], objs: KObject[], noHeaders: boolean): string | { error: string } {
  const lines = noHeaders ? [] : [columns.map((c) => c.header).join("\t")];
  let parsers: JsonPath[];
  try {
    parsers = columns.map((c) => JsonPath.parse(c.fieldSpec));
  } catch (e) {
    if (e instanceof JsonPathError) return { error: e.message };
    throw e;
  }
  for (const obj of objs) {
    const cells: string[] = [];
    for (const p of parsers) {
      let groups: unknown[][];
      try {
        groups = p.findResults(obj, true);
      } catch (e) {
        if (e instanceof JsonPathError) return { error: e.message };
        throw e;
      }
      const values = groups.flat().map(goV);
      cells.push(!groups.length || !groups[0]!.length ? ["<none>", ...values].join(",") : values.join(","));
    }
    lines.push(cells.join("\t"));
  }
  return lines.length ? tabwrite(lines.join("\n"), { minwidth: 6, padding: 3 }) + "\n" : "";
}
