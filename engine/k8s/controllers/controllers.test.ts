// ReplicaSet and Deployment controllers against a real API server, with a stand-in kubelet
// that makes pods Ready (or never, for a broken image). The cluster version runs them as
// reconcile loops; here we drive the same sync functions by hand.
import { describe, expect, it } from "vitest";
import { Clock } from "../../sim/clock";
import { Random } from "../../sim/random";
import { ApiServer } from "../api/apiserver";
import { Etcd } from "../api/store";
import type { Deployment, Pod, ReplicaSet } from "../api/types";
import { DeploymentController, REVISION } from "./deployment";
import { ReplicaSetController } from "./replicaset";

function cluster() {
  const etcd = new Etcd();
  const clock = new Clock();
  const api = new ApiServer(etcd, clock, new Random(3));
  etcd.put("/registry/namespaces/default", JSON.stringify({ apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } }));
  const now = () => clock.epochMs();
  const events: string[] = [];
  const rsc = new ReplicaSetController(api, now, (o, r, m) => events.push(`${o.metadata.name} ${r} ${m}`));
  const dc = new DeploymentController(api, now, (o, r, m) => events.push(`${r} ${m}`));
  /** The stand-in kubelet: binds and starts pods; pods whose image starts with "broken" never get ready. */
  const kubelet = () => {
    for (const p of api.list<Pod>("Pod", "default")) {
      if (p.metadata.deletionTimestamp) {
        api.delete("Pod", "default", p.metadata.name, { gracePeriod: 0 });
        continue;
      }
      if (p.status?.phase) continue;
      const ready = !p.spec.containers[0]!.image.startsWith("broken");
      api.updateStatus({ ...p, spec: p.spec, status: { phase: "Running", conditions: [{ type: "Ready", status: ready ? "True" : "False", lastTransitionTime: api.now() }] } });
    }
  };
  const history: { total: number; ready: number }[] = [];
  /** One round of every loop; returns whether anything changed. */
  const round = () => {
    const before = etcd.revision;
    for (const d of api.list<Deployment>("Deployment", "default")) dc.sync("default", d.metadata.name);
    for (const rs of api.list<ReplicaSet>("ReplicaSet", "default")) rsc.sync("default", rs.metadata.name);
    kubelet();
    for (const rs of api.list<ReplicaSet>("ReplicaSet", "default")) rsc.sync("default", rs.metadata.name);
    const pods = api.list<Pod>("Pod", "default").filter((p) => !p.metadata.deletionTimestamp);
    history.push({ total: pods.length, ready: pods.filter((p) => p.status?.conditions?.[0]?.status === "True").length });
    clock.advanceTo(clock.now() + 1000);
    return etcd.revision !== before;
  };
  const settle = (max = 100) => {
    for (let i = 0; i < max && round(); i++);
  };
  return { api, settle, events, history, dc };
}

const deployment = (image: string, replicas = 4, strategy: Deployment["spec"]["strategy"] = { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } }): Deployment => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", namespace: "default" },
  spec: { replicas, strategy, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "app", image }] } } },
});

describe("Deployment and ReplicaSet controllers", () => {
  it("a Deployment makes a ReplicaSet that makes pods, and reports Available", () => {
    const c = cluster();
    c.api.create(deployment("nginx:1.27"));
    c.settle();
    const rs = c.api.list<ReplicaSet>("ReplicaSet", "default");
    expect(rs).toHaveLength(1);
    expect(rs[0]!.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(rs[0]!.metadata.annotations?.[REVISION]).toBe("1");
    const pods = c.api.list<Pod>("Pod", "default");
    expect(pods).toHaveLength(4);
    expect(pods.every((p) => p.metadata.labels?.["pod-template-hash"] === rs[0]!.metadata.labels?.["pod-template-hash"])).toBe(true);
    const d = c.api.get<Deployment>("Deployment", "default", "web");
    expect(d.status).toMatchObject({ replicas: 4, updatedReplicas: 4, readyReplicas: 4, availableReplicas: 4, observedGeneration: 1 });
    expect(d.status!.conditions!.map((x) => `${x.type}=${x.status}/${x.reason}`)).toEqual(["Available=True/MinimumReplicasAvailable", "Progressing=True/NewReplicaSetAvailable"]);
  });

  it("a rolling update never goes above replicas + maxSurge nor below replicas - maxUnavailable", () => {
    const c = cluster();
    c.api.create(deployment("nginx:1.27"));
    c.settle();
    c.history.length = 0;
    const d = c.api.get<Deployment>("Deployment", "default", "web");
    d.spec.template.spec.containers[0]!.image = "nginx:1.28";
    c.api.update(d);
    c.settle();
    expect(Math.max(...c.history.map((h) => h.total))).toBeLessThanOrEqual(5);
    expect(Math.min(...c.history.map((h) => h.ready))).toBeGreaterThanOrEqual(4);
    const rss = c.api.list<ReplicaSet>("ReplicaSet", "default").map((r) => [r.metadata.annotations?.[REVISION], r.spec.replicas]);
    expect(rss.sort()).toEqual([["1", 0], ["2", 4]]);
    expect(c.events.filter((e) => e.startsWith("ScalingReplicaSet")).length).toBeGreaterThan(4);
  });

  it("a broken image stalls the rollout with the old pods still serving; undo returns to revision 1's ReplicaSet", () => {
    const c = cluster();
    c.api.create(deployment("nginx:1.27"));
    c.settle();
    const d = c.api.get<Deployment>("Deployment", "default", "web");
    const good = structuredClone(d.spec.template);
    d.spec.template.spec.containers[0]!.image = "broken:1";
    c.api.update(d);
    c.settle();
    const pods = c.api.list<Pod>("Pod", "default");
    expect(pods.filter((p) => p.spec.containers[0]!.image === "nginx:1.27")).toHaveLength(4);
    expect(pods.filter((p) => p.spec.containers[0]!.image === "broken:1")).toHaveLength(1);
    // kubectl rollout undo: put the previous template back.
    const cur = c.api.get<Deployment>("Deployment", "default", "web");
    cur.spec.template = good;
    c.api.update(cur);
    c.settle();
    const rss = c.api.list<ReplicaSet>("ReplicaSet", "default");
    const back = rss.find((r) => r.spec.template.spec.containers[0]!.image === "nginx:1.27")!;
    expect(back.metadata.annotations?.[REVISION]).toBe("3");
    expect(back.spec.replicas).toBe(4);
    expect(c.api.list<Pod>("Pod", "default").every((p) => p.spec.containers[0]!.image === "nginx:1.27")).toBe(true);
  });

  it("Recreate stops every old pod before starting new ones", () => {
    const c = cluster();
    c.api.create(deployment("nginx:1.27", 3, { type: "Recreate" }));
    c.settle();
    const d = c.api.get<Deployment>("Deployment", "default", "web");
    d.spec.template.spec.containers[0]!.image = "nginx:1.28";
    c.history.length = 0;
    c.api.update(d);
    c.settle();
    expect(c.history.some((h) => h.total === 0)).toBe(true);
    expect(c.api.list<Pod>("Pod", "default").map((p) => p.spec.containers[0]!.image)).toEqual(["nginx:1.28", "nginx:1.28", "nginx:1.28"]);
  });

  it("scaling a ReplicaSet down deletes not-ready pods before ready ones", () => {
    const c = cluster();
    c.api.create(deployment("nginx:1.27", 3));
    c.settle();
    const d = c.api.get<Deployment>("Deployment", "default", "web");
    d.spec.replicas = 1;
    c.api.update(d);
    c.settle();
    expect(c.api.list<Pod>("Pod", "default")).toHaveLength(1);
    expect(c.api.get<Deployment>("Deployment", "default", "web").status?.replicas).toBe(1);
  });
});
