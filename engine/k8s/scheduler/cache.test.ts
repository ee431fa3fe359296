// The scheduler cache follows Pod and Node watch events: what a node has requested must always
// equal the sum over the pods bound to it that still run — the same numbers a fresh list gives.
import { describe, expect, it } from "vitest";
import type { Node, Pod } from "../api/types";
import { nodeInfos } from "../components/scheduler";
import { SchedulerCache } from "./cache";

const node = (name: string, extra: Partial<Node["spec"]> = {}): Node =>
  ({ apiVersion: "v1", kind: "Node", metadata: { name }, spec: { ...extra }, status: { allocatable: { cpu: "2", memory: "4Gi", pods: "110" } } }) as Node;
const pod = (name: string, nodeName?: string, phase?: string, cpu = "250m"): Pod =>
  ({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "default" }, spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: "c", image: "nginx:1.27", resources: { requests: { cpu, memory: "64Mi" } } }] }, status: { phase: phase ?? "Pending" } }) as Pod;

describe("SchedulerCache", () => {
  it("adds a bound pod's requests to its node and takes them away when it finishes or is deleted", () => {
    const c = new SchedulerCache();
    c.onNode("ADDED", node("b"));
    c.onNode("ADDED", node("a"));
    c.onPod("ADDED", pod("p1"));
    expect([...c.pending]).toEqual(["default/p1"]);
    c.onPod("MODIFIED", pod("p1", "a"));
    c.onPod("ADDED", pod("p2", "a", "Running", "500m"));
    c.onPod("ADDED", pod("p3", "b", "Running"));
    expect(c.pending.size).toBe(0);
    expect(c.nodeInfos().map((n) => [n.name, n.requested.milliCPU, n.podCount])).toEqual([["a", 750, 2], ["b", 250, 1]]);
    c.onPod("MODIFIED", pod("p2", "a", "Succeeded", "500m"));
    c.onPod("DELETED", pod("p3", "b", "Running"));
    expect(c.nodeInfos().map((n) => [n.name, n.requested.milliCPU, n.requested.memory, n.podCount])).toEqual([["a", 250, 64 * 2 ** 20, 1], ["b", 0, 0, 0]]);
  });

  it("agrees with a NodeInfo list built from scratch, after node updates and pods bound before their node existed", () => {
    const c = new SchedulerCache();
    const pods = [pod("x", "n2", "Running"), pod("y", "n1", "Running", "1"), pod("z", "n2", "Failed"), pod("w")];
    for (const p of pods) c.onPod("ADDED", p);
    const nodes = [node("n1"), node("n2", { unschedulable: true })];
    for (const n of nodes) c.onNode("ADDED", n);
    c.onNode("MODIFIED", node("n2", { taints: [{ key: "k", effect: "NoSchedule" }] }));
    const fresh = nodeInfos([nodes[0]!, node("n2", { taints: [{ key: "k", effect: "NoSchedule" }] })], pods);
    expect(c.nodeInfos()).toEqual(fresh);
    expect([...c.pending]).toEqual(["default/w"]);
    c.onNode("DELETED", node("n1"));
    expect(c.nodeInfos().map((n) => n.name)).toEqual(["n2"]);
  });
});
