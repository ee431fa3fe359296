// kubectl describe pod, in the real describer's order and wording (describePod in
// k8s.io/kubectl/pkg/describe), written as tab-separated lines so the tabwriter aligns each block
// the way kubectl's does.
import type { ApiServer } from "../api/apiserver";
import type { Pod } from "../api/types";
import { podQOSClass } from "../resources";
import { annotationLines, containerLines, eventLines, labelLines, tolerationLines, volumeLines } from "./describe-common";
import { humanDuration, rfc1123z } from "./printers";
import { tabwrite } from "./tabwriter";

export function describePod(api: ApiServer, p: Pod, now: number, hostIP: string): string {
  const phase = p.status?.phase ?? "Pending";
  const lines = [`Name:\t${p.metadata.name}`, `Namespace:\t${p.metadata.namespace}`, "Priority:\t0", `Service Account:\t${p.spec.serviceAccountName ?? "default"}`];
  lines.push(`Node:\t${p.spec.nodeName ? `${p.spec.nodeName}/${hostIP}` : "<none>"}`);
  if (p.status?.startTime) lines.push(`Start Time:\t${rfc1123z(p.status.startTime)}`);
  lines.push(...labelLines("Labels", p.metadata.labels), ...annotationLines("Annotations", p.metadata.annotations));
  if (p.metadata.deletionTimestamp && phase !== "Failed" && phase !== "Succeeded") {
    // How long the grace period has left (kubectl names it translateTimestampSince; it counts down).
    lines.push(`Status:\tTerminating (lasts ${humanDuration(Date.parse(p.metadata.deletionTimestamp) - now)})`);
    if (p.metadata.deletionGracePeriodSeconds !== undefined) lines.push(`Termination Grace Period:\t${p.metadata.deletionGracePeriodSeconds}s`);
  } else lines.push(`Status:\t${phase}`);
  const status = p.status as (Pod["status"] & { reason?: string; message?: string; podIPs?: { ip: string }[] }) | undefined;
  if (status?.reason) lines.push(`Reason:\t${status.reason}`);
  if (status?.message) lines.push(`Message:\t${status.message}`);
  lines.push(`IP:\t${p.status?.podIP ?? ""}`);
  const ips = status?.podIPs ?? (p.status?.podIP ? [{ ip: p.status.podIP }] : []);
  if (ips.length) lines.push("IPs:", ...ips.map((x) => `  IP:\t${x.ip}`));
  else lines.push("IPs:\t<none>");
  const owner = p.metadata.ownerReferences?.find((o) => (o as { controller?: boolean }).controller !== false);
  if (owner) lines.push(`Controlled By:\t${owner.kind}/${owner.name}`);
  const statuses = new Map((p.status?.containerStatuses ?? []).map((s) => [s.name, s]));
  if (p.spec.initContainers?.length) lines.push("Init Containers:", ...p.spec.initContainers.flatMap((c) => containerLines(c, undefined, "")));
  lines.push(`Containers:${p.spec.containers.length ? "" : " <none>"}`, ...p.spec.containers.flatMap((c) => containerLines(c, statuses.get(c.name), "")));
  const conds = p.status?.conditions ?? [];
  // Each condition row ends its cells with a space, as the describer's "%v \t%v \n" does.
  if (conds.length) lines.push("Conditions:", "  Type\tStatus", ...conds.map((c) => `  ${c.type} \t${c.status} `));
  lines.push(...volumeLines(p.spec, ""));
  lines.push(`QoS Class:\t${p.status?.qosClass ?? podQOSClass(p.spec as Parameters<typeof podQOSClass>[0])}`);
  lines.push(...labelLines("Node-Selectors", p.spec.nodeSelector), ...tolerationLines("Tolerations", p.spec.tolerations));
  lines.push(...eventLines(api, p, now));
  return tabwrite(lines.join("\n")) + "\n";
}
