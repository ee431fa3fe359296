// --field-selector: "key=value,key!=value" over the few fields each resource's API
// supports (metadata.name and metadata.namespace everywhere, more for pods and events).
import type { KObject } from "../api/types";
import type { KindInfo } from "../api/kinds";

export interface FieldRequirement {
  field: string;
  op: "=" | "!=";
  value: string;
}

const EXTRA: Record<string, string[]> = {
  Pod: ["spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName"],
  Event: ["involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"],
  Node: ["spec.unschedulable"],
  Secret: ["type"],
  Namespace: ["status.phase"],
  ReplicaSet: ["status.replicas"],
};

/** fields.ParseSelector: returns the requirements, or the message kubectl prints. */
export function parseFieldSelector(text: string): FieldRequirement[] | string {
  const out: FieldRequirement[] = [];
  for (const part of text.split(",")) {
    if (part === "") continue;
    const m = /^([^=!]+)(==|!=|=)(.*)$/.exec(part);
    if (!m) return `error: invalid selector: '${text}'; can't understand '${part}'`;
    out.push({ field: m[1]!.trim(), op: m[2] === "!=" ? "!=" : "=", value: m[3]!.trim() });
  }
  return out;
}

/** The field's value as the API server's field set renders it, or undefined if unsupported. */
function fieldValue(kind: string, o: KObject, field: string): string | undefined {
  if (field === "metadata.name") return o.metadata.name;
  if (field === "metadata.namespace") return o.metadata.namespace ?? "";
  if (!EXTRA[kind]?.includes(field)) return undefined;
  // Events select on their source's component.
  const path = kind === "Event" && field === "source" ? "source.component" : field;
  let cur: unknown = o;
  for (const p of path.split(".")) cur = (cur as Record<string, unknown> | undefined)?.[p];
  if (kind === "Pod" && field === "status.phase" && cur === undefined) return "Pending";
  return cur === undefined || cur === null ? "" : String(cur);
}

/** Filters objs; a field the resource does not support is the API server's BadRequest. */
export function filterByFields(k: KindInfo, objs: KObject[], reqs: FieldRequirement[], labelSelector: string, text: string): KObject[] | string {
  for (const r of reqs) {
    if (r.field !== "metadata.name" && r.field !== "metadata.namespace" && !EXTRA[k.kind]?.includes(r.field)) {
      const [version, group] = [k.apiVersion.split("/").pop()!, k.group ?? ""];
      return `Error from server (BadRequest): Unable to find {"${group}" "${version}" "${k.resource}"} that match label selector "${labelSelector}", field selector "${text}": field label not supported: ${r.field}`;
    }
  }
  return objs.filter((o) => reqs.every((r) => (fieldValue(k.kind, o, r.field) === r.value) === (r.op === "=")));
}
