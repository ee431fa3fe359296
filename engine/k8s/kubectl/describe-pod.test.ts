// kubectl describe pod through the tabwriter, as kubectl lays it out: every run of tabbed lines
// is one aligned block, so the header aligns on "Service Account:", the container's details on
// "Restart Count:", and the tail (Conditions … Events) on the longest condition type.
import { describe, expect, it } from "vitest";
import { createCluster } from "../cluster";

function podOf(run: string) {
  const c = createCluster({ workers: 1, seed: 1 });
  c.sh(run);
  c.settle();
  return c;
}

describe("kubectl describe pod", () => {
  it("aligns each block like kubectl's tabwriter and names what it runs", () => {
    const c = podOf("kubectl create deployment web --image=nginx:1.27 --replicas=1");
    const out = c.sh("kubectl describe pod -l app=web").stdout;
    expect(out).toMatch(/^Name: {13}web-[0-9a-f]+-\w{5}\nNamespace: {8}default\nPriority: {9}0\nService Account:  default\nNode: {13}worker-1\/192\.168\.56\.12\n/);
    expect(out).toMatch(/\nStart Time: {7}Mon, 12 Jan 2026 09:00:00 \+0000\nLabels: {11}app=web\n {18}pod-template-hash=[0-9a-f]+\n/);
    // The IPs block runs on into "Controlled By:" (both tabbed), so they share one width.
    expect(out).toMatch(/\nIPs:\n  IP: {11}10\.200\.0\.\d+\nControlled By:  ReplicaSet\/web-[0-9a-f]+\n/);
    expect(out).toMatch(/\n  nginx:\n    Container ID:   containerd:\/\/[0-9a-f]{64}\n    Image: {10}nginx:1\.27\n    Image ID: {7}docker\.io\/library\/nginx@sha256:[0-9a-f]{64}\n/);
    expect(out).toContain("\n    State:          Running\n      Started:      Mon, 12 Jan 2026 09:00:00 +0000\n    Ready:          True\n    Restart Count:  0\n");
    expect(out).toContain("\nConditions:\n  Type                        Status\n  PodReadyToStartContainers   True \n");
    expect(out).toContain("\nVolumes:                      <none>\nQoS Class:                    BestEffort\n");
    expect(out).toContain("\nTolerations:                  node.kubernetes.io/not-ready:NoExecute op=Exists for 300s\n                              node.kubernetes.io/unreachable:NoExecute op=Exists for 300s\n");
    expect(out).toMatch(/\nEvents:\n  Type    Reason     Age   From               Message\n/);
  });

  it("shows a pod being deleted as Terminating with the time its grace period has left", () => {
    const c = podOf("kubectl run s --image=busybox:1.36 -- sleep 3600");
    c.sh("kubectl delete pod s --wait=false");
    c.tick(6_000);
    const out = c.sh("kubectl describe pod s").stdout;
    expect(out).toMatch(/\nStatus: {20}Terminating \(lasts 2[45]s\)\nTermination Grace Period:  30s\n/);
    expect(out).toContain("\n    Args:\n      sleep\n      3600\n");
    expect(out).toMatch(/Normal +Killing +\ds +kubelet +Stopping container s\n/);
  });
});
