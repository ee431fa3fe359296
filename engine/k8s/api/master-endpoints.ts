// The API server's own endpoint: the `kubernetes` Service in `default` has no selector, so no
// controller fills it. kube-apiserver's endpoint reconciler writes its EndpointSlice itself —
// named `kubernetes`, labelled only with the service name (no endpointslice-controller
// managed-by label), one ready endpoint per API server at its advertise address and secure
// port. kube-proxy then programs 10.32.0.1:443 → that address like any other Service.
// The reconciler draws its uid from its own generator, so adding it moved no other object's
// random name or uid (the pod names lessons quote).
import type { ApiServer } from "./apiserver";
import type { EndpointSlice } from "./types";

export function reconcileMasterEndpoints(api: ApiServer, advertiseAddress: string, securePort: number, rng: { hex(n: number): string }): EndpointSlice {
  const want = {
    addressType: "IPv4" as const,
    endpoints: [{ addresses: [advertiseAddress], conditions: { ready: true } }],
    ports: [{ name: "https", port: securePort, protocol: "TCP" }],
  };
  const cur = api.tryGet<EndpointSlice>("EndpointSlice", "default", "kubernetes");
  if (cur && JSON.stringify([cur.endpoints, cur.ports]) === JSON.stringify([want.endpoints, want.ports])) return cur;
  const meta = { name: "kubernetes", namespace: "default", labels: { "kubernetes.io/service-name": "kubernetes" } };
  if (cur) return api.update<EndpointSlice>({ ...cur, ...want });
  return api.create<EndpointSlice>({ apiVersion: "discovery.k8s.io/v1", kind: "EndpointSlice", metadata: meta, ...want } as EndpointSlice, { uidSource: rng });
}
