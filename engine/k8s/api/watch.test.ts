// Watches: the events a kind's watchers receive, and the spec.nodeName field selector a kubelet
// watches pods with — its node's pods only, including the deletion of one.
import { describe, expect, it } from "vitest";
import { Clock } from "../../sim/clock";
import { Random } from "../../sim/random";
import { ApiServer } from "./apiserver";
import { Etcd } from "./store";
import type { Pod } from "./types";

function server(): ApiServer {
  const api = new ApiServer(new Etcd(), new Clock(), new Random(1));
  api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } });
  return api;
}
const pod = (name: string, nodeName?: string) => ({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "default" }, spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: "c", image: "nginx:1.27" }] } }) as Pod;

/** The binding: the stored pod with spec.nodeName set (the rest of a pod's spec is immutable). */
const bind = (api: ReturnType<typeof server>, name: string, node: string) => {
  const p = api.get<Pod>("Pod", "default", name);
  api.update({ ...p, spec: { ...p.spec, nodeName: node } });
};

describe("watch", () => {
  it("a plain watch sees every change with the new and the previous object", () => {
    const api = server();
    const seen: string[] = [];
    api.watch<Pod>("Pod", (t, p, old) => seen.push(`${t} ${p.metadata.name} ${p.spec.nodeName ?? "-"} ${old?.spec.nodeName ?? (old ? "-" : "null")}`));
    api.create(pod("a"));
    bind(api, "a", "n1");
    api.delete("Pod", "default", "a", { gracePeriod: 0 });
    expect(seen).toEqual(["ADDED a - null", "MODIFIED a n1 -", "DELETED a n1 null"]);
  });

  it("a spec.nodeName field selector passes only that node's pods: the binding, updates, the deletion", () => {
    const api = server();
    const n1: string[] = [];
    api.watch<Pod>("Pod", (t, p) => n1.push(`${t} ${p.metadata.name}`), { fieldSelector: { "spec.nodeName": "n1" } });
    api.create(pod("a"));
    api.create(pod("b", "n10"));
    api.create(pod("c", "n1"));
    bind(api, "a", "n1");
    api.patch("Pod", "default", "b", { metadata: { labels: { x: "y" } } });
    api.patch("Pod", "default", "c", { metadata: { labels: { x: "y" } } });
    api.delete("Pod", "default", "c", { gracePeriod: 0 });
    api.delete("Pod", "default", "b", { gracePeriod: 0 });
    expect(n1).toEqual(["ADDED c", "MODIFIED a", "MODIFIED c", "DELETED c"]);
  });
});
