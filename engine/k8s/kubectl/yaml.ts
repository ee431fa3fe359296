// kubectl's object printers for -o yaml and -o json: Go marshals unstructured objects with their
// map keys sorted, and sigs.k8s.io/yaml writes YAML 1.1 with list items flush under their key.
import YAML from "yaml";

/** YAML as kubectl prints it (sigs.k8s.io/yaml): keys sorted, list items not indented, YAML 1.1 quoting ("80", "2026-01-12T09:00:00Z"). */
export function toYaml(v: unknown): string {
  return YAML.stringify(v, { sortMapEntries: true, indentSeq: false, version: "1.1" });
}

/** Keys sorted at every level, as kubectl prints unstructured objects (JSON maps are sorted in Go). */
export function sortKeys<T>(v: T): T {
  if (Array.isArray(v)) return v.map(sortKeys) as T;
  if (v && typeof v === "object") return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])])) as T;
  return v;
}
