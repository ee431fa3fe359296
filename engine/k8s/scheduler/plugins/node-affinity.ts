// NodeAffinity: nodeSelector and required node affinity filter; preferred affinity scores
// (sum of matching terms' weights, normalised to 0..100).
import type { Labels } from "../../api/labels";
import type { FilterPlugin, NodeSelectorTerm, ScorePlugin } from "../types";
import { MAX_NODE_SCORE } from "../types";

/** One NodeSelectorTerm: all its expressions must hold (In, NotIn, Exists, DoesNotExist, Gt, Lt). */
export function termMatches(term: NodeSelectorTerm, labels: Labels): boolean {
  const exprs = term.matchExpressions ?? [];
  if (exprs.length === 0) return false;
  return exprs.every((e) => {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const v = labels[e.key];
    switch (e.operator) {
      case "In":
        return has && (e.values ?? []).includes(v!);
      case "NotIn":
        return !has || !(e.values ?? []).includes(v!);
      case "Exists":
        return has;
      case "DoesNotExist":
        return !has;
      case "Gt":
        return has && Number(v) > Number(e.values?.[0]);
      case "Lt":
        return has && Number(v) < Number(e.values?.[0]);
      default:
        return false;
    }
  });
}

export const nodeAffinityFilter: FilterPlugin = {
  name: "NodeAffinity",
  filter(pod, node) {
    const selOk = Object.entries(pod.nodeSelector ?? {}).every(([k, v]) => node.labels[k] === v);
    // Terms are ORed: any one matching term is enough.
    const reqOk = !pod.requiredTerms || pod.requiredTerms.some((t) => termMatches(t, node.labels));
    if (selOk && reqOk) return { ok: true };
    return { ok: false, reason: "node(s) didn't match Pod's node affinity/selector", unresolvable: true };
  },
};

export const nodeAffinityScore: ScorePlugin = {
  name: "NodeAffinity",
  weight: 2,
  score(pod, node) {
    return (pod.preferredTerms ?? []).reduce((s, p) => s + (termMatches(p.preference, node.labels) ? p.weight : 0), 0);
  },
  normalize(scores) {
    const max = Math.max(0, ...scores);
    return scores.map((s) => (max === 0 ? 0 : Math.floor((s * MAX_NODE_SCORE) / max)));
  },
};
