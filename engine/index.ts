// The public API (DESIGN.md): exercises, tests and widgets import only from here — or from
// ./linux, the same API without createCluster, where a page must not download Kubernetes.
export * from "./linux";
export { createCluster } from "./k8s/cluster";
export type { Cluster, ClusterOptions } from "./k8s/cluster";
export { clusterSnapshot, CLUSTER_UNITS } from "./k8s/snapshot";
export type { ClusterSnapshot, ClusterMachineSnapshot, ClusterPodSnapshot, PodLinuxSnapshot, ContainerLinuxSnapshot, PodContainerSnapshot, NodeObjectSnapshot, ComponentSnapshot, ResourceAmounts } from "./k8s/snapshot";
