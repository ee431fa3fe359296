// kubectl create configmap / create secret generic: the object kubectl builds from
// --from-literal=KEY=VALUE and --from-file=[KEY=]PATH. A Secret's values travel (and are stored
// in etcd) base64-encoded — an encoding, not encryption.
import type { KObject } from "../api/types";

const KEY = /^[-._a-zA-Z0-9]+$/;
const KEY_RULE = "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

export function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** The ConfigMap or Secret, or kubectl's error text. readFile throws for a missing path. */
export function buildConfigObject(
  what: "configmap" | "secret",
  name: string | undefined,
  namespace: string | undefined,
  literals: string[],
  files: string[],
  readFile: (path: string) => string,
  type?: string,
): KObject | string {
  const kind = what === "configmap" ? "ConfigMap" : "Secret";
  if (!name) return `error: exactly one NAME is required, got 0\nSee 'kubectl create ${what === "secret" ? "secret generic" : "configmap"} -h' for help and examples\n`;
  const data: Record<string, string> = {};
  const add = (key: string, value: string): string | null => {
    if (!KEY.test(key)) return what === "configmap" ? `error: "${key}" is not a valid key name for a ConfigMap: ${KEY_RULE}\n` : `error: "${key}" is not valid key name for a Secret ${KEY_RULE}\n`;
    if (key in data) return `error: cannot add key "${key}", another key by that name already exists in Data for ${kind} "${name}"\n`;
    data[key] = what === "secret" ? base64(value) : value;
    return null;
  };
  for (const lit of literals) {
    const eq = lit.indexOf("=");
    if (eq <= 0) return `error: invalid literal source ${lit}, expected key=value\n`;
    const err = add(lit.slice(0, eq), lit.slice(eq + 1));
    if (err) return err;
  }
  for (const spec of files) {
    const eq = spec.indexOf("=");
    const [key, path] = eq > 0 ? [spec.slice(0, eq), spec.slice(eq + 1)] : [spec.split("/").filter(Boolean).pop() ?? spec, spec];
    let content: string;
    try {
      content = readFile(path);
    } catch {
      return `error: error reading ${path}: no such file or directory\n`;
    }
    const err = add(key, content);
    if (err) return err;
  }
  // Key order as Go's encoder (fields of the typed object: kind, apiVersion, metadata, data, type).
  const metadata = { name, ...(namespace ? { namespace } : {}) };
  return { kind, apiVersion: "v1", metadata, ...(Object.keys(data).length ? { data } : {}), ...(what === "secret" && type ? { type } : {}) } as unknown as KObject;
}
