// Cluster benches (plain tsx script, also run by `npm run bench`):
//   npx tsx engine/bench/cluster.bench.ts [settle NODES PODS | scheduler NODES PODS | curve]
//
// 1. settle: createCluster with NODES full Linux worker hosts (kubelet, containerd, kube-proxy,
//    CNI), then `kubectl apply` of Deployments totalling PODS replicas (100 per Deployment,
//    pause-image containers requesting 10m / 16Mi), run until etcd stops changing. Reports wall
//    time to build the cluster and to settle, the virtual time of the last write, and the heap.
// 2. scheduler: the real kube-scheduler process (watch → queue → framework with every default
//    plugin and the adaptive percentageOfNodesToScore → bind through the API server → Scheduled
//    event) on a control plane whose NODES are synthetic Node objects written straight into the
//    API server — no worker hosts, no kubelets, so bound pods stay Pending. Pods are created
//    directly (no controllers in the way). Reports pods bound per second of wall time.
//
// Inputs are fixed and seeded, so every run does the same work; only the wall clock varies.
// Each measurement runs in its own child process (a clean heap), REPEATS times; best and median.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createCluster } from "../k8s/cluster";
import type { Node, Pod } from "../k8s/api/types";

const SELF = fileURLToPath(import.meta.url);
export const REPEATS = 3;

export interface SettleResult {
  nodes: number;
  pods: number;
  createMs: number;
  settleMs: number;
  /** CPU time (user + system) of the settle: less disturbed than wall time on a busy machine. */
  settleCpuMs: number;
  /** Virtual ms from the apply to the last etcd write. */
  virtualMs: number;
  running: number;
  heapMB: number;
  etcdRevision: number;
}

export interface SchedulerResult {
  nodes: number;
  pods: number;
  /** Nodes the framework looked at per pod (percentageOfNodesToScore). */
  evaluatedPerPod: number;
  wallMs: number;
  podsPerSecond: number;
  /** CPU time (user + system) of the run, and the rate by it. */
  cpuMs: number;
  podsPerCpuSecond: number;
  bound: number;
  heapMB: number;
}

const cpuMs = (since: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(since);
  return Math.round((d.user + d.system) / 1000);
};

const heapMB = () => {
  (globalThis as { gc?: () => void }).gc?.();
  return Math.round(process.memoryUsage().heapUsed / 1024 / 1024);
};

/** Deployments of 100 replicas each (the last one takes the remainder). */
export function deployments(pods: number): string {
  let doc = "";
  for (let i = 0; i * 100 < pods; i++) {
    const replicas = Math.min(100, pods - i * 100);
    doc += `---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${i}\nspec:\n  replicas: ${replicas}\n  selector:\n    matchLabels: {app: app-${i}}\n  template:\n    metadata:\n      labels: {app: app-${i}}\n    spec:\n      containers:\n      - name: app\n        image: registry.k8s.io/pause:3.10\n        resources:\n          requests: {cpu: 10m, memory: 16Mi}\n`;
  }
  return doc;
}

export function settleBench(nodes: number, pods: number): SettleResult {
  const t0 = performance.now();
  const c = createCluster({ workers: nodes, seed: 1 });
  const t1 = performance.now();
  const cpu0 = process.cpuUsage();
  const v0 = c.context.clock.now();
  let last = v0;
  c.etcd.watch("/", () => {
    last = c.context.clock.now();
  });
  const r = c.sh("kubectl apply -f -", { stdin: deployments(pods) });
  if (r.exitCode !== 0) throw new Error(r.stderr);
  c.settle(3_600_000);
  const t2 = performance.now();
  const settleCpuMs = cpuMs(cpu0);
  const running = c.api.list<Pod>("Pod").filter((p) => p.status?.phase === "Running").length;
  return { nodes, pods, createMs: Math.round(t1 - t0), settleMs: Math.round(t2 - t1), settleCpuMs, virtualMs: last - v0, running, heapMB: heapMB(), etcdRevision: c.etcd.revision };
}

/** A Node as a kubelet would register it: 8 CPUs, 32 GiB, 110 pods; every tenth one tainted. */
function syntheticNode(i: number): Node {
  const name = `node-${String(i).padStart(5, "0")}`;
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name, labels: { "kubernetes.io/hostname": name, "kubernetes.io/os": "linux", "topology.kubernetes.io/zone": `zone-${i % 3}` } },
    spec: { podCIDR: `10.${100 + (i >> 8)}.${i & 255}.0/24`, ...(i % 10 === 9 ? { taints: [{ key: "dedicated", value: "gpu", effect: "NoSchedule" }] } : {}) },
    status: {
      capacity: { cpu: "8", memory: "32Gi", pods: "110" },
      allocatable: { cpu: "8", memory: "32Gi", pods: "110" },
      conditions: [{ type: "Ready", status: "True", reason: "KubeletReady", message: "kubelet is posting ready status" }],
    },
  } as Node;
}

/** Pods of three shapes: small, larger, and one in five with a nodeSelector for a zone. */
function syntheticPod(i: number): Pod {
  const requests = i % 2 ? { cpu: "250m", memory: "256Mi" } : { cpu: "100m", memory: "128Mi" };
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: `pod-${String(i).padStart(5, "0")}`, namespace: "default", labels: { app: "bench" } },
    spec: { containers: [{ name: "app", image: "registry.k8s.io/pause:3.10", resources: { requests } }], ...(i % 5 === 0 ? { nodeSelector: { "topology.kubernetes.io/zone": `zone-${i % 3}` } } : {}) },
  } as Pod;
}

export function schedulerBench(nodes: number, pods: number): SchedulerResult {
  const c = createCluster({ workers: 0, seed: 1 });
  // The nodes' leases are kept fresh so the node lifecycle controller leaves them Ready.
  for (let i = 0; i < nodes; i++) {
    const n = syntheticNode(i);
    c.api.create(n);
    c.context.leases.set(n.metadata.name, Number.MAX_SAFE_INTEGER / 2);
  }
  c.tick(0);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < pods; i++) c.api.create(syntheticPod(i));
  c.tick(0); // the scheduler runs until its queue is empty
  const wallMs = performance.now() - t0;
  const cpu = cpuMs(cpu0);
  const bound = c.api.list<Pod>("Pod").filter((p) => p.spec.nodeName).length;
  const evaluated = [...c.context.schedulingResults.values()].reduce((s, r) => s + r.evaluated, 0) / Math.max(1, c.context.schedulingResults.size);
  return { nodes, pods, evaluatedPerPod: Math.round(evaluated), wallMs: Math.round(wallMs), podsPerSecond: Math.round((bound / wallMs) * 1000), cpuMs: cpu, podsPerCpuSecond: Math.round((bound / cpu) * 1000), bound, heapMB: heapMB() };
}

// ---- repeats in child processes ----

type Kind = "settle" | "scheduler";

function runOnce<T>(kind: Kind, nodes: number, pods: number): T {
  const child = spawnSync(process.execPath, ["--expose-gc", "--max-old-space-size=4096", "--import", "tsx", SELF, "--one", kind, String(nodes), String(pods)], { encoding: "utf8", maxBuffer: 1 << 24 });
  const line = child.stdout.trim().split("\n").pop() ?? "";
  if (child.status !== 0 || !line.startsWith("{")) throw new Error(`${kind} ${nodes}/${pods} failed (exit ${child.status}): ${child.stderr.slice(-2000)}`);
  return JSON.parse(line) as T;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export interface Repeated<T> {
  runs: T[];
  best: T;
  median: T;
}

/** REPEATS runs; best and median by the given wall-time field (larger is better for rates). */
export function repeat<T extends object>(kind: Kind, nodes: number, pods: number, by: keyof T & string, higherIsBetter = false, n = REPEATS): Repeated<T> {
  const runs = Array.from({ length: n }, () => runOnce<T>(kind, nodes, pods));
  const key = (r: T) => Number(r[by]);
  const sorted = [...runs].sort((a, b) => (higherIsBetter ? key(b) - key(a) : key(a) - key(b)));
  const med = median(runs.map(key));
  return { runs, best: sorted[0]!, median: runs.find((r) => key(r) === med)! };
}

/** "best / median" of one field over the runs (best = lowest, or highest for rates). */
function stat<T>(r: Repeated<T>, field: keyof T, higherIsBetter = false): string {
  const xs = r.runs.map((x) => Number(x[field])).sort((a, b) => (higherIsBetter ? b - a : a - b));
  return `${xs[0]} / ${median(xs)}`;
}

export function describeSettle(r: Repeated<SettleResult>): string {
  const b = r.best;
  return `createCluster ${b.nodes} nodes + ${b.pods} pods (best / median of ${r.runs.length}): build ${stat(r, "createMs")} ms; settle ${stat(r, "settleMs")} ms wall, ${stat(r, "settleCpuMs")} ms CPU; last write at virtual ${stat(r, "virtualMs")} ms; ${b.running}/${b.pods} Running; heap ${stat(r, "heapMB")} MB; etcd revision ${b.etcdRevision}`;
}

export function describeScheduler(r: Repeated<SchedulerResult>): string {
  const b = r.best;
  return `kube-scheduler, ${b.nodes} synthetic nodes, ${b.pods} pods (best / median of ${r.runs.length}): ${stat(r, "podsPerSecond", true)} pods/s by wall time (${stat(r, "wallMs")} ms), ${stat(r, "podsPerCpuSecond", true)} pods/s by CPU time (${stat(r, "cpuMs")} ms); ${b.evaluatedPerPod} nodes evaluated per pod; ${b.bound} bound; heap ${stat(r, "heapMB")} MB`;
}

/** What `npm run bench` runs. */
export function clusterBenches(): { settle: Repeated<SettleResult>; scheduler: Repeated<SchedulerResult> } {
  return { settle: repeat<SettleResult>("settle", 100, 3000, "settleMs"), scheduler: repeat<SchedulerResult>("scheduler", 5000, 1000, "podsPerSecond", true) };
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === "--one") {
    const [kind, nodes, pods] = [argv[1] as Kind, Number(argv[2]), Number(argv[3])];
    console.log(JSON.stringify(kind === "settle" ? settleBench(nodes, pods) : schedulerBench(nodes, pods)));
    return;
  }
  const [what, nodes, pods] = argv;
  if (what === "settle") console.log(describeSettle(repeat<SettleResult>("settle", Number(nodes ?? 100), Number(pods ?? 3000), "settleMs")));
  else if (what === "scheduler") console.log(describeScheduler(repeat<SchedulerResult>("scheduler", Number(nodes ?? 5000), Number(pods ?? 1000), "podsPerSecond", true)));
  else if (what === "curve") for (const n of [10, 25, 50, 100]) console.log(describeSettle(repeat<SettleResult>("settle", n, n * 30, "settleMs")));
  else {
    const r = clusterBenches();
    console.log(describeSettle(r.settle));
    console.log(describeScheduler(r.scheduler));
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main(process.argv.slice(2));
