// The public API (DESIGN.md): exercises, tests and widgets import only from here.
export * from "./api";
export { createHost } from "./linux/host";
export { needsMoreInput } from "./shell/parser";
export type { Host, HostOptions, Completion } from "./linux/host";
export { createLab } from "./hardware/lab";
export type { Lab, LabOptions } from "./hardware/lab";
export { Machine } from "./hardware/machine";
export type { MachineSpec } from "./hardware/machine";
export { Quantity, QuantityError, parseQuantity, formatQuantity, newQuantity, newMilliQuantity, newScaledQuantity, quantityFromJSON } from "./k8s/quantity";
export type { QuantityFormat } from "./k8s/quantity";
export {
  milliCPUToShares, sharesToWeight, weightToShares, runcSharesToWeight, legacyRuncSharesToWeight, milliCPUToQuota, cpuMaxFor, cpuMaxFromQuota,
  memoryLimitToMax, sharesToMilliCPU, quotaToMilliCPU, podQOSClass, defaultRequests, oomScoreAdj, containerLinuxResources, containerCgroupFiles,
  podTotals, resourceConfigForPod,
} from "./k8s/resources";
export type { QOSClass, PodLike, PodSpecLike, ContainerLike, PodResourceConfig, LinuxContainerResources } from "./k8s/resources";
export { createCluster } from "./k8s/cluster";
export type { Cluster, ClusterOptions } from "./k8s/cluster";
// The cluster a Host belongs to (exercises and widgets of cluster lessons read its typed API state).
export { kernelOf } from "./k8s/cluster";
export { clusterOf } from "./k8s/components/context";
// The kubelet's probe and restart rules (pure): defaults, result counting, restart back-off, describe's probe line.
export { ContainerBackOff, PROBE_DEFAULTS, countResult, describeProbe, initialResult, probeTiming } from "./k8s/components/prober";
export type { ProbeResult, ProbeTiming, ProbeType, ResultRun } from "./k8s/components/prober";
