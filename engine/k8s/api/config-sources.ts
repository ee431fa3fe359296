// What a kubelet reads from the API server to configure a container: environment variables from
// env (value, valueFrom configMapKeyRef / secretKeyRef / fieldRef) and envFrom (whole ConfigMaps
// and Secrets), and the files of configMap and secret volumes. Secret values are stored base64
// in etcd; the kubelet decodes them before they reach the process or the file.
// A reference that cannot be resolved is the kubelet's CreateContainerConfigError, with its message.
import type { ApiServer } from "./apiserver";
import type { ConfigMap, Container, Pod, Secret } from "./types";

interface KeyRef {
  name: string;
  key: string;
  optional?: boolean;
}

interface EnvSource {
  prefix?: string;
  configMapRef?: { name: string; optional?: boolean };
  secretRef?: { name: string; optional?: boolean };
}

interface EnvValueFrom {
  configMapKeyRef?: KeyRef;
  secretKeyRef?: KeyRef;
  fieldRef?: { fieldPath: string };
}

/** A C identifier-ish name, as the kubelet accepts from envFrom (others are skipped). */
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

export function decodeBase64(b64: string): string {
  const bin = atob(b64);
  return new TextDecoder().decode(Uint8Array.from(bin, (ch) => ch.charCodeAt(0)));
}

/** The data of a ConfigMap or Secret (Secret values decoded), or the kubelet's error. */
function source(api: ApiServer, kind: "ConfigMap" | "Secret", ns: string, name: string): Record<string, string> | string {
  const o = api.tryGet<ConfigMap | Secret>(kind, ns, name);
  if (!o) return `${kind.toLowerCase()} "${name}" not found`;
  const data = o.data ?? {};
  return kind === "Secret" ? Object.fromEntries(Object.entries(data).map(([k, v]) => [k, decodeBase64(v)])) : { ...data };
}

function fieldValue(pod: Pod, path: string): string | undefined {
  switch (path) {
    case "metadata.name":
      return pod.metadata.name;
    case "metadata.namespace":
      return pod.metadata.namespace ?? "default";
    case "metadata.uid":
      return pod.metadata.uid;
    case "spec.nodeName":
      return pod.spec.nodeName;
    case "spec.serviceAccountName":
      return pod.spec.serviceAccountName ?? "default";
    case "status.podIP":
      return pod.status?.podIP ?? "";
    case "status.hostIP":
      return pod.status?.hostIP ?? "";
  }
  const m = /^metadata\.(labels|annotations)\['([^']+)'\]$/.exec(path);
  return m ? (pod.metadata[m[1] as "labels" | "annotations"]?.[m[2]!] ?? "") : undefined;
}

/** NAME=value lines for a container (envFrom first, then env, later ones winning), or an error. */
export function containerEnv(api: ApiServer, pod: Pod, c: Container): { env: string[] } | { error: string } {
  const ns = pod.metadata.namespace ?? "default";
  const env = new Map<string, string>();
  for (const from of (c.envFrom ?? []) as EnvSource[]) {
    const ref = from.configMapRef ?? from.secretRef;
    if (!ref) continue;
    const data = source(api, from.configMapRef ? "ConfigMap" : "Secret", ns, ref.name);
    if (typeof data === "string") {
      if (ref.optional) continue;
      return { error: data };
    }
    for (const [k, v] of Object.entries(data)) if (ENV_NAME.test((from.prefix ?? "") + k)) env.set((from.prefix ?? "") + k, v);
  }
  for (const e of c.env ?? []) {
    if (e.value !== undefined || !e.valueFrom) {
      env.set(e.name, e.value ?? "");
      continue;
    }
    const vf = e.valueFrom as EnvValueFrom;
    const ref = vf.configMapKeyRef ?? vf.secretKeyRef;
    if (ref) {
      const kind = vf.configMapKeyRef ? "ConfigMap" : "Secret";
      const data = source(api, kind, ns, ref.name);
      if (typeof data === "string") {
        if (ref.optional) continue;
        return { error: data };
      }
      if (!(ref.key in data)) {
        if (ref.optional) continue;
        return { error: `couldn't find key ${ref.key} in ${kind} ${ns}/${ref.name}` };
      }
      env.set(e.name, data[ref.key]!);
    } else if (vf.fieldRef) {
      const v = fieldValue(pod, vf.fieldRef.fieldPath);
      if (v !== undefined) env.set(e.name, v);
    }
  }
  return { env: [...env].map(([k, v]) => `${k}=${v}`) };
}

export interface VolumeFiles {
  /** The pod volume's name. */
  volume: string;
  /** secret volumes live on a tmpfs (never on the node's disk); configMap volumes on disk. */
  medium: "tmpfs" | "disk";
  /** file name → content (Secret values decoded). */
  files: Record<string, string>;
}

/** The files of a pod's configMap and secret volumes, or the kubelet's error for a missing source. */
export function volumeFiles(api: ApiServer, pod: Pod): VolumeFiles[] | { error: string } {
  const ns = pod.metadata.namespace ?? "default";
  const out: VolumeFiles[] = [];
  for (const v of pod.spec.volumes ?? []) {
    const cm = v.configMap as { name?: string; optional?: boolean; items?: { key: string; path: string }[] } | undefined;
    const sec = v.secret as { secretName?: string; optional?: boolean; items?: { key: string; path: string }[] } | undefined;
    const src = cm ? { kind: "ConfigMap" as const, name: cm.name ?? "", optional: cm.optional, items: cm.items } : sec ? { kind: "Secret" as const, name: sec.secretName ?? "", optional: sec.optional, items: sec.items } : null;
    if (!src) continue;
    const data = source(api, src.kind, ns, src.name);
    if (typeof data === "string") {
      if (src.optional) {
        out.push({ volume: v.name, medium: src.kind === "Secret" ? "tmpfs" : "disk", files: {} });
        continue;
      }
      return { error: `MountVolume.SetUp failed for volume "${v.name}" : ${data}` };
    }
    const files = src.items ? Object.fromEntries(src.items.filter((i) => i.key in data).map((i) => [i.path, data[i.key]!])) : data;
    out.push({ volume: v.name, medium: src.kind === "Secret" ? "tmpfs" : "disk", files });
  }
  return out;
}
