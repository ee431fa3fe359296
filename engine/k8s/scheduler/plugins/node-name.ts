// NodeName: a pod that names its node (spec.nodeName) fits only there.
import type { FilterPlugin } from "../types";

export const nodeName: FilterPlugin = {
  name: "NodeName",
  filter(pod, node) {
    if (!pod.nodeName || pod.nodeName === node.name) return { ok: true };
    return { ok: false, reason: "node(s) didn't match the requested node name", unresolvable: true };
  },
};
