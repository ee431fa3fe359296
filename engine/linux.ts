// The Linux floor's half of the public API: everything in ./index except createCluster.
// Code that only needs hosts and labs (the host exercises, a host lesson's page world) imports
// from here, so the browser never downloads the Kubernetes floor for a page that has no cluster
// (bundlers split chunks by static imports, and ./index statically imports ./k8s/cluster).
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
