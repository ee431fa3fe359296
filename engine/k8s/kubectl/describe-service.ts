// kubectl describe service: the Service's spec, and per port the endpoints its
// EndpointSlices hold (the first three, then "+ N more...").
import type { ApiServer } from "../api/apiserver";
import type { EndpointSlice, Service, ServicePort } from "../api/types";
import { annotationLines, eventLines, labelLines } from "./describe-common";
import { tabwrite } from "./tabwriter";

const MAX_SHOWN = 3;

/** formatEndpointSlices: ip:port for each endpoint of every slice port with this port's name. */
function endpointsFor(slices: EndpointSlice[], port: ServicePort): string {
  if (!slices.length) return "<none>";
  const all: string[] = [];
  for (const s of slices) {
    if (!s.ports?.length) all.push(...s.endpoints.map((e) => e.addresses[0]!));
    else for (const p of s.ports) if ((p.name ?? "") === (port.name ?? "")) all.push(...s.endpoints.map((e) => `${e.addresses[0]}:${p.port}`));
  }
  const shown = all.slice(0, MAX_SHOWN).join(",");
  return all.length > MAX_SHOWN ? `${shown} + ${all.length - MAX_SHOWN} more...` : shown;
}

export function describeService(api: ApiServer, s: Service, now: number): string {
  const slices = api.list<EndpointSlice>("EndpointSlice", s.metadata.namespace).filter((e) => e.metadata.labels?.["kubernetes.io/service-name"] === s.metadata.name);
  const sel = Object.keys(s.spec.selector ?? {}).sort().map((k) => `${k}=${s.spec.selector![k]}`).join(",");
  const lines = [
    `Name:\t${s.metadata.name}`,
    `Namespace:\t${s.metadata.namespace}`,
    ...labelLines("Labels", s.metadata.labels),
    ...annotationLines("Annotations", s.metadata.annotations),
    `Selector:\t${sel || "<none>"}`,
    `Type:\t${s.spec.type ?? "ClusterIP"}`,
  ];
  if (s.spec.ipFamilyPolicy) lines.push(`IP Family Policy:\t${s.spec.ipFamilyPolicy}`);
  lines.push(`IP Families:\t${s.spec.ipFamilies?.join(",") || "<none>"}`);
  lines.push(`IP:\t${s.spec.clusterIP ?? ""}`);
  const ips = s.spec.clusterIPs ?? (s.spec.clusterIP ? [s.spec.clusterIP] : []);
  if (ips.length) lines.push(`IPs:\t${ips.join(",")}`);
  for (const p of s.spec.ports ?? []) {
    const name = p.name || "<unset>";
    const proto = p.protocol ?? "TCP";
    lines.push(`Port:\t${name}\t${p.port}/${proto}`, `TargetPort:\t${p.targetPort ?? p.port}/${proto}`);
    if (p.nodePort) lines.push(`NodePort:\t${name}\t${p.nodePort}/${proto}`);
    lines.push(`Endpoints:\t${endpointsFor(slices, p)}`);
  }
  lines.push(`Session Affinity:\t${s.spec.sessionAffinity ?? "None"}`);
  if (s.spec.externalTrafficPolicy) lines.push(`External Traffic Policy:\t${s.spec.externalTrafficPolicy}`);
  if (s.spec.internalTrafficPolicy) lines.push(`Internal Traffic Policy:\t${s.spec.internalTrafficPolicy}`);
  lines.push(...eventLines(api, s, now));
  return tabwrite(lines.join("\n")) + "\n";
}
