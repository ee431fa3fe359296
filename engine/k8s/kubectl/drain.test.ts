// kubectl drain / cordon / uncordon: the cordon, kubectl's pod filters and their exact words,
// evictions that wait until the kubelet has removed each pod.
import { describe, expect, it } from "vitest";
import type { Cluster } from "../cluster";
import type { Node, Pod } from "../api/types";
import { clusterWith, deploymentYaml } from "../testing/fixtures";

/** A cluster with web (2 replicas, one per worker) and a bare pod "solo"; returns solo's node. */
function setup() {
  const c = clusterWith({ apply: [deploymentYaml()] });
  c.sh("kubectl run solo --image=nginx:1.27");
  c.settle();
  const node = c.api.get<Pod>("Pod", "default", "solo").spec.nodeName!;
  return { c, node, other: node === "worker-1" ? "worker-2" : "worker-1" };
}

const podsOn = (c: Cluster, node: string) => c.api.list<Pod>("Pod").filter((p) => p.spec.nodeName === node);

describe("kubectl drain", () => {
  it("refuses a pod without a controller: the node stays cordoned, no pod is evicted", () => {
    const { c, node } = setup();
    const before = podsOn(c, node).map((p) => p.metadata.uid);
    const r = c.sh(`kubectl drain ${node}`);
    expect(r.stdout).toBe(`node/${node} cordoned\n`);
    expect(r.stderr).toBe(
      `error: unable to drain node "${node}" due to error: cannot delete Pods that declare no controller (use --force to override): default/solo, continuing command...\n` +
        `There are pending nodes to be drained:\n ${node}\ncannot delete Pods that declare no controller (use --force to override): default/solo\n`,
    );
    expect(r.exitCode).toBe(1);
    expect(c.api.get<Node>("Node", undefined, node).spec.unschedulable).toBe(true);
    c.settle();
    expect(podsOn(c, node).map((p) => p.metadata.uid)).toEqual(before);
    expect(c.sh("kubectl get nodes").stdout).toMatch(new RegExp(`^${node}\\s+Ready,SchedulingDisabled\\s`, "m"));
  });

  it("--force evicts every pod, waits until each is gone, and the Deployment's pod comes back on the other node", () => {
    const { c, node, other } = setup();
    const before = podsOn(c, node);
    const web = before.find((p) => p.metadata.name.startsWith("web-"))!.metadata.name;
    const r = c.sh(`kubectl drain ${node} --force`);
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe(`node/${node} cordoned`);
    // Every pod of the node goes, the cluster's own (a CoreDNS replica may live here) included.
    const victims = before.map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
    expect(victims).toEqual(expect.arrayContaining([`default/${web}`, "default/solo"]));
    const n = victims.length;
    expect(lines.slice(1, 1 + n).sort()).toEqual(victims.map((v) => `evicting pod ${v}`).sort());
    expect(lines.slice(1 + n, 1 + 2 * n).sort()).toEqual(victims.map((v) => `pod/${v.split("/")[1]} evicted`).sort());
    expect(lines[1 + 2 * n]).toBe(`node/${node} drained`);
    expect(r.stderr).toBe("Warning: deleting Pods that declare no controller: default/solo\n");
    // Evicted means gone from the API (the kubelet stopped the containers first).
    expect(podsOn(c, node)).toHaveLength(0);
    c.settle();
    const webPods = c.api.list<Pod>("Pod").filter((p) => p.metadata.name.startsWith("web-"));
    expect(webPods).toHaveLength(2);
    expect(webPods.every((p) => p.spec.nodeName === other && p.status?.phase === "Running")).toBe(true);
    expect(c.api.tryGet("Pod", "default", "solo")).toBeNull();
    // Draining again: nothing left to evict.
    expect(c.sh(`kubectl drain ${node}`)).toMatchObject({ stdout: `node/${node} already cordoned\nnode/${node} drained\n`, exitCode: 0 });
    expect(c.sh(`kubectl uncordon ${node}`).stdout).toBe(`node/${node} uncordoned\n`);
    expect(c.api.get<Node>("Node", undefined, node).spec.unschedulable).toBeUndefined();
    expect(c.sh(`kubectl uncordon ${node}`).stdout).toBe(`node/${node} already uncordoned\n`);
  });

  it("DaemonSet-managed pods need --ignore-daemonsets; emptyDir pods need --delete-emptydir-data", () => {
    const { c, node } = setup();
    c.sh("kubectl delete pod solo --force");
    const pod = (name: string, extra: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n${extra}spec:\n  nodeName: ${node}\n  containers:\n  - name: c\n    image: nginx:1.27\n`;
    c.sh("kubectl apply -f -", { stdin: pod("agent", "  ownerReferences:\n  - apiVersion: apps/v1\n    kind: DaemonSet\n    name: agent\n    uid: 0e0e0e0e-0000-4000-8000-000000000001\n    controller: true\n") });
    c.settle();
    const r = c.sh(`kubectl drain ${node}`);
    expect(r.stderr).toContain(`due to error: cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): default/agent, continuing command...\n`);
    expect(r.exitCode).toBe(1);
    const ok = c.sh(`kubectl drain ${node} --ignore-daemonsets`);
    expect(ok.stderr).toBe("Warning: ignoring DaemonSet-managed Pods: default/agent\n");
    expect(ok.stdout).toMatch(new RegExp(`node/${node} drained\\n$`));
    expect(c.api.tryGet("Pod", "default", "agent")).not.toBeNull();

    c.sh(`kubectl uncordon ${node}`);
    c.sh("kubectl apply -f -", { stdin: pod("scratch", "  ownerReferences:\n  - apiVersion: apps/v1\n    kind: ReplicaSet\n    name: gone\n    uid: 0e0e0e0e-0000-4000-8000-000000000002\n    controller: true\n").replace("  containers:", "  volumes:\n  - name: tmp\n    emptyDir: {}\n  containers:") });
    c.settle();
    const e = c.sh(`kubectl drain ${node} --ignore-daemonsets`);
    expect(e.stderr).toContain("cannot delete Pods with local storage (use --delete-emptydir-data to override): default/scratch");
    expect(c.sh(`kubectl drain ${node} --ignore-daemonsets --delete-emptydir-data`).stdout).toContain("pod/scratch evicted\n");
  });

  it("gives up after --timeout when a pod never goes away (its kubelet is stopped), without hanging", () => {
    const { c, node } = setup();
    c.node(node).sh("systemctl stop kubelet");
    const t0 = c.context.clock.now();
    const r = c.sh(`kubectl drain ${node} --force --timeout=5s`);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/error when waiting for pod "(solo|web-\S+)" in namespace "default" to terminate: global timeout reached: 5s/);
    expect(r.stderr).toContain(`There are pending nodes to be drained:\n ${node}\n`);
    expect(c.context.clock.now() - t0).toBeLessThan(10_000);
  });

  it("bad input: unknown node, no node, unknown flag value — nothing changes", () => {
    const { c } = setup();
    const rev = c.etcd.revision;
    expect(c.sh("kubectl drain worker-9")).toMatchObject({ stderr: 'Error from server (NotFound): nodes "worker-9" not found\n', exitCode: 1 });
    expect(c.sh("kubectl drain")).toMatchObject({ stderr: "error: USAGE: drain NODE [flags]\nSee 'kubectl drain -h' for help and examples\n", exitCode: 1 });
    expect(c.sh("kubectl cordon").stderr).toBe("error: USAGE: cordon NODE [flags]\nSee 'kubectl cordon -h' for help and examples\n");
    expect(c.sh("kubectl uncordon").stderr).toBe("error: USAGE: uncordon NODE [flags]\nSee 'kubectl uncordon -h' for help and examples\n");
    expect(c.sh("kubectl uncordon worker-9")).toMatchObject({ stderr: 'Error from server (NotFound): nodes "worker-9" not found\n', exitCode: 1 });
    expect(c.sh("kubectl drain worker-1 --timeout=soon").exitCode).toBe(1);
    expect(c.etcd.revision).toBe(rev);
    expect(c.api.list<Node>("Node").every((n) => !n.spec.unschedulable)).toBe(true);
  });

  it("--dry-run=server reports what it would do and cordons nothing", () => {
    const { c, node } = setup();
    const r = c.sh(`kubectl drain ${node} --force --dry-run=server`);
    expect(r.stdout).toContain(`node/${node} cordoned (server dry run)\n`);
    expect(r.stdout).toContain("evicting pod default/solo (server dry run)\n");
    expect(c.api.get<Node>("Node", undefined, node).spec.unschedulable).toBeUndefined();
    expect(c.api.tryGet("Pod", "default", "solo")).not.toBeNull();
  });
});
