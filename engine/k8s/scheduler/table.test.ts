// The scheduling table widgets read: the real decision as kube-scheduler recorded it, and the
// dry run (preview) that recomputes it from the cluster's current state, with a what-if request.
import { describe, expect, it } from "vitest";
import { createCluster } from "../cluster";
import { clusterContextOf, decisionTable, previewTable, schedulingCandidates } from "./table";

function cluster() {
  const c = createCluster({ workers: 2, seed: 3 });
  c.sh("kubectl taint node worker-2 dedicated=batch:NoSchedule");
  return c;
}

describe("scheduling tables", () => {
  it("records the real decision with every filter and score per node", () => {
    const c = cluster();
    c.sh("kubectl run web --image=nginx:1.27");
    c.tick(1_000);
    const ctx = clusterContextOf(c.controlPlane)!;
    const t = decisionTable(ctx, "default/web")!;
    expect(t.node).toBe("worker-1");
    expect(t.nodes.map((n) => [n.node, n.feasible, n.winner])).toEqual([["worker-1", true, true], ["worker-2", false, false]]);
    const w2 = t.nodes[1]!;
    expect(w2.filters.map((f) => f.result)).toEqual(["pass", "pass", "fail", "skipped", "skipped"]);
    expect(w2.filters[2]).toEqual({ plugin: "TaintToleration", result: "fail", reason: "node(s) had untolerated taint {dedicated: batch}" });
    const w1 = t.nodes[0]!;
    expect(w1.scores.map((s) => s.plugin)).toEqual(["TaintToleration", "NodeAffinity", "NodeResourcesFit", "NodeResourcesBalancedAllocation"]);
    expect(w1.total).toBe(w1.scores.reduce((s, x) => s + x.weighted, 0));
    expect(w1.scores[0]).toEqual({ plugin: "TaintToleration", raw: 0, normalized: 100, weight: 3, weighted: 300 });
  });

  it("previews a what-if request without touching the cluster, and reports the FailedScheduling message", () => {
    const c = cluster();
    c.sh("kubectl run web --image=nginx:1.27");
    c.tick(1_000);
    const ctx = clusterContextOf(c.controlPlane)!;
    const rev = c.etcd.revision;
    const t = previewTable(ctx, "default/web", { milliCPU: 2_500 })!;
    expect(t.requests.milliCPU).toBe(2_500);
    expect(t.node).toBeNull();
    expect(t.message).toBe("0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {dedicated: batch}.");
    expect(c.etcd.revision).toBe(rev);
    // The pod's own request: it fits where it runs (its own request is not counted twice).
    expect(previewTable(ctx, "default/web")!.node).toBe("worker-1");
    expect(previewTable(ctx, "default/nope")).toBeNull();
  });

  it("names the tied nodes, and keeps the scheduler's draw as the preview's winner", () => {
    // Four workers: the two CoreDNS pods (the DNS add-on) take two of them, the other two are
    // empty and score exactly alike for a pod without requests.
    const c = createCluster({ workers: 4, seed: 5 });
    c.sh("kubectl run a --image=nginx:1.27");
    c.tick(1_000);
    const ctx = clusterContextOf(c.controlPlane)!;
    type Placed = { spec: { nodeName: string } } & import("../api/types").KObject;
    const dnsNodes = c.api.list<Placed>("Pod", "kube-system").map((p) => p.spec.nodeName).sort();
    expect(dnsNodes).toEqual(["worker-1", "worker-3"]);
    const placed = c.api.get<Placed>("Pod", "default", "a").spec.nodeName;
    const t = previewTable(ctx, "default/a")!;
    expect(t.tied).toEqual(["worker-2", "worker-4"]);
    expect(t.node).toBe(placed);
    expect(schedulingCandidates(ctx).map((x) => [x.pod, x.node])[0]).toEqual(["default/a", placed]);
  });
});
