// A ReplicaSet releases a pod that is relabelled out of its selector: the ownerReference goes,
// the ReplicaSet counts (and replaces) without it, and deleting the Deployment leaves it running.
import { describe, expect, it } from "vitest";
import { createCluster } from "../cluster";
import type { Pod } from "../api/types";

describe("ReplicaSet releases relabelled pods", () => {
  it("drops its ownerReference, makes a replacement, and does not garbage-collect it", () => {
    const c = createCluster({ workers: 1, seed: 1 });
    c.sh("kubectl create deployment shop --image=nginx:1.27 --replicas=2");
    c.settle();
    const name = c.sh("kubectl get pods -l app=shop -o jsonpath={.items[0].metadata.name}").stdout;
    expect(c.api.get<Pod>("Pod", "default", name).metadata.ownerReferences?.[0]?.kind).toBe("ReplicaSet");
    c.sh(`kubectl label pod ${name} app=debug --overwrite`);
    c.settle();
    expect(c.api.get<Pod>("Pod", "default", name).metadata.ownerReferences).toBeUndefined();
    expect(c.sh("kubectl get rs").stdout).toMatch(/^shop-\w+\s+2\s+2\s+2\s/m);
    expect(c.sh("kubectl get pods -l app=shop -o name").stdout.trim().split("\n")).toHaveLength(2);
    c.sh("kubectl delete deployment shop");
    c.settle();
    expect(c.sh("kubectl get pods -o name").stdout).toBe(`pod/${name}\n`);
  });
});
