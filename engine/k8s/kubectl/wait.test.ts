// kubectl wait in virtual time: conditions met as the controllers get there, deletions,
// timeouts with kubectl's message, and its flag errors.
import { describe, expect, it } from "vitest";
import { createCluster } from "../cluster";
import type { Deployment, KObject, Pod } from "../api/types";
import { parseGoDuration } from "./wait";

describe("kubectl wait", () => {
  it("--for=condition=Available on a fresh deployment returns once the pods are up", () => {
    const c = createCluster({ workers: 2, seed: 1 });
    // Created straight through the API (c.sh would run the cluster until it settles first).
    c.api.create({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "default" }, spec: { replicas: 2, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "nginx", image: "nginx:1.27" }] } } } } as KObject);
    expect(c.api.get<Deployment>("Deployment", "default", "web").status?.availableReplicas ?? 0).toBe(0);
    const t0 = c.context.clock.now();
    const r = c.sh("kubectl wait --for=condition=Available deployment/web --timeout=60s");
    expect(r.stdout).toBe("deployment.apps/web condition met\n");
    expect(r.exitCode).toBe(0);
    // It did wait: virtual time passed and the Deployment now says Available=True.
    expect(c.context.clock.now()).toBeGreaterThan(t0);
    expect(c.sh("kubectl get deploy web -o jsonpath={.status.availableReplicas}").stdout).toBe("2");
  });

  it("pods by selector, Ready (case-insensitive); each object gets its own line", () => {
    const c = createCluster({ workers: 2, seed: 1 });
    c.sh("kubectl create deployment web --image=nginx:1.27 --replicas=2");
    c.settle();
    const names = c.api.list<Pod>("Pod", "default").map((p) => p.metadata.name);
    expect(c.sh("kubectl wait --for=condition=ready pods -l app=web").stdout).toBe(names.map((n) => `pod/${n} condition met\n`).join(""));
  });

  it("a condition that never comes times out with kubectl's error", () => {
    const c = createCluster({ workers: 2, seed: 1 });
    c.sh("kubectl create deployment web --image=nginx:1.27");
    c.settle();
    const t0 = c.context.clock.now();
    const r = c.sh("kubectl wait --for=condition=Available=False deployment/web --timeout=5s");
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe("error: timed out waiting for the condition on deployments/web\n");
    expect(c.context.clock.now() - t0).toBeGreaterThanOrEqual(5000);
    // --timeout=0 checks once.
    expect(c.sh("kubectl wait --for=condition=Progressing deploy/web --timeout=0").stdout).toBe("deployment.apps/web condition met\n");
  });

  it("--for=delete waits for a graceful pod deletion; an already deleted pod is fine", () => {
    const c = createCluster({ workers: 2, seed: 1 });
    c.sh("kubectl run one --image=nginx:1.27");
    c.settle();
    // A graceful delete: the pod stays, with a deletionTimestamp, until its kubelet stops it.
    c.api.delete("Pod", "default", "one");
    expect(c.api.tryGet("Pod", "default", "one")?.metadata.deletionTimestamp).toBeTruthy();
    const r = c.sh("kubectl wait --for=delete pod/one --timeout=60s");
    expect(r.stdout).toBe("pod/one condition met\n");
    expect(c.api.tryGet("Pod", "default", "one")).toBeNull();
    const again = c.sh("kubectl wait --for=delete pod/one");
    expect([again.exitCode, again.stdout, again.stderr]).toEqual([0, "", ""]);
  });

  it("bad input: kubectl's messages", () => {
    const c = createCluster({ workers: 2, seed: 1 });
    expect(c.sh("kubectl wait deployment/web").stderr).toBe('error: unrecognized condition: ""\n');
    expect(c.sh("kubectl wait --for=ready deployment/web").stderr).toBe('error: unrecognized condition: "ready"\n');
    expect(c.sh("kubectl wait --for=delete deployment/web --timeout=60").stderr).toBe('error: invalid argument "60" for "--timeout" flag: time: invalid duration "60"\n');
    expect(c.sh("kubectl wait --for=condition=Available deployment").stderr).toBe("error: resource(s) were provided, but no name was specified\n");
    expect(c.sh("kubectl wait --for=condition=Available deployment/nope").stderr).toBe('Error from server (NotFound): deployments.apps "nope" not found\n');
    expect(c.sh("kubectl wait --for=condition=Ready pods -l app=none").stderr).toBe("error: no matching resources found\n");
    expect([parseGoDuration("1m30s"), parseGoDuration("-1s"), parseGoDuration("1.5h"), parseGoDuration("s")]).toEqual([90_000, -1000, 5_400_000, null]);
  });
});
