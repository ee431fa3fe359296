import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { base32, endpointChain, probability, proxyRules, serviceChain } from "./chains";

/** Independent reference: Node's SHA-256 and the base32 alphabet, as RULES.md describes. */
function reference(text: string): string {
  const bytes = createHash("sha256").update(text, "utf8").digest();
  const A = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const b of bytes) bits += b.toString(2).padStart(8, "0");
  let out = "";
  for (let i = 0; i + 5 <= bits.length && out.length < 16; i += 5) out += A[parseInt(bits.slice(i, i + 5), 2)];
  return out;
}

describe("kube-proxy chain names and rules", () => {
  it("hashes the service port name + protocol (base32 of SHA-256, 16 characters)", () => {
    expect(base32(new TextEncoder().encode("foobar"))).toBe("MZXW6YTBOI");
    expect(serviceChain("ns1/svc1:p80", "TCP")).toBe("KUBE-SVC-" + reference("ns1/svc1:p80tcp"));
    expect(endpointChain("ns1/svc1:p80", "TCP", "10.180.0.1:80")).toBe("KUBE-SEP-" + reference("ns1/svc1:p80tcp10.180.0.1:80"));
    expect(serviceChain("default/web", "TCP").length).toBeLessThanOrEqual(28);
  });

  it("gives each of N endpoints 1/N with probabilities 1/(N-i), the last unconditional", () => {
    expect([probability(3, 0), probability(3, 1)]).toEqual(["0.3333333333", "0.5000000000"]);
    const doc = proxyRules([{ namespace: "default", name: "web", protocol: "TCP", clusterIP: "10.32.0.10", port: 80, endpoints: ["10.200.1.3:8080", "10.200.0.2:8080", "10.200.1.2:8080"] }], { clusterCIDR: "10.200.0.0/16" });
    const svc = serviceChain("default/web", "TCP");
    const rules = doc.split("\n").filter((l) => l.startsWith(`-A ${svc} `));
    expect(rules[0]).toBe(`-A ${svc} -m comment --comment "default/web cluster IP" -m tcp -p tcp -d 10.32.0.10 --dport 80 ! -s 10.200.0.0/16 -j KUBE-MARK-MASQ`);
    expect(rules.slice(1).map((r) => / -> (\S+?)"/.exec(r)![1])).toEqual(["10.200.0.2:8080", "10.200.1.2:8080", "10.200.1.3:8080"]);
    expect(rules[1]).toContain("--probability 0.3333333333 -j KUBE-SEP-");
    expect(rules[2]).toContain("--probability 0.5000000000 -j KUBE-SEP-");
    expect(rules[3]).not.toContain("statistic");
    expect(doc).toContain(`-A KUBE-SERVICES -m comment --comment "default/web cluster IP" -m tcp -p tcp -d 10.32.0.10 --dport 80 -j ${svc}`);
    expect(doc.split("\n").filter((l) => l.startsWith("-A KUBE-SERVICES")).at(-1)).toContain("-j KUBE-NODEPORTS");
  });

  it("rejects in the filter table when a Service has no endpoints", () => {
    const doc = proxyRules([{ namespace: "default", name: "empty", protocol: "TCP", clusterIP: "10.32.0.20", port: 80, endpoints: [] }]);
    expect(doc).toContain('-A KUBE-SERVICES -m comment --comment "default/empty has no endpoints" -m tcp -p tcp -d 10.32.0.20 --dport 80 -j REJECT --reject-with icmp-port-unreachable');
    expect(doc).not.toContain("KUBE-SVC-");
  });

  it("NodePort: KUBE-NODEPORTS → KUBE-EXT (masquerade, then the Service chain), as kube-proxy feeds iptables-restore", () => {
    const doc = proxyRules([{ namespace: "ns2", name: "svc2", portName: "p80", protocol: "TCP", clusterIP: "172.30.0.42", port: 80, nodePort: 3001, endpoints: ["10.180.0.2:80"] }]);
    const ext = serviceChain("ns2/svc2:p80", "TCP", "KUBE-EXT-");
    const svc = serviceChain("ns2/svc2:p80", "TCP");
    expect(doc).toContain(`:${ext} - [0:0]\n`);
    expect(doc).toContain(`-A KUBE-NODEPORTS -m comment --comment ns2/svc2:p80 -m tcp -p tcp --dport 3001 -j ${ext}\n`);
    expect(doc).toContain(`-A ${ext} -m comment --comment "masquerade traffic for ns2/svc2:p80 external destinations" -j KUBE-MARK-MASQ\n-A ${ext} -j ${svc}\n`);
    const empty = proxyRules([{ namespace: "ns2", name: "svc2", portName: "p80", protocol: "TCP", clusterIP: "172.30.0.42", port: 80, nodePort: 3001, endpoints: [] }]);
    expect(empty).toContain('-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 3001 -j REJECT');
    expect(empty).not.toContain("KUBE-EXT-");
  });

  it("ClientIP affinity: a recent --rcheck rule per endpoint before the random ones, and --set on the DNAT rule", () => {
    const doc = proxyRules([{ namespace: "ns1", name: "svc1", portName: "p80", protocol: "TCP", clusterIP: "172.30.0.41", port: 80, endpoints: ["10.180.0.1:80", "10.180.0.2:80"], sessionAffinityTimeout: 10800 }]);
    const svc = serviceChain("ns1/svc1:p80", "TCP");
    const [a, b] = ["10.180.0.1:80", "10.180.0.2:80"].map((e) => endpointChain("ns1/svc1:p80", "TCP", e));
    const rules = doc.split("\n").filter((l) => l.startsWith(`-A ${svc} `));
    expect(rules).toEqual([
      `-A ${svc} -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -m recent --name ${a} --rcheck --seconds 10800 --reap -j ${a}`,
      `-A ${svc} -m comment --comment "ns1/svc1:p80 -> 10.180.0.2:80" -m recent --name ${b} --rcheck --seconds 10800 --reap -j ${b}`,
      `-A ${svc} -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -m statistic --mode random --probability 0.5000000000 -j ${a}`,
      `-A ${svc} -m comment --comment "ns1/svc1:p80 -> 10.180.0.2:80" -j ${b}`,
    ]);
    expect(doc).toContain(`-A ${a} -m comment --comment ns1/svc1:p80 -m recent --name ${a} --set -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80\n`);
  });
});
