// Pieces every kubectl describer shares, written as tab-separated lines for tabwrite():
// the label and annotation blocks, the Events table, a Pod template.
import type { ApiServer } from "../api/apiserver";
import { eventsFor } from "../api/events";
import type { LabelSelector } from "../api/labels";
import type { Container, ContainerStatus, KObject, PodSpec, Toleration } from "../api/types";

type ContainerState = ContainerStatus["state"];
import { describeProbes, humanDuration, rfc1123z } from "./printers";

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

/** describeStatus: "State:\tRunning" (or Waiting, Terminated) and its details one level in. */
function stateLines(name: string, state: ContainerState | undefined): string[] {
  if (state?.running) return [`    ${name}:\tRunning`, `      Started:\t${rfc1123z(state.running.startedAt)}`];
  if (state?.terminated) {
    const t = state.terminated;
    return [
      `    ${name}:\tTerminated`,
      ...(t.reason ? [`      Reason:\t${t.reason}`] : []),
      ...((t as { message?: string }).message ? [`      Message:\t${(t as { message?: string }).message}`] : []),
      `      Exit Code:\t${t.exitCode}`,
      `      Started:\t${rfc1123z(t.startedAt)}`,
      `      Finished:\t${rfc1123z(t.finishedAt)}`,
    ];
  }
  return [`    ${name}:\tWaiting`, ...(state?.waiting?.reason ? [`      Reason:\t${state.waiting.reason}`] : [])];
}

/**
 * describeContainers: image, ports, command, (with a status) its ID, state, readiness and
 * restarts, then resources, probes, environment and mounts. `space` is the block's indent: ""
 * for a pod, "  " inside a pod template (whose container names sit one space further in).
 */
export function containerLines(c: Container, status: ContainerStatus | undefined, space: string): string[] {
  const ports = (c.ports ?? []).map((p) => `${p.containerPort}/${p.protocol ?? "TCP"}`);
  const hostPorts = (c.ports ?? []).map((p) => `${(p as { hostPort?: number }).hostPort ?? 0}/${p.protocol ?? "TCP"}`);
  const lines = [`  ${space ? " " : ""}${c.name}:`];
  if (status) lines.push(`    Container ID:\t${status.containerID ?? ""}`);
  lines.push(`    Image:\t${c.image}`);
  if (status) lines.push(`    Image ID:\t${status.imageID ?? ""}`);
  lines.push(`    ${ports.length > 1 ? "Ports" : "Port"}:\t${ports.join(", ") || "<none>"}`, `    ${hostPorts.length > 1 ? "Host Ports" : "Host Port"}:\t${hostPorts.join(", ") || "<none>"}`);
  if (c.command?.length) lines.push("    Command:", ...c.command.flatMap((x) => x.split("\n")).map((x) => `      ${x}`));
  if (c.args?.length) lines.push("    Args:", ...c.args.flatMap((x) => x.split("\n")).map((x) => `      ${x}`));
  if (status) {
    lines.push(...stateLines("State", status.state));
    if (status.lastState?.terminated) lines.push(...stateLines("Last State", status.lastState));
    lines.push(`    Ready:\t${status.ready ? "True" : "False"}`, `    Restart Count:\t${status.restartCount ?? 0}`);
  }
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

/** describeVolumes, at a pod's level (space "") or a template's ("  "). */
export function volumeLines(spec: PodSpec, space: string): string[] {
  const vols = (spec.volumes ?? []) as { name: string; configMap?: { name: string; optional?: boolean }; secret?: { secretName: string; optional?: boolean }; emptyDir?: { medium?: string; sizeLimit?: string }; hostPath?: { path: string; type?: string } }[];
  if (!vols.length) return [`${space}Volumes:\t<none>`];
  return [
    `${space}Volumes:`,
    ...vols.flatMap((v) => {
      const head = `  ${space ? " " : ""}${v.name}:`;
      if (v.configMap) return [head, "    Type:\tConfigMap (a volume populated by a ConfigMap)", `    Name:\t${v.configMap.name}`, `    Optional:\t${!!v.configMap.optional}`];
      if (v.secret) return [head, "    Type:\tSecret (a volume populated by a Secret)", `    SecretName:\t${v.secret.secretName}`, `    Optional:\t${!!v.secret.optional}`];
      if (v.emptyDir) return [head, "    Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)", `    Medium:\t${v.emptyDir.medium ?? ""}`, `    SizeLimit:\t${v.emptyDir.sizeLimit ?? "<unset>"}`];
      if (v.hostPath) return [head, "    Type:\tHostPath (bare host directory volume)", `    Path:\t${v.hostPath.path}`, `    HostPathType:\t${v.hostPath.type ?? ""}`];
      return [head];
    }),
  ];
}

/** printTolerationsMultilineWithIndent: sorted by key; "key=value:Effect op=Exists for Ns". */
export function tolerationLines(title: string, tolerations: Toleration[] | undefined): string[] {
  const tol = [...(tolerations ?? [])].sort((a, b) => ((a.key ?? "") < (b.key ?? "") ? -1 : (a.key ?? "") > (b.key ?? "") ? 1 : 0));
  if (!tol.length) return [`${title}:\t<none>`];
  const indent = /^\s*/.exec(title)![0];
  return tol.map((t, i) => {
    let s = `${t.key ?? ""}${t.value ? `=${t.value}` : ""}${t.effect ? `:${t.effect}` : ""}`;
    if (t.operator === "Exists" && !t.value) s += t.key || t.effect ? " op=Exists" : "op=Exists";
    if (t.tolerationSeconds !== undefined) s += ` for ${t.tolerationSeconds}s`;
    return `${i ? indent : `${title}:`}\t${s}`;
  });
}

/** DescribePodTemplate, as Deployment and ReplicaSet print it. */
export function podTemplateLines(t: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec: PodSpec }): string[] {
  const lines = ["Pod Template:", ...labelLines("  Labels", t.metadata?.labels)];
  if (Object.keys(t.metadata?.annotations ?? {}).length) lines.push(...annotationLines("  Annotations", t.metadata?.annotations));
  if (t.spec.serviceAccountName) lines.push(`  Service Account:\t${t.spec.serviceAccountName}`);
  if (t.spec.initContainers?.length) lines.push("  Init Containers:", ...t.spec.initContainers.flatMap((c) => containerLines(c, undefined, "  ")));
  lines.push("  Containers:", ...t.spec.containers.flatMap((c) => containerLines(c, undefined, "  ")));
  lines.push(...volumeLines(t.spec, "  "));
  lines.push(...labelLines("  Node-Selectors", t.spec.nodeSelector));
  lines.push(...tolerationLines("  Tolerations", t.spec.tolerations));
  return lines;
}
