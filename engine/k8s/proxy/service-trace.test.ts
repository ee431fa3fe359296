import { describe, expect, it } from "vitest";
import { createCluster } from "../cluster";
import { endpointChain, serviceChain } from "./chains";
import { serviceTraceTargets, traceService } from "./service-trace";

const YAML = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 3\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: nginx, image: nginx:1.27}]\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n";

describe("a request to a Service, traced through kube-proxy's chains", () => {
  it("names the KUBE-SERVICES rule, the KUBE-SVC pick, the KUBE-SEP chain, the DNAT and the pod", () => {
    const c = createCluster({ workers: 2, seed: 4 });
    c.sh("kubectl apply -f -", { stdin: YAML });
    c.settle();
    const { services, clients } = serviceTraceTargets(c.controlPlane);
    expect(services.map((s) => `${s.namespace}/${s.name}`)).toEqual(expect.arrayContaining(["default/kubernetes", "default/web", "kube-system/kube-dns"]));
    const client = clients.find((p) => p.name.startsWith("web-"))!;
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const t = traceService(c.controlPlane, { service: "default/web", client: `default/${client.name}` });
      expect(t.trace.outcome).toBe("reply");
      const names = t.chains.map((v) => v.chain);
      const svc = serviceChain("default/web", "TCP");
      expect(names.slice(0, 3)).toEqual(["PREROUTING", "KUBE-SERVICES", svc]);
      expect(t.chains[1]!.matched).toContain('--comment "default/web cluster IP"');
      expect(t.chosen!.sep).toBe(endpointChain("default/web", "TCP", t.chosen!.endpoint));
      expect(t.chosen!.pod).toMatch(/^web-/);
      expect(t.dnat!.after).toContain(t.chosen!.endpoint.split(":")[0]);
      const pick = t.chains.find((v) => v.chain === svc)!;
      expect([0.33333333349, 0.5, null]).toContain(pick.probability);
      expect(t.rulesTested).toBeGreaterThan(3);
      seen.add(t.chosen!.pod!);
    }
    expect(seen.size).toBe(3);
    expect(() => traceService(c.controlPlane, { service: "default/nope", client: `default/${client.name}` })).toThrow(/has no ClusterIP/);
  });

  it("follows a DNS query (UDP) to kube-dns", () => {
    const c = createCluster({ workers: 1, seed: 4 });
    c.sh("kubectl run box --image=busybox:1.36 -- sleep 3600");
    c.settle();
    const t = traceService(c.controlPlane, { service: "kube-system/kube-dns", client: "default/box", port: 53 });
    expect(t.protocol).toBe("udp");
    expect(t.chains[1]!.matched).toContain("kube-system/kube-dns:dns cluster IP");
    expect(t.chosen!.pod).toMatch(/^coredns-/);
  });
});
