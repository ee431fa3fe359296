// Cluster DNS, modelled the way Kubernetes the Hard Way deploys it: a CoreDNS Deployment in
// kube-system behind the Service kube-dns at 10.32.0.10. Nothing is special about it — it is
// a pod listening on UDP 53, reached through the same KUBE-SVC/KUBE-SEP chains as any other
// Service — and every pod finds it because the kubelet writes its address into the pod's
// /etc/resolv.conf. The answers follow CoreDNS's kubernetes plugin:
//   <svc>.<ns>.svc.cluster.local  → the ClusterIP, or every ready pod IP for a headless Service
//   <a-b-c-d>.<ns>.pod.cluster.local → a.b.c.d ("pods insecure")
//   anything else under cluster.local → NXDOMAIN; names outside it → forwarded upstream.
import type { Command } from "../../shell/command";
import { serve } from "../../shell/commands/sockets";
import { netOf } from "../../linux/net/registry";
import { decodeDns, encodeDns, fqdn } from "../../linux/net/dns";
import type { DnsMessage, DnsRecord } from "../../linux/net/dns";
import type { ApiServer } from "../api/apiserver";
import type { EndpointSlice, KObject, Pod, Service } from "../api/types";
import { clusterOf } from "./context";

export const CLUSTER_DNS_IP = "10.32.0.10";
export const CLUSTER_DOMAIN = "cluster.local";
export const COREDNS_IMAGE = "registry.k8s.io/coredns/coredns:v1.11.3";
/** The kubernetes plugin's `ttl 30`. */
const TTL = 30;

/**
 * kubeadm's default Corefile (KTHW ships the same plugins). It is stored in the coredns
 * ConfigMap for the reader to see; the coredns program below serves exactly this configuration
 * (the kubernetes zone, forward, loadbalance) rather than parsing the file.
 */
export const COREFILE = `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes ${CLUSTER_DOMAIN} in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl ${TTL}
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30
    loop
    reload
    loadbalance
}
`;

/**
 * What the kubelet puts in a pod's /etc/resolv.conf (pkg/kubelet/network/dns): for dnsPolicy
 * ClusterFirst (the default) the cluster DNS and the search path <ns>.svc, svc, the cluster
 * domain, with ndots:5; for Default (and hostNetwork pods) the node's own file.
 */
export function podResolvConf(pod: Pod, nodeResolvConf: string): string {
  const policy = pod.spec.dnsPolicy ?? "ClusterFirst";
  const clusterFirst = policy === "ClusterFirstWithHostNet" || (policy === "ClusterFirst" && !pod.spec.hostNetwork);
  if (!clusterFirst) return nodeResolvConf;
  const ns = pod.metadata.namespace ?? "default";
  return `search ${ns}.svc.${CLUSTER_DOMAIN} svc.${CLUSTER_DOMAIN} ${CLUSTER_DOMAIN}\nnameserver ${CLUSTER_DNS_IP}\noptions ndots:5\n`;
}

function soa(): DnsRecord {
  return { name: `${CLUSTER_DOMAIN}.`, ttl: TTL, type: "SOA", data: `ns.dns.${CLUSTER_DOMAIN}. hostmaster.${CLUSTER_DOMAIN}. 1700000000 7200 1800 86400 ${TTL}` };
}

/** The kubernetes plugin: answer one query from the API server's Services, EndpointSlices and Pods. */
export function answerQuery(api: Pick<ApiServer, "list" | "tryGet">, q: DnsMessage, shuffle: (n: number) => number = () => 0): DnsMessage {
  const reply: DnsMessage = { ...q, qr: true, aa: true, ra: false, rcode: "NOERROR", answer: [], authority: [] };
  const name = fqdn(q.question.name).toLowerCase();
  const zone = `.${CLUSTER_DOMAIN}.`;
  if (!name.endsWith(zone) && name !== `${CLUSTER_DOMAIN}.`) {
    // forward . /etc/resolv.conf: the lab has no upstream resolver to forward to.
    return { ...reply, aa: false, ra: true, rcode: "SERVFAIL" };
  }
  const labels = name.slice(0, -zone.length).split(".").filter(Boolean);
  const nodata = () => ({ ...reply, authority: [soa()] });
  const nxdomain = () => ({ ...reply, rcode: "NXDOMAIN" as const, authority: [soa()] });
  const type = q.question.type;
  // cluster.local., svc.cluster.local., <ns>.svc.cluster.local. exist (no records of their own).
  if (labels.length === 0 || (labels.length === 1 && (labels[0] === "svc" || labels[0] === "pod"))) return nodata();
  const kind = labels.at(-1);
  if (kind === "svc") {
    const ns = labels.at(-2)!;
    if (labels.length === 2) return api.tryGet("Namespace", undefined, ns) ? nodata() : nxdomain();
    if (labels.length !== 3) return nxdomain();
    const svc = api.tryGet<Service>("Service", ns, labels[0]!);
    if (!svc) return nxdomain();
    if (type !== "A") return nodata();
    let ips: string[];
    if (svc.spec.clusterIP === "None") {
      const slices = api.list<EndpointSlice>("EndpointSlice", ns).filter((e) => e.metadata.labels?.["kubernetes.io/service-name"] === svc.metadata.name);
      ips = slices.flatMap((s) => s.endpoints.filter((e) => e.conditions.ready).flatMap((e) => e.addresses));
      if (!ips.length) return nxdomain();
    } else ips = svc.spec.clusterIP ? [svc.spec.clusterIP] : [];
    // loadbalance: round-robin the order of the A records.
    const k = ips.length ? shuffle(ips.length) % ips.length : 0;
    ips = [...ips.slice(k), ...ips.slice(0, k)];
    return { ...reply, answer: ips.map((ip) => ({ name, ttl: TTL, type: "A", data: ip })) };
  }
  if (kind === "pod" && labels.length === 3) {
    const m = /^(\d+)-(\d+)-(\d+)-(\d+)$/.exec(labels[0]!);
    if (!m || m.slice(1).some((x) => Number(x) > 255)) return nxdomain();
    if (type !== "A") return nodata();
    return { ...reply, answer: [{ name, ttl: TTL, type: "A", data: m.slice(1).join(".") }] };
  }
  return nxdomain();
}

/** The coredns binary in its image: serve the Corefile's zone on UDP and TCP 53. */
export const coredns: Command = {
  name: "coredns",
  path: "/coredns",
  imageOnly: true,
  summary: "CoreDNS, the cluster's DNS server (images only)",
  usage: "Usage of /coredns:\n  -conf string\n    \tCorefile to load (default \"Corefile\")\n  -dns.port string\n    \tDefault port (default \"53\")\n  -version\n    \tShow version\n",
  run(ctx) {
    const version = "CoreDNS-1.11.3\nlinux/amd64, go1.21.11, a6338e9\n";
    if (ctx.argv.includes("-version")) {
      ctx.out(version);
      return 0;
    }
    // A Go server: SIGTERM and SIGINT are caught (CoreDNS shuts down on them), so as a
    // container's pid 1 it stops on the kubelet's SIGTERM.
    ctx.proc.catches = new Set([2, 15]);
    const cluster = clusterOf(ctx.kernel);
    if (!cluster) {
      ctx.err('[FATAL] plugin/kubernetes: unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined\n');
      return 1;
    }
    ctx.out(`.:53\n${version}`);
    const handle = (payload: string) => {
      const q = decodeDns(payload);
      if (!q || q.qr) return ""; // not a query: dropped (FORMERR would need a parseable header)
      return encodeDns(answerQuery(cluster.api, q, (n) => cluster.rng.int(0, n - 1)));
    };
    // dns-tcp: the same answers over TCP. serve() closes every socket of this process on exit.
    netOf(ctx.kernel, ctx.proc.ns.net).sockets.listen({ proto: "tcp", addr: 0, port: 53, pid: ctx.proc.pid, comm: ctx.proc.comm, fd: 4, greet: () => null, respond: handle });
    return serve(ctx, { proto: "udp", addr: 0, port: 53, greet: () => null, respond: handle });
  },
};

/** The manifests KTHW applies for DNS (its coredns.yaml): ConfigMap, Deployment, Service. */
export function clusterDnsObjects(): KObject[] {
  const labels = { "k8s-app": "kube-dns" };
  return [
    { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "coredns", namespace: "kube-system" }, data: { Corefile: COREFILE } } as KObject,
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "coredns", namespace: "kube-system", labels: { ...labels, "kubernetes.io/name": "CoreDNS" } },
      spec: {
        replicas: 2,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            dnsPolicy: "Default",
            tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists" }],
            containers: [{
              name: "coredns",
              image: COREDNS_IMAGE,
              args: ["-conf", "/etc/coredns/Corefile"],
              ports: [{ containerPort: 53, name: "dns", protocol: "UDP" }, { containerPort: 53, name: "dns-tcp", protocol: "TCP" }, { containerPort: 9153, name: "metrics", protocol: "TCP" }],
              resources: { limits: { memory: "170Mi" }, requests: { cpu: "100m", memory: "70Mi" } },
              volumeMounts: [{ name: "config-volume", mountPath: "/etc/coredns", readOnly: true }],
            }],
            volumes: [{ name: "config-volume", configMap: { name: "coredns", items: [{ key: "Corefile", path: "Corefile" }] } }],
          },
        },
      },
    } as unknown as KObject,
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "kube-dns", namespace: "kube-system", labels: { ...labels, "kubernetes.io/cluster-service": "true", "kubernetes.io/name": "CoreDNS" } },
      spec: {
        selector: labels,
        clusterIP: CLUSTER_DNS_IP,
        ports: [{ name: "dns", port: 53, protocol: "UDP", targetPort: 53 }, { name: "dns-tcp", port: 53, protocol: "TCP", targetPort: 53 }, { name: "metrics", port: 9153, protocol: "TCP", targetPort: 9153 }],
      },
    } as KObject,
  ];
}
