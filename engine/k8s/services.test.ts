// Services end to end on a simulated cluster: NodePort from outside the pod network, headless
// Services answered by the cluster DNS, ClientIP session affinity, and the pod's DNS search path.
import { describe, expect, it } from "vitest";
import { createCluster } from "./cluster";
import type { Cluster } from "./cluster";
import { endpointChain, serviceChain } from "./proxy/chains";
import { searchCandidates } from "../linux/net/dns";

const WEB = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 3\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: nginx, image: nginx:1.27}]\n";
const svc = (name: string, extra: string) => `---\napiVersion: v1\nkind: Service\nmetadata: {name: ${name}}\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n${extra}`;
const DNSUTILS = "---\napiVersion: v1\nkind: Pod\nmetadata: {name: dnsutils}\nspec:\n  containers: [{name: dnsutils, image: registry.k8s.io/e2e-test-images/jessie-dnsutils:1.3, command: [sleep, infinity]}]\n";

function cluster(yaml: string, seed = 1): Cluster {
  const c = createCluster({ workers: 2, seed });
  const r = c.sh("kubectl apply -f -", { stdin: yaml });
  expect(r.exitCode).toBe(0);
  c.settle();
  return c;
}

const servedBy = (out: string) => /served by (\S+) -->/.exec(out)?.[1] ?? "none";

describe("NodePort", () => {
  it("allocates a port in 30000-32767 (the same one for the same seed), writes KUBE-NODEPORTS → KUBE-EXT → KUBE-SVC, and answers on every node's IP from outside the pod network", () => {
    const yaml = WEB + svc("web", "  type: NodePort\n");
    const c = cluster(yaml);
    const port = Number(c.sh("kubectl get svc web -o jsonpath='{.spec.ports[0].nodePort}'").stdout);
    expect(port).toBeGreaterThanOrEqual(30000);
    expect(port).toBeLessThanOrEqual(32767);
    expect(Number(cluster(yaml).sh("kubectl get svc web -o jsonpath='{.spec.ports[0].nodePort}'").stdout)).toBe(port);
    expect(c.sh("kubectl get svc web").stdout).toMatch(new RegExp(`^web\\s+NodePort\\s+10\\.32\\.0\\.\\d+\\s+<none>\\s+80:${port}/TCP\\s`, "m"));

    const ext = serviceChain("default/web", "TCP", "KUBE-EXT-");
    const nat = c.node("worker-1").sh("iptables-save -t nat").stdout;
    expect(nat).toContain(`-A KUBE-NODEPORTS -p tcp -m comment --comment "default/web" -m tcp --dport ${port} -j ${ext}\n`);
    expect(nat).toContain(`-A ${ext} -m comment --comment "masquerade traffic for default/web external destinations" -j KUBE-MARK-MASQ\n-A ${ext} -j ${serviceChain("default/web", "TCP")}\n`);
    expect(nat).toMatch(/-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS\n(?!-A KUBE-SERVICES)/);

    // The control plane runs no kube-proxy and has no pod network: still, each worker answers.
    for (const ip of ["192.168.56.12", "192.168.56.13"]) {
      const seen = new Set<string>();
      for (let i = 0; i < 20; i++) seen.add(servedBy(c.sh(`curl -s http://${ip}:${port}/`).stdout));
      expect([...seen].every((n) => n.startsWith("web-"))).toBe(true);
      expect(seen.size).toBeGreaterThan(1);
    }
    // The ClusterIP itself is not reachable from there (no route, no chains on the control plane).
    const clusterIP = c.sh("kubectl get svc web -o jsonpath='{.spec.clusterIP}'").stdout;
    expect(c.sh(`curl -s -m 2 http://${clusterIP}/`).exitCode).not.toBe(0);
    // The node masqueraded: conntrack on worker-1 shows the reply coming back to the node's address.
    expect(c.node("worker-1").sh("conntrack -L").stdout).toMatch(new RegExp(`src=192\\.168\\.56\\.11 dst=192\\.168\\.56\\.12 sport=\\d+ dport=${port} .*src=10\\.200\\.\\d+\\.\\d+ dst=(192\\.168\\.56\\.12|10\\.200\\.0\\.1) sport=80`));
  });

  it("turning a ClusterIP Service into a NodePort keeps its cluster IP and allocates a port; turning it back removes the port and the chains", () => {
    const c = cluster(WEB + svc("web", ""));
    const ip = c.sh("kubectl get svc web -o jsonpath='{.spec.clusterIP}'").stdout;
    c.sh("kubectl apply -f -", { stdin: svc("web", "  type: NodePort\n").slice(4) });
    c.settle();
    expect(c.sh("kubectl get svc web -o jsonpath='{.spec.clusterIP}'").stdout).toBe(ip);
    const port = Number(c.sh("kubectl get svc web -o jsonpath='{.spec.ports[0].nodePort}'").stdout);
    expect(port).toBeGreaterThanOrEqual(30000);
    expect(servedBy(c.sh(`curl -s http://192.168.56.13:${port}/`).stdout)).toMatch(/^web-/);
    c.sh("kubectl apply -f -", { stdin: svc("web", "").slice(4) });
    c.settle();
    expect(c.sh("kubectl get svc web -o jsonpath='{.spec.ports[0].nodePort}'").stdout).toBe("");
    expect(c.node("worker-1").sh("iptables-save -t nat").stdout).not.toContain("KUBE-EXT-");
    expect(c.sh(`curl -s -m 1 http://192.168.56.13:${port}/`).exitCode).not.toBe(0);
  });

  it("a NodePort Service without endpoints is rejected in KUBE-EXTERNAL-SERVICES", () => {
    const c = cluster("apiVersion: v1\nkind: Service\nmetadata: {name: lonely}\nspec:\n  type: NodePort\n  selector: {app: none}\n  ports: [{port: 80, nodePort: 30080}]\n");
    expect(c.node("worker-2").sh("iptables-save -t filter").stdout).toContain('-A KUBE-EXTERNAL-SERVICES -p tcp -m comment --comment "default/lonely has no endpoints" -m addrtype --dst-type LOCAL -m tcp --dport 30080 -j REJECT --reject-with icmp-port-unreachable');
    expect(c.sh("curl -s http://192.168.56.12:30080/").exitCode).toBe(7);
  });

  it("rejects a nodePort outside the range, as the API server does", () => {
    const c = createCluster({ workers: 1, seed: 3 });
    const r = c.sh("kubectl apply -f -", { stdin: "apiVersion: v1\nkind: Service\nmetadata: {name: bad}\nspec:\n  type: NodePort\n  ports: [{port: 80, nodePort: 80}]\n" });
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toContain("provided port is not in the valid range. The range of valid ports is 30000-32767");
  });
});

describe("headless Services and the cluster DNS", () => {
  it("a headless Service gets no chains; DNS answers with the ready pod IPs", () => {
    const c = cluster(WEB + svc("web-headless", "  clusterIP: None\n") + DNSUTILS);
    expect(c.node("worker-1").sh("iptables-save -t nat").stdout).not.toContain("default/web-headless");
    const podIPs = c.sh("kubectl get pods -l app=web -o jsonpath='{.items[*].status.podIP}'").stdout.split(" ").sort();
    expect(podIPs).toHaveLength(3);
    const r = c.sh("kubectl exec dnsutils -- nslookup web-headless");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^Server:\t\t10\.32\.0\.10\nAddress:\t10\.32\.0\.10#53\n\n/);
    const answers = [...r.stdout.matchAll(/Name:\tweb-headless\.default\.svc\.cluster\.local\nAddress: (\S+)\n/g)].map((m) => m[1]).sort();
    expect(answers).toEqual(podIPs);
    expect(c.sh("kubectl exec dnsutils -- dig +short web-headless.default.svc.cluster.local").stdout.trim().split("\n").sort()).toEqual(podIPs);
  });

  it("CoreDNS runs as pods in kube-system behind kube-dns at 10.32.0.10, reached through the Service's UDP chains", () => {
    const c = cluster(DNSUTILS);
    expect(c.sh("kubectl get svc -n kube-system kube-dns").stdout).toMatch(/^kube-dns\s+ClusterIP\s+10\.32\.0\.10\s+<none>\s+53\/UDP,53\/TCP,9153\/TCP\s/m);
    expect(c.sh("kubectl get pods -n kube-system").stdout).toMatch(/^coredns-[a-z0-9]+-[a-z0-9]{5}\s+1\/1\s+Running/m);
    const nat = c.node("worker-1").sh("iptables-save -t nat").stdout;
    expect(nat).toContain(`-A KUBE-SERVICES -d 10.32.0.10/32 -p udp -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp --dport 53 -j ${serviceChain("kube-system/kube-dns:dns", "UDP")}`);
    c.sh("kubectl exec dnsutils -- nslookup kubernetes");
    const node = c.sh("kubectl get pod dnsutils -o jsonpath='{.spec.nodeName}'").stdout;
    expect(c.node(node).sh("conntrack -L -p udp").stdout).toMatch(/src=10\.200\.\d+\.\d+ dst=10\.32\.0\.10 sport=\d+ dport=53 src=10\.200\.\d+\.\d+ dst=10\.200\.\d+\.\d+ sport=53/);
    // Stop CoreDNS (scale to 0): the Service has no endpoints and lookups fail.
    c.sh("kubectl scale deployment coredns -n kube-system --replicas=0");
    c.settle();
    expect(c.sh("kubectl exec dnsutils -- nslookup kubernetes").stdout).toContain("no servers could be reached");
  });
});

describe("sessionAffinity: ClientIP", () => {
  it("writes the recent-match rules kube-proxy writes and sends one client to one endpoint", () => {
    const c = cluster(WEB + svc("sticky", "  sessionAffinity: ClientIP\n") + svc("spread", ""));
    const nat = c.node("worker-1").sh("iptables-save -t nat").stdout;
    const eps = c.sh("kubectl get pods -l app=web -o jsonpath='{.items[*].status.podIP}'").stdout.split(" ").map((ip) => `${ip}:80`).sort();
    const sep = endpointChain("default/sticky", "TCP", eps[0]!);
    expect(nat).toContain(`-A ${serviceChain("default/sticky", "TCP")} -m comment --comment "default/sticky -> ${eps[0]}" -m recent --rcheck --seconds 10800 --reap --name ${sep} --mask 255.255.255.255 --rsource -j ${sep}\n`);
    expect(nat).toContain(`-A ${sep} -p tcp -m comment --comment "default/sticky" -m recent --set --name ${sep} --mask 255.255.255.255 --rsource -m tcp -j DNAT --to-destination ${eps[0]}\n`);
    const client = c.sh("kubectl get pods -l app=web -o jsonpath='{.items[0].metadata.name}'").stdout;
    const hits = (name: string) => new Set(Array.from({ length: 15 }, () => servedBy(c.sh(`kubectl exec ${client} -- curl -s http://${name}`).stdout)));
    const sticky = hits("sticky");
    expect(sticky.size).toBe(1);
    expect([...sticky][0]).toMatch(/^web-/);
    expect(hits("spread").size).toBeGreaterThan(1);
  });
});

describe("the pod's DNS search path", () => {
  it("resolv.conf is the kubelet's; short names resolve through the search list, dig does not search", () => {
    const c = cluster(WEB + svc("web", "") + DNSUTILS);
    expect(c.sh("kubectl exec dnsutils -- cat /etc/resolv.conf").stdout).toBe("search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.32.0.10\noptions ndots:5\n");
    expect(c.sh("kubectl exec dnsutils -- mount").stdout).toMatch(/ on \/etc\/resolv\.conf type /);
    const ip = c.sh("kubectl get svc web -o jsonpath='{.spec.clusterIP}'").stdout;
    for (const name of ["web", "web.default", "web.default.svc", "web.default.svc.cluster.local"]) {
      expect(c.sh(`kubectl exec dnsutils -- nslookup ${name}`).stdout).toContain(`Name:\tweb.default.svc.cluster.local\nAddress: ${ip}\n`);
    }
    expect(c.sh("kubectl exec dnsutils -- getent hosts web").stdout).toBe(`${ip.padEnd(15)} web.default.svc.cluster.local\n`);
    expect(c.sh("kubectl exec dnsutils -- dig web").stdout).not.toContain("ANSWER SECTION");
    expect(c.sh("kubectl exec dnsutils -- dig web.default.svc.cluster.local").stdout).toMatch(new RegExp(`;; ANSWER SECTION:\\nweb\\.default\\.svc\\.cluster\\.local\\. 30 IN\\tA\\t${ip.replace(/\./g, "\\.")}\\n`));
    const nope = c.sh("kubectl exec dnsutils -- nslookup nope");
    expect(nope.exitCode).toBe(1);
    expect(nope.stdout).toMatch(/\*\* server can't find nope: /);
    const web = c.sh("kubectl get pods -l app=web -o jsonpath='{.items[0].metadata.name}'").stdout;
    expect(c.sh(`kubectl exec ${web} -- curl -s http://web`).stdout).toMatch(/served by web-/);
    expect(c.sh(`kubectl exec ${web} -- curl -s http://web.default.svc.cluster.local/`).stdout).toMatch(/served by web-/);
    expect(c.sh(`kubectl exec ${web} -- curl -sS http://nope/`)).toMatchObject({ exitCode: 6, stderr: expect.stringContaining("curl: (6) Could not resolve host: nope") });
  });

  it("ndots:5 puts the search domains first for names with fewer than five dots", () => {
    const conf = { search: ["default.svc.cluster.local", "svc.cluster.local", "cluster.local"], ndots: 5 };
    expect(searchCandidates("web", conf)).toEqual(["web.default.svc.cluster.local.", "web.svc.cluster.local.", "web.cluster.local.", "web."]);
    expect(searchCandidates("example.com", conf).at(-1)).toBe("example.com.");
    expect(searchCandidates("a.b.c.d.e.f", conf)[0]).toBe("a.b.c.d.e.f.");
    expect(searchCandidates("web.default.svc.cluster.local.", conf)).toEqual(["web.default.svc.cluster.local."]);
  });
});
