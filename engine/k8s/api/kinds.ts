// The resources the API server knows: group/version, plural, whether namespaced, kubectl's
// short names, and the etcd key layout (/registry/<resource>/<namespace>/<name>).

export interface KindInfo {
  kind: string;
  apiVersion: string;
  group: string;
  /** Plural resource name (kubectl get deployments). */
  resource: string;
  singular: string;
  shortNames: string[];
  namespaced: boolean;
  /** Where etcd keeps it (Deployments live under /registry/deployments, EndpointSlices under /registry/endpointslices). */
  etcdPrefix: string;
}

const K = (kind: string, apiVersion: string, resource: string, shortNames: string[], namespaced = true): KindInfo => ({
  kind,
  apiVersion,
  group: apiVersion.includes("/") ? apiVersion.split("/")[0]! : "",
  resource,
  singular: kind.toLowerCase(),
  shortNames,
  namespaced,
  etcdPrefix: `/registry/${resource === "services" ? "services/specs" : resource}`,
});

export const KINDS: KindInfo[] = [
  K("Pod", "v1", "pods", ["po"]),
  K("Service", "v1", "services", ["svc"]),
  K("Node", "v1", "nodes", ["no"], false),
  K("Namespace", "v1", "namespaces", ["ns"], false),
  K("ConfigMap", "v1", "configmaps", ["cm"]),
  K("Secret", "v1", "secrets", []),
  K("ServiceAccount", "v1", "serviceaccounts", ["sa"]),
  K("Event", "v1", "events", ["ev"]),
  K("Deployment", "apps/v1", "deployments", ["deploy"]),
  K("ReplicaSet", "apps/v1", "replicasets", ["rs"]),
  K("EndpointSlice", "discovery.k8s.io/v1", "endpointslices", []),
];

/** kubectl's resource argument (pods, pod, po, deploy, deployments.apps) → the kind. */
export function kindFor(arg: string): KindInfo | undefined {
  const a = arg.toLowerCase().replace(/\.(apps|discovery\.k8s\.io)$/, "");
  return KINDS.find((k) => k.resource === a || k.singular === a || k.shortNames.includes(a) || k.kind.toLowerCase() === a);
}

export function kindByName(kind: string): KindInfo | undefined {
  return KINDS.find((k) => k.kind === kind);
}

/** "deployments.apps" — how kubectl names a resource in messages. */
export function qualified(k: KindInfo): string {
  return k.group ? `${k.resource}.${k.group}` : k.resource;
}

export function etcdKey(k: KindInfo, namespace: string | undefined, name: string): string {
  return k.namespaced ? `${k.etcdPrefix}/${namespace ?? "default"}/${name}` : `${k.etcdPrefix}/${name}`;
}

/** The REST path of an object, as kubectl's HTTP request names it: /apis/apps/v1/namespaces/default/deployments/web. */
export function restPath(k: KindInfo, namespace: string | undefined, name: string): string {
  const base = k.group ? `/apis/${k.apiVersion}` : `/api/${k.apiVersion}`;
  return k.namespaced ? `${base}/namespaces/${namespace ?? "default"}/${k.resource}/${name}` : `${base}/${k.resource}/${name}`;
}
