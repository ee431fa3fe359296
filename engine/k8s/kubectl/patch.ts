// kubectl patch: the three patch formats the API server accepts, applied to the live object.
//   strategic (default): maps merge, null deletes, lists of named things (containers, env,
//     volumes, ports) merge element by element on their key; `$patch: delete` drops one.
//   merge (RFC 7386): maps merge, null deletes, every list is replaced whole.
//   json (RFC 6902): a list of add / remove / replace / move / copy / test operations.
import YAML from "yaml";
import { mergePatch } from "../api/apiserver";
import { mergeKeyOf } from "./three-way-merge";

export type PatchType = "strategic" | "merge" | "json";
type Json = unknown;
type Obj = Record<string, Json>;
const isObj = (v: Json): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** Flags kubectl patch reads before the common ones (its -p is not logs' --previous). */
export interface PatchFlags {
  args: string[];
  patch?: string;
  type?: string;
}

export function splitPatchFlags(args: string[]): PatchFlags {
  const out: PatchFlags = { args: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const m = /^--(patch|type)=(.*)$/s.exec(a) ?? /^-p=?(.+)$/s.exec(a);
    if (m) {
      if (m.length === 3 && m[1] === "type") out.type = m[2];
      else out.patch = m.length === 3 ? m[2] : m[1];
    } else if (a === "-p" || a === "--patch") out.patch = args[++i] ?? "";
    else if (a === "--type") out.type = args[++i] ?? "";
    else out.args.push(a);
  }
  return out;
}

function strategic(live: Json, patch: Json, field = ""): Json {
  if (isObj(patch)) {
    if (patch.$patch === "replace") {
      const { $patch: _drop, ...rest } = patch;
      return rest;
    }
    const base: Obj = isObj(live) ? { ...live } : {};
    for (const [k, v] of Object.entries(patch)) {
      if (k.startsWith("$")) continue;
      if (v === null) delete base[k];
      else base[k] = strategic(base[k], v, k);
    }
    return base;
  }
  if (Array.isArray(patch) && Array.isArray(live)) {
    const key = mergeKeyOf(field, [...patch, ...live]);
    if (!key) return patch;
    const out = [...live] as Obj[];
    for (const p of patch as Obj[]) {
      const at = out.findIndex((x) => x[key] === p[key]);
      if (p.$patch === "delete") {
        if (at >= 0) out.splice(at, 1);
      } else if (at >= 0) out[at] = strategic(out[at], p, field) as Obj;
      else out.push(strategic(undefined, p, field) as Obj);
    }
    return out;
  }
  return patch;
}

class PatchFailed extends Error {}

/** RFC 6901: "/spec/template/spec/containers/0/image" → its segments. */
function pointer(path: unknown): string[] {
  if (typeof path !== "string" || (path !== "" && !path.startsWith("/"))) throw new PatchFailed();
  return path === "" ? [] : path.slice(1).split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function parentOf(doc: Json, segs: string[]): { parent: Json; last: string } {
  let cur = doc;
  for (const s of segs.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(s)];
    else if (isObj(cur)) cur = cur[s];
    else throw new PatchFailed();
    if (cur === undefined) throw new PatchFailed();
  }
  return { parent: cur, last: segs[segs.length - 1]! };
}

function getAt(doc: Json, segs: string[]): Json {
  if (!segs.length) return doc;
  const { parent, last } = parentOf(doc, segs);
  const v = Array.isArray(parent) ? parent[Number(last)] : isObj(parent) ? parent[last] : undefined;
  if (v === undefined) throw new PatchFailed();
  return v;
}

function removeAt(doc: Json, segs: string[]): Json {
  const { parent, last } = parentOf(doc, segs);
  const old = getAt(doc, segs);
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else delete (parent as Obj)[last];
  return old;
}

function addAt(doc: Json, segs: string[], value: Json): Json {
  if (!segs.length) return value;
  const { parent, last } = parentOf(doc, segs);
  if (Array.isArray(parent)) {
    const i = last === "-" ? parent.length : Number(last);
    if (!/^\d+$/.test(last) && last !== "-") throw new PatchFailed();
    if (i > parent.length) throw new PatchFailed();
    parent.splice(i, 0, value);
  } else if (isObj(parent)) parent[last] = value;
  else throw new PatchFailed();
  return doc;
}

function jsonPatch(live: Json, ops: Json[]): Json {
  let doc = structuredClone(live);
  for (const op of ops) {
    if (!isObj(op)) throw new PatchFailed();
    const path = pointer(op.path);
    switch (op.op) {
      case "add":
        doc = addAt(doc, path, structuredClone(op.value));
        break;
      case "remove":
        removeAt(doc, path);
        break;
      case "replace":
        getAt(doc, path);
        if (!path.length) doc = structuredClone(op.value);
        else {
          const { parent, last } = parentOf(doc, path);
          if (Array.isArray(parent)) parent[Number(last)] = structuredClone(op.value);
          else (parent as Obj)[last] = structuredClone(op.value);
        }
        break;
      case "move":
        doc = addAt(doc, path, removeAt(doc, pointer(op.from)));
        break;
      case "copy":
        doc = addAt(doc, path, structuredClone(getAt(doc, pointer(op.from))));
        break;
      case "test":
        if (JSON.stringify(getAt(doc, path)) !== JSON.stringify(op.value)) throw new PatchFailed();
        break;
      default:
        throw new PatchFailed();
    }
  }
  return doc;
}

/**
 * The object after the patch, or the error line kubectl prints. The patch text may be JSON
 * or YAML (kubectl converts YAML to JSON before sending it).
 */
export function applyPatch(live: Json, text: string, type: PatchType): { next: Json } | { error: string } {
  let patch: Json;
  try {
    patch = YAML.parse(text);
  } catch (e) {
    return { error: `error: unable to parse "${text}": yaml: ${String((e as Error).message).split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "").toLowerCase()}` };
  }
  if (type === "json") {
    if (!Array.isArray(patch)) return { error: `Error from server (BadRequest): json: cannot unmarshal ${patch === null ? "null" : typeof patch === "object" ? "object" : typeof patch === "string" ? "string" : "number"} into Go value of type jsonpatch.Patch` };
    try {
      return { next: jsonPatch(live, patch) };
    } catch (e) {
      if (e instanceof PatchFailed) return { error: "The request is invalid: the server rejected our request due to an error in our request" };
      throw e;
    }
  }
  if (!isObj(patch)) return { error: `Error from server (BadRequest): json: cannot unmarshal ${Array.isArray(patch) ? "array" : typeof patch} into Go value of type map[string]interface {}` };
  return { next: type === "merge" ? mergePatch(live, patch) : strategic(live, patch) };
}
