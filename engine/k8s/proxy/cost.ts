// What a Service lookup costs, counted rather than asserted. iptables mode: the first packet of
// a connection walks nat OUTPUT/PREROUTING → KUBE-SERVICES rule by rule until its ClusterIP
// matches, so the last Service of N costs ~N rule tests (conntrack spares every later packet).
// IPVS mode: the kernel finds the virtual service in a hash table (ip_vs_svc_table, 256
// buckets) and compares only the entries of one bucket.
import { createHost } from "../../linux/host";
import type { Kernel } from "../../linux/kernel";
import { makePacket } from "../../linux/net/packet";
import { parseIp } from "../../linux/net/ipv4";
import { netOf } from "../../linux/net/registry";
import { proxyRules } from "./chains";
import type { ProxyServicePort } from "./chains";

/** The i-th synthetic Service: 10.96.x.y:80 with `endpoints` pods. */
export function syntheticServices(n: number, endpoints = 3): ProxyServicePort[] {
  return Array.from({ length: n }, (_, i) => ({
    namespace: "default", name: `svc-${i}`, protocol: "TCP" as const, clusterIP: `10.96.${i >> 8}.${i & 255}`, port: 80,
    endpoints: Array.from({ length: endpoints }, (_, e) => `10.${200 + (i >> 14)}.${(i >> 6) & 255}.${((i & 63) << 2) + e + 1}:8080`),
  }));
}

export interface WalkCost {
  services: number;
  /** Rules in the nat table kube-proxy wrote. */
  natRules: number;
  /** Rules tested for the first packet of a connection to the first and to the last Service. */
  first: number;
  last: number;
}

/** Load kube-proxy's rules for n Services into a fresh host and count the rules one SYN meets. */
export function iptablesWalkCost(n: number, endpoints = 3): WalkCost {
  const h = createHost({ seed: 1 });
  h.sh("ip route add default via 10.0.0.1 dev eth0 onlink");
  const doc = proxyRules(syntheticServices(n, endpoints), { clusterCIDR: "10.200.0.0/16" });
  const r = h.sh("iptables-restore", { stdin: doc });
  if (r.exitCode !== 0) throw new Error(`iptables-restore failed: ${r.stderr}`);
  h.sh('iptables -t nat -A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES');
  const k = (h as unknown as { kernel: Kernel }).kernel;
  const st = netOf(k, k.initNs.net);
  const syn = (ip: string, sport: number) => {
    const before = st.rulesEvaluated;
    st.sendLocal(makePacket({ src: 0, dst: parseIp(ip)!, proto: "tcp", sport, dport: 80, tcp: { syn: true } }), { trace: null, delay: 0, hops: 0 });
    return st.rulesEvaluated - before;
  };
  const svcs = syntheticServices(n, endpoints);
  return { services: n, natRules: doc.split("\n").filter((l) => l.startsWith("-A ")).length, first: syn(svcs[0]!.clusterIP, 40000), last: syn(svcs[n - 1]!.clusterIP, 40001) };
}

/** IP_VS_SVC_TAB_BITS: the virtual-service hash table has 2^8 buckets. */
const TAB_BITS = 8;

/** ip_vs_svc_hashkey (net/netfilter/ipvs/ip_vs_ctl.c), without the per-netns salt. */
export function ipvsBucket(proto: number, ip: number, port: number): number {
  return ((proto ^ ip ^ (port >>> TAB_BITS) ^ port) >>> 0) & ((1 << TAB_BITS) - 1);
}

/**
 * Entries compared to find a Service in IPVS's table: each bucket is a list with the newest
 * service at its head (hlist_add_head_rcu). Returns the average and the worst over all services.
 */
export function ipvsLookupCost(n: number): { services: number; average: number; worst: number } {
  const buckets = new Map<number, number>();
  let total = 0;
  let worst = 0;
  const depth: number[] = [];
  for (const s of syntheticServices(n, 1)) {
    const b = ipvsBucket(6, parseIp(s.clusterIP)!, s.port);
    buckets.set(b, (buckets.get(b) ?? 0) + 1);
    depth.push(b);
  }
  // A service inserted k-th into its bucket sits behind every later one.
  const seen = new Map<number, number>();
  for (const b of depth) {
    const k = (seen.get(b) ?? 0) + 1;
    seen.set(b, k);
    const cost = buckets.get(b)! - k + 1;
    total += cost;
    worst = Math.max(worst, cost);
  }
  return { services: n, average: total / n, worst };
}
