// TaintToleration: NoSchedule/NoExecute taints a pod does not tolerate rule the node out;
// PreferNoSchedule taints only lower the score.
import type { Taint, Toleration } from "../../api/types";
import type { FilterPlugin, ScorePlugin } from "../types";
import { MAX_NODE_SCORE } from "../types";

/** ToleratesTaint, exactly as k8s.io/api/core/v1/toleration.go. */
export function toleratesTaint(t: Toleration, taint: Pick<Taint, "key" | "value" | "effect">): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  switch (t.operator ?? "") {
    case "":
    case "Equal":
      return (t.value ?? "") === (taint.value ?? "");
    case "Exists":
      return true;
    default:
      return false;
  }
}

export const taintTolerationFilter: FilterPlugin = {
  name: "TaintToleration",
  filter(pod, node) {
    const bad = node.taints.find((taint) => (taint.effect === "NoSchedule" || taint.effect === "NoExecute") && !pod.tolerations.some((t) => toleratesTaint(t, taint)));
    if (!bad) return { ok: true };
    return { ok: false, reason: `node(s) had untolerated taint {${bad.key}: ${bad.value ?? ""}}`, unresolvable: true };
  },
};

export const taintTolerationScore: ScorePlugin = {
  name: "TaintToleration",
  weight: 3,
  score(pod, node) {
    const tols = pod.tolerations.filter((t) => !t.effect || t.effect === "PreferNoSchedule");
    return node.taints.filter((taint) => taint.effect === "PreferNoSchedule" && !tols.some((t) => toleratesTaint(t, taint))).length;
  },
  // Fewer intolerable taints is better: 100 - floor(100 * raw / max), all 100 when max is 0.
  normalize(scores) {
    const max = Math.max(0, ...scores);
    return scores.map((s) => (max === 0 ? MAX_NODE_SCORE : MAX_NODE_SCORE - Math.floor((MAX_NODE_SCORE * s) / max)));
  },
};
