// The API server: the only component that talks to etcd. Every other component (controllers,
// scheduler, kubelet, kube-proxy, kubectl) reads and writes objects through these verbs,
// and learns about changes by watching — the reconcile loops are built on that.
import type { Clock } from "../../sim/clock";
import type { Random } from "../../sim/random";
import type { Etcd } from "./store";
import type { KindInfo } from "./kinds";
import { etcdKey, kindByName, qualified } from "./kinds";
import type { Requirement } from "./labels";
import { matches } from "./labels";
import type { KObject, ObjectMeta } from "./types";
import { applyDefaults } from "./defaults";
import { checkSchema } from "./schema";
import { invalidMessage, validate, validateUpdate } from "./validation";

export type Reason = "NotFound" | "AlreadyExists" | "Invalid" | "BadRequest" | "Conflict" | "Forbidden" | "MethodNotAllowed";

/** An API error as kubectl prints it. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: Reason,
    message: string,
  ) {
    super(message);
  }

  /** kubectl's line: Invalid errors print bare; the others as "Error from server (Reason): …". */
  kubectl(): string {
    return this.reason === "Invalid" ? this.message : `Error from server (${this.reason}): ${this.message}`;
  }
}

export type WatchType = "ADDED" | "MODIFIED" | "DELETED";
export type WatchFn<T extends KObject = KObject> = (type: WatchType, obj: T, old: T | null) => void;

/** How a stored change was written: the verb, the etcd key and the revision it got. */
export interface WriteInfo {
  verb: "create" | "update" | "delete";
  /** The client's User-Agent when it is known (kubectl's requests). */
  userAgent?: string;
  subresource?: "status";
  key: string;
  revision: number;
}

export interface CreateOptions {
  dryRun?: boolean;
  /** Who is writing (for events and field managers); "kubectl" by default. */
  manager?: string;
  /** Draw the new object's uid from this generator instead of the API server's (see master-endpoints.ts). */
  uidSource?: { hex(n: number): string };
}

export class ApiServer {
  /** Called for every stored change (after etcd has it), for the event log and widgets. */
  onChange: ((type: WatchType, obj: KObject, write: WriteInfo) => void) | null = null;
  /** The User-Agent of the client whose request is being served (kubectl sets it), for the audit trail. */
  userAgent: string | null = null;

  constructor(
    readonly etcd: Etcd,
    private readonly clock: Clock,
    private readonly rng: Random,
  ) {
    // The owner index follows every write to the store (only objects with owners need decoding,
    // and not even those when the write is the API server's own: it still holds the object).
    etcd.watch("/registry/", (e) => this.indexOwners(e.kv.key, e.type === "PUT" && e.kv.value.includes('"ownerReferences":') ? (this.writing?.text === e.kv.value ? this.writing.obj : this.decode(e.kv.value)) : null));
  }

  /** The last now() answer: many writes share one virtual millisecond (status, events, conditions). */
  private lastNow = { ms: NaN, text: "" };

  now(): string {
    const ms = this.clock.epochMs();
    if (ms !== this.lastNow.ms) this.lastNow = { ms, text: new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z") };
    return this.lastNow.text;
  }

  /** An RFC 3339 time `seconds` from now (deletionTimestamp: when a graceful deletion runs out). */
  nowPlus(seconds: number): string {
    return new Date(this.clock.epochMs() + seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
  }

  uid(rng: { hex(n: number): string } = this.rng): string {
    const h = rng.hex(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  private info(kind: string): KindInfo {
    const k = kindByName(kind);
    if (!k) throw new ApiError(404, "NotFound", `the server doesn't have a resource type "${kind.toLowerCase()}"`);
    return k;
  }

  private decode(text: string): KObject {
    return JSON.parse(text) as KObject;
  }

  private notFound(k: KindInfo, name: string): ApiError {
    return new ApiError(404, "NotFound", `${qualified(k)} "${name}" not found`);
  }

  private checkNamespace(k: KindInfo, ns: string | undefined): void {
    if (!k.namespaced || k.kind === "Namespace") return;
    if (!this.etcd.get(`/registry/namespaces/${ns ?? "default"}`)) throw new ApiError(404, "NotFound", `namespaces "${ns}" not found`);
  }

  get<T extends KObject = KObject>(kind: string, namespace: string | undefined, name: string): T {
    const k = this.info(kind);
    const kv = this.etcd.get(etcdKey(k, namespace, name));
    if (!kv) throw this.notFound(k, name);
    return this.decode(kv.value) as T;
  }

  tryGet<T extends KObject = KObject>(kind: string, namespace: string | undefined, name: string): T | null {
    const k = this.info(kind);
    const kv = this.etcd.get(etcdKey(k, namespace, name));
    return kv ? (this.decode(kv.value) as T) : null;
  }

  /** List a kind, in one namespace or all (namespace undefined), optionally by label requirements. */
  list<T extends KObject = KObject>(kind: string, namespace?: string, selector?: Requirement[]): T[] {
    const k = this.info(kind);
    const prefix = k.namespaced && namespace ? `${k.etcdPrefix}/${namespace}/` : `${k.etcdPrefix}/`;
    const out: T[] = [];
    for (const kv of this.etcd.range(prefix)) {
      const o = this.decode(kv.value) as T;
      if (!selector || matches(o.metadata.labels, selector)) out.push(o);
    }
    return out;
  }

  /** Objects of a kind in one namespace whose names start with a prefix: one etcd range, no scan. */
  listNamePrefix<T extends KObject = KObject>(kind: string, namespace: string | undefined, namePrefix: string): T[] {
    const k = this.info(kind);
    return this.etcd.range(etcdKey(k, namespace, namePrefix)).map((kv) => this.decode(kv.value) as T);
  }

  /**
   * Objects of a kind in a namespace that name `ownerUid` in their ownerReferences, in key order:
   * what a controller's informer indexer answers, without decoding the namespace's other objects.
   */
  listOwnedBy<T extends KObject = KObject>(kind: string, namespace: string | undefined, ownerUid: string): T[] {
    const prefix = etcdKey(this.info(kind), namespace, "");
    const keys = [...(this.owned.get(ownerUid) ?? [])].filter((key) => key.startsWith(prefix)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return keys.flatMap((key) => {
      const kv = this.etcd.get(key);
      return kv ? [this.decode(kv.value) as T] : [];
    });
  }

  /** Owner uid → keys of its dependents, and key → its owners' uids (kept by every write). */
  private readonly owned = new Map<string, Set<string>>();
  private readonly ownersOf = new Map<string, string[]>();

  private indexOwners(key: string, obj: KObject | null): void {
    for (const uid of this.ownersOf.get(key) ?? []) {
      const set = this.owned.get(uid);
      set?.delete(key);
      if (set?.size === 0) this.owned.delete(uid);
    }
    const uids = obj?.metadata.ownerReferences?.map((r) => r.uid).filter((u): u is string => !!u) ?? [];
    if (uids.length) this.ownersOf.set(key, uids);
    else this.ownersOf.delete(key);
    for (const uid of uids) {
      let set = this.owned.get(uid);
      if (!set) this.owned.set(uid, (set = new Set()));
      set.add(key);
    }
  }

  /** Strict decoding + defaulting + validation, in the API server's order. */
  private admit(obj: KObject, verb: "creating" | "updating" | "applying", source: string, onCreate: boolean): KindInfo {
    if (!obj || typeof obj !== "object" || !obj.kind) throw new ApiError(400, "BadRequest", `error when ${verb} "${source}": Object 'Kind' is missing`);
    const k = kindByName(obj.kind);
    if (!k) throw new ApiError(400, "BadRequest", `error when ${verb} "${source}": no matches for kind "${obj.kind}" in version "${obj.apiVersion ?? ""}"`);
    if (obj.apiVersion !== k.apiVersion) {
      throw new ApiError(400, "BadRequest", `error when ${verb} "${source}": no matches for kind "${obj.kind}" in version "${obj.apiVersion ?? ""}"`);
    }
    const problems = checkSchema(obj.kind, obj);
    const version = k.apiVersion.split("/").pop();
    if (problems.typeError) throw new ApiError(400, "BadRequest", `error when ${verb} "${source}": ${obj.kind} in version "${version}" cannot be handled as a ${obj.kind}: ${problems.typeError}`);
    if (problems.unknown.length) {
      throw new ApiError(400, "BadRequest", `error when ${verb} "${source}": ${obj.kind} in version "${version}" cannot be handled as a ${obj.kind}: strict decoding error: ${problems.unknown.map((u) => `unknown field "${u}"`).join(", ")}`);
    }
    obj.metadata ??= { name: "" };
    if (k.namespaced) obj.metadata.namespace ??= "default";
    else delete obj.metadata.namespace;
    applyDefaults(obj, onCreate);
    const errs = validate(obj);
    if (errs.length) throw new ApiError(422, "Invalid", invalidMessage(obj.kind, obj.metadata.name ?? "", errs));
    return k;
  }

  create<T extends KObject>(input: T, opts: CreateOptions & { source?: string } = {}): T {
    const obj = structuredClone(input);
    // generateName: five characters from the vowel-free alphabet names.SimpleNameGenerator uses.
    if (!obj.metadata?.name && obj.metadata?.generateName) obj.metadata.name = obj.metadata.generateName + Array.from({ length: 5 }, () => "bcdfghjklmnpqrstvwxz2456789"[this.rng.int(0, 26)]).join("");
    const k = this.admit(obj, "creating", opts.source ?? "STDIN", true);
    this.checkNamespace(k, obj.metadata.namespace);
    const key = etcdKey(k, obj.metadata.namespace, obj.metadata.name);
    if (this.etcd.get(key)) throw new ApiError(409, "AlreadyExists", `error when creating "${opts.source ?? "STDIN"}": ${qualified(k)} "${obj.metadata.name}" already exists`);
    const meta: ObjectMeta = obj.metadata;
    meta.uid = this.uid(opts.uidSource);
    meta.creationTimestamp = this.now();
    if (hasSpec(obj)) meta.generation = 1;
    delete meta.resourceVersion;
    if (opts.dryRun) return obj;
    this.beforeCreate?.(obj);
    return this.store(key, obj, "ADDED");
  }

  /** Hook for allocators (Service cluster IPs, node ports), set by the cluster. */
  beforeCreate: ((obj: KObject) => void) | null = null;

  /** Hook for allocators on update (a Service keeps its cluster IP; a new NodePort gets a port). */
  beforeUpdate: ((obj: KObject, old: KObject) => void) | null = null;

  /** Replace an object (PUT). Spec changes bump generation; a stale resourceVersion is a conflict. */
  update<T extends KObject>(input: T, opts: CreateOptions & { source?: string; subresource?: "status" } = {}): T {
    const obj = structuredClone(input);
    const k = this.admit(obj, "updating", opts.source ?? "STDIN", false);
    const key = etcdKey(k, obj.metadata.namespace, obj.metadata.name);
    const kv = this.etcd.get(key);
    if (!kv) throw this.notFound(k, obj.metadata.name);
    const old = this.decode(kv.value);
    if (obj.metadata.resourceVersion && obj.metadata.resourceVersion !== String(kv.modRevision)) {
      throw new ApiError(409, "Conflict", `Operation cannot be fulfilled on ${qualified(k)} "${obj.metadata.name}": the object has been modified; please apply your changes to the latest version and try again`);
    }
    const updateErrs = opts.subresource === "status" ? [] : validateUpdate(obj, old);
    if (updateErrs.length) throw new ApiError(422, "Invalid", invalidMessage(obj.kind, obj.metadata.name, updateErrs));
    // Immutable identity comes from the stored object.
    obj.metadata.uid = old.metadata.uid;
    obj.metadata.creationTimestamp = old.metadata.creationTimestamp;
    if (opts.subresource === "status") {
      // The status subresource never touches spec or metadata.
      const merged = { ...old, status: obj.status } as unknown as T;
      if (JSON.stringify(obj.status) === JSON.stringify(old.status)) return old as T;
      return this.store(key, merged, "MODIFIED", "status");
    }
    if ("status" in old && !("status" in input)) (obj as KObject).status = old.status;
    obj.metadata.generation = old.metadata.generation;
    if (hasSpec(obj) && specOf(obj) !== specOf(old)) obj.metadata.generation = (old.metadata.generation ?? 0) + 1;
    if (opts.dryRun) return obj;
    this.beforeUpdate?.(obj, old);
    if (sameStored(obj, old)) return old as T;
    return this.store(key, obj, "MODIFIED");
  }

  updateStatus<T extends KObject>(obj: T): T {
    return this.update(obj, { subresource: "status" });
  }

  /** A JSON merge patch (RFC 7386): objects merge, null deletes, arrays replace. */
  patch<T extends KObject = KObject>(kind: string, namespace: string | undefined, name: string, patch: Record<string, unknown>, subresource?: "status"): T {
    const cur = this.get<T>(kind, namespace, name);
    const next = mergePatch(cur, patch) as T;
    next.metadata.resourceVersion = cur.metadata.resourceVersion;
    return this.update(next, subresource ? { subresource } : {});
  }

  /**
   * Delete. A pod on a node is deleted gracefully: it gets a deletionTimestamp and the kubelet
   * removes it after stopping its containers (gracePeriod 0 deletes at once). Dependents are
   * removed by the garbage collector (background propagation).
   */
  delete(kind: string, namespace: string | undefined, name: string, opts: { gracePeriod?: number } = {}): KObject {
    const k = this.info(kind);
    const key = etcdKey(k, namespace, name);
    const kv = this.etcd.get(key);
    if (!kv) throw this.notFound(k, name);
    const obj = this.decode(kv.value);
    const onNode = kind === "Pod" && (obj as { spec?: { nodeName?: string } }).spec?.nodeName;
    if (onNode && opts.gracePeriod !== 0 && !obj.metadata.deletionTimestamp) {
      // The grace period is the request's, else the pod's; the timestamp is when it runs out.
      const grace = opts.gracePeriod !== undefined && opts.gracePeriod > 0 ? opts.gracePeriod : ((obj as { spec?: { terminationGracePeriodSeconds?: number } }).spec?.terminationGracePeriodSeconds ?? 30);
      obj.metadata.deletionGracePeriodSeconds = grace;
      obj.metadata.deletionTimestamp = this.nowPlus(grace);
      return this.store(key, obj, "MODIFIED");
    }
    this.etcd.delete(key);
    this.onChange?.("DELETED", obj, { verb: "delete", ...this.agent(), key, revision: this.etcd.revision });
    return obj;
  }

  /** The write in progress: the stored text and the object it was made from. */
  private writing: { text: string; obj: KObject } | null = null;

  private store<T extends KObject>(key: string, obj: T, type: WatchType, subresource?: "status"): T {
    // The resourceVersion is the etcd revision this write will get.
    obj.metadata.resourceVersion = String(this.etcd.revision + 1);
    const text = JSON.stringify(obj);
    const outer = this.writing;
    this.writing = { text, obj };
    let kv;
    try {
      kv = this.etcd.put(key, text);
    } finally {
      this.writing = outer;
    }
    this.onChange?.(type, obj, { verb: type === "ADDED" ? "create" : "update", ...(subresource ? { subresource } : {}), ...this.agent(), key, revision: kv.modRevision });
    return obj;
  }

  private agent(): { userAgent?: string } {
    return this.userAgent ? { userAgent: this.userAgent } : {};
  }

  /** Watch a kind: ADDED/MODIFIED/DELETED with the new and previous object. */
  // A field selector (only spec.nodeName, the one the kubelet uses) narrows the stream to matching
  // objects, as the API server filters before sending: an event is sent when the new or the old object matches.
  watch<T extends KObject = KObject>(kind: string, fn: WatchFn<T>, opts: { fieldSelector?: { "spec.nodeName": string } } = {}): () => void {
    const k = this.info(kind);
    const node = opts.fieldSelector?.["spec.nodeName"];
    // Decoding is the cost of a watch: each watcher gets its own copy, but only of what it reads
    // (a callback declared with fewer parameters never sees the objects it did not ask for).
    const wantsObj = fn.length >= 2;
    const wantsOld = fn.length >= 3;
    const nodeOf = (kv: { value: string }) => this.nodeNameOf(kv);
    return this.etcd.watch(`${k.etcdPrefix}/`, (e) => {
      if (node !== undefined && (e.type === "DELETE" || nodeOf(e.kv) !== node) && (!e.prev || nodeOf(e.prev) !== node)) return;
      if (e.type === "DELETE") return fn("DELETED", (wantsObj ? JSON.parse(e.prev!.value) : undefined) as T, null);
      fn(e.prev ? "MODIFIED" : "ADDED", (wantsObj ? JSON.parse(e.kv.value) : undefined) as T, e.prev && wantsOld ? (JSON.parse(e.prev.value) as T) : null);
    });
  }

  /** A stored value's spec.nodeName, decoded once per revision for every selecting watcher. */
  private readonly nodeNames = new WeakMap<object, string | undefined>();
  private nodeNameOf(kv: { value: string }): string | undefined {
    if (!this.nodeNames.has(kv)) this.nodeNames.set(kv, (this.decode(kv.value) as { spec?: { nodeName?: string } }).spec?.nodeName);
    return this.nodeNames.get(kv);
  }
}

function hasSpec(o: KObject): boolean {
  return "spec" in o;
}

function specOf(o: KObject): string {
  return JSON.stringify((o as { spec?: unknown }).spec ?? null);
}

function sameStored(a: KObject, b: KObject): boolean {
  const strip = (o: KObject) => JSON.stringify({ ...o, metadata: { ...o.metadata, resourceVersion: undefined } });
  return strip(a) === strip(b);
}

export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== "object" || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> = target && typeof target === "object" && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}
