// The kubelet: the node agent. It registers its Node, then for every pod bound to it asks the
// container runtime for a sandbox (the pause container holding net, ipc and uts namespaces),
// runs the CNI plugin to give that sandbox a veth and an IP, starts each container joined to
// the sandbox's namespaces in its own cgroup, and reports what it sees back in the pod status.
import type { Kernel } from "../../linux/kernel";
import { Capture, TextReader } from "../../linux/io";
import type { Process } from "../../linux/process";
import type { Program } from "../../linux/tasks";
import { findExecutable, spawn } from "../../shell/exec";
import { recordEvent } from "../api/events";
import type { ContainerStatus, Node, Pod, PodCondition } from "../api/types";
import { containerdOf } from "../runtime/containerd";
import type { Containerd } from "../runtime/containerd";
import { normaliseRef } from "../runtime/image";
import { clusterOf } from "./context";
import type { ClusterContext } from "./context";
import { WorkQueue } from "./workqueue";

export const PAUSE_IMAGE = "registry.k8s.io/pause:3.10";
const BACKOFF_MAX_MS = 300_000;

interface ContainerRuntime {
  id: string;
  restartCount: number;
  startedAt: string;
  running: boolean;
  exit: { code: number; at: string } | null;
  backoffMs: number;
  nextStart: number;
  lastTerminated?: ContainerStatus["state"]["terminated"];
}

interface PodRuntime {
  uid: string;
  sandboxId: string;
  sandboxPid: number;
  ip: string;
  containers: Map<string, ContainerRuntime>;
  created: number;
}

function qosOf(pod: Pod): "guaranteed" | "burstable" | "besteffort" {
  const cs = pod.spec.containers;
  const any = cs.some((c) => Object.keys(c.resources?.requests ?? {}).length || Object.keys(c.resources?.limits ?? {}).length);
  if (!any) return "besteffort";
  const guaranteed = cs.every((c) => c.resources?.limits?.cpu !== undefined && c.resources?.limits?.memory !== undefined && String(c.resources.requests?.cpu ?? c.resources.limits.cpu) === String(c.resources.limits.cpu) && String(c.resources.requests?.memory ?? c.resources.limits.memory) === String(c.resources.limits.memory));
  return guaranteed ? "guaranteed" : "burstable";
}

/** Where a pod's container logs live on its node: /var/log/pods/<ns>_<name>_<uid>. */
export function podLogDir(pod: Pod): string {
  return `/var/log/pods/${pod.metadata.namespace ?? "default"}_${pod.metadata.name}_${pod.metadata.uid}`;
}

/** The systemd-driver cgroup of a pod: kubepods.slice/kubepods-<qos>.slice/kubepods-<qos>-pod<uid>.slice */
export function podCgroup(pod: Pod): string {
  const qos = qosOf(pod);
  const uid = (pod.metadata.uid ?? "").replace(/-/g, "_");
  return qos === "guaranteed" ? `/kubepods.slice/kubepods-pod${uid}.slice` : `/kubepods.slice/kubepods-${qos}.slice/kubepods-${qos}-pod${uid}.slice`;
}

export function* kubelet(kernel: Kernel, proc: Process): Program {
  const ctx = clusterOf(kernel);
  if (!ctx) return 1;
  const { api, clock } = ctx;
  const nodeName = kernel.name;
  const cri = containerdOf(kernel);
  const q = new WorkQueue(clock);
  const pods = new Map<string, PodRuntime>();
  const log = (msg: string) => proc.fds[1].write(`I0112 ${new Date(clock.epochMs()).toISOString().slice(11, 23)}000 ${String(proc.pid).padStart(7)} ${msg}\n`);
  const stop: (() => void)[] = [];
  try {
    registerNode(ctx, kernel);
    recoverFromRuntime();
    log(`kubelet_node_status.go:75] "Successfully registered node" node="${nodeName}"`);
    stop.push(api.watch<Pod>("Pod", (_t, p) => p.spec.nodeName === nodeName && q.add(`${p.metadata.namespace}/${p.metadata.name}`), { fieldSelector: { "spec.nodeName": nodeName } }));
    for (const p of api.list<Pod>("Pod")) if (p.spec.nodeName === nodeName) q.add(`${p.metadata.namespace}/${p.metadata.name}`);
    // Housekeeping: pods the runtime still runs but the API server no longer has are torn down.
    for (const key of pods.keys()) q.add(key);
    const beat = () => {
      ctx.leases.set(nodeName, clock.now());
      if (proc.alive) clock.after(10_000, beat);
    };
    beat();
    for (;;) {
      for (let k = q.next(); k; k = q.next()) {
        const [ns, name] = k.split("/") as [string, string];
        yield* syncPod(ns, name);
      }
      yield { kind: "notify", on: q.notifier };
    }
  } finally {
    for (const s of stop) s();
  }

  /** A restarted kubelet keeps no state of its own: it relearns its pods from the runtime's labels. */
  function recoverFromRuntime(): void {
    for (const c of cri.containers.values()) {
      const l = c.labels;
      if (l["io.cri-containerd.kind"] !== "sandbox") continue;
      const task = cri.tasks.get(c.id);
      if (!task || task.status !== "RUNNING") continue;
      pods.set(`${l["io.kubernetes.pod.namespace"]}/${l["io.kubernetes.pod.name"]}`, { uid: l["io.kubernetes.pod.uid"] ?? "", sandboxId: c.id, sandboxPid: task.init.pid, ip: l["io.kubernetes.pod.ip"] ?? "", containers: new Map(), created: clock.now() });
    }
    for (const c of cri.containers.values()) {
      const l = c.labels;
      if (l["io.cri-containerd.kind"] !== "container") continue;
      const rt = pods.get(`${l["io.kubernetes.pod.namespace"]}/${l["io.kubernetes.pod.name"]}`);
      const task = cri.tasks.get(c.id);
      if (!rt || !task) continue;
      rt.containers.set(l["io.kubernetes.container.name"]!, { id: c.id, restartCount: 0, startedAt: api.now(), running: task.status === "RUNNING", exit: null, backoffMs: 0, nextStart: 0 });
    }
  }

  function* syncPod(ns: string, name: string): Program {
    const pod = api.tryGet<Pod>("Pod", ns, name);
    const key = `${ns}/${name}`;
    const rt = pods.get(key);
    if (!pod || pod.spec.nodeName !== nodeName || (rt && pod.metadata.uid !== rt.uid)) {
      if (rt) yield* teardown(key, rt);
      return 0;
    }
    if (pod.metadata.deletionTimestamp) {
      if (rt) yield* teardown(key, rt);
      try {
        api.delete("Pod", ns, name, { gracePeriod: 0 });
      } catch {
        /* gone already */
      }
      return 0;
    }
    if (!rt) {
      if (!pod.status?.containerStatuses) {
        // First look: report ContainerCreating, then do the work on the next pass (pulls take time).
        setStatus(pod, undefined, pod.spec.containers.map((c) => ({ name: c.name, image: c.image, ready: false, restartCount: 0, state: { waiting: { reason: "ContainerCreating" } } })));
        q.addAfter(key, 500);
        return 0;
      }
      return yield* startPod(pod);
    }
    return yield* syncContainers(pod, rt);
  }

  function pull(pod: Pod, image: string): boolean {
    if (cri.image(image)) return true;
    try {
      cri.pull(image);
      recordEvent(api, pod, "Normal", "Pulled", `Successfully pulled image "${image}"`, "kubelet", nodeName);
      return true;
    } catch {
      recordEvent(api, pod, "Warning", "Failed", `Failed to pull image "${image}": rpc error: code = NotFound desc = failed to pull and unpack image "${normaliseRef(image)}": failed to resolve reference "${normaliseRef(image)}": ${normaliseRef(image)}: not found`, "kubelet", nodeName);
      return false;
    }
  }

  function* startPod(pod: Pod): Program {
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    const uid = pod.metadata.uid!;
    const cg = podCgroup(pod);
    // 1. the sandbox: the pause container owns the pod's network, IPC and UTS namespaces
    pull(pod, PAUSE_IMAGE);
    const sandboxId = api.uid().replace(/-/g, "").slice(0, 16) + uid.replace(/-/g, "").slice(0, 16);
    cri.createContainer(sandboxId, PAUSE_IMAGE, null, { namespace: "k8s.io", hostname: pod.metadata.name, cgroupsPath: `${cg}/cri-containerd-${sandboxId}.scope`, labels: { "io.kubernetes.pod.name": pod.metadata.name, "io.kubernetes.pod.namespace": pod.metadata.namespace ?? "default", "io.kubernetes.pod.uid": uid, "io.cri-containerd.kind": "sandbox", "io.kubernetes.pod.ip": "" }, oomScoreAdj: -998 });
    const sandbox = cri.startTask(sandboxId, { 0: new TextReader(""), 1: proc.fds[1], 2: proc.fds[2] });
    const spid = sandbox.init.pid;
    // 2. CNI ADD: veth + IP for the sandbox's network namespace
    const ip = yield* cniAdd(sandboxId, spid);
    const rt: PodRuntime = { uid, sandboxId, sandboxPid: spid, ip, containers: new Map(), created: clock.now() };
    cri.containers.get(sandboxId)!.labels["io.kubernetes.pod.ip"] = ip;
    pods.set(key, rt);
    // 3. the app containers, joined to the sandbox's namespaces
    for (const c of pod.spec.containers) startContainer(pod, rt, c.name);
    report(pod, rt);
    return 0;
  }

  function* cniAdd(containerId: string, pid: number): Generator<import("../../linux/tasks").Wait, string, unknown> {
    const cidr = ctx!.podCIDRs.get(nodeName) ?? "10.200.0.0/24";
    const conf = JSON.stringify({ cniVersion: "1.0.0", name: "bridge", type: "bridge", bridge: "cni0", isGateway: true, ipMasq: true, ipam: { type: "host-local", ranges: [[{ subnet: cidr }]], routes: [{ dst: "0.0.0.0/0" }] } });
    const found = findExecutable(kernel, proc, "/opt/cni/bin/bridge");
    if (!found.ok) return "";
    const out = new Capture();
    const child = spawn(kernel, proc, ["/opt/cni/bin/bridge"], found.node, {
      fds: { 0: new TextReader(conf), 1: out, 2: proc.fds[2] },
      prepare: (c) => {
        c.env = new Map([["CNI_COMMAND", "ADD"], ["CNI_CONTAINERID", containerId], ["CNI_NETNS", `/proc/${pid}/ns/net`], ["CNI_IFNAME", "eth0"], ["CNI_PATH", "/opt/cni/bin"], ["PATH", "/usr/sbin:/usr/bin:/sbin:/bin"]]);
      },
    });
    yield { kind: "child", proc: child };
    try {
      return (JSON.parse(out.text) as { ips?: { address: string }[] }).ips?.[0]?.address.split("/")[0] ?? "";
    } catch {
      return "";
    }
  }

  function startContainer(pod: Pod, rt: PodRuntime, name: string): void {
    const spec = pod.spec.containers.find((c) => c.name === name)!;
    const prev = rt.containers.get(name);
    if (!pull(pod, spec.image)) {
      rt.containers.set(name, { id: "", restartCount: prev?.restartCount ?? 0, startedAt: "", running: false, exit: null, backoffMs: Math.min(BACKOFF_MAX_MS, (prev?.backoffMs ?? 5_000) * 2), nextStart: clock.now() + Math.min(BACKOFF_MAX_MS, (prev?.backoffMs ?? 5_000) * 2), lastTerminated: undefined });
      q.addAfter(`${pod.metadata.namespace}/${pod.metadata.name}`, rt.containers.get(name)!.backoffMs);
      return;
    }
    const id = api.uid().replace(/-/g, "") + api.uid().replace(/-/g, "").slice(0, 32);
    const args = spec.command || spec.args ? [...(spec.command ?? cri.image(spec.image)!.config.Entrypoint ?? []), ...(spec.args ?? (spec.command ? [] : (cri.image(spec.image)!.config.Cmd ?? [])))] : null;
    const env = (spec.env ?? []).filter((e) => e.value !== undefined).map((e) => `${e.name}=${e.value}`);
    const base = `/proc/${rt.sandboxPid}/ns`;
    cri.createContainer(id, spec.image, args, {
      namespace: "k8s.io",
      env,
      cgroupsPath: `${podCgroup(pod)}/cri-containerd-${id}.scope`,
      joinNamespaces: { network: `${base}/net`, ipc: `${base}/ipc`, uts: `${base}/uts` },
      labels: { "io.kubernetes.pod.name": pod.metadata.name, "io.kubernetes.pod.namespace": pod.metadata.namespace ?? "default", "io.kubernetes.pod.uid": pod.metadata.uid!, "io.kubernetes.container.name": name, "io.cri-containerd.kind": "container" },
      ...(spec.workingDir ? { workingDir: spec.workingDir } : {}),
    });
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    // Container output goes to the CRI log file the kubelet (and kubectl logs) read.
    const restartIndex = prev ? prev.restartCount + (prev.id ? 1 : 0) : 0;
    const logPath = `${podLogDir(pod)}/${name}/${restartIndex}.log`;
    cri.startTask(id, { 0: new TextReader(""), 1: criLog(logPath, "stdout"), 2: criLog(logPath, "stderr") }, () => q.add(key));
    rt.containers.set(name, { id, restartCount: restartIndex, startedAt: api.now(), running: true, exit: null, backoffMs: prev?.backoffMs ?? 0, nextStart: 0, ...(prev?.lastTerminated ? { lastTerminated: prev.lastTerminated } : {}) });
    recordEvent(api, pod, "Normal", "Started", `Started container ${name}`, "kubelet", nodeName);
  }

  /** A writer that appends "TIMESTAMP stream F line" records, the CRI logging format. */
  function criLog(path: string, stream: "stdout" | "stderr"): import("../../linux/io").Writer {
    const file = kernel.writeFile(proc, path, "");
    let partial = "";
    return {
      kind: "file",
      write: (text: string) => {
        partial += text;
        let i;
        while ((i = partial.indexOf("\n")) >= 0) {
          const ts = new Date(clock.epochMs()).toISOString().replace("Z", "000000Z");
          file.write?.(`${ts} ${stream} F ${partial.slice(0, i)}\n`, true, { proc });
          partial = partial.slice(i + 1);
        }
      },
    };
  }

  function* syncContainers(pod: Pod, rt: PodRuntime): Program {
    const policy = pod.spec.restartPolicy ?? "Always";
    for (const c of pod.spec.containers) {
      const cr = rt.containers.get(c.name);
      if (!cr) continue;
      const task = cr.id ? cri.tasks.get(cr.id) : undefined;
      if (cr.running && task && task.status === "STOPPED") {
        cr.running = false;
        cr.exit = { code: task.exitStatus ?? 0, at: api.now() };
        cr.lastTerminated = { exitCode: cr.exit.code, reason: cr.exit.code === 0 ? "Completed" : cr.exit.code === 137 ? "OOMKilled" : "Error", startedAt: cr.startedAt, finishedAt: cr.exit.at };
        cri.deleteTask(cr.id);
        cri.deleteContainer(cr.id);
        const restart = policy === "Always" || (policy === "OnFailure" && cr.exit.code !== 0);
        if (restart) {
          // CrashLoopBackOff: 10 s, 20 s, 40 s … capped at 5 minutes.
          cr.backoffMs = cr.backoffMs ? Math.min(BACKOFF_MAX_MS, cr.backoffMs * 2) : 10_000;
          cr.nextStart = clock.now() + cr.backoffMs;
          q.addAfter(`${pod.metadata.namespace}/${pod.metadata.name}`, cr.backoffMs);
          if (cr.restartCount > 0) recordEvent(api, pod, "Warning", "BackOff", `Back-off restarting failed container ${c.name} in pod ${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`, "kubelet", nodeName);
        }
      } else if (!cr.running && cr.nextStart && clock.now() >= cr.nextStart) {
        startContainer(pod, rt, c.name);
      }
    }
    report(pod, rt);
    return 0;
  }

  function* teardown(key: string, rt: PodRuntime): Program {
    // Stop the containers, then the sandbox (SIGKILL; the shims notice on their next step).
    for (const cr of rt.containers.values()) {
      const t = cr.id ? cri.tasks.get(cr.id) : undefined;
      if (t?.status === "RUNNING") kernel.kill(t.init.pid, 9);
    }
    const sb = cri.tasks.get(rt.sandboxId);
    if (sb?.status === "RUNNING") kernel.kill(sb.init.pid, 9);
    yield { kind: "sleep", until: clock.now() };
    for (const cr of rt.containers.values()) {
      if (cr.id && cri.tasks.has(cr.id)) cri.deleteTask(cr.id);
      if (cr.id && cri.containers.has(cr.id)) cri.deleteContainer(cr.id);
    }
    if (cri.tasks.has(rt.sandboxId)) cri.deleteTask(rt.sandboxId);
    // CNI DEL: the veth goes with the namespace; release the IP.
    const found = findExecutable(kernel, proc, "/opt/cni/bin/bridge");
    if (found.ok) {
      const child = spawn(kernel, proc, ["/opt/cni/bin/bridge"], found.node, {
        fds: { 0: new TextReader(JSON.stringify({ cniVersion: "1.0.0", name: "bridge", type: "bridge", bridge: "cni0", ipam: { type: "host-local", ranges: [[{ subnet: ctx!.podCIDRs.get(nodeName) ?? "10.200.0.0/24" }]] } })), 1: new Capture(), 2: new Capture() },
        prepare: (c) => {
          c.env = new Map([["CNI_COMMAND", "DEL"], ["CNI_CONTAINERID", rt.sandboxId], ["CNI_NETNS", ""], ["PATH", "/usr/sbin:/usr/bin:/sbin:/bin"]]);
        },
      });
      yield { kind: "child", proc: child };
    }
    if (cri.containers.has(rt.sandboxId)) cri.deleteContainer(rt.sandboxId);
    pods.delete(key);
    return 0;
  }

  function report(pod: Pod, rt: PodRuntime): void {
    const statuses: ContainerStatus[] = pod.spec.containers.map((c) => {
      const cr = rt.containers.get(c.name);
      const base = { name: c.name, image: c.image, imageID: cri.image(c.image)?.manifestDigest ? `${normaliseRef(c.image)}@${cri.image(c.image)!.manifestDigest}` : "", restartCount: cr?.restartCount ?? 0 };
      if (!cr || (!cr.running && !cr.id)) return { ...base, ready: false, started: false, state: { waiting: { reason: cr && !cri.image(c.image) ? (cr.restartCount > 0 || cr.backoffMs > 10_000 ? "ImagePullBackOff" : "ErrImagePull") : "ContainerCreating" } } };
      if (cr.running) return { ...base, containerID: `containerd://${cr.id}`, ready: true, started: true, state: { running: { startedAt: cr.startedAt } }, ...(cr.lastTerminated ? { lastState: { terminated: cr.lastTerminated } } : {}) };
      return { ...base, containerID: `containerd://${cr.id}`, ready: false, started: false, state: { waiting: { reason: "CrashLoopBackOff", message: `back-off ${cr.backoffMs / 1000}s restarting failed container=${c.name} pod=${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})` } }, ...(cr.lastTerminated ? { lastState: { terminated: cr.lastTerminated } } : {}) };
    });
    setStatus(pod, rt, statuses);
  }

  function setStatus(pod: Pod, rt: PodRuntime | undefined, statuses: ContainerStatus[]): void {
    const fresh = api.tryGet<Pod>("Pod", pod.metadata.namespace, pod.metadata.name);
    if (!fresh) return;
    const allReady = statuses.every((s) => s.ready);
    const old = fresh.status?.conditions ?? [];
    const cond = (type: string, ok: boolean): PodCondition => {
      const prev = old.find((c) => c.type === type);
      const st = ok ? "True" : "False";
      return { type, status: st, lastTransitionTime: prev && prev.status === st ? (prev.lastTransitionTime ?? api.now()) : api.now(), ...(ok || type === "PodScheduled" || type === "Initialized" ? {} : { reason: "ContainersNotReady", message: `containers with unready status: [${statuses.filter((s) => !s.ready).map((s) => s.name).join(" ")}]` }) };
    };
    const hostIP = ctx!.nodeIPs.get(nodeName) ?? "";
    const status: Pod["status"] = {
      ...fresh.status,
      phase: rt && statuses.some((s) => s.state.running || s.lastState) ? "Running" : "Pending",
      conditions: [cond("PodReadyToStartContainers", !!rt), cond("Initialized", true), cond("Ready", !!rt && allReady), cond("ContainersReady", !!rt && allReady), cond("PodScheduled", true)],
      hostIP,
      ...(rt?.ip ? { podIP: rt.ip, podIPs: [{ ip: rt.ip }] } : {}),
      startTime: fresh.status?.startTime ?? api.now(),
      qosClass: qosOf(pod) === "besteffort" ? "BestEffort" : qosOf(pod) === "guaranteed" ? "Guaranteed" : "Burstable",
      containerStatuses: statuses,
    };
    if (JSON.stringify(status) !== JSON.stringify(fresh.status)) api.updateStatus({ ...fresh, status });
  }
}

/** The Node object a kubelet registers: its capacity from the machine, its pod CIDR, Ready. */
function registerNode(ctx: ClusterContext, kernel: Kernel): void {
  const name = kernel.name;
  const cores = (kernel as unknown as { machine?: { cores: number; memory: number } }).machine?.cores ?? 2;
  const memory = (kernel as unknown as { machine?: { cores: number; memory: number } }).machine?.memory ?? 4 * 1024 ** 3;
  const now = ctx.api.now();
  const node: Node = {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name, labels: { "kubernetes.io/hostname": name, "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux", "beta.kubernetes.io/arch": "amd64" } },
    spec: { podCIDR: ctx.podCIDRs.get(name) ?? "10.200.0.0/24", podCIDRs: [ctx.podCIDRs.get(name) ?? "10.200.0.0/24"] },
    status: {
      capacity: { cpu: String(cores), memory: `${Math.floor(memory / 1024)}Ki`, pods: "110", "ephemeral-storage": "30832548Ki" },
      allocatable: { cpu: String(cores), memory: `${Math.floor(memory / 1024) - 102400}Ki`, pods: "110", "ephemeral-storage": "28414692120" },
      conditions: [
        { type: "MemoryPressure", status: "False", reason: "KubeletHasSufficientMemory", message: "kubelet has sufficient memory available", lastHeartbeatTime: now, lastTransitionTime: now },
        { type: "DiskPressure", status: "False", reason: "KubeletHasNoDiskPressure", message: "kubelet has no disk pressure", lastHeartbeatTime: now, lastTransitionTime: now },
        { type: "PIDPressure", status: "False", reason: "KubeletHasSufficientPID", message: "kubelet has sufficient PID available", lastHeartbeatTime: now, lastTransitionTime: now },
        { type: "Ready", status: "True", reason: "KubeletReady", message: "kubelet is posting ready status", lastHeartbeatTime: now, lastTransitionTime: now },
      ],
      addresses: [
        { type: "InternalIP", address: ctx.nodeIPs.get(name) ?? "" },
        { type: "Hostname", address: name },
      ],
      nodeInfo: { kubeletVersion: "v1.34.1", kubeProxyVersion: "v1.34.1", osImage: "Debian GNU/Linux 12 (bookworm)", kernelVersion: "6.12.48-kijl", containerRuntimeVersion: "containerd://2.1.4", operatingSystem: "linux", architecture: "amd64" },
    },
  };
  const existing = ctx.api.tryGet<Node>("Node", undefined, name);
  if (existing) ctx.api.update({ ...existing, status: node.status }, { subresource: "status" });
  else ctx.api.create(node);
}

export type { Containerd };
