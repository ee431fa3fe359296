// An etcd-like key-value store: keys such as /registry/pods/default/web-1, a global revision
// that every write bumps, per-key create/mod revisions, and watches that can replay history
// from a revision. It stores JSON text, so `etcdctl get` shows exactly what is kept —
// including Secrets, which are only base64-encoded.

export interface KeyValue {
  key: string;
  value: string;
  createRevision: number;
  modRevision: number;
  version: number;
}

export interface WatchEvent {
  type: "PUT" | "DELETE";
  kv: KeyValue;
  prev: KeyValue | null;
}

type Watcher = { prefix: string; fn: (e: WatchEvent) => void };

export class Etcd {
  revision = 1;
  private readonly kv = new Map<string, KeyValue>();
  /** Every key, sorted: a range is a binary search and a walk, as in etcd's B-tree index. */
  private readonly keys: string[] = [];
  /** Every event, for watches that start from an old revision (no compaction). */
  private readonly history: WatchEvent[] = [];
  private readonly watchers = new Set<Watcher>();

  get(key: string): KeyValue | undefined {
    return this.kv.get(key);
  }

  /** Keys with a prefix, in key order (etcd ranges are ordered). */
  range(prefix: string): KeyValue[] {
    const out: KeyValue[] = [];
    for (let i = this.lowerBound(prefix); i < this.keys.length && this.keys[i]!.startsWith(prefix); i++) out.push(this.kv.get(this.keys[i]!)!);
    return out;
  }

  /** The index of the first key >= key (code-unit order, as the old sort used). */
  private lowerBound(key: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[mid]! < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  put(key: string, value: string): KeyValue {
    const prev = this.kv.get(key) ?? null;
    const rev = ++this.revision;
    const kv: KeyValue = { key, value, createRevision: prev?.createRevision ?? rev, modRevision: rev, version: (prev?.version ?? 0) + 1 };
    if (!prev) this.keys.splice(this.lowerBound(key), 0, key);
    this.kv.set(key, kv);
    this.publish({ type: "PUT", kv, prev });
    return kv;
  }

  delete(key: string): KeyValue | undefined {
    const prev = this.kv.get(key);
    if (!prev) return undefined;
    this.kv.delete(key);
    this.keys.splice(this.lowerBound(key), 1);
    const rev = ++this.revision;
    this.publish({ type: "DELETE", kv: { ...prev, modRevision: rev, value: "" }, prev });
    return prev;
  }

  /** Watch keys under prefix; with fromRevision, first replay the events after it. */
  watch(prefix: string, fn: (e: WatchEvent) => void, fromRevision?: number): () => void {
    if (fromRevision !== undefined) for (const e of this.history) if (e.kv.modRevision > fromRevision && e.kv.key.startsWith(prefix)) fn(e);
    const w = { prefix, fn };
    this.watchers.add(w);
    return () => this.watchers.delete(w);
  }

  get size(): number {
    return this.kv.size;
  }

  private publish(e: WatchEvent): void {
    this.history.push(e);
    for (const w of [...this.watchers]) if (e.kv.key.startsWith(w.prefix)) w.fn(e);
  }
}
