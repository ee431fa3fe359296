// Event objects: what `kubectl describe` lists at the bottom ("Scheduled", "Pulled",
// "ScalingReplicaSet", "FailedScheduling"). Repeats of the same reason bump a count.
import type { ApiServer } from "./apiserver";
import type { KObject } from "./types";

export interface KEvent extends KObject {
  kind: "Event";
  involvedObject: { kind: string; namespace?: string; name: string; uid?: string };
  reason: string;
  message: string;
  type: "Normal" | "Warning";
  source: { component: string; host?: string };
  firstTimestamp: string;
  lastTimestamp: string;
  count: number;
}

export function recordEvent(api: ApiServer, obj: KObject, type: "Normal" | "Warning", reason: string, message: string, component: string, host?: string): void {
  const ns = obj.metadata.namespace ?? "default";
  // An event is named "<object>.<16 hex>", so only that name range can hold a repeat.
  const existing = api.listNamePrefix<KEvent>("Event", ns, `${obj.metadata.name}.`).find((e) => e.involvedObject.uid === obj.metadata.uid && e.reason === reason && e.message === message);
  const now = api.now();
  if (existing) {
    api.update({ ...existing, count: existing.count + 1, lastTimestamp: now });
    return;
  }
  api.create<KEvent>({
    apiVersion: "v1",
    kind: "Event",
    metadata: { name: `${obj.metadata.name}.${api.uid().replace(/-/g, "").slice(0, 16)}`, namespace: ns },
    involvedObject: { kind: obj.kind, namespace: ns, name: obj.metadata.name, ...(obj.metadata.uid ? { uid: obj.metadata.uid } : {}) },
    reason,
    message,
    type,
    source: { component, ...(host ? { host } : {}) },
    firstTimestamp: now,
    lastTimestamp: now,
    count: 1,
  } as KEvent);
}

export function eventsFor(api: ApiServer, obj: KObject): KEvent[] {
  return api
    .list<KEvent>("Event", obj.metadata.namespace ?? "default")
    .filter((e) => e.involvedObject.uid === obj.metadata.uid || (e.involvedObject.kind === obj.kind && e.involvedObject.name === obj.metadata.name))
    .sort((a, b) => Date.parse(a.lastTimestamp) - Date.parse(b.lastTimestamp) || Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion));
}
