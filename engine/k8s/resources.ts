// What a pod's requests and limits become on the node: cgroup values the kubelet and the OCI
// runtime write (cpu.weight, cpu.max, memory.max), the QoS class and the OOM score adjustment.
// Each rule is a small pure function, exactly as ../shared/fidelity/RULES.md restates the
// upstream code (pkg/kubelet/cm/helpers_linux.go, pkg/apis/core/v1/helper/qos, pkg/kubelet/qos).
import { parseQuantity } from "./quantity";
import type { Quantity } from "./quantity";

export const MIN_SHARES = 2;
export const MAX_SHARES = 262_144;
export const SHARES_PER_CPU = 1024;
export const MILLI_CPU_TO_CPU = 1000;
export const QUOTA_PERIOD = 100_000;
export const MIN_QUOTA_PERIOD = 1000;

/** MilliCPUToShares: 1 CPU = 1024 shares, clamped to [2, 262144]; no request → 2. */
export function milliCPUToShares(milliCPU: number): number {
  if (milliCPU === 0) return MIN_SHARES;
  const shares = Math.floor((milliCPU * SHARES_PER_CPU) / MILLI_CPU_TO_CPU);
  return Math.min(MAX_SHARES, Math.max(MIN_SHARES, shares));
}

/** The kubelet's cgroup v2 weight for pod and QoS cgroups: [2, 262144] mapped linearly onto [1, 10000]. */
export function sharesToWeight(shares: number): number {
  if (shares >= MAX_SHARES) return 10_000;
  const s = Math.max(MIN_SHARES, shares);
  return 1 + Math.floor(((s - 2) * 9999) / 262_142);
}

/** The reverse map used when reading cpu.weight back as shares. */
export function weightToShares(weight: number): number {
  const s = 2 + Math.floor(((weight - 1) * 262_142) / 9999);
  return Math.min(MAX_SHARES, Math.max(MIN_SHARES, s));
}

/** Newer runc/crun (opencontainers/cgroups ≥ 0.0.5) for container cgroups: 1024 shares → weight 100. */
export function runcSharesToWeight(shares: number): number {
  if (shares === 0) return 0;
  if (shares <= 2) return 1;
  if (shares >= MAX_SHARES) return 10_000;
  const l = Math.log2(shares);
  return Math.ceil(10 ** ((l * l + 125 * l) / 612 - 7 / 34));
}

/** Older runc: the same linear formula as the kubelet, 0 shares meaning "unset". */
export function legacyRuncSharesToWeight(shares: number): number {
  return shares === 0 ? 0 : sharesToWeight(shares);
}

/** MilliCPUToQuota: µs per period; 0 = no quota; anything under 1 ms becomes 1 ms. */
export function milliCPUToQuota(milliCPU: number, period = QUOTA_PERIOD): number {
  if (milliCPU === 0) return 0;
  const quota = Math.floor((milliCPU * period) / MILLI_CPU_TO_CPU);
  return quota < MIN_QUOTA_PERIOD ? MIN_QUOTA_PERIOD : quota;
}

/** cpu.max text for a CPU limit in millicores (0 / none → "max PERIOD"). */
export function cpuMaxFor(milliCPU: number, period = QUOTA_PERIOD): string {
  const q = milliCPUToQuota(milliCPU, period);
  return q > 0 ? `${q} ${period}` : `max ${period}`;
}

/** cpu.max from a CRI quota/period pair: quota ≤ 0 (unset or -1) → "max". */
export function cpuMaxFromQuota(quota: number, period = QUOTA_PERIOD): string {
  return quota > 0 ? `${quota} ${period}` : `max ${period}`;
}

/** memory.max text: bytes, "max" for -1 (unlimited); null = 0 = the file is not written. */
export function memoryLimitToMax(bytes: number): string | null {
  if (bytes === 0) return null;
  if (bytes < 0) return "max";
  return String(bytes);
}

export function sharesToMilliCPU(shares: number): number {
  return shares >= MIN_SHARES ? Math.ceil((shares * MILLI_CPU_TO_CPU) / SHARES_PER_CPU) : 0;
}

export function quotaToMilliCPU(quota: number, period: number): number {
  return quota === -1 ? 0 : Math.floor((quota * MILLI_CPU_TO_CPU) / period);
}

// ---- pods ----

export type ResourceList = Record<string, string | Quantity>;
export interface ContainerResources {
  requests?: ResourceList;
  limits?: ResourceList;
}
export interface ContainerLike {
  name?: string;
  resources?: ContainerResources;
  /** An init container with restartPolicy Always is a sidecar: it runs beside the app containers. */
  restartPolicy?: string;
}
export interface PodSpecLike {
  containers: ContainerLike[];
  initContainers?: ContainerLike[];
  priorityClassName?: string;
}
export interface PodLike {
  metadata?: { namespace?: string; annotations?: Record<string, string> };
  spec: PodSpecLike;
}

export type QOSClass = "Guaranteed" | "Burstable" | "BestEffort";

function q(v: string | Quantity | undefined): Quantity | undefined {
  if (v === undefined) return undefined;
  return typeof v === "string" ? parseQuantity(v) : v;
}

const COMPUTE = ["cpu", "memory"] as const;

/** GetPodQOS (v1 helper): only cpu and memory count, and only quantities > 0. */
export function podQOSClass(pod: PodLike | PodSpecLike): QOSClass {
  const spec = "spec" in pod ? pod.spec : pod;
  const requests = new Map<string, bigint>();
  const limits = new Map<string, bigint>();
  let zeroQuantity = true;
  let isGuaranteed = true;
  for (const c of [...spec.containers, ...(spec.initContainers ?? [])]) {
    for (const name of COMPUTE) {
      const r = q(c.resources?.requests?.[name]);
      if (r && r.nano > 0n) {
        zeroQuantity = false;
        requests.set(name, (requests.get(name) ?? 0n) + r.nano);
      }
    }
    const seen = new Set<string>();
    for (const name of COMPUTE) {
      const l = q(c.resources?.limits?.[name]);
      if (l && l.nano > 0n) {
        zeroQuantity = false;
        seen.add(name);
        limits.set(name, (limits.get(name) ?? 0n) + l.nano);
      }
    }
    if (seen.size < COMPUTE.length) isGuaranteed = false;
  }
  if (zeroQuantity) return "BestEffort";
  if (isGuaranteed) {
    for (const [name, r] of requests) if (limits.get(name) !== r) isGuaranteed = false;
    if (requests.size !== limits.size) isGuaranteed = false;
  }
  return isGuaranteed ? "Guaranteed" : "Burstable";
}

/** API defaulting: a limit without a request gets the limit as its request (done before QoS for stored pods). */
export function defaultRequests(c: ContainerLike): ContainerLike {
  const limits = c.resources?.limits ?? {};
  const requests = { ...(c.resources?.requests ?? {}) };
  for (const [k, v] of Object.entries(limits)) if (requests[k] === undefined) requests[k] = v;
  return { ...c, resources: { ...c.resources, requests } };
}

export const CRITICAL_POD_OOM_ADJ = -997;
export const GUARANTEED_OOM_ADJ = -997;
export const BEST_EFFORT_OOM_ADJ = 1000;
export const KUBELET_OOM_ADJ = -999;

/** GetContainerOOMScoreAdjust (pkg/kubelet/qos/policy.go). */
export function oomScoreAdj(container: ContainerLike, pod: PodLike | PodSpecLike, nodeMemoryCapacity: number, opts: { critical?: boolean } = {}): number {
  if (opts.critical) return CRITICAL_POD_OOM_ADJ;
  const cls = podQOSClass(pod);
  if (cls === "Guaranteed") return GUARANTEED_OOM_ADJ;
  if (cls === "BestEffort") return BEST_EFFORT_OOM_ADJ;
  const req = q(container.resources?.requests?.memory)?.value() ?? 0;
  let adj = 1000 - Math.floor((1000 * req) / nodeMemoryCapacity);
  if (adj < 1000 + GUARANTEED_OOM_ADJ) adj = 1000 + GUARANTEED_OOM_ADJ;
  if (adj === BEST_EFFORT_OOM_ADJ) adj = 999;
  return adj;
}

/** The container's own cgroup settings, as kuberuntime's calculateLinuxResources hands them to the runtime. */
export interface LinuxContainerResources {
  cpuShares: number;
  /** µs per period; 0 = unset, -1 = unlimited. */
  cpuQuota: number;
  cpuPeriod: number;
  /** bytes; 0 = unset. */
  memoryLimitInBytes: number;
}

export function containerLinuxResources(c: ContainerLike, opts: { cpuCFSQuota?: boolean; period?: number; disableQuota?: boolean } = {}): LinuxContainerResources {
  const cpuCFSQuota = opts.cpuCFSQuota ?? true;
  const period = opts.period ?? QUOTA_PERIOD;
  const req = q(c.resources?.requests?.cpu);
  const lim = q(c.resources?.limits?.cpu);
  const mem = q(c.resources?.limits?.memory);
  // No request but a limit: the limit is used for shares.
  const sharesFrom = req ?? lim;
  const r: LinuxContainerResources = { cpuShares: milliCPUToShares(sharesFrom?.milliValue() ?? 0), cpuQuota: 0, cpuPeriod: 0, memoryLimitInBytes: mem?.value() ?? 0 };
  if (cpuCFSQuota) {
    r.cpuQuota = opts.disableQuota ? -1 : milliCPUToQuota(lim?.milliValue() ?? 0, period);
    r.cpuPeriod = period;
  }
  return r;
}

/** What the runtime (runc) writes into the container's cgroup v2 directory. */
export function containerCgroupFiles(r: LinuxContainerResources): { "cpu.weight": string; "cpu.max"?: string; "memory.max"?: string } {
  const files: { "cpu.weight": string; "cpu.max"?: string; "memory.max"?: string } = { "cpu.weight": String(runcSharesToWeight(r.cpuShares)) };
  if (r.cpuQuota !== 0) files["cpu.max"] = cpuMaxFromQuota(r.cpuQuota, r.cpuPeriod || QUOTA_PERIOD);
  const mem = memoryLimitToMax(r.memoryLimitInBytes);
  if (mem !== null) files["memory.max"] = mem;
  return files;
}

/** The pod-level cgroup config (ResourceConfigForPod). */
export interface PodResourceConfig {
  cpuShares: number;
  /** µs; undefined = not set, -1 = unlimited (CPU limits not enforced). */
  cpuQuota?: number;
  cpuPeriod?: number;
  memory?: number;
  /** The same, as the cgroup v2 files the kubelet writes. */
  files: { "cpu.weight": string; "cpu.max"?: string; "memory.max"?: string };
}

/** Pod totals: regular containers summed, then each resource raised to the largest init container (the "max rule"). */
export function podTotals(spec: PodSpecLike, which: "requests" | "limits"): { values: Map<string, bigint>; allSet: Record<"cpu" | "memory", boolean> } {
  const values = new Map<string, bigint>();
  const allSet = { cpu: true, memory: true };
  for (const c of spec.containers) {
    for (const name of COMPUTE) {
      const v = q(c.resources?.[which]?.[name]);
      if (!v) {
        allSet[name] = false;
        continue;
      }
      values.set(name, (values.get(name) ?? 0n) + v.nano);
    }
  }
  for (const c of spec.initContainers ?? []) {
    for (const name of COMPUTE) {
      const v = q(c.resources?.[which]?.[name]);
      if (!v) continue;
      if (c.restartPolicy === "Always") values.set(name, (values.get(name) ?? 0n) + v.nano);
      else if (v.nano > (values.get(name) ?? 0n)) values.set(name, v.nano);
    }
  }
  return { values, allSet };
}

const milli = (nano: bigint | undefined) => (nano === undefined ? 0 : Number((nano + 999_999n) / 1_000_000n));
const whole = (nano: bigint | undefined) => (nano === undefined ? 0 : Number((nano + 999_999_999n) / 1_000_000_000n));

export function resourceConfigForPod(pod: PodLike | PodSpecLike, opts: { enforceCPULimits?: boolean; period?: number } = {}): PodResourceConfig {
  const spec = "spec" in pod ? pod.spec : pod;
  const enforce = opts.enforceCPULimits ?? true;
  const period = opts.period ?? QUOTA_PERIOD;
  const req = podTotals(spec, "requests");
  const lim = podTotals(spec, "limits");
  const cpuShares = milliCPUToShares(milli(req.values.get("cpu")));
  let cpuQuota = milliCPUToQuota(milli(lim.values.get("cpu")), period);
  if (!enforce) cpuQuota = -1;
  const memory = whole(lim.values.get("memory"));
  const cls = podQOSClass(spec);
  const cfg: PodResourceConfig = { cpuShares, files: { "cpu.weight": "" } };
  if (cls === "Guaranteed") {
    cfg.cpuQuota = cpuQuota;
    cfg.cpuPeriod = period;
    cfg.memory = memory;
  } else if (cls === "Burstable") {
    if (lim.allSet.cpu) {
      cfg.cpuQuota = cpuQuota;
      cfg.cpuPeriod = period;
    }
    if (lim.allSet.memory) cfg.memory = memory;
  } else {
    cfg.cpuShares = MIN_SHARES;
  }
  cfg.files["cpu.weight"] = String(sharesToWeight(cfg.cpuShares));
  if (cfg.cpuQuota !== undefined) cfg.files["cpu.max"] = cpuMaxFromQuota(cfg.cpuQuota, period);
  if (cfg.memory !== undefined) {
    const m = memoryLimitToMax(cfg.memory);
    if (m !== null) cfg.files["memory.max"] = m;
  }
  return cfg;
}
