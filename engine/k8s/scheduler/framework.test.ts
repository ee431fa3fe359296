import { describe, expect, it } from "vitest";
import { Random } from "../../sim/random";
import { fitErrorMessage, numFeasibleNodesToFind, schedule } from "./framework";
import { balancedScore } from "./plugins/balanced-allocation";
import { leastAllocated, mostAllocated } from "./plugins/node-resources-fit";
import { taintTolerationScore, toleratesTaint } from "./plugins/taint-toleration";
import type { NodeInfo, PodInfo } from "./types";

const GiB = 1024 ** 3;
const node = (name: string, over: Partial<NodeInfo> = {}): NodeInfo => ({
  name,
  labels: { "kubernetes.io/hostname": name },
  taints: [],
  unschedulable: false,
  allocatable: { milliCPU: 2000, memory: 4 * GiB, pods: 110 },
  requested: { milliCPU: 0, memory: 0 },
  nonZeroRequested: { milliCPU: 0, memory: 0 },
  podCount: 0,
  ...over,
});
const pod = (over: Partial<PodInfo> = {}): PodInfo => ({
  namespace: "default",
  name: "p",
  tolerations: [],
  requests: { milliCPU: 0, memory: 0 },
  nonZeroRequests: { milliCPU: 100, memory: 200 * 1024 * 1024 },
  ...over,
});

describe("scores follow the upstream formulas", () => {
  it("LeastAllocated and MostAllocated", () => {
    expect(leastAllocated(3000, 4000)).toBe(25);
    expect(leastAllocated(5000, 4000)).toBe(0);
    expect(leastAllocated(1, 0)).toBe(0);
    expect(mostAllocated(3000, 4000)).toBe(75);
    expect(mostAllocated(5000, 4000)).toBe(100);
  });
  it("BalancedAllocation", () => {
    expect(balancedScore([0.5, 0.5])).toBe(100);
    expect(balancedScore([0.6, 0.4])).toBe(90);
    expect(balancedScore([1.5, 0.25])).toBe(62); // capped at 1 → |1-0.25|/2 = 0.375
    expect(balancedScore([0.5])).toBe(100);
  });
  it("ToleratesTaint", () => {
    const taint = { key: "dedicated", value: "gpu", effect: "NoSchedule" as const };
    expect(toleratesTaint({ key: "dedicated", operator: "Equal", value: "gpu", effect: "NoSchedule" }, taint)).toBe(true);
    expect(toleratesTaint({ key: "dedicated", value: "cpu" }, taint)).toBe(false);
    expect(toleratesTaint({ key: "dedicated", operator: "Exists" }, taint)).toBe(true);
    expect(toleratesTaint({ operator: "Exists" }, taint)).toBe(true);
    expect(toleratesTaint({ key: "dedicated", operator: "Exists", effect: "NoExecute" }, taint)).toBe(false);
    expect(toleratesTaint({ key: "dedicated", operator: "Lt", value: "gpu" }, taint)).toBe(false);
  });
  it("TaintToleration score normalises to 100 - 100*raw/max", () => {
    expect(taintTolerationScore.normalize!([0, 1, 2])).toEqual([100, 50, 0]);
    expect(taintTolerationScore.normalize!([0, 0])).toEqual([100, 100]);
  });
});

describe("schedule", () => {
  const rng = () => new Random(1);

  it("places a pod on the emptiest node and explains every score", () => {
    const busy = node("worker-1", { requested: { milliCPU: 1500, memory: GiB }, nonZeroRequested: { milliCPU: 1500, memory: GiB } });
    const idle = node("worker-2");
    const r = schedule(pod({ requests: { milliCPU: 250, memory: 128 * 1024 * 1024 }, nonZeroRequests: { milliCPU: 250, memory: 128 * 1024 * 1024 } }), [busy, idle], { rng: rng() });
    expect(r.node).toBe("worker-2");
    const v = r.verdicts.find((x) => x.node === "worker-2")!;
    expect(v.scores.map((s) => s.plugin)).toEqual(["TaintToleration", "NodeAffinity", "NodeResourcesFit", "NodeResourcesBalancedAllocation"]);
    expect(v.total).toBe(v.scores.reduce((s, x) => s + x.normalized * x.weight, 0));
  });

  it("writes the FailedScheduling message with the reasons counted and sorted", () => {
    const cp = node("control-plane", { taints: [{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }] });
    const small = node("worker-1", { allocatable: { milliCPU: 1000, memory: GiB, pods: 110 } });
    const r = schedule(pod({ requests: { milliCPU: 1500, memory: 0 } }), [cp, small, node("worker-2", { allocatable: { milliCPU: 1000, memory: GiB, pods: 110 } })], { rng: rng() });
    expect(r.node).toBeNull();
    expect(r.message).toBe("0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu.");
  });

  it("honours nodeSelector, cordons and spec.nodeName", () => {
    const a = node("a", { labels: { disk: "ssd" } });
    const b = node("b", { unschedulable: true });
    expect(schedule(pod({ nodeSelector: { disk: "ssd" } }), [a, b, node("c")], { rng: rng() }).node).toBe("a");
    expect(schedule(pod({ nodeName: "c" }), [a, node("c")], { rng: rng() }).node).toBe("c");
    expect(schedule(pod(), [b], { rng: rng() }).message).toBe("0/1 nodes are available: 1 node(s) were unschedulable.");
  });

  it("stops searching after enough feasible nodes in a large cluster", () => {
    expect(numFeasibleNodesToFind(50)).toBe(50);
    expect(numFeasibleNodesToFind(1000)).toBe(420); // 50 - 1000/125 = 42 %
    expect(numFeasibleNodesToFind(5000)).toBe(500); // 10 %
    expect(numFeasibleNodesToFind(200, 100)).toBe(200);
    const nodes = Array.from({ length: 1000 }, (_, i) => node(`n${i}`));
    expect(schedule(pod(), nodes, { rng: rng() }).evaluated).toBe(420);
  });

  it("formats the message like the FitError", () => {
    expect(fitErrorMessage(3, ["Insufficient memory", "Insufficient memory", "Too many pods"])).toBe("0/3 nodes are available: 1 Too many pods, 2 Insufficient memory.");
  });
});
