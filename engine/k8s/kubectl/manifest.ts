// Reading manifests as kubectl does: YAML or JSON, several documents separated by ---,
// with the line and column of a syntax error.
import { LineCounter, parseAllDocuments } from "yaml";
import type { KObject } from "../api/types";

export class ManifestError extends Error {}

export function parseManifests(text: string, source: string): KObject[] {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const out: KObject[] = [];
  for (const doc of docs) {
    const err = doc.errors[0];
    if (err) {
      const pos = err.linePos?.[0] ?? lineCounter.linePos(err.pos[0]);
      const msg = err.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?.*$/, "");
      throw new ManifestError(`error: error parsing ${source}: error converting YAML to JSON: yaml: line ${pos.line}, column ${pos.col}: ${msg}`);
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
