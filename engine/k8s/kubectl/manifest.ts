// Reading manifests as kubectl does: YAML or JSON, several documents separated by ---,
// with the line and column of a syntax error.
import { LineCounter, parseAllDocuments } from "yaml";
import type { KObject } from "../api/types";

export class ManifestError extends Error {}

/**
 * The message go-yaml (behind sigs.k8s.io/yaml, which kubectl uses) gives for the same mistake:
 * "yaml: line N: <libyaml problem>". libyaml names the line of the offending token; duplicate
 * keys are reported by the strict unmarshal step instead.
 */
export function goYamlError(code: string, message: string, line: number, text: string): string {
  const src = text.split("\n")[line - 1] ?? "";
  switch (code) {
    case "DUPLICATE_KEY": {
      const key = /^\s*(?:- )?["']?([^"':]+)["']?\s*:/.exec(src)?.[1] ?? "";
      return `yaml: unmarshal errors:\n  line ${line}: key "${key}" already set in map`;
    }
    case "TAB_AS_INDENT":
      return `yaml: line ${line}: found character that cannot start any token`;
    case "BLOCK_AS_IMPLICIT_KEY":
      return /sequence/.test(message) ? `yaml: line ${line}: block sequence entries are not allowed in this context` : `yaml: line ${line}: mapping values are not allowed in this context`;
    case "MULTILINE_IMPLICIT_KEY":
      return `yaml: line ${line}: could not find expected ':'`;
    case "MISSING_CHAR":
      return /quote/i.test(message) ? `yaml: line ${line}: found unexpected end of stream` : `yaml: line ${line}: could not find expected ':'`;
    case "BAD_INDENT":
      return /sequence/.test(message) ? `yaml: line ${line}: did not find expected '-' indicator` : `yaml: line ${line}: did not find expected key`;
    default:
      return `yaml: line ${line}: did not find expected key`;
  }
}

export function parseManifests(text: string, source: string): KObject[] {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const out: KObject[] = [];
  for (const doc of docs) {
    const err = doc.errors[0];
    if (err) {
      const pos = err.linePos?.[0] ?? lineCounter.linePos(err.pos[0]);
      throw new ManifestError(`error: error parsing ${source}: error converting YAML to JSON: ${goYamlError(err.code, err.message, pos.line, text)}`);
    }
    const v = doc.toJS() as unknown;
    if (v === null || v === undefined) continue;
    if (typeof v !== "object" || Array.isArray(v)) throw new ManifestError(`error: error validating "${source}": error validating data: invalid object to validate; if you choose to ignore these errors, turn validation off with --validate=false`);
    const obj = v as KObject;
    if (obj.kind === "List" && Array.isArray((obj as { items?: unknown }).items)) out.push(...((obj as unknown as { items: KObject[] }).items));
    else out.push(obj);
  }
  return out;
}
