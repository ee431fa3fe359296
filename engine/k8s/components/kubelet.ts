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
import { containerEnv, volumeFiles } from "../api/config-sources";
import { setUpVolumes, tearDownVolumes, volumeMounts } from "./pod-volumes";
import type { ContainerStatus, Node, Pod, PodCondition } from "../api/types";
import { containerdOf } from "../runtime/containerd";
import type { Containerd } from "../runtime/containerd";
import { normaliseRef } from "../runtime/image";
import { clusterOf } from "./context";
import { ContainerBackOff, ProbeWorker } from "./prober";
import type { ContainerView, ProbeType } from "./prober";
import type { ClusterContext } from "./context";
import { WorkQueue } from "./workqueue";
import { podResolvConf } from "./cluster-dns";

/** Where a sandbox's resolv.conf lives on the node (containerd's CRI sandbox directory). */
export function resolvConfPath(sandboxId: string): string {
  return `/var/lib/containerd/io.containerd.grpc.v1.cri/sandboxes/${sandboxId}/resolv.conf`;
}
import { containerLinuxResources, oomScoreAdj, resourceConfigForPod } from "../resources";
import type { ContainerLike, PodLike } from "../resources";
import type { Container } from "../api/types";

export const PAUSE_IMAGE = "registry.k8s.io/pause:3.10";
const BACKOFF_MAX_MS = 300_000;
/** ContainerRuntime.killedBy for a container killed because its spec changed. */
const CHANGED = "changed";
/** A container whose ConfigMap or Secret is missing is tried again on the next sync. */
const CONFIG_RETRY_MS = 10_000;
/** The kubelet's syncFrequency: how often a running pod's configMap and secret volumes are refreshed. */
const SYNC_FREQUENCY_MS = 60_000;

interface ContainerRuntime {
  id: string;
  restartCount: number;
  startedAt: string;
  running: boolean;
  exit: { code: number; at: string } | null;
  /** Image pull back-off (the container never ran). */
  backoffMs: number;
  nextStart: number;
  lastTerminated?: ContainerStatus["state"]["terminated"];
  /** Why the container could not be configured (CreateContainerConfigError), until a retry succeeds. */
  configError?: string;
  /** Virtual ms the running instance started and the latest instance finished. */
  startedMs: number;
  finishedMs?: number;
  /** The restart back-off is measured from this finish time (the newest exited instance). */
  backoffFrom?: number;
  /** Why the kubelet is killing the running instance ("liveness", "startup", CHANGED). */
  killedBy?: string;
  /** The CrashLoopBackOff message while the restart waits. */
  waiting?: string;
  /** Terminated and not to be restarted (restartPolicy Never/OnFailure). */
  done?: boolean;
  /** Started by an earlier kubelet: no exit callback, so the kubelet relists it (PLEG). */
  recovered?: boolean;
  /** The image the running instance was created from. A Pod's spec may change only its
   *  images; when one changes, the kubelet restarts that container. */
  image?: string;
}

interface PodRuntime {
  uid: string;
  sandboxId: string;
  sandboxPid: number;
  ip: string;
  containers: Map<string, ContainerRuntime>;
  created: number;
  /** configMap/secret volume name → its directory on the node. */
  volumes?: Map<string, string>;
  /** A PLEG relist of this pod is already scheduled. */
  relisting?: boolean;
  /** Virtual ms the configMap and secret volumes were last written from their sources. */
  volumesSyncedAt?: number;
  /** The pod is being deleted: its containers have had SIGTERM. */
  stopping?: boolean;
}

function qosOf(pod: Pod): "guaranteed" | "burstable" | "besteffort" {
  const cs = pod.spec.containers;
  const any = cs.some((c) => Object.keys(c.resources?.requests ?? {}).length || Object.keys(c.resources?.limits ?? {}).length);
  if (!any) return "besteffort";
  const guaranteed = cs.every((c) => c.resources?.limits?.cpu !== undefined && c.resources?.limits?.memory !== undefined && String(c.resources.requests?.cpu ?? c.resources.limits.cpu) === String(c.resources.limits.cpu) && String(c.resources.requests?.memory ?? c.resources.limits.memory) === String(c.resources.limits.memory));
  return guaranteed ? "guaranteed" : "burstable";
}

/** A container's requests and limits as resources.ts reads them (YAML may give a bare number: `cpu: 1`). */
function containerLike(c: Container): ContainerLike {
  const list = (l: Record<string, string | number> | undefined) => Object.fromEntries(Object.entries(l ?? {}).map(([k, v]) => [k, String(v)]));
  const restartPolicy = (c as { restartPolicy?: string }).restartPolicy; // an init container with Always is a sidecar
  return { name: c.name, resources: { requests: list(c.resources?.requests), limits: list(c.resources?.limits) }, ...(restartPolicy ? { restartPolicy } : {}) };
}

function podLike(pod: Pod): PodLike {
  return { metadata: pod.metadata, spec: { containers: pod.spec.containers.map(containerLike), initContainers: (pod.spec.initContainers ?? []).map(containerLike) } };
}

/** A container's cgroup settings as the kubelet hands them to the runtime (calculateLinuxResources → OCI linux.resources). */
function criResources(c: Container): NonNullable<import("../runtime/runc").OciSpec["linux"]["resources"]> {
  const r = containerLinuxResources(containerLike(c));
  return { cpu: { shares: r.cpuShares, quota: r.cpuQuota, period: r.cpuPeriod }, memory: { limit: r.memoryLimitInBytes } };
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
  const backoff = new ContainerBackOff();
  /** The probe manager: pod key → its workers (one per container and probe type), for one pod uid. */
  const probers = new Map<string, { uid: string; workers: ProbeWorker[] }>();
  const workersOf = (key: string, uid: string | undefined) => (probers.get(key)?.uid === uid ? probers.get(key)!.workers : []);
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
    for (const e of probers.values()) for (const w of e.workers) w.stop();
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
      rt.containers.set(l["io.kubernetes.container.name"]!, { id: c.id, restartCount: 0, startedAt: api.now(), running: task.status === "RUNNING", exit: null, backoffMs: 0, nextStart: 0, startedMs: clock.now(), recovered: true, image: c.image.ref });
    }
  }

  function* syncPod(ns: string, name: string): Program {
    const pod = api.tryGet<Pod>("Pod", ns, name);
    const key = `${ns}/${name}`;
    const rt = pods.get(key);
    if (!pod || pod.spec.nodeName !== nodeName || (rt && pod.metadata.uid !== rt.uid) || pod.metadata.deletionTimestamp) stopWorkers(key, pod?.metadata.deletionTimestamp ? undefined : pod?.metadata.uid);
    if (!pod || pod.spec.nodeName !== nodeName || (rt && pod.metadata.uid !== rt.uid)) {
      if (rt) yield* teardown(key, rt);
      return 0;
    }
    if (pod.metadata.deletionTimestamp) {
      if (rt) {
        // Graceful termination: SIGTERM to every container, SIGKILL for those still running when
        // the grace period ends; the pod object goes once all of them have exited.
        if (!rt.stopping) {
          log(`kubelet.go:2443] "SyncLoop DELETE" source="api" pods=["${key}"]`);
          rt.stopping = true;
          const grace = pod.metadata.deletionGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30;
          for (const c of pod.spec.containers) {
            const cr = rt.containers.get(c.name);
            if (cr?.running) killContainer(pod, cr, "delete", `Stopping container ${c.name}`, grace);
          }
        }
        const running = [...rt.containers.values()].some((cr) => cr.id && cri.tasks.get(cr.id)?.status === "RUNNING");
        if (running) {
          q.addAfter(key, 1_000); // the PLEG relist: a container may die without telling (SIGKILL at the end)
          return 0;
        }
        yield* teardown(key, rt);
      }
      try {
        api.delete("Pod", ns, name, { gracePeriod: 0 });
      } catch {
        /* gone already */
      }
      return 0;
    }
    // The probe manager's AddPod: workers start when the kubelet first sees the pod, before its containers.
    ensureWorkers(pod);
    if (!rt) {
      if (!pod.status?.containerStatuses) {
        // First look: report ContainerCreating, then do the work on the next pass (pulls take time).
        log(`kubelet.go:2427] "SyncLoop ADD" source="api" pods=["${key}"]`);
        setStatus(pod, undefined, pod.spec.containers.map((c) => ({ name: c.name, image: c.image, ready: false, restartCount: 0, state: { waiting: { reason: "ContainerCreating" } } })));
        q.addAfter(key, 500);
        return 0;
      }
      return yield* startPod(pod);
    }
    return yield* syncContainers(pod, rt);
  }

  function pull(pod: Pod, image: string): boolean {
    // The sandbox image is the runtime's business: the kubelet records no events for it.
    const sandbox = image === PAUSE_IMAGE;
    if (cri.image(image)) {
      if (!sandbox) recordEvent(api, pod, "Normal", "Pulled", `Container image "${image}" already present on machine`, "kubelet", nodeName);
      return true;
    }
    try {
      if (!sandbox) recordEvent(api, pod, "Normal", "Pulling", `Pulling image "${image}"`, "kubelet", nodeName);
      cri.pull(image);
      if (!sandbox) recordEvent(api, pod, "Normal", "Pulled", `Successfully pulled image "${image}"`, "kubelet", nodeName);
      return true;
    } catch {
      recordEvent(api, pod, "Warning", "Failed", `Failed to pull image "${image}": rpc error: code = NotFound desc = failed to pull and unpack image "${normaliseRef(image)}": failed to resolve reference "${normaliseRef(image)}": ${normaliseRef(image)}: not found`, "kubelet", nodeName);
      return false;
    }
  }

  /** Write one cgroup v2 file the way the kubelet's cgroup manager does: open it and write. */
  function writeCgroup(path: string, value: string): void {
    const node = kernel.resolve(proc, `/sys/fs/cgroup${path}`).node;
    node.write!(value, false, { proc });
  }

  /**
   * The pod's cgroup (ResourceConfigForPod): each level hands cpu, memory and pids to its
   * children through cgroup.subtree_control, the BestEffort slice gets the minimum weight, and
   * the pod slice gets cpu.weight, cpu.max and memory.max from the summed requests and limits.
   */
  function ensurePodCgroup(pod: Pod): void {
    let cur = "";
    for (const part of podCgroup(pod).split("/").filter(Boolean)) {
      writeCgroup(`${cur}/cgroup.subtree_control`, "+cpu +memory +pids");
      cur += `/${part}`;
      kernel.mkdirp(proc, `/sys/fs/cgroup${cur}`);
      if (part === "kubepods-besteffort.slice") writeCgroup(`${cur}/cpu.weight`, "1"); // MinShares (2) → weight 1
    }
    writeCgroup(`${cur}/cgroup.subtree_control`, "+cpu +memory +pids");
    for (const [file, value] of Object.entries(resourceConfigForPod(podLike(pod)).files)) writeCgroup(`${cur}/${file}`, value);
  }

  function* startPod(pod: Pod): Program {
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    const uid = pod.metadata.uid!;
    const cg = podCgroup(pod);
    // 0. configMap and secret volumes: a missing source keeps the pod ContainerCreating (FailedMount).
    const vols = volumeFiles(api, pod);
    if ("error" in vols) {
      recordEvent(api, pod, "Warning", "FailedMount", vols.error, "kubelet", nodeName);
      q.addAfter(key, CONFIG_RETRY_MS);
      return 0;
    }
    const volumes = setUpVolumes(kernel, proc, pod, vols);
    try {
      ensurePodCgroup(pod);
    } catch (err) {
      log(`"Failed to create pod cgroup" pod="${key}" err="${(err as Error).message}"`);
    }
    // 1. the sandbox: the pause container owns the pod's network, IPC and UTS namespaces
    pull(pod, PAUSE_IMAGE);
    const sandboxId = api.uid().replace(/-/g, "").slice(0, 16) + uid.replace(/-/g, "").slice(0, 16);
    cri.createContainer(sandboxId, PAUSE_IMAGE, null, { namespace: "k8s.io", hostname: pod.metadata.name, cgroupsPath: `${cg}/cri-containerd-${sandboxId}.scope`, labels: { "io.kubernetes.pod.name": pod.metadata.name, "io.kubernetes.pod.namespace": pod.metadata.namespace ?? "default", "io.kubernetes.pod.uid": uid, "io.cri-containerd.kind": "sandbox", "io.kubernetes.pod.ip": "" }, oomScoreAdj: -998 });
    const sandbox = cri.startTask(sandboxId, { 0: new TextReader(""), 1: proc.fds[1], 2: proc.fds[2] });
    const spid = sandbox.init.pid;
    kernel.emit({ type: "k8s.kubelet", pod: key, step: "sandbox", sandboxId, pid: spid });
    // 2. CNI ADD: veth + IP for the sandbox's network namespace
    const { ip, veth } = yield* cniAdd(sandboxId, spid);
    kernel.emit({ type: "k8s.kubelet", pod: key, step: "network", ip, veth });
    const rt: PodRuntime = { uid, sandboxId, sandboxPid: spid, ip, containers: new Map(), created: clock.now(), volumes, volumesSyncedAt: clock.now() };
    if (volumes.size) q.addAfter(key, SYNC_FREQUENCY_MS);
    cri.containers.get(sandboxId)!.labels["io.kubernetes.pod.ip"] = ip;
    pods.set(key, rt);
    writeResolvConf(pod, sandboxId);
    writeEtcHosts(pod, ip);
    // 3. the app containers, joined to the sandbox's namespaces
    for (const c of pod.spec.containers) startContainer(pod, rt, c.name);
    report(pod, rt);
    return 0;
  }

  function* cniAdd(containerId: string, pid: number): Generator<import("../../linux/tasks").Wait, { ip: string; veth: string }, unknown> {
    const cidr = ctx!.podCIDRs.get(nodeName) ?? "10.200.0.0/24";
    const conf = JSON.stringify({ cniVersion: "1.0.0", name: "bridge", type: "bridge", bridge: "cni0", isGateway: true, ipMasq: true, ipam: { type: "host-local", ranges: [[{ subnet: cidr }]], routes: [{ dst: "0.0.0.0/0" }] } });
    const found = findExecutable(kernel, proc, "/opt/cni/bin/bridge");
    if (!found.ok) return { ip: "", veth: "" };
    const out = new Capture();
    const child = spawn(kernel, proc, ["/opt/cni/bin/bridge"], found.node, {
      fds: { 0: new TextReader(conf), 1: out, 2: proc.fds[2] },
      prepare: (c) => {
        c.env = new Map([["CNI_COMMAND", "ADD"], ["CNI_CONTAINERID", containerId], ["CNI_NETNS", `/proc/${pid}/ns/net`], ["CNI_IFNAME", "eth0"], ["CNI_PATH", "/opt/cni/bin"], ["PATH", "/usr/sbin:/usr/bin:/sbin:/bin"]]);
      },
    });
    yield { kind: "child", proc: child };
    try {
      const result = JSON.parse(out.text) as { ips?: { address: string }[]; interfaces?: { name: string; sandbox?: string }[] };
      return { ip: result.ips?.[0]?.address.split("/")[0] ?? "", veth: result.interfaces?.find((i) => !i.sandbox)?.name ?? "" };
    } catch {
      return { ip: "", veth: "" };
    }
  }

  function startContainer(pod: Pod, rt: PodRuntime, name: string): void {
    const spec = pod.spec.containers.find((c) => c.name === name)!;
    const prev = rt.containers.get(name);
    if (!pull(pod, spec.image)) {
      rt.containers.set(name, { id: "", restartCount: prev?.restartCount ?? 0, startedAt: "", running: false, exit: null, backoffMs: Math.min(BACKOFF_MAX_MS, (prev?.backoffMs ?? 5_000) * 2), nextStart: clock.now() + Math.min(BACKOFF_MAX_MS, (prev?.backoffMs ?? 5_000) * 2), lastTerminated: undefined, startedMs: 0 });
      q.addAfter(`${pod.metadata.namespace}/${pod.metadata.name}`, rt.containers.get(name)!.backoffMs);
      return;
    }
    const id = api.uid().replace(/-/g, "") + api.uid().replace(/-/g, "").slice(0, 32);
    const args = spec.command || spec.args ? [...(spec.command ?? cri.image(spec.image)!.config.Entrypoint ?? []), ...(spec.args ?? (spec.command ? [] : (cri.image(spec.image)!.config.Cmd ?? [])))] : null;
    // env and envFrom, resolved from ConfigMaps and Secrets through the API server.
    const resolved = containerEnv(api, pod, spec);
    if ("error" in resolved) {
      rt.containers.set(name, { id: "", restartCount: prev?.restartCount ?? 0, startedAt: "", running: false, exit: null, backoffMs: prev?.backoffMs ?? 0, nextStart: clock.now() + CONFIG_RETRY_MS, configError: resolved.error, startedMs: clock.now() });
      recordEvent(api, pod, "Warning", "Failed", `Error: ${resolved.error}`, "kubelet", nodeName);
      q.addAfter(`${pod.metadata.namespace}/${pod.metadata.name}`, CONFIG_RETRY_MS);
      return;
    }
    const env = resolved.env;
    const base = `/proc/${rt.sandboxPid}/ns`;
    const restartIndex = prev ? prev.restartCount + (prev.id ? 1 : 0) : 0;
    cri.createContainer(id, spec.image, args, {
      namespace: "k8s.io",
      env,
      cgroupsPath: `${podCgroup(pod)}/cri-containerd-${id}.scope`,
      joinNamespaces: { network: `${base}/net`, ipc: `${base}/ipc`, uts: `${base}/uts` },
      resources: criResources(spec),
      attempt: restartIndex,
      oomScoreAdj: oomScoreAdj(containerLike(spec), podLike(pod), kernel.machine.memory),
      labels: { "io.kubernetes.pod.name": pod.metadata.name, "io.kubernetes.pod.namespace": pod.metadata.namespace ?? "default", "io.kubernetes.pod.uid": pod.metadata.uid!, "io.kubernetes.container.name": name, "io.cri-containerd.kind": "container" },
      ...(spec.workingDir ? { workingDir: spec.workingDir } : {}),
      mounts: [
        { destination: "/etc/hosts", type: "bind", source: `/var/lib/kubelet/pods/${pod.metadata.uid}/etc-hosts`, options: ["rbind", "rprivate", "rw"] },
        { destination: "/etc/resolv.conf", type: "bind", source: resolvConfPath(rt.sandboxId), options: ["rbind", "rprivate", "rw"] },
        ...volumeMounts(spec, rt.volumes ?? new Map()),
      ],
    });
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    // Container output goes to the CRI log file the kubelet (and kubectl logs) read.
    const logPath = `${podLogDir(pod)}/${name}/${restartIndex}.log`;
    const task = cri.startTask(id, { 0: new TextReader(""), 1: criLog(logPath, "stdout"), 2: criLog(logPath, "stderr") }, () => q.add(key));
    kernel.emit({ type: "k8s.kubelet", pod: key, step: "container", container: name, containerId: id, pid: task.init.pid });
    rt.containers.set(name, { id, restartCount: restartIndex, startedAt: api.now(), running: true, exit: null, backoffMs: prev?.backoffMs ?? 0, nextStart: 0, ...(prev?.lastTerminated ? { lastTerminated: prev.lastTerminated } : {}), startedMs: clock.now(), ...(prev?.finishedMs !== undefined ? { finishedMs: prev.finishedMs } : {}), image: spec.image });
    recordEvent(api, pod, "Normal", "Created", `Created container: ${name}`, "kubelet", nodeName);
    recordEvent(api, pod, "Normal", "Started", `Started container ${name}`, "kubelet", nodeName);
  }

  /**
   * The pod's DNS config (ClusterFirst: the cluster DNS Service and the search path), in the
   * sandbox's directory; every container bind-mounts it over /etc/resolv.conf. (containerd's
   * CRI plugin writes this file from the sandbox config the kubelet hands it; the effect on the
   * node is the same.)
   */
  function writeResolvConf(pod: Pod, sandboxId: string): void {
    let nodeConf = "";
    try {
      nodeConf = kernel.resolve(proc, "/etc/resolv.conf").node.read?.({ proc }) ?? "";
    } catch {
      /* a node without /etc/resolv.conf: pods with dnsPolicy Default get an empty one */
    }
    kernel.writeFile(proc, resolvConfPath(sandboxId), podResolvConf(pod, nodeConf));
  }

  /** The kubelet-managed /etc/hosts every container of the pod bind-mounts (pkg/kubelet/kubelet_pods.go). */
  function writeEtcHosts(pod: Pod, ip: string): void {
    const name = (pod.spec as { hostname?: string }).hostname ?? pod.metadata.name;
    kernel.writeFile(proc, `/var/lib/kubelet/pods/${pod.metadata.uid}/etc-hosts`, `# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n${ip ? `${ip}\t${name}\n` : ""}`);
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
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    const workers = workersOf(key, rt.uid);
    for (const c of pod.spec.containers) {
      const cr = rt.containers.get(c.name);
      if (!cr) continue;
      const task = cr.id ? cri.tasks.get(cr.id) : undefined;
      if (cr.running && task && task.status === "STOPPED") {
        cr.running = false;
        cr.exit = { code: task.exitStatus ?? 0, at: api.now() };
        // A container the kubelet killed for a failed probe ends in "Error", whatever the signal.
        cr.lastTerminated = { exitCode: cr.exit.code, reason: cr.exit.code === 0 ? "Completed" : cr.exit.code === 137 && !cr.killedBy ? "OOMKilled" : "Error", startedAt: cr.startedAt, finishedAt: cr.exit.at };
        // The kubelet kills and restarts in one sync, so its back-off looks at the instance that
        // exited before this one; a container that died by itself is measured from its own end.
        // A changed container starts again at once: its back-off key holds the spec's hash.
        cr.backoffFrom = cr.killedBy === CHANGED ? undefined : cr.killedBy ? cr.finishedMs : clock.now();
        cr.finishedMs = clock.now();
        cr.killedBy = undefined;
        cri.deleteTask(cr.id);
        cri.deleteContainer(cr.id);
        const restart = policy === "Always" || (policy === "OnFailure" && cr.exit.code !== 0);
        if (!restart) cr.done = true;
      }
      // PLEG: a container this kubelet gets no exit callback for (started before a kubelet restart),
      // or one it is killing, is relisted every second until its exit is seen.
      if (cr.running && task && (cr.recovered || cr.killedBy) && !rt.relisting) {
        rt.relisting = true;
        clock.after(1_000, () => {
          rt.relisting = false;
          q.add(key);
        });
      }
      if (cr.running && task && !cr.killedBy) {
        const failed = (["Liveness", "Startup"] as ProbeType[]).find((t) => workers.some((w) => w.type === t && w.containerName === c.name && w.result === "Failure" && w.currentId === cr.id));
        if (failed) killForProbe(pod, c.name, cr, failed, policy !== "Never");
        else if (cr.image !== undefined && normaliseRef(cr.image) !== normaliseRef(c.image)) killForChange(pod, c.name, cr);
      }
      if (!cr.running && cr.id && !cr.done) {
        const bkey = `${pod.metadata.name}_${pod.metadata.namespace}_${pod.metadata.uid}_${c.name}`;
        const now = clock.now();
        if (cr.backoffFrom !== undefined && backoff.isInBackOffSince(bkey, cr.backoffFrom, now)) {
          if (!cr.waiting) recordEvent(api, pod, "Warning", "BackOff", `Back-off restarting failed container ${c.name} in pod ${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`, "kubelet", nodeName);
          cr.waiting = `back-off ${goDuration(backoff.get(bkey))} restarting failed container=${c.name} pod=${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
          q.addAfter(key, cr.backoffFrom + backoff.get(bkey) - now);
          continue;
        }
        if (cr.backoffFrom !== undefined) backoff.next(bkey, cr.backoffFrom, now);
        cr.waiting = undefined;
        startContainer(pod, rt, c.name);
      } else if (!cr.running && !cr.id && cr.nextStart && clock.now() >= cr.nextStart) {
        startContainer(pod, rt, c.name);
      }
    }
    refreshVolumes(pod, rt);
    report(pod, rt);
    return 0;
  }

  /**
   * The periodic pod sync rewrites configMap and secret volumes from their sources, so a
   * changed Secret reaches a running container's files within about a minute (its environment,
   * fixed at start, does not change). A source that is gone keeps the files as they are.
   */
  function refreshVolumes(pod: Pod, rt: PodRuntime): void {
    if (!rt.volumes?.size || clock.now() - (rt.volumesSyncedAt ?? 0) < SYNC_FREQUENCY_MS) return;
    rt.volumesSyncedAt = clock.now();
    q.addAfter(`${pod.metadata.namespace}/${pod.metadata.name}`, SYNC_FREQUENCY_MS);
    const vols = volumeFiles(api, pod);
    if ("error" in vols) return;
    setUpVolumes(kernel, proc, pod, vols);
  }

  /** computePodActions: a container that failed its liveness or startup probe is killed (SIGTERM, SIGKILL after the grace period). */
  function killForProbe(pod: Pod, name: string, cr: ContainerRuntime, type: ProbeType, restart: boolean): void {
    const spec = pod.spec.containers.find((c) => c.name === name);
    const probe = type === "Liveness" ? spec?.livenessProbe : spec?.startupProbe;
    const grace = (probe as { terminationGracePeriodSeconds?: number } | undefined)?.terminationGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30;
    killContainer(pod, cr, type.toLowerCase(), `Container ${name} failed ${type.toLowerCase()} probe${restart ? ", will be restarted" : ""}`, grace);
  }

  /**
   * computePodActions: a running container whose spec no longer matches (`kubectl set image` on
   * the Pod: images are the only container field a Pod may change) is killed and started again
   * from the new spec, with one more restart on its count and no back-off.
   */
  function killForChange(pod: Pod, name: string, cr: ContainerRuntime): void {
    killContainer(pod, cr, CHANGED, `Container ${name} definition changed, will be restarted`, pod.spec.terminationGracePeriodSeconds ?? 30);
  }

  /** The kubelet's killContainer: a Killing event, SIGTERM, and SIGKILL when the grace period ends. */
  function killContainer(pod: Pod, cr: ContainerRuntime, why: string, message: string, graceSeconds: number): void {
    const task = cri.tasks.get(cr.id);
    if (!task || task.status !== "RUNNING") return;
    cr.killedBy = why;
    recordEvent(api, pod, "Normal", "Killing", message, "kubelet", nodeName);
    const pid = task.init.pid;
    kernel.kill(pid, 15);
    if (task.status === "RUNNING") clock.after(graceSeconds * 1000, () => task.status === "RUNNING" && kernel.kill(pid, 9));
  }

  /** The probe manager's RemovePod: stop the workers of a pod that is gone (or of an older pod of that name). */
  function stopWorkers(key: string, keepUid: string | undefined): void {
    const e = probers.get(key);
    if (!e || e.uid === keepUid) return;
    for (const w of e.workers) w.stop();
    probers.delete(key);
  }

  /** The probe manager's AddPod: one worker per container and probe the pod declares. */
  function ensureWorkers(pod: Pod): void {
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    if (probers.get(key)?.uid === pod.metadata.uid) return;
    stopWorkers(key, pod.metadata.uid);
    const list: ProbeWorker[] = [];
    probers.set(key, { uid: pod.metadata.uid!, workers: list });
    for (const c of pod.spec.containers) {
      const probes: [ProbeType, import("../api/types").Probe | undefined][] = [["Startup", c.startupProbe], ["Readiness", c.readinessProbe], ["Liveness", c.livenessProbe]];
      for (const [type, probe] of probes) {
        if (!probe) continue;
        const w = new ProbeWorker(
          type,
          probe,
          kernel,
          proc,
          clock,
          () => containerView(key, pod.metadata.uid!, c),
          () => q.add(key),
          (_w, result, output) => {
            kernel.emit({ type: "k8s.probe", namespace: pod.metadata.namespace ?? "default", pod: pod.metadata.name, container: c.name, probe: type, result, output: output.trimEnd() });
            if (result === "Failure") recordEvent(api, pod, "Warning", "Unhealthy", `${type} probe failed: ${output.trimEnd()}`, "kubelet", nodeName);
          },
          c.name,
        );
        list.push(w);
      }
    }
    for (const w of list) w.start();
  }

  /** What a probe worker sees of its container on each tick (from the kubelet's own state: no API call). */
  function containerView(key: string, uid: string, spec: Container): ContainerView | null {
    if (probers.get(key)?.uid !== uid) return null;
    const name = spec.name;
    const rt = pods.get(key);
    if (!rt || rt.uid !== uid) return { id: "", running: false, startedAt: 0, started: false, target: null, finished: false };
    const cr = rt.containers.get(name);
    if (!cr) return { id: "", running: false, startedAt: 0, started: false, target: null, finished: false };
    const task = cr.running ? cri.tasks.get(cr.id) : undefined;
    return { id: cr.id, running: !!task && task.status === "RUNNING", startedAt: cr.startedMs, started: isStarted(key, rt, name, cr), target: task ? { podIP: rt.ip, pid: task.init.pid, container: spec } : null, finished: !!cr.done };
  }

  /** The container status "started": true once the startup probe (if any) has succeeded. */
  function isStarted(key: string, rt: PodRuntime, name: string, cr: ContainerRuntime): boolean {
    if (!cr.running) return false;
    const w = workersOf(key, rt.uid).find((x) => x.type === "Startup" && x.containerName === name);
    return !w || (w.result === "Success" && w.currentId === cr.id);
  }

  /** Ready: running, started, and the readiness probe (if any) says Success for this instance. */
  function isReady(key: string, rt: PodRuntime, name: string, cr: ContainerRuntime): boolean {
    if (!isStarted(key, rt, name, cr)) return false;
    const w = workersOf(key, rt.uid).find((x) => x.type === "Readiness" && x.containerName === name);
    return !w || (w.result === "Success" && w.currentId === cr.id);
  }

  function* teardown(key: string, rt: PodRuntime): Program {
    // Stop the containers, then the sandbox (SIGKILL; the shims notice on their next step).
    for (const cr of rt.containers.values()) {
      const t = cr.id ? cri.tasks.get(cr.id) : undefined;
      if (t?.status === "RUNNING") kernel.kill(t.init.pid, 9);
    }
    const sb = cri.tasks.get(rt.sandboxId);
    if (sb?.status === "RUNNING") kernel.kill(sb.init.pid, 9);
    tearDownVolumes(proc, rt.uid);
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
    const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
    const statuses: ContainerStatus[] = pod.spec.containers.map((c) => {
      const cr = rt.containers.get(c.name);
      // A running container reports the image it was created from (the old one until a changed container restarts).
      const image = cr?.running && cr.image !== undefined && normaliseRef(cr.image) !== normaliseRef(c.image) ? cr.image : c.image;
      // imageID is the repository digest the runtime reports: the repository without its tag.
      const imageID = cri.image(image)?.manifestDigest ? `${normaliseRef(image).replace(/:[^:/]+$/, "")}@${cri.image(image)!.manifestDigest}` : "";
      const base = { name: c.name, image, imageID, restartCount: cr?.restartCount ?? 0 };
      if (cr?.configError) return { ...base, ready: false, started: false, state: { waiting: { reason: "CreateContainerConfigError", message: cr.configError } } };
      if (!cr || (!cr.running && !cr.id)) return { ...base, ready: false, started: false, state: { waiting: { reason: cr && !cri.image(c.image) ? (cr.restartCount > 0 || cr.backoffMs > 10_000 ? "ImagePullBackOff" : "ErrImagePull") : "ContainerCreating" } } };
      if (cr.running) return { ...base, containerID: `containerd://${cr.id}`, ready: isReady(key, rt, c.name, cr), started: isStarted(key, rt, c.name, cr), state: { running: { startedAt: cr.startedAt } }, ...(cr.lastTerminated ? { lastState: { terminated: cr.lastTerminated } } : {}) };
      if (cr.done && cr.lastTerminated) return { ...base, containerID: `containerd://${cr.id}`, ready: false, started: false, state: { terminated: cr.lastTerminated } };
      return { ...base, containerID: `containerd://${cr.id}`, ready: false, started: false, state: { waiting: { reason: "CrashLoopBackOff", message: cr.waiting ?? "" } }, ...(cr.lastTerminated ? { lastState: { terminated: cr.lastTerminated } } : {}) };
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
      phase: podPhase(pod, rt, statuses),
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

/** getPhase: Running while a container runs or will restart; Succeeded/Failed once all have terminated for good. */
function podPhase(pod: Pod, rt: PodRuntime | undefined, statuses: ContainerStatus[]): NonNullable<Pod["status"]>["phase"] {
  if (!rt) return "Pending";
  if (statuses.length && statuses.every((s) => s.state.terminated)) {
    if (statuses.every((s) => s.state.terminated!.exitCode === 0)) return "Succeeded";
    return pod.spec.restartPolicy === "Never" || pod.spec.restartPolicy === "OnFailure" ? "Failed" : "Running";
  }
  return statuses.some((s) => s.state.running || s.lastState || s.state.terminated) ? "Running" : "Pending";
}

/** A Go time.Duration as it prints: 10s, 1m20s, 5m0s. */
export function goDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${s % 60}s` : `${Math.floor(m / 60)}h${m % 60}m${s % 60}s`;
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
