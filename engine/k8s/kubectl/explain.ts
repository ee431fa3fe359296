// kubectl explain RESOURCE[.field.path] [--recursive]: the API server's schema for a kind, one
// level at a time, in kubectl's plaintext layout (GROUP/KIND/VERSION, FIELD, DESCRIPTION, FIELDS).
// The schema is the one the API server decodes with (engine/k8s/api/schema.ts), so what explain
// lists is exactly what apply accepts.
import type { CommandContext } from "../../shell/command";
import { kindFor } from "../api/kinds";
import { SCHEMAS } from "../api/schema";
import type { Schema } from "../api/schema";
import { ANY_TYPES, FIELD_DOCS, KIND_DOCS, REQUIRED } from "../api/docs";

/** The object schema a field type leads into (through arrays), or null for a leaf. */
function objectOf(s: Schema): { obj: Record<string, Schema>; goType: string } | null {
  if (typeof s === "string") return null;
  if ("arr" in s) return objectOf(s.arr);
  if ("obj" in s) return s;
  return null;
}

/** The type as kubectl explain prints it between < >. */
function typeName(s: Schema, owner: string, field: string): string {
  if (typeof s === "string") {
    switch (s) {
      case "string":
        return "string";
      case "int":
        return "integer";
      case "bool":
        return "boolean";
      case "number":
        return "number";
      case "intstr":
        return "IntOrString";
      case "quantity":
        return "Quantity";
      default:
        return ANY_TYPES[`${owner}.${field}`] ?? ANY_TYPES[`*.${field}`] ?? "Object";
    }
  }
  if ("arr" in s) return `[]${typeName(s.arr, owner, field)}`;
  if ("map" in s) return `map[string]${typeName(s.map, owner, field)}`;
  return s.goType;
}

function doc(owner: string, field: string): string | undefined {
  return FIELD_DOCS[`${owner}.${field}`] ?? FIELD_DOCS[`*.${field}`];
}

/** Wrap to kubectl's 80 columns under an indent. */
function wrap(text: string, indent: number): string {
  const width = 80 - indent;
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.map((l) => " ".repeat(indent) + l + "\n").join("");
}

function fieldList(o: { obj: Record<string, Schema>; goType: string }, recursive: boolean, depth = 1): string {
  let out = "";
  for (const name of Object.keys(o.obj).sort()) {
    const s = o.obj[name]!;
    const req = REQUIRED.has(`${o.goType}.${name}`) ? " -required-" : "";
    out += `${"  ".repeat(depth)}${name}\t<${typeName(s, o.goType, name)}>${req}\n`;
    if (recursive) {
      const sub = objectOf(s);
      if (sub && depth < 12) out += fieldList(sub, true, depth + 1);
    } else {
      const d = doc(o.goType, name);
      out += (d ? wrap(d, 4) : "") + "\n";
    }
  }
  return out;
}

export function explain(ctx: CommandContext, args: string[], recursive: boolean): number {
  const target = args[0];
  if (!target) {
    ctx.err('You must specify the type of resource to explain. Use "kubectl api-resources" for a complete list of supported resources.\n\nerror: Required resource not specified.\n');
    return 1;
  }
  const [resource, ...path] = target.split(".");
  const k = kindFor(resource!);
  const root = k ? SCHEMAS[k.kind] : undefined;
  if (!k || !root || typeof root === "string" || !("obj" in root)) {
    ctx.err(`error: the server doesn't have a resource type "${resource}"\n`);
    return 1;
  }
  let out = `${k.group ? `GROUP:      ${k.group}\n` : ""}KIND:       ${k.kind}\nVERSION:    ${k.apiVersion.split("/").pop()}\n\n`;
  let cur: { obj: Record<string, Schema>; goType: string } | null = root;
  if (!path.length) {
    out += `DESCRIPTION:\n${wrap(KIND_DOCS[k.kind] ?? "<empty>", 4)}    \nFIELDS:\n${fieldList(root, recursive)}`;
    ctx.out(out);
    return 0;
  }
  let schema: Schema = root;
  let owner = k.kind;
  let field = "";
  for (const part of path) {
    const s: Schema | undefined = cur?.obj[part];
    if (!cur || !s) {
      ctx.err(`error: field "${part}" does not exist\n`);
      return 1;
    }
    owner = cur.goType;
    field = part;
    schema = s;
    cur = objectOf(s);
  }
  out += `FIELD: ${field} <${typeName(schema, owner, field)}>\n\n\nDESCRIPTION:\n${wrap(doc(owner, field) ?? "<empty>", 4)}    \n`;
  if (cur) out += `FIELDS:\n${fieldList(cur, recursive)}`;
  ctx.out(out);
  return 0;
}
