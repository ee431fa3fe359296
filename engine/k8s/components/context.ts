// What a Kubernetes component process knows about its cluster: the API server it talks to
// and the node it runs on. Each node's kernel carries it, as a real node carries a kubeconfig.
import type { Kernel } from "../../linux/kernel";
import type { ApiServer } from "../api/apiserver";
import type { Clock } from "../../sim/clock";
import type { Random } from "../../sim/random";
import type { ScheduleResult } from "../scheduler/framework";

export interface ClusterContext {
  api: ApiServer;
  clock: Clock;
  rng: Random;
  /** Node name → kubelet's last heartbeat (virtual ms): the Lease the node lifecycle reads. */
  leases: Map<string, number>;
  /** The scheduler's last decision per pod ("ns/name"), for the SchedulerTable widget. */
  schedulingResults: Map<string, ScheduleResult & { node: string | null; at: number }>;
  /** The API server's address as kubectl's kubeconfig names it. */
  server: string;
  /** Is the kube-apiserver process of the control plane up? (kubectl gets "connection refused" otherwise) */
  apiserverUp(): boolean;
  /** Pod CIDR per node name. */
  podCIDRs: Map<string, string>;
  /** Node name → its InternalIP. */
  nodeIPs: Map<string, string>;
  /** Node name → its kernel (the API server reaches kubelets for logs and exec). */
  kernels: Map<string, Kernel>;
}

const contexts = new WeakMap<Kernel, ClusterContext>();

export function attachCluster(kernel: Kernel, ctx: ClusterContext): void {
  contexts.set(kernel, ctx);
}

export function clusterOf(kernel: Kernel): ClusterContext | undefined {
  return contexts.get(kernel);
}
