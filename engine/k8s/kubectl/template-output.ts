// The template printers behind -o jsonpath=…, -o jsonpath-file=…, -o jsonpath-as-json=…,
// -o custom-columns=… and -o custom-columns-file=…: what they print for a List (or the one
// object asked for by name) and the error text kubectl gives for a bad template.
import type { KObject } from "../api/types";
import { JsonPath, JsonPathError } from "./jsonpath";
import { goQuote, goSharpV } from "./go-values";
import { columnsFromSpec, columnsFromTemplate, printColumns } from "./custom-columns";

export const TEMPLATE_FORMATS = ["jsonpath", "jsonpath-file", "jsonpath-as-json", "custom-columns", "custom-columns-file"];

export interface TemplateOptions {
  noHeaders: boolean;
  /** --allow-missing-template-keys (true by default): a missing field prints nothing. */
  allowMissingKeys: boolean;
  /** Reads a file on the host kubectl runs on; throws with the message to print. */
  readFile: (path: string) => string;
}

/** Whether OUTPUT (the -o value) names one of the template printers. */
export function isTemplateFormat(output: string): boolean {
  return TEMPLATE_FORMATS.includes(output.split("=")[0]!);
}

/**
 * Print DATA (a List, or the single object asked for) with the template printer OUTPUT names;
 * ITEMS are the objects in it (custom-columns prints a row for each).
 * Returns stdout text, or { error } with everything kubectl writes to stderr.
 */
export function printTemplate(output: string, data: unknown, items: KObject[], o: TemplateOptions): { out: string } | { error: string } {
  const eq = output.indexOf("=");
  const format = eq < 0 ? output : output.slice(0, eq);
  let arg = eq < 0 ? "" : output.slice(eq + 1);
  if (format.startsWith("custom-columns")) {
    let columns;
    if (format === "custom-columns-file") {
      if (!arg) return { error: "error: custom-columns format specified but no custom columns given\n" };
      try {
        columns = columnsFromTemplate(o.readFile(arg));
      } catch (e) {
        return { error: `error: error reading template ${arg}, ${(e as Error).message}\n` };
      }
    } else columns = columnsFromSpec(arg);
    if ("error" in columns) return { error: `error: ${columns.error}\n` };
    // kubectl passes --no-headers to the custom-columns=SPEC printer only; a columns file always gets its header.
    const text = printColumns(columns, items, format === "custom-columns" && o.noHeaders);
    return typeof text === "string" ? { out: text } : { error: `error: ${text.error}\n` };
  }
  if (!arg) return { error: "error: template format specified but no template given\n" };
  if (format === "jsonpath-file") {
    try {
      arg = o.readFile(arg);
    } catch (e) {
      return { error: `error: error reading --template ${arg}, ${(e as Error).message}\n` };
    }
  }
  let jp: JsonPath;
  try {
    jp = JsonPath.parse(arg);
  } catch (e) {
    if (!(e instanceof JsonPathError)) throw e;
    return { error: `error: error parsing jsonpath ${arg}, ${e.message}\n` };
  }
  try {
    return { out: format === "jsonpath-as-json" ? jp.executeAsJSON(data, o.allowMissingKeys) : jp.execute(data, o.allowMissingKeys) };
  } catch (e) {
    if (!(e instanceof JsonPathError)) throw e;
    const debug = `Error executing template: ${e.message}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t${arg}\n\tobject given to jsonpath engine was:\n\t\t${goSharpV(data)}\n\n`;
    return { error: `error: error executing jsonpath ${goQuote(arg)}: ${debug}\n` };
  }
}
