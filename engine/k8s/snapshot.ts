// The whole cluster as typed data, for the ClusterMap widget and for tests: every machine with
// its hardware use and its systemd units, every Node as the API server stores it, and every
// pod with the Linux pieces it is made of on its node.
//
// Each fact is read where the real tools would read it: Node and Pod objects from the API
// server (kubectl get), units from systemd (systemctl), sandboxes and containers from the
// node's containerd (crictl), pids' namespaces and cgroups from the kernel (/proc/PID/ns,
// /proc/PID/cgroup), the veth from the node's links (ip link), the rootfs from its mount table
// (findmnt). Nothing is re-derived from names: if the kubelet put a pod somewhere unexpected,
// the snapshot shows where it really is.
import type { Host } from "../linux/host";
import type { Kernel } from "../linux/kernel";
import { cgroupSnapshots } from "../linux/cgroup-snapshot";
import { networkSnapshot } from "../linux/net/snapshot";
import { overlaySnapshots } from "../linux/overlay-snapshot";
import { systemdOf } from "../linux/systemd";
import type { Unit } from "../linux/systemd";
import type { Node, Pod, Taint } from "./api/types";
import { kernelOf } from "./cluster";
import { clusterOf } from "./components/context";
import { nodeInfos } from "./components/scheduler";
import { containerdIfStarted } from "./runtime/containerd";
import { quantityValue } from "./scheduler/requests";

/** The systemd units a Kubernetes machine runs, control plane first (Kubernetes the Hard Way's set). */
export const CLUSTER_UNITS = ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "containerd", "kubelet", "kube-proxy"] as const;

export interface ComponentSnapshot {
  /** The unit's name: "kube-scheduler", "kubelet", … */
  name: string;
  /** systemctl is-active. */
  state: Unit["state"];
  /** MainPID, or null when the service is not running. */
  pid: number | null;
}

/** CPU in millicores and memory in bytes, the units the scheduler counts in. */
export interface ResourceAmounts {
  milliCPU: number;
  memory: number;
}

/** A Node object, reduced to what a map of the cluster shows. */
export interface NodeObjectSnapshot {
  /** The Ready condition's status. */
  ready: "True" | "False" | "Unknown";
  taints: Taint[];
  /** spec.unschedulable (kubectl cordon). */
  unschedulable: boolean;
  podCIDR: string;
  capacity: ResourceAmounts & { pods: number };
  allocatable: ResourceAmounts & { pods: number };
  /** The sum of the requests of the pods bound to it (what the scheduler counts against allocatable). */
  requested: ResourceAmounts;
  /** Pods bound to it and not finished. */
  podCount: number;
}

/** One machine of the cluster. */
export interface ClusterMachineSnapshot {
  name: string;
  /** "control-plane" when it runs kube-apiserver. */
  role: "control-plane" | "worker";
  /** The address it has on the cluster's wire. */
  ip: string;
  /** The hardware under it. */
  machine: { cpus: number; memory: number };
  /** Live use from its root cgroup: CPU over the last second (1000 = one whole CPU) and memory.current. */
  usage: ResourceAmounts;
  /** What its pods use right now (the kubepods.slice cgroup), or null on a machine without one. */
  podsUsage: ResourceAmounts | null;
  /** Its Kubernetes units, in CLUSTER_UNITS order (only those installed on it). */
  components: ComponentSnapshot[];
  /** The Node object its kubelet registered, or null (the control plane runs no kubelet here). */
  node: NodeObjectSnapshot | null;
}

/** One container of a pod, from the pod's status. */
export interface PodContainerSnapshot {
  name: string;
  image: string;
  state: "running" | "waiting" | "terminated";
  /** Waiting or terminated reason: ContainerCreating, CrashLoopBackOff, Completed, … */
  reason: string | null;
  ready: boolean;
  restarts: number;
}

/** A container's process on its node. */
export interface ContainerLinuxSnapshot {
  name: string;
  /** The containerd container id (crictl ps shows its first 13 characters). */
  id: string;
  /** Host PID of the container's first process. */
  pid: number;
  /** Its own namespaces (the net, ipc and uts ones are the sandbox's). */
  ns: { mnt: number; pid: number; net: number; ipc: number; uts: number };
  /** Its cgroup, read from the process (/proc/PID/cgroup). */
  cgroup: string;
  /** The overlay mount containerd made for its root filesystem, as the node's mount table has it. */
  rootfs: { mountpoint: string; lowerdirs: string[]; upperdir: string | null } | null;
}

/** The Linux pieces a pod is made of on its node. */
export interface PodLinuxSnapshot {
  node: string;
  /** The pause container holding the pod's shared namespaces. */
  sandbox: { id: string; pid: number; ns: { net: number; ipc: number; uts: number } };
  /** The pod's cgroup (the parent of its containers' scopes) under kubepods.slice. */
  cgroup: string;
  /** The host end of the pod's veth pair, and the pod's end (eth0) inside its network namespace. */
  veth: { host: string; hostIndex: number; bridge: string | null; peer: string; peerIndex: number } | null;
  containers: ContainerLinuxSnapshot[];
}

export interface ClusterPodSnapshot {
  namespace: string;
  name: string;
  uid: string;
  /** spec.nodeName, null while unscheduled. */
  node: string | null;
  phase: string;
  /** The STATUS column kubectl get pods would print for it: ContainerCreating, Running, Terminating, … */
  status: string;
  podIP: string | null;
  qosClass: string | null;
  containers: PodContainerSnapshot[];
  /** Null until the node's runtime runs its sandbox. */
  linux: PodLinuxSnapshot | null;
}

export interface ClusterSnapshot {
  /** Virtual time in ms. */
  time: number;
  /** Every machine, the control plane first. */
  machines: ClusterMachineSnapshot[];
  /** Every pod of every namespace, by namespace then name. */
  pods: ClusterPodSnapshot[];
}

/** The cluster `host` belongs to, seen from any of its machines; null for a host outside a cluster. */
export function clusterSnapshot(host: Host): ClusterSnapshot | null {
  const ctx = clusterOf(kernelOf(host));
  if (!ctx) return null;
  const { api } = ctx;
  const kernels = [...ctx.kernels.values()];
  const nodes = api.list<Node>("Node");
  const pods = api.list<Pod>("Pod");
  const infos = new Map(nodeInfos(nodes, pods).map((i) => [i.name, i]));
  const machines = kernels.map((k): ClusterMachineSnapshot => {
    const node = nodes.find((n) => n.metadata.name === k.name);
    const info = infos.get(k.name);
    const units = systemdOf(k).units;
    const cgroups = cgroupSnapshots(k);
    const use = (path: string): ResourceAmounts | null => {
      const cg = cgroups.find((c) => c.path === path);
      return cg ? { milliCPU: Math.round(cg.cpu.recentCpuPercent * 10), memory: cg.memory.current } : null;
    };
    const amounts = (r: Record<string, unknown> | undefined) => ({ milliCPU: quantityValue(r?.cpu as string, true), memory: quantityValue(r?.memory as string), pods: quantityValue((r?.pods as string) ?? "0") });
    return {
      name: k.name,
      role: units.has("kube-apiserver") ? "control-plane" : "worker",
      ip: ctx.nodeIPs.get(k.name) ?? "",
      machine: { cpus: k.machine.cpus, memory: k.machine.memory },
      usage: use("/") ?? { milliCPU: 0, memory: 0 },
      podsUsage: use("/kubepods.slice"),
      components: CLUSTER_UNITS.filter((u) => units.has(u)).map((u) => {
        const unit = units.get(u)!;
        return { name: u, state: unit.state, pid: unit.mainPid };
      }),
      node: node
        ? {
            ready: (node.status?.conditions?.find((c) => c.type === "Ready")?.status as "True" | "False" | "Unknown") ?? "Unknown",
            taints: node.spec.taints ?? [],
            unschedulable: !!node.spec.unschedulable,
            podCIDR: node.spec.podCIDR ?? "",
            capacity: amounts(node.status?.capacity),
            allocatable: amounts(node.status?.allocatable),
            requested: info ? { ...info.requested } : { milliCPU: 0, memory: 0 },
            podCount: info?.podCount ?? 0,
          }
        : null,
    };
  });
  const byName = new Map(kernels.map((k) => [k.name, k]));
  const linuxCache = new Map<string, NodeView>();
  const viewOf = (name: string): NodeView | null => {
    const k = byName.get(name);
    if (!k) return null;
    let v = linuxCache.get(name);
    if (!v) linuxCache.set(name, (v = nodeView(k)));
    return v;
  };
  const out = pods
    .map((p): ClusterPodSnapshot => {
      const node = p.spec.nodeName ?? null;
      const view = node ? viewOf(node) : null;
      return {
        namespace: p.metadata.namespace ?? "default",
        name: p.metadata.name,
        uid: p.metadata.uid ?? "",
        node,
        phase: p.status?.phase ?? "Pending",
        status: podStatusText(p),
        podIP: p.status?.podIP ?? null,
        qosClass: p.status?.qosClass ?? null,
        containers: p.spec.containers.map((c) => {
          const s = p.status?.containerStatuses?.find((x) => x.name === c.name);
          const state = s?.state.running ? "running" : s?.state.terminated ? "terminated" : "waiting";
          return { name: c.name, image: c.image, state, reason: s?.state.waiting?.reason ?? s?.state.terminated?.reason ?? null, ready: s?.ready ?? false, restarts: s?.restartCount ?? 0 };
        }),
        linux: view && node ? podLinux(view, node, p) : null,
      };
    })
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  return { time: ctx.clock.now(), machines, pods: out };
}

/** kubectl's STATUS column, short form: Terminating, a container's waiting reason, or the phase. */
function podStatusText(p: Pod): string {
  if (p.metadata.deletionTimestamp) return "Terminating";
  for (const s of p.status?.containerStatuses ?? []) {
    if (s.state.waiting?.reason) return s.state.waiting.reason;
    if (s.state.terminated?.reason && p.status?.phase !== "Running") return s.state.terminated.reason;
  }
  return p.status?.phase ?? "Pending";
}

/** What one node's runtime, kernel, links and mounts say, gathered once per snapshot. */
interface NodeView {
  kernel: Kernel;
  /** containerd's sandboxes and containers in the k8s.io namespace, with their running task's pid. */
  sandboxes: { id: string; podUid: string; pid: number }[];
  containers: { id: string; podUid: string; name: string; pid: number; rootfs: string }[];
  net: ReturnType<typeof networkSnapshot>;
  overlays: Map<string, { lowerdirs: string[]; upperdir: string | null }>;
}

function nodeView(k: Kernel): NodeView {
  const cri = containerdIfStarted(k);
  const sandboxes: NodeView["sandboxes"] = [];
  const containers: NodeView["containers"] = [];
  for (const c of cri?.containers.values() ?? []) {
    if (c.namespace !== "k8s.io") continue;
    const task = cri!.tasks.get(c.id);
    if (!task || task.status !== "RUNNING" || !task.init.alive) continue;
    const podUid = c.labels["io.kubernetes.pod.uid"] ?? "";
    if (c.labels["io.cri-containerd.kind"] === "sandbox") sandboxes.push({ id: c.id, podUid, pid: task.init.pid });
    else containers.push({ id: c.id, podUid, name: c.labels["io.kubernetes.container.name"] ?? "", pid: task.init.pid, rootfs: c.rootfs });
  }
  const overlays = new Map(overlaySnapshots(k, { entries: false }).map((o) => [o.mountpoint, { lowerdirs: o.lowerdirs, upperdir: o.upperdir }]));
  return { kernel: k, sandboxes, containers, net: networkSnapshot(k), overlays };
}

function podLinux(v: NodeView, node: string, pod: Pod): PodLinuxSnapshot | null {
  const uid = pod.metadata.uid ?? "";
  const sb = v.sandboxes.find((s) => s.podUid === uid);
  const pause = sb ? v.kernel.processes.get(sb.pid) : undefined;
  if (!sb || !pause) return null;
  const net = pause.ns.net.inode;
  // The pod's cgroup is the directory its sandbox's scope sits in.
  const cgroup = pause.cgroup.slice(0, pause.cgroup.lastIndexOf("/")) || "/";
  // The veth whose other end lives in the pod's network namespace.
  const hostNs = v.net.namespaces.find((n) => n.initial);
  const hostEnd = hostNs?.links.find((l) => l.kind === "veth" && l.peer?.netns === net);
  const veth = hostEnd && hostEnd.peer ? { host: hostEnd.name, hostIndex: hostEnd.index, bridge: hostEnd.master, peer: hostEnd.peer.name, peerIndex: hostEnd.peer.index } : null;
  const containers = v.containers
    .filter((c) => c.podUid === uid)
    .flatMap((c): ContainerLinuxSnapshot[] => {
      const p = v.kernel.processes.get(c.pid);
      if (!p) return [];
      const o = v.overlays.get(c.rootfs);
      return [{ name: c.name, id: c.id, pid: c.pid, ns: { mnt: p.ns.mnt.inode, pid: p.ns.pid.inode, net: p.ns.net.inode, ipc: p.ns.ipc.inode, uts: p.ns.uts.inode }, cgroup: p.cgroup, rootfs: o ? { mountpoint: c.rootfs, lowerdirs: o.lowerdirs, upperdir: o.upperdir } : null }];
    })
    .sort((a, b) => pod.spec.containers.findIndex((c) => c.name === a.name) - pod.spec.containers.findIndex((c) => c.name === b.name));
  return { node, sandbox: { id: sb.id, pid: sb.pid, ns: { net, ipc: pause.ns.ipc.inode, uts: pause.ns.uts.inode } }, cgroup, veth, containers };
}
