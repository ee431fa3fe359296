// Pieces every kubectl describer shares, written as tab-separated lines for tabwrite():
// the label and annotation blocks, the Events table, a Pod template.
import type { ApiServer } from "../api/apiserver";
import { eventsFor } from "../api/events";
import type { LabelSelector } from "../api/labels";
import type { Container, KObject, PodSpec } from "../api/types";
import { humanDuration } from "./printers";
import { describeProbes } from "./printers";

const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

/** printLabelsMultiline: "Labels:\tk=v", further keys on their own line, sorted. */
export function labelLines(title: string, labels: Record<string, string> | undefined): string[] {
  const keys = Object.keys(labels ?? {}).sort();
  if (!keys.length) return [`${title}:\t<none>`];
  return keys.map((k, i) => `${i ? "" : `${title}:`}\t${k}=${labels![k]}`);
}

/** printAnnotationsMultiline: like labels, "key: value", minus the last-applied-configuration. */
export function annotationLines(title: string, annotations: Record<string, string> | undefined): string[] {
  const keys = Object.keys(annotations ?? {}).filter((k) => k !== LAST_APPLIED).sort();
  if (!keys.length) return [`${title}:\t<none>`];
  return keys.map((k, i) => `${i ? "" : `${title}:`}\t${k}: ${annotations![k]}`);
}

/** metav1.FormatLabelSelector: "app=web,tier=fe", expressions as "key in (a,b)"; empty is <none>. */
export function formatSelector(sel: LabelSelector | undefined): string {
  const parts = Object.keys(sel?.matchLabels ?? {}).sort().map((k) => `${k}=${sel!.matchLabels![k]}`);
  for (const e of sel?.matchExpressions ?? []) {
    const op = e.operator === "In" ? "in" : e.operator === "NotIn" ? "notin" : e.operator;
    if (op === "Exists") parts.push(e.key);
    else if (op === "DoesNotExist") parts.push(`!${e.key}`);
    else parts.push(`${e.key} ${op} (${(e.values ?? []).join(",")})`);
  }
  return parts.join(",") || "<none>";
}

/** DescribeEvents: "Events:\t<none>", or the Type/Reason/Age/From/Message table. */
export function eventLines(api: ApiServer, obj: KObject, now: number): string[] {
  const events = eventsFor(api, obj);
  if (!events.length) return ["Events:\t<none>"];
  const age = (iso: string) => humanDuration(now - Date.parse(iso));
  return [
    "Events:",
    "  Type\tReason\tAge\tFrom\tMessage",
    "  ----\t------\t----\t----\t-------",
    ...events.map((e) => `  ${e.type}\t${e.reason}\t${e.count > 1 ? `${age(e.lastTimestamp)} (x${e.count} over ${age(e.firstTimestamp)})` : age(e.lastTimestamp)}\t${e.source.component}\t${e.message.trim()}`),
  ];
}

function envValue(e: NonNullable<Container["env"]>[number]): string {
  const from = e.valueFrom as { configMapKeyRef?: { name: string; key: string; optional?: boolean }; secretKeyRef?: { name: string; key: string; optional?: boolean }; fieldRef?: { apiVersion?: string; fieldPath: string } } | undefined;
  if (from?.configMapKeyRef) return `<set to the key '${from.configMapKeyRef.key}' of config map '${from.configMapKeyRef.name}'>\tOptional: ${!!from.configMapKeyRef.optional}`;
  if (from?.secretKeyRef) return `<set to the key '${from.secretKeyRef.key}' in secret '${from.secretKeyRef.name}'>\tOptional: ${!!from.secretKeyRef.optional}`;
  if (from?.fieldRef) return ` (${from.fieldRef.apiVersion ?? "v1"}:${from.fieldRef.fieldPath})`;
  return e.value ?? "";
}

/** describeContainers for a template (no status): image, ports, probes, environment, mounts. */
function containerLines(c: Container): string[] {
  const ports = (c.ports ?? []).map((p) => `${p.containerPort}/${p.protocol ?? "TCP"}`);
  const hostPorts = (c.ports ?? []).map((p) => `${(p as { hostPort?: number }).hostPort ?? 0}/${p.protocol ?? "TCP"}`);
  const lines = [`   ${c.name}:`, `    Image:\t${c.image}`, `    ${ports.length > 1 ? "Ports" : "Port"}:\t${ports.join(", ") || "<none>"}`, `    ${hostPorts.length > 1 ? "Host Ports" : "Host Port"}:\t${hostPorts.join(", ") || "<none>"}`];
  if (c.command?.length) lines.push("    Command:", ...c.command.map((x) => `      ${x}`));
  if (c.args?.length) lines.push("    Args:", ...c.args.map((x) => `      ${x}`));
  const lim = c.resources?.limits ?? {};
  const req = c.resources?.requests ?? {};
  if (Object.keys(lim).length) lines.push("    Limits:", ...Object.keys(lim).sort().map((r) => `      ${r}:\t${lim[r]}`));
  if (Object.keys(req).length) lines.push("    Requests:", ...Object.keys(req).sort().map((r) => `      ${r}:\t${req[r]}`));
  // printers.ts pads the probe lines itself; here the padding becomes the tab it stands for.
  lines.push(...describeProbes(c).map((l) => l.replace(/^(\s+\S+:)\s+/, "$1\t")));
  if (c.env?.length) lines.push("    Environment:", ...c.env.map((e) => `      ${e.name}:\t${envValue(e)}`));
  else lines.push("    Environment:\t<none>");
  const mounts = c.volumeMounts ?? [];
  if (mounts.length) lines.push("    Mounts:", ...mounts.map((m) => `      ${m.mountPath} from ${m.name} (${m.readOnly ? "ro" : "rw"}${m.subPath ? `,path="${m.subPath}"` : ""})`));
  else lines.push("    Mounts:\t<none>");
  return lines;
}

function volumeLines(spec: PodSpec): string[] {
  const vols = (spec.volumes ?? []) as { name: string; configMap?: { name: string; optional?: boolean }; secret?: { secretName: string; optional?: boolean }; emptyDir?: { medium?: string; sizeLimit?: string }; hostPath?: { path: string; type?: string } }[];
  if (!vols.length) return ["  Volumes:\t<none>"];
  return [
    "  Volumes:",
    ...vols.flatMap((v) => {
      const head = `   ${v.name}:`;
      if (v.configMap) return [head, "    Type:\tConfigMap (a volume populated by a ConfigMap)", `    Name:\t${v.configMap.name}`, `    Optional:\t${!!v.configMap.optional}`];
      if (v.secret) return [head, "    Type:\tSecret (a volume populated by a Secret)", `    SecretName:\t${v.secret.secretName}`, `    Optional:\t${!!v.secret.optional}`];
      if (v.emptyDir) return [head, "    Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)", `    Medium:\t${v.emptyDir.medium ?? ""}`, `    SizeLimit:\t${v.emptyDir.sizeLimit ?? "<unset>"}`];
      if (v.hostPath) return [head, "    Type:\tHostPath (bare host directory volume)", `    Path:\t${v.hostPath.path}`, `    HostPathType:\t${v.hostPath.type ?? ""}`];
      return [head];
    }),
  ];
}

/** DescribePodTemplate, as Deployment and ReplicaSet print it. */
export function podTemplateLines(t: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec: PodSpec }): string[] {
  const lines = ["Pod Template:", ...labelLines("  Labels", t.metadata?.labels)];
  if (Object.keys(t.metadata?.annotations ?? {}).length) lines.push(...annotationLines("  Annotations", t.metadata?.annotations));
  if (t.spec.serviceAccountName) lines.push(`  Service Account:\t${t.spec.serviceAccountName}`);
  if (t.spec.initContainers?.length) lines.push("  Init Containers:", ...t.spec.initContainers.flatMap(containerLines));
  lines.push("  Containers:", ...t.spec.containers.flatMap(containerLines));
  lines.push(...volumeLines(t.spec));
  lines.push(...labelLines("  Node-Selectors", t.spec.nodeSelector));
  const tol = t.spec.tolerations ?? [];
  if (!tol.length) lines.push("  Tolerations:\t<none>");
  else lines.push(...tol.map((tl, i) => `${i ? "" : "  Tolerations:"}\t${tl.key ?? ""}${tl.operator === "Exists" ? "" : `=${tl.value ?? ""}`}${tl.effect ? `:${tl.effect}` : ""}${tl.tolerationSeconds !== undefined ? ` for ${tl.tolerationSeconds}s` : ""}`));
  return lines;
}
