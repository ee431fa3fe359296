// The ReplicaSet controller: count the pods it owns, create the missing ones, delete the
// extra ones (the least valuable first), and report what it sees in status. Nothing more —
// a Deployment is built on top of exactly this loop.
import type { ApiServer } from "../api/apiserver";
import { matches, selectorRequirements } from "../api/labels";
import type { Pod, ReplicaSet } from "../api/types";

export function isPodReady(p: Pod): boolean {
  return p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
}

function readySince(p: Pod): number {
  const c = p.status?.conditions?.find((x) => x.type === "Ready" && x.status === "True");
  return c?.lastTransitionTime ? Date.parse(c.lastTransitionTime) : Infinity;
}

/** Available = ready for at least minReadySeconds. */
export function isPodAvailable(p: Pod, minReadySeconds: number, nowMs: number): boolean {
  if (!isPodReady(p)) return false;
  return minReadySeconds === 0 || readySince(p) + minReadySeconds * 1000 <= nowMs;
}

export function isActive(p: Pod): boolean {
  return !p.metadata.deletionTimestamp && p.status?.phase !== "Succeeded" && p.status?.phase !== "Failed";
}

const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/** Order pods so the first ones are the cheapest to lose (controller.ActivePods ranking). */
export function deletionOrder(a: Pod, b: Pod): number {
  const assigned = (p: Pod) => (p.spec.nodeName ? 1 : 0);
  if (assigned(a) !== assigned(b)) return assigned(a) - assigned(b);
  const phase = (p: Pod) => PHASE_RANK[p.status?.phase ?? "Pending"] ?? 0;
  if (phase(a) !== phase(b)) return phase(a) - phase(b);
  const ready = (p: Pod) => (isPodReady(p) ? 1 : 0);
  if (ready(a) !== ready(b)) return ready(a) - ready(b);
  if (isPodReady(a) && isPodReady(b) && readySince(a) !== readySince(b)) return readySince(b) - readySince(a);
  const restarts = (p: Pod) => Math.max(0, ...(p.status?.containerStatuses ?? []).map((c) => c.restartCount));
  if (restarts(a) !== restarts(b)) return restarts(b) - restarts(a);
  const created = (p: Pod) => Date.parse(p.metadata.creationTimestamp ?? "0");
  return created(b) - created(a);
}

export class ReplicaSetController {
  constructor(
    private readonly api: ApiServer,
    private readonly now: () => number,
    private readonly onEvent?: (obj: ReplicaSet, reason: string, message: string) => void,
  ) {}

  /** The pods a ReplicaSet owns (controller ownerReference with its uid). */
  ownedPods(rs: ReplicaSet): Pod[] {
    return this.api.listOwnedBy<Pod>("Pod", rs.metadata.namespace, rs.metadata.uid ?? "").filter((p) => p.metadata.ownerReferences?.some((o) => o.controller && o.uid === rs.metadata.uid));
  }

  sync(namespace: string, name: string): void {
    const rs = this.api.tryGet<ReplicaSet>("ReplicaSet", namespace, name);
    if (!rs || rs.metadata.deletionTimestamp) return;
    const selector = selectorRequirements(rs.spec.selector);
    // A pod relabelled out of the selector is released, as the real controller's ClaimPods does:
    // its ownerReference goes, so it is no longer counted, and no longer garbage-collected with us.
    for (const p of this.ownedPods(rs)) {
      if (p.metadata.deletionTimestamp || matches(p.metadata.labels, selector)) continue;
      const rest = (p.metadata.ownerReferences ?? []).filter((o) => o.uid !== rs.metadata.uid);
      this.api.patch("Pod", namespace, p.metadata.name, { metadata: { ownerReferences: rest.length ? rest : null } });
    }
    const pods = this.ownedPods(rs).filter((p) => matches(p.metadata.labels, selector));
    const active = pods.filter(isActive);
    const want = rs.spec.replicas ?? 1;
    const diff = active.length - want;
    if (diff < 0) {
      for (let i = 0; i < -diff; i++) {
        const pod = this.api.create<Pod>(
          {
            apiVersion: "v1",
            kind: "Pod",
            metadata: {
              name: "",
              generateName: `${rs.metadata.name}-`,
              namespace,
              labels: { ...(rs.spec.template.metadata?.labels ?? {}) },
              ...(rs.spec.template.metadata?.annotations ? { annotations: { ...rs.spec.template.metadata.annotations } } : {}),
              ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: rs.metadata.name, uid: rs.metadata.uid!, controller: true, blockOwnerDeletion: true }],
            },
            spec: structuredClone(rs.spec.template.spec),
          } as Pod,
          { manager: "kube-controller-manager" },
        );
        this.onEvent?.(rs, "SuccessfulCreate", `Created pod: ${pod.metadata.name}`);
      }
    } else if (diff > 0) {
      for (const p of [...active].sort(deletionOrder).slice(0, diff)) {
        this.api.delete("Pod", namespace, p.metadata.name);
        this.onEvent?.(rs, "SuccessfulDelete", `Deleted pod: ${p.metadata.name}`);
      }
    }
    const now = this.now();
    const current = this.ownedPods(rs).filter(isActive);
    const status = {
      replicas: current.length,
      fullyLabeledReplicas: current.filter((p) => matches(p.metadata.labels, selectorRequirements({ matchLabels: rs.spec.template.metadata?.labels ?? {} }))).length,
      readyReplicas: current.filter(isPodReady).length,
      availableReplicas: current.filter((p) => isPodAvailable(p, rs.spec.minReadySeconds ?? 0, now)).length,
      observedGeneration: rs.metadata.generation ?? 1,
    };
    this.api.updateStatus({ ...rs, status });
  }
}
