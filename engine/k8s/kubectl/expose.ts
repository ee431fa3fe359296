// kubectl expose: a Service for a pod, a Deployment, a ReplicaSet or another Service, its
// selector and ports read from the object as the real command reads them (expose.go):
//   selector   a pod's labels, a workload's spec.selector.matchLabels, a Service's selector
//   ports      --port, else the containers' ports (several become port-1, port-2, …)
//   targetPort --target-port, else the same number as the port
//   labels     the exposed object's labels; name: --name, else the object's (first 63 chars)
import { kindByName } from "../api/kinds";
import type { KObject, Pod, PodSpec, Service } from "../api/types";

export interface ExposeFlags {
  port?: string;
  targetPort?: string;
  protocol?: string;
  name?: string;
  type?: string;
  selector?: string;
  clusterIP?: string;
}

const EXPOSABLE = new Set(["Pod", "Service", "Deployment", "ReplicaSet", "ReplicationController"]);

/** The GroupKind a "cannot expose" message names: the kind, with its API group if it has one. */
function groupKind(kind: string): string {
  const group = kindByName(kind)?.group;
  return group ? `${kind}.${group}` : kind;
}

function templateSpec(o: KObject): PodSpec | undefined {
  return (o as { spec?: { template?: { spec?: PodSpec } } }).spec?.template?.spec;
}

/** MapBasedSelectorForObject. */
function selectorOf(o: KObject): Record<string, string> | string {
  if (o.kind === "Pod") {
    const l = o.metadata.labels ?? {};
    return Object.keys(l).length ? l : "the pod has no labels and cannot be exposed";
  }
  if (o.kind === "Service") {
    const s = (o as Service).spec.selector ?? {};
    return Object.keys(s).length ? s : "the service has no pod selector set";
  }
  const sel = (o as { spec?: { selector?: { matchLabels?: Record<string, string>; matchExpressions?: unknown[] } } }).spec?.selector;
  if (sel?.matchExpressions?.length) return `couldn't convert expressions - "${JSON.stringify(sel.matchExpressions)}" to map-based selector format`;
  return sel?.matchLabels ?? {};
}

/** PortsForObject and ProtocolsForObject: every container port, in order, with its protocol. */
function portsOf(o: KObject): { port: number; protocol: string }[] {
  if (o.kind === "Service") return ((o as Service).spec.ports ?? []).map((p) => ({ port: p.port, protocol: p.protocol ?? "TCP" }));
  const spec = o.kind === "Pod" ? (o as Pod).spec : templateSpec(o);
  return (spec?.containers ?? []).flatMap((c) => (c.ports ?? []).map((p) => ({ port: p.containerPort, protocol: p.protocol ?? "TCP" })));
}

/** parseLabels: "a=b,c=d". */
function parseLabels(spec: string): Record<string, string> | string {
  const out: Record<string, string> = {};
  for (const part of spec.split(",")) {
    const [k, v, extra] = part.split("=");
    if (v === undefined || extra !== undefined) return `unexpected label spec: ${part}`;
    if (!k) return "unexpected empty label key";
    out[k] = v;
  }
  return out;
}

/** The Service kubectl expose would create for `o`, or kubectl's error message. */
export function exposeService(o: KObject, f: ExposeFlags): Service | string {
  if (!EXPOSABLE.has(o.kind)) return `cannot expose a ${groupKind(o.kind)}`;
  let selector: Record<string, string> | string;
  if (f.selector) {
    selector = parseLabels(f.selector);
    if (typeof selector === "string") return selector;
  } else {
    selector = selectorOf(o);
    if (typeof selector === "string") return `couldn't retrieve selectors via --selector flag or introspection: ${selector}`;
  }
  if (!Object.keys(selector).length) return "selector must be specified";
  const found = portsOf(o);
  let ports: { port: number; protocol: string }[];
  if (f.port !== undefined) {
    if (!/^\d+$/.test(f.port)) return `strconv.Atoi: parsing "${f.port}": invalid syntax`;
    ports = [{ port: Number(f.port), protocol: found.find((p) => p.port === Number(f.port))?.protocol ?? "TCP" }];
  } else {
    ports = found;
    if (!ports.length && f.clusterIP !== "None") return "couldn't find port via --port flag or introspection";
  }
  const target = f.targetPort;
  const name = (f.name ?? o.metadata.name).slice(0, 63);
  const svc = {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name, ...(Object.keys(o.metadata.labels ?? {}).length ? { labels: { ...o.metadata.labels } } : {}), ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}) },
    spec: {
      ports: ports.map((p, i) => ({
        ...(ports.length > 1 ? { name: `port-${i + 1}` } : {}),
        port: p.port,
        protocol: f.protocol ?? p.protocol,
        targetPort: target === undefined ? p.port : /^\d+$/.test(target) ? Number(target) : target,
      })),
      selector,
      ...(f.type ? { type: f.type } : {}),
      ...(f.clusterIP ? { clusterIP: f.clusterIP } : {}),
    },
    status: { loadBalancer: {} },
  };
  return svc as unknown as Service;
}
