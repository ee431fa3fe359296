// A Kubernetes cluster built from Linux hosts, the way Kubernetes the Hard Way builds one:
// a control-plane machine running etcd, kube-apiserver, kube-controller-manager and
// kube-scheduler as systemd services, and worker machines running containerd and the kubelet.
// Every component is a process on its host; stop one and the cluster behaves as a real one would.
import type { EngineEvent, ShOptions, ShResult } from "./../api";
import { createLab } from "../hardware/lab";
import type { Lab } from "../hardware/lab";
import type { Host } from "../linux/host";
import type { Kernel } from "../linux/kernel";
import { clone } from "../linux/process";
import { systemdOf } from "../linux/systemd";
import { ShellState, runSource } from "../shell/interpreter";
import { installCommand } from "../shell/registry";
import { NULL_READER, NULL_WRITER } from "../linux/io";
import { ApiServer } from "./api/apiserver";
import { reconcileMasterEndpoints } from "./api/master-endpoints";
import { Etcd } from "./api/store";
import { kindByName, restPath } from "./api/kinds";
import type { KObject, Service } from "./api/types";
import { cniBridge } from "./cni/bridge";
import { attachCluster } from "./components/context";
import type { ClusterContext } from "./components/context";
import { controllerManager } from "./components/controller-manager";
import { kubelet } from "./components/kubelet";
import { kubeScheduler } from "./components/scheduler";
import { kubeProxy } from "./components/kube-proxy";
import { clusterDnsObjects, coredns } from "./components/cluster-dns";
import { kubectl } from "./kubectl/kubectl";
import { crictl, etcdctl } from "./kubectl/crictl";
import { Random } from "../sim/random";
import { SchedulingResults } from "./scheduler/results";

export interface ClusterOptions {
  workers?: number;
  seed?: number;
}

export interface Cluster {
  readonly api: ApiServer;
  readonly etcd: Etcd;
  readonly hosts: readonly Host[];
  readonly controlPlane: Host;
  /** A host by name: "controlplane", "worker-1", … */
  node(name: string): Host;
  /** Run a command line on the control-plane host (kubectl is configured there). */
  sh(line: string, opts?: ShOptions): ShResult;
  tick(ms: number): void;
  /** Run until the cluster's objects stop changing (bounded). */
  settle(maxMs?: number): void;
  on(type: "event", fn: (e: EngineEvent) => void): () => void;
  events(): readonly EngineEvent[];
  readonly context: ClusterContext;
}

export const SERVICE_CIDR = "10.32.0.0/24";
export const CLUSTER_CIDR = "10.200.0.0/16";

export function kernelOf(h: Host): Kernel {
  return (h as unknown as { kernel: Kernel }).kernel;
}

/** Run a root shell script on a host outside any terminal (provisioning, as cloud-init would). */
export function provision(k: Kernel, script: string): void {
  const init = k.processes.get(1)!;
  const p = clone(k, init, { fds: { 0: NULL_READER, 1: NULL_WRITER, 2: NULL_WRITER } });
  p.cwd = "/root";
  p.env = new Map([["PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]]);
  k.sched.start(p, runSource(new ShellState(k, p, "sh", false), script, p.fds));
  k.sched.runReady();
}

const COMPONENTS: Record<string, { description: string; program: (k: Kernel, p: import("../linux/process").Process) => import("../linux/tasks").Program; flags: string[] }> = {
  "kube-controller-manager": { description: "Kubernetes Controller Manager", program: controllerManager, flags: ["--cluster-cidr=10.200.0.0/16", "--kubeconfig=/var/lib/kubernetes/kube-controller-manager.kubeconfig", "--service-cluster-ip-range=10.32.0.0/24", "--v=2"] },
  "kube-scheduler": { description: "Kubernetes Scheduler", program: kubeScheduler, flags: ["--config=/etc/kubernetes/config/kube-scheduler.yaml", "--v=2"] },
  kubelet: { description: "Kubernetes Kubelet", program: kubelet, flags: ["--config=/var/lib/kubelet/kubelet-config.yaml", "--kubeconfig=/var/lib/kubelet/kubeconfig", "--v=2"] },
  "kube-proxy": { description: "Kubernetes Kube Proxy", program: kubeProxy, flags: ["--config=/var/lib/kube-proxy/kube-proxy-config.yaml"] },
};

export function createCluster(opts: ClusterOptions = {}): Cluster {
  const workers = Math.max(0, opts.workers ?? 2);
  const names = ["controlplane", ...Array.from({ length: workers }, (_, i) => `worker-${i + 1}`)];
  const lab: Lab = createLab({ hosts: names, seed: opts.seed ?? 1, subnet: "192.168.56.0/24" });
  const kernels = lab.hosts.map(kernelOf);
  const cp = kernels[0]!;
  const clock = cp.clock;
  const etcd = new Etcd();
  const rng = new Random((opts.seed ?? 1) * 7919 + 17);
  const api = new ApiServer(etcd, clock, rng);
  const nodeIPs = new Map(names.map((n, i) => [n, `192.168.56.${11 + i}`]));
  const podCIDRs = new Map(names.slice(1).map((n, i) => [n, `10.200.${i}.0/24`]));
  const ctx: ClusterContext = {
    api,
    clock,
    rng,
    leases: new Map(),
    schedulingResults: new SchedulingResults(),
    server: "https://192.168.56.11:6443",
    apiserverUp: () => systemdOf(cp).units.get("kube-apiserver")?.state === "active",
    podCIDRs,
    nodeIPs,
    kernels: new Map(kernels.map((k) => [k.name, k])),
  };

  // The API server's allocators: cluster IPs and node ports for new Services; on update the
  // cluster IP stays (it is immutable) and a Service turned NodePort gets its port.
  const allocate = (s: Service, old?: Service) => {
    const others = api.list<Service>("Service").filter((x) => !(x.metadata.name === s.metadata.name && x.metadata.namespace === (s.metadata.namespace ?? "default")));
    if (!s.spec.clusterIP && old?.spec.clusterIP) {
      s.spec.clusterIP = old.spec.clusterIP;
      s.spec.clusterIPs = old.spec.clusterIPs ?? [old.spec.clusterIP];
    }
    const used = new Set(others.map((x) => x.spec.clusterIP));
    if (!s.spec.clusterIP) {
      for (let i = 0; i < 250; i++) {
        const ip = `10.32.0.${rng.int(10, 250)}`;
        if (!used.has(ip)) {
          s.spec.clusterIP = ip;
          break;
        }
      }
      s.spec.clusterIPs = s.spec.clusterIP ? [s.spec.clusterIP] : [];
    }
    if (s.spec.type === "NodePort" || s.spec.type === "LoadBalancer") {
      const ports = new Set(others.flatMap((x) => (x.spec.ports ?? []).map((p) => p.nodePort)));
      for (const p of s.spec.ports ?? []) {
        p.nodePort ??= old?.spec.ports?.find((o) => o.port === p.port && (o.protocol ?? "TCP") === (p.protocol ?? "TCP"))?.nodePort;
        while (!p.nodePort || ports.has(p.nodePort)) p.nodePort = rng.int(30000, 32767);
        ports.add(p.nodePort);
      }
    } else for (const p of s.spec.ports ?? []) delete p.nodePort;
  };
  api.beforeCreate = (obj: KObject) => {
    if (obj.kind === "Service") allocate(obj as Service);
  };
  api.beforeUpdate = (obj: KObject, old: KObject) => {
    if (obj.kind === "Service") allocate(obj as Service, old as Service);
  };
  api.onChange = (type, obj, w) => {
    const namespace = obj.metadata.namespace ?? "";
    const info = kindByName(obj.kind);
    const path = info ? restPath(info, obj.metadata.namespace, obj.metadata.name) + (w.subresource ? `/${w.subresource}` : "") : "";
    cp.emit({ type: "k8s.api", verb: w.verb, ...(w.subresource ? { subresource: w.subresource } : {}), ...(w.userAgent ? { userAgent: w.userAgent } : {}), kind: obj.kind, namespace, name: obj.metadata.name, path, key: w.key, revision: w.revision });
    cp.emit({ type: "k8s.object", verb: type, kind: obj.kind, namespace, name: obj.metadata.name });
  };

  const system = (name: string) => ({ apiVersion: "v1", kind: "Namespace", metadata: { name } }) as KObject;
  for (const ns of ["default", "kube-system", "kube-public", "kube-node-lease"]) api.create(system(ns));
  api.create({ apiVersion: "v1", kind: "Service", metadata: { name: "kubernetes", namespace: "default", labels: { component: "apiserver", provider: "kubernetes" } }, spec: { clusterIP: "10.32.0.1", ports: [{ name: "https", port: 443, targetPort: 6443, protocol: "TCP" }] } } as KObject);
  reconcileMasterEndpoints(api, nodeIPs.get("controlplane")!, 6443, new Random((opts.seed ?? 1) * 104729 + 6443));

  // The DNS add-on (KTHW's coredns.yaml): a CoreDNS Deployment behind kube-dns at 10.32.0.10.
  for (const o of clusterDnsObjects()) api.create(o);

  for (const [i, k] of kernels.entries()) {
    attachCluster(k, ctx);
    installCommand(k, coredns);
    installCommand(k, kubectl, "/usr/local/bin/kubectl");
    installCommand(k, i === 0 ? etcdctl : crictl);
    const sd = systemdOf(k);
    const unit = (name: string, description: string, program: (k: Kernel, p: import("../linux/process").Process) => import("../linux/tasks").Program, flags: string[]) => {
      k.programs.set(name, (p) => program(k, p));
      k.rootFs.put(`/usr/local/bin/${name}`, `\x7fELF ${name}\n`, { mode: 0o755, program: name });
      sd.install(name, description, [`/usr/local/bin/${name}`, ...flags], { documentation: "https://github.com/kubernetes/kubernetes" });
      sd.start(name);
    };
    const forever = () => (function* () {
      yield { kind: "forever" } as const;
      return 0;
    })();
    if (i === 0) {
      unit("etcd", "etcd", forever, ["--name", "controlplane", "--data-dir=/var/lib/etcd", "--listen-client-urls", "https://127.0.0.1:2379"]);
      unit("kube-apiserver", "Kubernetes API Server", forever, ["--advertise-address=192.168.56.11", "--etcd-servers=https://127.0.0.1:2379", "--service-cluster-ip-range=10.32.0.0/24", "--service-node-port-range=30000-32767", "--v=2"]);
      for (const name of ["kube-controller-manager", "kube-scheduler"]) unit(name, COMPONENTS[name]!.description, COMPONENTS[name]!.program, COMPONENTS[name]!.flags);
      k.rootFs.put("/root/.kube/config", `apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    server: ${ctx.server}\n  name: kubernetes-the-hard-way\ncontexts:\n- context:\n    cluster: kubernetes-the-hard-way\n    user: admin\n  name: default\ncurrent-context: default\nusers:\n- name: admin\n  user: {}\n`);
    } else {
      installCommand(k, cniBridge);
      k.rootFs.put("/etc/cni/net.d/10-bridge.conf", JSON.stringify({ cniVersion: "1.0.0", name: "bridge", type: "bridge", bridge: "cni0", isGateway: true, ipMasq: true, ipam: { type: "host-local", ranges: [[{ subnet: podCIDRs.get(k.name) }]], routes: [{ dst: "0.0.0.0/0" }] } }, null, 2) + "\n");
      // Pod-to-pod across nodes: a route to every other node's pod subnet via that node (as KTHW adds them).
      const routes = names.slice(1).filter((n) => n !== k.name).map((n) => `ip route add ${podCIDRs.get(n)} via ${nodeIPs.get(n)}`);
      provision(k, ["sysctl -w net.ipv4.ip_forward=1 >/dev/null", "sysctl -w net.bridge.bridge-nf-call-iptables=1 >/dev/null", ...routes].join("\n"));
      for (const name of ["kubelet", "kube-proxy"]) unit(name, COMPONENTS[name]!.description, COMPONENTS[name]!.program, COMPONENTS[name]!.flags);
    }
  }
  lab.tick(0);

  const cluster: Cluster = {
    api,
    etcd,
    hosts: lab.hosts,
    controlPlane: lab.hosts[0]!,
    context: ctx,
    node: (name) => lab.host(name),
    sh: (line, o) => {
      const r = lab.hosts[0]!.sh(line, o);
      lab.tick(0);
      return r;
    },
    tick: (ms) => lab.tick(ms),
    settle(maxMs = 180_000) {
      const start = clock.now();
      let rev = etcd.revision;
      let quiet = clock.now();
      while (clock.now() - start < maxMs) {
        lab.tick(250);
        if (etcd.revision !== rev) {
          rev = etcd.revision;
          quiet = clock.now();
        } else if (clock.now() - quiet >= 6_000) break; // > RestartSec, so a service coming back is waited for
      }
    },
    on: (t, fn) => lab.on(t, fn),
    events: () => lab.events(),
  };
  return cluster;
}
