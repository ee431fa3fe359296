// NodeUnschedulable: a cordoned node (spec.unschedulable) takes no new pods, unless the pod
// tolerates the node.kubernetes.io/unschedulable taint.
import type { FilterPlugin } from "../types";
import { toleratesTaint } from "./taint-toleration";

export const nodeUnschedulable: FilterPlugin = {
  name: "NodeUnschedulable",
  filter(pod, node) {
    if (!node.unschedulable) return { ok: true };
    const taint = { key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" as const };
    if (pod.tolerations.some((t) => toleratesTaint(t, taint))) return { ok: true };
    return { ok: false, reason: "node(s) were unschedulable", unresolvable: true };
  },
};
