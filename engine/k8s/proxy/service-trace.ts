// One request to a Service, followed through kube-proxy's chains: which KUBE-SERVICES rule
// caught the ClusterIP, which KUBE-SVC rule (and its probability) picked an endpoint, the
// KUBE-SEP chain that rewrote the destination, and the pod that got the packet. It is the same
// packet trace the PacketTrace widget shows (tracePacket, the walk curl takes), sent from a
// pod's network namespace on its node, read back as a typed summary for the ServiceTrace widget.
import type { PacketTraceSnapshot } from "../../api";
import type { Host } from "../../linux/host";
import type { Kernel } from "../../linux/kernel";
import { netOf } from "../../linux/net/registry";
import { tracePacket } from "../../linux/net/trace-api";
import type { EndpointSlice, Pod, Service } from "../api/types";
import { clusterOf } from "../components/context";
import type { ClusterContext } from "../components/context";

export interface ServiceChoice {
  namespace: string;
  name: string;
  clusterIP: string;
  ports: { name?: string; port: number; protocol: string }[];
  /** Ready endpoints ("ip:port" of the first port). */
  endpoints: number;
}

export interface ClientChoice {
  namespace: string;
  name: string;
  node: string;
  ip: string;
}

/** Services with a ClusterIP (headless ones have no chains) and running pods that can be clients. */
export function serviceTraceTargets(host: Host): { services: ServiceChoice[]; clients: ClientChoice[] } {
  const ctx = contextOf(host);
  if (!ctx) return { services: [], clients: [] };
  const slices = ctx.api.list<EndpointSlice>("EndpointSlice");
  const services = ctx.api
    .list<Service>("Service")
    .filter((s) => s.spec.clusterIP && s.spec.clusterIP !== "None" && (s.spec.ports ?? []).length)
    .map((s) => ({
      namespace: s.metadata.namespace ?? "default",
      name: s.metadata.name,
      clusterIP: s.spec.clusterIP!,
      ports: (s.spec.ports ?? []).map((p) => ({ ...(p.name ? { name: p.name } : {}), port: p.port, protocol: p.protocol ?? "TCP" })),
      endpoints: slices.filter((e) => e.metadata.namespace === s.metadata.namespace && e.metadata.labels?.["kubernetes.io/service-name"] === s.metadata.name).flatMap((e) => e.endpoints.filter((x) => x.conditions.ready)).length,
    }));
  const clients = ctx.api
    .list<Pod>("Pod")
    .filter((p) => p.status?.phase === "Running" && p.status.podIP && p.spec.nodeName && !p.spec.hostNetwork && ctx.kernels.has(p.spec.nodeName))
    .map((p) => ({ namespace: p.metadata.namespace ?? "default", name: p.metadata.name, node: p.spec.nodeName!, ip: p.status!.podIP! }));
  return { services, clients };
}

export interface ChainVisit {
  table: string;
  chain: string;
  hook: string;
  /** Rules tested in this visit, and the deciding rule that matched (as iptables-save prints it), if any. */
  tested: number;
  matched: string | null;
  /** --probability of the matched rule (a KUBE-SVC endpoint pick). */
  probability: number | null;
}

export interface ServiceTraceSnapshot {
  service: ServiceChoice;
  port: number;
  protocol: "tcp" | "udp";
  client: ClientChoice;
  /** The nat chains the request met on the client's node, in order. */
  chains: ChainVisit[];
  /** The endpoint chosen: its KUBE-SEP chain, address, and the pod behind it. */
  chosen: { sep: string; endpoint: string; pod: string | null; node: string | null } | null;
  dnat: { before: string; after: string } | null;
  /** Every rule of every table the request was tested against on the client's node. */
  rulesTested: number;
  trace: PacketTraceSnapshot;
}

function contextOf(host: Host): ClusterContext | undefined {
  return clusterOf((host as unknown as { kernel: Kernel }).kernel);
}

/** Send one request (a TCP SYN, or a UDP datagram) from a pod to a Service port, and summarise it. */
export function traceService(host: Host, opts: { service: string; client: string; port?: number }): ServiceTraceSnapshot {
  const ctx = contextOf(host);
  if (!ctx) throw new Error("this world is not a cluster");
  const { services, clients } = serviceTraceTargets(host);
  const service = services.find((s) => `${s.namespace}/${s.name}` === opts.service);
  if (!service) throw new Error(`service "${opts.service}" has no ClusterIP (or does not exist)`);
  const client = clients.find((c) => `${c.namespace}/${c.name}` === opts.client);
  if (!client) throw new Error(`pod "${opts.client}" is not running`);
  const sp = service.ports.find((p) => p.port === opts.port) ?? service.ports[0]!;
  const kernel = ctx.kernels.get(client.node)!;
  const ns = [...kernel.namespaces].find((n) => n.kind === "net" && n.alive && [...netOf(kernel, n).devices.values()].some((d) => d.addrs.some((a) => a.ip === ipNum(client.ip))));
  if (!ns) throw new Error(`pod ${client.name} has no network namespace on ${client.node}`);
  const protocol = sp.protocol.toLowerCase() === "udp" ? "udp" : "tcp";
  const trace = tracePacket(kernel, { from: ns.inode, proto: protocol, dst: service.clusterIP, dport: sp.port });

  // The request's netfilter walk on the client's node.
  const chains: ChainVisit[] = [];
  let rulesTested = 0;
  let dnat: ServiceTraceSnapshot["dnat"] = null;
  for (const s of trace.steps) {
    if (s.packet !== 0 || s.at.host !== client.node || !s.at.initial) continue;
    if (s.kind === "chain" && s.table === "nat") chains.push({ table: s.table, chain: s.chain, hook: s.hook, tested: 0, matched: null, probability: null });
    if (s.kind === "rule") {
      rulesTested++;
      const v = s.table === "nat" ? [...chains].reverse().find((c) => c.chain === s.chain) : undefined;
      if (v) {
        v.tested++;
        // The last rule that matched decided (a jump to KUBE-MARK-MASQ comes back).
        if (s.matched) {
          v.matched = s.rule;
          const p = /--probability (\S+)/.exec(s.rule);
          v.probability = p ? Number(p[1]) : null;
        }
      }
    }
    if (s.kind === "nat" && s.what === "DNAT" && !dnat) dnat = { before: s.before, after: s.after };
  }
  const sepVisit = chains.find((c) => c.chain.startsWith("KUBE-SEP-") && c.matched?.includes("DNAT"));
  const endpoint = sepVisit ? (/--to-destination (\S+)/.exec(sepVisit.matched!)?.[1] ?? "") : "";
  const epIP = endpoint.split(":")[0];
  const pod = epIP ? ctx.api.list<Pod>("Pod").find((p) => p.status?.podIP === epIP) : undefined;
  return {
    service,
    port: sp.port,
    protocol,
    client,
    chains: chains.filter((c) => c.tested > 0),
    chosen: sepVisit ? { sep: sepVisit.chain, endpoint, pod: pod?.metadata.name ?? null, node: pod?.spec.nodeName ?? null } : null,
    dnat,
    rulesTested,
    trace,
  };
}

function ipNum(ip: string): number {
  return ip.split(".").reduce((a, b) => ((a << 8) | Number(b)) >>> 0, 0);
}
