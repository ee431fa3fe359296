// Validation with the API server's own wording, so a mistake reads exactly as kubectl would
// print it: `The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be
// greater than or equal to 0`.
import { canonical } from "../controllers/hash";
import { matches, selectorRequirements } from "./labels";
import type { Container, Deployment, KObject, Pod, PodSpec, ReplicaSet, Service } from "./types";

export interface FieldError {
  path: string;
  type: "Required" | "Invalid" | "Unsupported" | "Duplicate" | "Forbidden";
  value?: unknown;
  detail?: string;
  supported?: string[];
  /** The value already printed the way Go's %#v prints it (structs), instead of from `value`. */
  raw?: string;
}

function goValue(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (v && typeof v === "object" && !Array.isArray(v)) {
    return `map[string]string{${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${JSON.stringify(k)}:${JSON.stringify(x)}`).join(", ")}}`;
  }
  return JSON.stringify(v);
}

export function formatFieldError(e: FieldError): string {
  switch (e.type) {
    case "Required":
      return `${e.path}: Required value${e.detail ? `: ${e.detail}` : ""}`;
    case "Invalid":
      return `${e.path}: Invalid value: ${e.raw ?? goValue(e.value)}${e.detail ? `: ${e.detail}` : ""}`;
    case "Unsupported":
      return `${e.path}: Unsupported value: ${goValue(e.value)}: supported values: ${(e.supported ?? []).map((s) => JSON.stringify(s)).join(", ")}`;
    case "Duplicate":
      return `${e.path}: Duplicate value: ${goValue(e.value)}`;
    case "Forbidden":
      return `${e.path}: Forbidden: ${e.detail ?? ""}`;
  }
}

/** "The Deployment "web" is invalid: …" — one error plain, several in brackets. */
export function invalidMessage(kind: string, name: string, errs: FieldError[]): string {
  const parts = errs.map(formatFieldError);
  return `The ${kind} "${name}" is invalid: ${parts.length === 1 ? parts[0] : `[${parts.join(", ")}]`}`;
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

function nameErrors(kind: string, name: string | undefined, path = "metadata.name"): FieldError[] {
  if (!name) return [{ path, type: "Required", detail: "name or generateName is required" }];
  if (kind === "Service" && !DNS1035_LABEL.test(name)) {
    return [{ path, type: "Invalid", value: name, detail: "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')" }];
  }
  if (name.length > 253 || !DNS1123_SUBDOMAIN.test(name)) {
    return [{ path, type: "Invalid", value: name, detail: "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')" }];
  }
  return [];
}

function nonNegative(path: string, v: unknown): FieldError[] {
  return typeof v === "number" && v < 0 ? [{ path, type: "Invalid", value: v, detail: "must be greater than or equal to 0" }] : [];
}

function containerErrors(c: Container, path: string, seen: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  if (!c.name) errs.push({ path: `${path}.name`, type: "Required" });
  else if (!DNS1123_LABEL.test(c.name)) errs.push({ path: `${path}.name`, type: "Invalid", value: c.name, detail: "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')" });
  else if (seen.has(c.name)) errs.push({ path: `${path}.name`, type: "Duplicate", value: c.name });
  seen.add(c.name);
  if (!c.image) errs.push({ path: `${path}.image`, type: "Required" });
  if (c.imagePullPolicy && !["Always", "IfNotPresent", "Never"].includes(c.imagePullPolicy)) {
    errs.push({ path: `${path}.imagePullPolicy`, type: "Unsupported", value: c.imagePullPolicy, supported: ["Always", "IfNotPresent", "Never"] });
  }
  (c.ports ?? []).forEach((p, i) => {
    if (!(p.containerPort >= 1 && p.containerPort <= 65535)) errs.push({ path: `${path}.ports[${i}].containerPort`, type: "Invalid", value: p.containerPort, detail: "must be between 1 and 65535, inclusive" });
  });
  for (const [name, probe] of [["readinessProbe", c.readinessProbe], ["livenessProbe", c.livenessProbe], ["startupProbe", c.startupProbe]] as const) {
    if (!probe) continue;
    const handlers = [probe.exec, probe.httpGet, probe.tcpSocket].filter(Boolean).length;
    if (handlers === 0) errs.push({ path: `${path}.${name}`, type: "Required", detail: "must specify a handler type" });
    if (handlers > 1) errs.push({ path: `${path}.${name}`, type: "Forbidden", detail: "may not specify more than 1 handler type" });
    for (const f of ["initialDelaySeconds", "periodSeconds", "timeoutSeconds", "failureThreshold", "successThreshold"] as const) errs.push(...nonNegative(`${path}.${name}.${f}`, probe[f]));
    if (name !== "readinessProbe" && probe.successThreshold !== undefined && probe.successThreshold !== 1) {
      errs.push({ path: `${path}.${name}.successThreshold`, type: "Invalid", value: probe.successThreshold, detail: "must be 1" });
    }
  }
  return errs;
}

export function podSpecErrors(spec: PodSpec | undefined, path: string): FieldError[] {
  if (!spec) return [{ path, type: "Required" }];
  const errs: FieldError[] = [];
  if (!spec.containers || spec.containers.length === 0) errs.push({ path: `${path}.containers`, type: "Required" });
  const seen = new Set<string>();
  (spec.initContainers ?? []).forEach((c, i) => errs.push(...containerErrors(c, `${path}.initContainers[${i}]`, seen)));
  (spec.containers ?? []).forEach((c, i) => errs.push(...containerErrors(c, `${path}.containers[${i}]`, seen)));
  if (spec.restartPolicy && !["Always", "OnFailure", "Never"].includes(spec.restartPolicy)) {
    errs.push({ path: `${path}.restartPolicy`, type: "Unsupported", value: spec.restartPolicy, supported: ["Always", "OnFailure", "Never"] });
  }
  (spec.tolerations ?? []).forEach((t, i) => {
    if (t.operator && !["Exists", "Equal"].includes(t.operator)) errs.push({ path: `${path}.tolerations[${i}].operator`, type: "Unsupported", value: t.operator, supported: ["Equal", "Exists"] });
    if (t.effect && !["NoSchedule", "PreferNoSchedule", "NoExecute"].includes(t.effect)) errs.push({ path: `${path}.tolerations[${i}].effect`, type: "Unsupported", value: t.effect, supported: ["NoExecute", "NoSchedule", "PreferNoSchedule"] });
    if (t.operator === "Exists" && t.value) errs.push({ path: `${path}.tolerations[${i}].operator`, type: "Invalid", value: t.operator, detail: "value must be empty when `operator` is 'Exists'" });
  });
  return errs;
}

function intOrPercent(v: unknown, path: string): FieldError[] {
  if (v === undefined || typeof v === "number") return nonNegative(path, v);
  if (typeof v === "string" && /^\d+%$/.test(v)) {
    return Number(v.slice(0, -1)) > 100 ? [{ path, type: "Invalid", value: v, detail: "must not be greater than 100%" }] : [];
  }
  return [{ path, type: "Invalid", value: v, detail: "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')" }];
}

function isZero(v: unknown): boolean {
  return v === 0 || v === "0%" || v === "0";
}

function workloadErrors(obj: Deployment | ReplicaSet): FieldError[] {
  const errs: FieldError[] = [];
  const spec = obj.spec;
  if (!spec) return [{ path: "spec", type: "Required" }];
  errs.push(...nonNegative("spec.replicas", spec.replicas));
  const reqs = selectorRequirements(spec.selector);
  if (!spec.selector) errs.push({ path: "spec.selector", type: "Required" });
  else if (reqs.length === 0) errs.push({ path: "spec.selector", type: "Invalid", value: spec.selector, detail: "empty selector is invalid for deployment" });
  const tlabels = spec.template?.metadata?.labels;
  if (spec.selector && reqs.length && !matches(tlabels, reqs)) {
    errs.push({ path: "spec.template.metadata.labels", type: "Invalid", value: tlabels ?? {}, detail: "`selector` does not match template `labels`" });
  }
  errs.push(...podSpecErrors(spec.template?.spec, "spec.template.spec"));
  if (obj.kind === "Deployment") {
    const d = obj as Deployment;
    const st = d.spec.strategy;
    if (st?.type && !["RollingUpdate", "Recreate"].includes(st.type)) errs.push({ path: "spec.strategy.type", type: "Unsupported", value: st.type, supported: ["Recreate", "RollingUpdate"] });
    if (st?.type === "Recreate" && st.rollingUpdate) errs.push({ path: "spec.strategy.rollingUpdate", type: "Forbidden", detail: "may not be specified when strategy `type` is 'Recreate'" });
    const ru = st?.rollingUpdate;
    if (ru) {
      errs.push(...intOrPercent(ru.maxSurge, "spec.strategy.rollingUpdate.maxSurge"));
      errs.push(...intOrPercent(ru.maxUnavailable, "spec.strategy.rollingUpdate.maxUnavailable"));
      if (isZero(ru.maxSurge) && isZero(ru.maxUnavailable)) errs.push({ path: "spec.strategy.rollingUpdate.maxUnavailable", type: "Invalid", value: ru.maxUnavailable, detail: "may not be 0 when `maxSurge` is 0" });
    }
    errs.push(...nonNegative("spec.revisionHistoryLimit", d.spec.revisionHistoryLimit));
  }
  return errs;
}

function serviceErrors(s: Service): FieldError[] {
  const errs: FieldError[] = [];
  const spec = s.spec ?? {};
  const types = ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"];
  if (spec.type && !types.includes(spec.type)) errs.push({ path: "spec.type", type: "Unsupported", value: spec.type, supported: types });
  if (spec.type !== "ExternalName" && spec.clusterIP !== "None" && (!spec.ports || spec.ports.length === 0)) errs.push({ path: "spec.ports", type: "Required" });
  const names = new Set<string>();
  (spec.ports ?? []).forEach((p, i) => {
    if (!(p.port >= 1 && p.port <= 65535)) errs.push({ path: `spec.ports[${i}].port`, type: "Invalid", value: p.port, detail: "must be between 1 and 65535, inclusive" });
    if ((spec.ports?.length ?? 0) > 1 && !p.name) errs.push({ path: `spec.ports[${i}].name`, type: "Required" });
    if (p.name) {
      if (names.has(p.name)) errs.push({ path: `spec.ports[${i}].name`, type: "Duplicate", value: p.name });
      names.add(p.name);
    }
    if (p.protocol && !["TCP", "UDP", "SCTP"].includes(p.protocol)) errs.push({ path: `spec.ports[${i}].protocol`, type: "Unsupported", value: p.protocol, supported: ["SCTP", "TCP", "UDP"] });
    if (p.nodePort !== undefined && (p.nodePort < 30000 || p.nodePort > 32767)) errs.push({ path: `spec.ports[${i}].nodePort`, type: "Invalid", value: p.nodePort, detail: "provided port is not in the valid range. The range of valid ports is 30000-32767" });
  });
  if (spec.sessionAffinity && !["None", "ClientIP"].includes(spec.sessionAffinity)) errs.push({ path: "spec.sessionAffinity", type: "Unsupported", value: spec.sessionAffinity, supported: ["ClientIP", "None"] });
  return errs;
}

/** All field errors for an object about to be stored (empty when valid). */
export function validate(obj: KObject): FieldError[] {
  const errs = nameErrors(obj.kind, obj.metadata?.name);
  switch (obj.kind) {
    case "Pod":
      errs.push(...podSpecErrors((obj as Pod).spec, "spec"));
      break;
    case "Deployment":
    case "ReplicaSet":
      errs.push(...workloadErrors(obj as Deployment | ReplicaSet));
      break;
    case "Service":
      errs.push(...serviceErrors(obj as Service));
      break;
  }
  return errs;
}

/** The fields of a running Pod's spec an update may change (ValidatePodUpdate), in the API server's words. */
const UPDATABLE_POD_SPEC_FIELDS = [
  "`spec.containers[*].image`",
  "`spec.initContainers[*].image`",
  "`spec.activeDeadlineSeconds`",
  "`spec.tolerations` (only additions to existing tolerations)",
  "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
];

/**
 * A Pod's spec is immutable but for images, activeDeadlineSeconds, added tolerations and the
 * binding's nodeName: changing requests, ports or env means deleting and re-creating the pod
 * (which is why workloads use Deployments). The real message also appends a Go diff of the
 * two specs; the engine prints the first line only.
 */
export function validatePodUpdate(next: Pod, old: Pod): FieldError[] {
  const munged = structuredClone(next.spec) as PodSpec & Record<string, unknown>;
  const before = old.spec as PodSpec & Record<string, unknown>;
  // Put back every field an update may change; what still differs was not allowed to.
  const sameImages = (mine: Container[] | undefined, theirs: Container[] | undefined) =>
    mine?.length === theirs?.length ? mine?.map((c, i) => ({ ...c, image: theirs![i]!.image })) : mine;
  munged.containers = sameImages(munged.containers, before.containers) ?? munged.containers;
  if (munged.initContainers || before.initContainers) munged.initContainers = sameImages(munged.initContainers as Container[] | undefined, before.initContainers as Container[] | undefined) as never;
  for (const f of ["activeDeadlineSeconds", "terminationGracePeriodSeconds"]) {
    if (f in before) munged[f] = before[f];
    else delete munged[f];
  }
  const oldTolerations = JSON.stringify(before.tolerations ?? []);
  const newTolerations = (munged.tolerations ?? []) as unknown[];
  // Additions only: the old list must still be the start of the new one.
  if (JSON.stringify(newTolerations.slice(0, (before.tolerations ?? []).length)) === oldTolerations) {
    if (before.tolerations) munged.tolerations = before.tolerations;
    else delete munged.tolerations;
  }
  // Binding (the scheduler's pods/binding) sets nodeName once.
  if (!before.nodeName && munged.nodeName) delete munged.nodeName;
  if (canonical(munged) === canonical(before)) return [];
  return [{ path: "spec", type: "Forbidden", detail: `pod updates may not change fields other than ${UPDATABLE_POD_SPEC_FIELDS.join(",")}` }];
}

/** A LabelSelector as Go's %#v prints it (map keys sorted), as in the API server's messages. */
function goLabelSelector(sel: { matchLabels?: Record<string, string>; matchExpressions?: unknown[] } | undefined): string {
  const labels = Object.entries(sel?.matchLabels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const ml = labels.length ? `map[string]string{${labels.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(", ")}}` : "map[string]string(nil)";
  const me = sel?.matchExpressions?.length ? `[]v1.LabelSelectorRequirement{...}` : "[]v1.LabelSelectorRequirement(nil)";
  return `v1.LabelSelector{MatchLabels:${ml}, MatchExpressions:${me}}`;
}

/** Rules that compare an update with the stored object: apps/v1 workloads keep their selector for life, a Pod its spec. */
export function validateUpdate(obj: KObject, old: KObject): FieldError[] {
  if (obj.kind === "Pod") return validatePodUpdate(obj as unknown as Pod, old as unknown as Pod);
  if (obj.kind !== "Deployment" && obj.kind !== "ReplicaSet") return [];
  const sel = (obj as Deployment | ReplicaSet).spec?.selector;
  const was = (old as Deployment | ReplicaSet).spec?.selector;
  if (JSON.stringify(selectorRequirements(sel)) === JSON.stringify(selectorRequirements(was))) return [];
  return [{ path: "spec.selector", type: "Invalid", raw: goLabelSelector(sel), detail: "field is immutable" }];
}
