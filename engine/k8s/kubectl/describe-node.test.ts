// kubectl describe node through the tabwriter, in the real describer's order: the header block
// aligns on "CreationTimestamp:", the conditions table and its trailing-space cells, System Info
// runs on into PodCIDR and "Non-terminated Pods:", and taints are sorted by effect, then key.
import { describe, expect, it } from "vitest";
import { createCluster } from "../cluster";

describe("kubectl describe node", () => {
  it("lays the node out as kubectl does", () => {
    const c = createCluster({ workers: 1, seed: 1 });
    c.sh("kubectl taint node worker-1 zone=b:NoSchedule");
    c.sh("kubectl taint node worker-1 dedicated=batch:NoExecute");
    const out = c.sh("kubectl describe node worker-1").stdout;
    expect(out).toMatch(/^Name: {15}worker-1\nRoles: {14}<none>\nLabels: {13}beta\.kubernetes\.io\/arch=amd64\n {20}beta\.kubernetes\.io\/os=linux\n/);
    expect(out).toContain("\nCreationTimestamp:  Mon, 12 Jan 2026 09:00:00 +0000\nTaints:             dedicated=batch:NoExecute\n                    zone=b:NoSchedule\nUnschedulable:      false\n");
    expect(out).toMatch(/\n  Ready            True    Mon, 12 Jan 2026 09:00:\d\d \+0000   Mon, 12 Jan 2026 09:00:00 \+0000   KubeletReady                 kubelet is posting ready status\n/);
    expect(out).toContain("\nAddresses:\n  InternalIP:  192.168.56.12\n  Hostname:    worker-1\nCapacity:\n  cpu:                2\n");
    expect(out).toContain("\n  Kubelet Version:            v1.34.1\nPodCIDR:                      10.200.0.0/24\nPodCIDRs:                     10.200.0.0/24\nNon-terminated Pods:          (2 in total)\n");
    expect(out).toMatch(/\n  kube-system {17}coredns-\w+-\w{5} {4}100m \(5%\) {5}0 \(0%\) {6}70Mi \(1%\) {8}170Mi \(4%\) {5}\d+s\n/);
    expect(out).toMatch(/\n  cpu                200m \(10%\)  0 \(0%\)\n  memory             140Mi \(3%\)  340Mi \(8%\)\n  ephemeral-storage  0 \(0%\)      0 \(0%\)\nEvents:              <none>\n$/);
  });
});
