// What the scheduler knows about nodes and pods, already in numbers (millicores, bytes):
// the scheduler's NodeInfo cache, built from Node objects and the pods bound to them.
import type { Labels } from "../api/labels";
import type { Taint, Toleration } from "../api/types";

export interface Resources {
  milliCPU: number;
  memory: number;
}

export interface NodeInfo {
  name: string;
  labels: Labels;
  taints: Taint[];
  unschedulable: boolean;
  allocatable: Resources & { pods: number };
  /** Sum of requests of pods already on the node (actual values). */
  requested: Resources;
  /** Same, with containers that request nothing counted as 100m / 200 MiB. */
  nonZeroRequested: Resources;
  podCount: number;
  /** Images present on the node (for ImageLocality). */
  images?: Record<string, number>;
}

export interface NodeSelectorTerm {
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export interface PodInfo {
  namespace: string;
  name: string;
  nodeName?: string;
  nodeSelector?: Labels;
  requiredTerms?: NodeSelectorTerm[];
  preferredTerms?: { weight: number; preference: NodeSelectorTerm }[];
  tolerations: Toleration[];
  requests: Resources;
  nonZeroRequests: Resources;
  images?: string[];
}

/** A plugin's verdict on a node: fits, or the reason kubectl describe shows. */
export interface FilterStatus {
  ok: boolean;
  reason?: string;
  /** UnschedulableAndUnresolvable: preemption would not help. */
  unresolvable?: boolean;
}

export const MAX_NODE_SCORE = 100;

export interface FilterPlugin {
  name: string;
  filter(pod: PodInfo, node: NodeInfo): FilterStatus;
}

export interface ScorePlugin {
  name: string;
  weight: number;
  score(pod: PodInfo, node: NodeInfo): number;
  /** Optional NormalizeScore over all feasible nodes' raw scores. */
  normalize?(scores: number[]): number[];
}
