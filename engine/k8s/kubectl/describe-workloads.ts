// kubectl describe deployment / replicaset, in the real describers' order and wording.
import type { ApiServer } from "../api/apiserver";
import type { Deployment, Pod, ReplicaSet } from "../api/types";
import { REVISION } from "../controllers/deployment";
import { annotationLines, eventLines, formatSelector, labelLines, podTemplateLines } from "./describe-common";
import { rfc1123z } from "./printers";
import { tabwrite } from "./tabwriter";

const owned = (api: ApiServer, owner: Deployment, ns: string | undefined) => api.list<ReplicaSet>("ReplicaSet", ns).filter((r) => r.metadata.ownerReferences?.some((x) => x.uid === owner.metadata.uid));

/** printReplicaSetsByLabels: "web-5d9c (3/3 replicas created)", comma-separated, or <none>. */
const rsList = (rss: ReplicaSet[]) => rss.map((r) => `${r.metadata.name} (${r.status?.replicas ?? 0}/${r.spec.replicas ?? 0} replicas created)`).join(", ") || "<none>";

export function describeDeployment(api: ApiServer, d: Deployment, now: number): string {
  const ru = d.spec.strategy?.rollingUpdate;
  const lines = [
    `Name:\t${d.metadata.name}`,
    `Namespace:\t${d.metadata.namespace}`,
    `CreationTimestamp:\t${rfc1123z(d.metadata.creationTimestamp)}`,
    ...labelLines("Labels", d.metadata.labels),
    ...annotationLines("Annotations", d.metadata.annotations),
    `Selector:\t${formatSelector(d.spec.selector)}`,
    `Replicas:\t${d.spec.replicas ?? 1} desired | ${d.status?.updatedReplicas ?? 0} updated | ${d.status?.replicas ?? 0} total | ${d.status?.availableReplicas ?? 0} available | ${d.status?.unavailableReplicas ?? 0} unavailable`,
    `StrategyType:\t${d.spec.strategy?.type ?? "RollingUpdate"}`,
    `MinReadySeconds:\t${d.spec.minReadySeconds ?? 0}`,
    ...(ru ? [`RollingUpdateStrategy:\t${ru.maxUnavailable ?? "25%"} max unavailable, ${ru.maxSurge ?? "25%"} max surge`] : []),
    ...podTemplateLines(d.spec.template),
  ];
  const conds = d.status?.conditions ?? [];
  // The describer prints each condition type with a trailing space before its tab.
  if (conds.length) lines.push("Conditions:", "  Type\tStatus\tReason", "  ----\t------\t------", ...conds.map((c) => `  ${c.type} \t${c.status}\t${c.reason ?? ""}`));
  // The new ReplicaSet is the one whose template is the Deployment's (the highest revision);
  // old ones are listed only while they still have replicas.
  const rss = owned(api, d, d.metadata.namespace).sort((a, b) => Number(b.metadata.annotations?.[REVISION] ?? 0) - Number(a.metadata.annotations?.[REVISION] ?? 0));
  const newest = rss[0];
  lines.push(`OldReplicaSets:\t${rsList(rss.slice(1).filter((r) => (r.spec.replicas ?? 0) > 0))}`, `NewReplicaSet:\t${rsList(newest ? [newest] : [])}`);
  lines.push(...eventLines(api, d, now));
  return tabwrite(lines.join("\n")) + "\n";
}

export function describeReplicaSet(api: ApiServer, rs: ReplicaSet, now: number): string {
  const pods = api.list<Pod>("Pod", rs.metadata.namespace).filter((p) => p.metadata.ownerReferences?.some((o) => o.uid === rs.metadata.uid));
  const phase = (ph: string) => pods.filter((p) => (p.status?.phase ?? "Pending") === ph).length;
  const owner = rs.metadata.ownerReferences?.find((o) => o.controller) ?? rs.metadata.ownerReferences?.[0];
  const lines = [
    `Name:\t${rs.metadata.name}`,
    `Namespace:\t${rs.metadata.namespace}`,
    `Selector:\t${formatSelector(rs.spec.selector)}`,
    ...labelLines("Labels", rs.metadata.labels),
    ...annotationLines("Annotations", rs.metadata.annotations),
    ...(owner ? [`Controlled By:\t${owner.kind}/${owner.name}`] : []),
    `Replicas:\t${rs.status?.replicas ?? 0} current / ${rs.spec.replicas ?? 1} desired`,
    `Pods Status:\t${phase("Running")} Running / ${phase("Pending")} Waiting / ${phase("Succeeded")} Succeeded / ${phase("Failed")} Failed`,
    ...podTemplateLines(rs.spec.template),
    ...eventLines(api, rs, now),
  ];
  return tabwrite(lines.join("\n")) + "\n";
}
