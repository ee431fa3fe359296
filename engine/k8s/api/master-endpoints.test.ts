// The `kubernetes` Service's EndpointSlice, written by the API server's endpoint reconciler,
// and the kube-proxy rules it leads to.
import { describe, expect, it } from "vitest";
import { createCluster } from "../cluster";
import type { EndpointSlice } from "./types";
import { reconcileMasterEndpoints } from "./master-endpoints";
import { Random } from "../../sim/random";

describe("default/kubernetes endpoints", () => {
  it("the slice names the API server's advertise address and secure port, labelled like a real cluster's", () => {
    const c = createCluster({ workers: 2, seed: 1 });
    const s = c.api.get<EndpointSlice>("EndpointSlice", "default", "kubernetes");
    expect(s.metadata.labels).toEqual({ "kubernetes.io/service-name": "kubernetes" });
    expect(s.endpoints).toEqual([{ addresses: ["192.168.56.11"], conditions: { ready: true } }]);
    expect(s.ports).toEqual([{ name: "https", port: 6443, protocol: "TCP" }]);
    expect(c.sh("kubectl describe svc kubernetes").stdout).toContain("TargetPort:               6443/TCP\nEndpoints:                192.168.56.11:6443\n");
    // Reconciling again writes nothing; a moved API server is updated in place.
    const rv = s.metadata.resourceVersion;
    reconcileMasterEndpoints(c.api, "192.168.56.11", 6443, new Random(1));
    expect(c.api.get<EndpointSlice>("EndpointSlice", "default", "kubernetes").metadata.resourceVersion).toBe(rv);
    reconcileMasterEndpoints(c.api, "192.168.56.99", 6443, new Random(1));
    expect(c.api.get<EndpointSlice>("EndpointSlice", "default", "kubernetes").endpoints[0]!.addresses).toEqual(["192.168.56.99"]);
  });

  it("kube-proxy DNATs 10.32.0.1:443 to the API server instead of rejecting it", () => {
    const c = createCluster({ workers: 2, seed: 1 });
    c.settle();
    const rules = c.node("worker-1").sh("iptables-save -t nat").stdout;
    expect(rules).toMatch(/-A KUBE-SERVICES -d 10\.32\.0\.1\/32 -p tcp -m comment --comment "default\/kubernetes:https cluster IP" -m tcp --dport 443 -j KUBE-SVC-\w+/);
    expect(rules).toMatch(/-A KUBE-SEP-\w+ -p tcp -m comment --comment "default\/kubernetes:https" -m tcp -j DNAT --to-destination 192\.168\.56\.11:6443/);
    expect(c.node("worker-1").sh("iptables-save -t filter").stdout).not.toMatch(/default\/kubernetes:https has no endpoints/);
  });
});
