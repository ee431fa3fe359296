// The public API (DESIGN.md): exercises, tests and widgets import only from here — or from
// ./linux, the same API without createCluster, where a page must not download Kubernetes.
export * from "./linux";
export { createCluster } from "./k8s/cluster";
export type { Cluster, ClusterOptions } from "./k8s/cluster";
export { clusterSnapshot, CLUSTER_UNITS } from "./k8s/snapshot";
export type { ClusterSnapshot, ClusterMachineSnapshot, ClusterPodSnapshot, PodLinuxSnapshot, ContainerLinuxSnapshot, PodContainerSnapshot, NodeObjectSnapshot, ComponentSnapshot, ResourceAmounts } from "./k8s/snapshot";
// The cluster a Host belongs to (exercises and widgets of cluster lessons read its typed API state).
export { kernelOf } from "./k8s/cluster";
export { clusterOf } from "./k8s/components/context";
// The kubelet's probe and restart rules (pure): defaults, result counting, restart back-off, describe's probe line.
export { ContainerBackOff, PROBE_DEFAULTS, countResult, describeProbe, initialResult, probeTiming } from "./k8s/components/prober";
export type { ProbeResult, ProbeTiming, ProbeType, ResultRun } from "./k8s/components/prober";
