// clusterSnapshot() after a kubectl apply, checked against what the real tools print on the
// nodes (readlink /proc/PID/ns/*, cat /proc/PID/cgroup, ip link, mount, crictl, systemctl,
// kubectl get): the snapshot must tell the same story as a reader's terminal. Then the
// request's path through the components as EngineEvents, in the order seed 002 tells it.
import { describe, expect, it } from "vitest";
import { clusterSnapshot, createCluster, createHost } from "../index";
import type { EngineEvent } from "../index";
import { clusterWith, deploymentYaml } from "./testing/fixtures";

const DEPLOY = deploymentYaml("web", 3, "nginx:1.27", { requests: { cpu: "250m", memory: "64Mi" } });

const inode = (readlink: string) => Number(/\[(\d+)\]/.exec(readlink)?.[1] ?? NaN);

describe("clusterSnapshot", () => {
  it("is null for a host outside a cluster", () => {
    expect(clusterSnapshot(createHost({ seed: 1 }))).toBeNull();
  });

  it("before any workload of yours: three machines, their units, the workers' Nodes, the DNS add-on's pods", () => {
    const c = createCluster({ workers: 2, seed: 1 });
    const s = clusterSnapshot(c.node("worker-2"))!; // from any machine of the cluster
    expect(s.machines.map((m) => [m.name, m.role])).toEqual([["controlplane", "control-plane"], ["worker-1", "worker"], ["worker-2", "worker"]]);
    expect(s.machines[0]!.components.map((u) => u.name)).toEqual(["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "containerd"]);
    expect(s.machines[1]!.components.map((u) => u.name)).toEqual(["containerd", "kubelet", "kube-proxy"]);
    for (const m of s.machines) for (const u of m.components) expect(u.state).toBe("active");
    expect(s.machines[0]!.node).toBeNull();
    const n = s.machines[1]!.node!;
    expect(n.ready).toBe("True");
    expect(n.capacity.milliCPU).toBe(s.machines[1]!.machine.cpus * 1000);
    expect(n.allocatable.memory).toBeLessThan(n.capacity.memory);
    // The only pods are the cluster DNS add-on's: CoreDNS, two replicas in kube-system, spread
    // one to a worker, each requesting 100m and 70Mi — what kubectl get pods -A shows.
    const all = c.sh("kubectl get pods -A -o wide").stdout.trim().split("\n").slice(1).map((l) => l.split(/\s+/));
    expect(s.pods.map((p) => [p.namespace, p.name, p.phase, p.podIP, p.node])).toEqual(all.map((r) => [r[0], r[1], r[3], r[6], r[7]]));
    expect(s.pods.map((p) => [p.namespace, p.name.replace(/-[a-z0-9]+-[a-z0-9]{5}$/, ""), p.phase])).toEqual([["kube-system", "coredns", "Running"], ["kube-system", "coredns", "Running"]]);
    expect(s.pods.map((p) => p.node).sort()).toEqual(["worker-1", "worker-2"]);
    expect(c.sh("kubectl get pods").stderr).toBe("No resources found in default namespace.\n");
    for (const m of s.machines.slice(1)) {
      expect(m.node!.requested).toEqual({ milliCPU: 100, memory: 70 * 1024 ** 2 });
      expect(m.node!.podCount).toBe(1);
    }

    // A unit that fails shows as failed, with no pid.
    c.sh("chmod -x /usr/local/bin/kube-scheduler");
    c.sh("systemctl restart kube-scheduler");
    const sched = clusterSnapshot(c.controlPlane)!.machines[0]!.components.find((u) => u.name === "kube-scheduler")!;
    expect(sched).toEqual({ name: "kube-scheduler", state: "failed", pid: null });
  });

  it("after kubectl apply of a Deployment: each pod's node, phase, IP and its Linux pieces as the node's own tools see them", () => {
    const c = clusterWith({ apply: [DEPLOY] });
    c.settle();
    c.sh("kubectl cordon worker-2");
    const s = clusterSnapshot(c.controlPlane)!;
    // Every namespace's pods, as kubectl get pods -A lists them: web's three and CoreDNS's two.
    const wide = c.sh("kubectl get pods -A -o wide").stdout.trim().split("\n").slice(1).map((l) => l.split(/\s+/));
    expect(s.pods.map((p) => [p.namespace, p.name, p.phase, p.podIP, p.node])).toEqual(wide.map((r) => [r[0], r[1], r[3], r[6], r[7]]));
    expect(s.pods).toHaveLength(5);
    const web = s.pods.filter((p) => p.namespace === "default");
    expect(web.map((p) => p.name.split("-")[0])).toEqual(["web", "web", "web"]);
    expect(s.pods.filter((p) => p.namespace === "kube-system").map((p) => p.containers[0]!.name)).toEqual(["coredns", "coredns"]);

    // Requests on each Node: 250m and 64Mi a web pod bound to it, 100m and 70Mi a CoreDNS pod.
    for (const m of s.machines.slice(1)) {
      const webOn = web.filter((p) => p.node === m.name).length;
      const dnsOn = s.pods.filter((p) => p.namespace === "kube-system" && p.node === m.name).length;
      expect(m.node!.requested).toEqual({ milliCPU: 250 * webOn + 100 * dnsOn, memory: (64 * webOn + 70 * dnsOn) * 1024 ** 2 });
      expect(m.node!.podCount).toBe(webOn + dnsOn);
    }
    expect(s.machines[2]!.node!.unschedulable).toBe(true);
    // Live use: the pods' processes are in kubepods.slice, counted in the machine's root cgroup.
    const w1 = s.machines[1]!;
    expect(w1.podsUsage!.memory).toBeGreaterThan(0);
    expect(w1.usage.memory).toBeGreaterThanOrEqual(w1.podsUsage!.memory);

    for (const p of web) {
      expect(p.qosClass).toBe("Burstable");
      expect(p.containers).toEqual([{ name: "nginx", image: "nginx:1.27", state: "running", reason: null, ready: true, restarts: 0 }]);
      const l = p.linux!;
      expect(l.node).toBe(p.node);
      const w = c.node(l.node);
      // The sandbox: a pause process holding the net, ipc and uts namespaces.
      expect(w.sh(`cat /proc/${l.sandbox.pid}/comm`).stdout).toBe("pause\n");
      for (const ns of ["net", "ipc", "uts"] as const) expect(l.sandbox.ns[ns]).toBe(inode(w.sh(`readlink /proc/${l.sandbox.pid}/ns/${ns}`).stdout));
      expect(w.sh("crictl pods").stdout).toContain(l.sandbox.id.slice(0, 13));
      // The pod cgroup: the directory both the pause scope and the container scope live in.
      expect(l.cgroup).toMatch(/^\/kubepods\.slice\/kubepods-burstable\.slice\/kubepods-burstable-pod\w+\.slice$/);
      expect(w.sh(`cat /proc/${l.sandbox.pid}/cgroup`).stdout).toBe(`0::${l.cgroup}/cri-containerd-${l.sandbox.id}.scope\n`);
      expect(w.sh(`test -d /sys/fs/cgroup${l.cgroup}`).exitCode).toBe(0);
      // The veth: its host end on cni0, its other end eth0 in the pod's namespace.
      expect(l.veth).not.toBeNull();
      expect(l.veth!.bridge).toBe("cni0");
      expect(w.sh(`ip -o link show ${l.veth!.host}`).stdout).toMatch(new RegExp(`^${l.veth!.hostIndex}: ${l.veth!.host}@if${l.veth!.peerIndex}: .* master cni0 `));
      expect(w.sh(`nsenter -t ${l.sandbox.pid} -n ip -o link show eth0`).stdout).toMatch(new RegExp(`^${l.veth!.peerIndex}: eth0@if${l.veth!.hostIndex}: `));
      expect(l.veth!.peer).toBe("eth0");
      // The container: its own mnt and pid namespaces, the sandbox's net; its overlay rootfs.
      expect(l.containers).toHaveLength(1);
      const ct = l.containers[0]!;
      expect(ct.name).toBe("nginx");
      expect(w.sh(`cat /proc/${ct.pid}/comm`).stdout).toBe("nginx\n");
      for (const ns of ["mnt", "pid", "net"] as const) expect(ct.ns[ns]).toBe(inode(w.sh(`readlink /proc/${ct.pid}/ns/${ns}`).stdout));
      expect(ct.ns.net).toBe(l.sandbox.ns.net);
      expect(ct.ns.mnt).not.toBe(w.sh("readlink /proc/1/ns/mnt").stdout);
      expect(w.sh(`cat /proc/${ct.pid}/cgroup`).stdout).toBe(`0::${ct.cgroup}\n`);
      expect(ct.cgroup.startsWith(`${l.cgroup}/`)).toBe(true);
      expect(ct.rootfs!.mountpoint).toBe(`/run/containerd/io.containerd.runtime.v2.task/k8s.io/${ct.id}/rootfs`);
      const mount = w.sh("mount").stdout.split("\n").find((m) => m.startsWith(`overlay on ${ct.rootfs!.mountpoint} `))!;
      expect(mount).toContain(`lowerdir=${ct.rootfs!.lowerdirs.join(":")},upperdir=${ct.rootfs!.upperdir}`);
    }
    // Different pods, different network namespaces (inode numbers are per machine), CoreDNS's too.
    expect(new Set(s.pods.map((p) => `${p.node}:${p.linux!.sandbox.ns.net}`)).size).toBe(5);
  });

  it("follows the kernel, not the names: a pause process killed on its node takes the pod's Linux pieces with it", () => {
    const c = createCluster({ workers: 2, seed: 1 });
    c.sh("kubectl create deployment web --image=nginx --replicas=1");
    c.settle();
    const before = clusterSnapshot(c.controlPlane)!.pods.find((p) => p.namespace === "default")!;
    expect(before.name).toMatch(/^web-/);
    expect(before.linux).not.toBeNull();
    c.node(before.node!).sh(`kill -9 ${before.linux!.sandbox.pid}`);
    const after = clusterSnapshot(c.controlPlane)!.pods.find((p) => p.name === before.name)!;
    expect(after.linux).toBeNull();
  });

  it("an unscheduled pod has no node and no Linux pieces", () => {
    const c = createCluster({ workers: 2, seed: 1 });
    c.sh("systemctl stop kube-scheduler");
    c.sh("kubectl run lonely --image=nginx");
    c.tick(2_000);
    const p = clusterSnapshot(c.controlPlane)!.pods.find((x) => x.namespace === "default");
    expect(p).toMatchObject({ name: "lonely", node: null, phase: "Pending", status: "Pending", podIP: null, linux: null });
  });
});

describe("a request's path as engine events (seed 002's walkthrough)", () => {
  it("kubectl → API server/etcd → deployment and replicaset controllers → scheduler → kubelet → runtime, in that order", () => {
    const c = createCluster({ workers: 2, seed: 1 });
    const seen: EngineEvent[] = [];
    c.on("event", (e) => e.type.startsWith("k8s.") && e.type !== "k8s.object" && seen.push(e));
    c.sh("kubectl apply -f -", { stdin: DEPLOY });
    c.settle();
    const first = (pred: (e: EngineEvent) => boolean, what: string) => {
      const i = seen.findIndex(pred);
      expect(i, what).toBeGreaterThanOrEqual(0);
      return i;
    };
    const kubectl = first((e) => e.type === "k8s.kubectl" && e.argv.join(" ") === "kubectl apply -f -", "kubectl");
    const stored = first((e) => e.type === "k8s.api" && e.verb === "create" && e.kind === "Deployment", "Deployment stored");
    const dep = seen[stored] as Extract<EngineEvent, { type: "k8s.api" }>;
    expect(dep).toMatchObject({ host: "controlplane", namespace: "default", name: "web", key: "/registry/deployments/default/web", path: "/apis/apps/v1/namespaces/default/deployments/web", userAgent: "kubectl/v1.34.1 (linux/amd64)" });
    // Only kubectl's own request carries its User-Agent; what the components write does not.
    expect(seen.filter((e) => e.type === "k8s.api" && e.userAgent).map((e) => (e as { kind: string }).kind)).toEqual(["Deployment"]);
    // The revision is etcd's: etcdctl shows the same key, and the object's resourceVersion is that revision.
    expect(c.sh("kubectl get deployment web -o jsonpath='{.metadata.generation}'").exitCode).toBe(0);
    expect(dep.revision).toBeGreaterThan(1);
    const scaled = first((e) => e.type === "k8s.controller" && e.controller === "deployment-controller" && e.reason === "ScalingReplicaSet", "deployment controller");
    const rsStored = first((e) => e.type === "k8s.api" && e.verb === "create" && e.kind === "ReplicaSet", "ReplicaSet stored");
    const podCreated = first((e) => e.type === "k8s.controller" && e.controller === "replicaset-controller" && e.reason === "SuccessfulCreate", "replicaset controller");
    const podStored = first((e) => e.type === "k8s.api" && e.verb === "create" && e.kind === "Pod", "Pod stored");
    const scheduled = first((e) => e.type === "k8s.schedule" && e.node !== null, "scheduler");
    const bound = first((e) => e.type === "k8s.api" && e.verb === "update" && e.kind === "Pod" && !e.subresource, "binding stored");
    const sandbox = first((e) => e.type === "k8s.kubelet" && e.step === "sandbox", "sandbox");
    const network = first((e) => e.type === "k8s.kubelet" && e.step === "network", "CNI");
    const runtime = first((e) => e.type === "k8s.runtime" && e.image.includes("nginx"), "runtime");
    const container = first((e) => e.type === "k8s.kubelet" && e.step === "container", "container");
    const order = [kubectl, stored, rsStored, scaled, podStored, podCreated, scheduled, bound, sandbox, network, runtime, container];
    expect([...order].sort((a, b) => a - b)).toEqual(order);

    // Every pod got exactly one decision, one sandbox, one network and one container, and the facts agree with the snapshot.
    // (The CoreDNS pods went through the same relay when the cluster booted, before `seen` began.)
    const s = clusterSnapshot(c.controlPlane)!;
    const pods = s.pods.filter((p) => p.namespace === "default");
    expect(pods).toHaveLength(3);
    for (const p of pods) {
      const key = `default/${p.name}`;
      const sched = seen.filter((e) => e.type === "k8s.schedule" && e.pod === key);
      expect(sched).toHaveLength(1);
      expect(sched[0]).toMatchObject({ node: p.node, host: "controlplane" });
      const kub = seen.filter((e): e is Extract<EngineEvent, { type: "k8s.kubelet" }> => e.type === "k8s.kubelet" && e.pod === key);
      expect(kub.map((e) => [e.host, e.step])).toEqual([[p.node, "sandbox"], [p.node, "network"], [p.node, "container"]]);
      expect(kub[0]).toMatchObject({ sandboxId: p.linux!.sandbox.id, pid: p.linux!.sandbox.pid });
      expect(kub[1]).toMatchObject({ ip: p.podIP, veth: p.linux!.veth!.host });
      expect(kub[2]).toMatchObject({ container: "nginx", containerId: p.linux!.containers[0]!.id, pid: p.linux!.containers[0]!.pid });
      const rt = seen.find((e) => e.type === "k8s.runtime" && e.id === p.linux!.containers[0]!.id);
      expect(rt).toMatchObject({ host: p.node, pid: p.linux!.containers[0]!.pid, rootfs: p.linux!.containers[0]!.rootfs!.mountpoint });
    }
    // The API writes are etcd's revisions, strictly increasing in the order they happened.
    const revs = seen.filter((e) => e.type === "k8s.api").map((e) => (e as { revision: number }).revision);
    expect(revs.every((r, i) => i === 0 || r > revs[i - 1]!)).toBe(true);
    const key = c.sh("etcdctl get /registry/pods/default --prefix --keys-only").stdout.split("\n").filter(Boolean);
    expect(key).toEqual(pods.map((p) => `/registry/pods/default/${p.name}`));
  });

  it("is deterministic: the same seed and commands give a byte-identical event log and snapshot", () => {
    const run = () => {
      const c = clusterWith({ seed: 7, apply: [DEPLOY] });
      c.settle();
      c.sh("kubectl scale deployment web --replicas=1");
      c.settle();
      return JSON.stringify([c.events(), clusterSnapshot(c.controlPlane)]);
    };
    const a = run();
    expect(a).toContain('"type":"k8s.kubelet"');
    expect(run()).toBe(a);
  });

  it("a write kubectl sends but validation rejects stores nothing and emits no k8s.api event", () => {
    const c = createCluster({ workers: 2, seed: 1 });
    const seen: EngineEvent[] = [];
    c.on("event", (e) => seen.push(e));
    const r = c.sh("kubectl apply -f -", { stdin: DEPLOY.replace("replicas: 3", "replicas: -1") });
    expect(r.exitCode).toBe(1);
    expect(seen.some((e) => e.type === "k8s.kubectl")).toBe(true);
    expect(seen.some((e) => e.type === "k8s.api" && e.kind === "Deployment")).toBe(false);
  });
});
