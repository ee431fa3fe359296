// The owner index: listOwnedBy answers "which pods does this ReplicaSet own" from the writes it
// has seen — creates, an ownerReference removed by an update (orphaning), deletes.
import { describe, expect, it } from "vitest";
import { Clock } from "../../sim/clock";
import { Random } from "../../sim/random";
import { ApiServer } from "./apiserver";
import { Etcd } from "./store";
import type { Pod } from "./types";

const pod = (name: string, ns: string, owners: string[]) =>
  ({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace: ns, ...(owners.length ? { ownerReferences: owners.map((uid) => ({ apiVersion: "apps/v1", kind: "ReplicaSet", name: "rs", uid, controller: true })) } : {}) }, spec: { containers: [{ name: "c", image: "nginx:1.27" }] } }) as Pod;

describe("listOwnedBy", () => {
  it("lists a namespace's dependents of one owner in key order and follows updates and deletes", () => {
    const api = new ApiServer(new Etcd(), new Clock(), new Random(1));
    for (const name of ["default", "other"]) api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name } });
    api.create(pod("web-b", "default", ["u1"]));
    api.create(pod("web-a", "default", ["u1"]));
    api.create(pod("web-c", "default", ["u2"]));
    api.create(pod("web-d", "other", ["u1"]));
    api.create(pod("lonely", "default", []));
    const names = (ns: string, uid: string) => api.listOwnedBy<Pod>("Pod", ns, uid).map((p) => p.metadata.name);
    expect(names("default", "u1")).toEqual(["web-a", "web-b"]);
    expect(names("other", "u1")).toEqual(["web-d"]);
    expect(api.listOwnedBy("ReplicaSet", "default", "u1")).toEqual([]);
    // Orphaned by an update, then deleted: gone from the index both times.
    const b = api.get<Pod>("Pod", "default", "web-b");
    api.update({ ...b, metadata: { ...b.metadata, ownerReferences: undefined } } as Pod);
    expect(names("default", "u1")).toEqual(["web-a"]);
    api.delete("Pod", "default", "web-a");
    expect(names("default", "u1")).toEqual([]);
    // The same answers a full list filtered by ownerReferences gives.
    const byList = (ns: string, uid: string) => api.list<Pod>("Pod", ns).filter((p) => p.metadata.ownerReferences?.some((o) => o.uid === uid)).map((p) => p.metadata.name);
    for (const [ns, uid] of [["default", "u2"], ["other", "u1"], ["default", "u1"]] as const) expect(names(ns, uid)).toEqual(byList(ns, uid));
  });
});
