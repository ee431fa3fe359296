// kube-proxy's iptables mode, rule for rule as pkg/proxy/iptables/proxier.go writes it
// (fidelity/RULES.md): chain names hashed from the service port name, one KUBE-SEP chain per
// endpoint, probabilities 1/(N-i) so each endpoint gets 1/N, KUBE-MARK-MASQ for traffic that
// must be SNATed, and REJECT in the filter table for a Service without endpoints.
import { sha256Bytes } from "../../sim/sha256";

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** RFC 4648 base32 (upper case), enough bytes for the first 16 characters. */
export function base32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = "";
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

const utf8 = new TextEncoder();
/**
 * Chain names already computed. Every sync rewrites every chain, so each node's kube-proxy
 * would hash the same few names again on each pass; a name is a pure function of its text.
 * Bounded: a long session's churn of endpoints starts it afresh.
 */
const hashed = new Map<string, string>();
const HASHED_MAX = 50_000;

function hash16(text: string): string {
  let h = hashed.get(text);
  if (h === undefined) {
    if (hashed.size >= HASHED_MAX) hashed.clear();
    hashed.set(text, (h = base32(sha256Bytes(utf8.encode(text))).slice(0, 16)));
  }
  return h;
}

/** "ns/name" or "ns/name:port-name": how kube-proxy names a service port. */
export function servicePortName(namespace: string, name: string, portName?: string): string {
  return `${namespace}/${name}${portName ? `:${portName}` : ""}`;
}

export function serviceChain(spn: string, protocol: string, prefix: "KUBE-SVC-" | "KUBE-SVL-" | "KUBE-EXT-" | "KUBE-FW-" = "KUBE-SVC-"): string {
  return prefix + hash16(spn + protocol.toLowerCase());
}

export function endpointChain(spn: string, protocol: string, endpoint: string): string {
  return "KUBE-SEP-" + hash16(spn + protocol.toLowerCase() + endpoint);
}

/** Go's %0.10f of 1/(n-i). */
export function probability(n: number, i: number): string {
  return (1 / (n - i)).toFixed(10);
}

export const MASQ_MARK = "0x4000";

export interface ProxyServicePort {
  namespace: string;
  name: string;
  portName?: string;
  protocol: "TCP" | "UDP" | "SCTP";
  clusterIP: string;
  port: number;
  nodePort?: number;
  /** "ip:port" of each ready endpoint. */
  endpoints: string[];
  sessionAffinityTimeout?: number;
}

function comment(text: string): string {
  return text.includes(" ") ? `"${text}"` : text;
}

/**
 * The iptables-restore document kube-proxy feeds the kernel: *filter then *nat, every chain
 * declared before its rules.
 */
export function proxyRules(ports: ProxyServicePort[], opts: { clusterCIDR?: string } = {}): string {
  const filter: string[] = [];
  const filterChains = ["KUBE-SERVICES", "KUBE-EXTERNAL-SERVICES", "KUBE-FORWARD", "KUBE-NODEPORTS", "KUBE-PROXY-FIREWALL"];
  const natChains = ["KUBE-SERVICES", "KUBE-NODEPORTS", "KUBE-POSTROUTING", "KUBE-MARK-MASQ"];
  const nat: string[] = [
    `-A KUBE-POSTROUTING -m mark ! --mark ${MASQ_MARK}/${MASQ_MARK} -j RETURN`,
    `-A KUBE-POSTROUTING -j MARK --xor-mark ${MASQ_MARK}`,
    `-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully`,
    `-A KUBE-MARK-MASQ -j MARK --or-mark ${MASQ_MARK}`,
  ];
  filter.push(`-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP`, `-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark ${MASQ_MARK}/${MASQ_MARK} -j ACCEPT`, `-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`);
  for (const sp of ports) {
    const spn = servicePortName(sp.namespace, sp.name, sp.portName);
    const proto = sp.protocol.toLowerCase();
    const match = `-m ${proto} -p ${proto} -d ${sp.clusterIP} --dport ${sp.port}`;
    if (!sp.endpoints.length) {
      filter.push(`-A KUBE-SERVICES -m comment --comment ${comment(`${spn} has no endpoints`)} ${match} -j REJECT --reject-with icmp-port-unreachable`);
      if (sp.nodePort) filter.push(`-A KUBE-EXTERNAL-SERVICES -m comment --comment ${comment(`${spn} has no endpoints`)} -m addrtype --dst-type LOCAL -m ${proto} -p ${proto} --dport ${sp.nodePort} -j REJECT --reject-with icmp-port-unreachable`);
      continue;
    }
    const svc = serviceChain(spn, sp.protocol);
    natChains.push(svc);
    nat.push(`-A KUBE-SERVICES -m comment --comment ${comment(`${spn} cluster IP`)} ${match} -j ${svc}`);
    if (opts.clusterCIDR) nat.push(`-A ${svc} -m comment --comment ${comment(`${spn} cluster IP`)} ${match} ! -s ${opts.clusterCIDR} -j KUBE-MARK-MASQ`);
    if (sp.nodePort) {
      // NodePort: any local address, this port → KUBE-EXT (masquerade: the reply must come back
      // through this node even if the endpoint lives on another) → the same KUBE-SVC chain.
      const ext = serviceChain(spn, sp.protocol, "KUBE-EXT-");
      natChains.push(ext);
      nat.push(`-A KUBE-NODEPORTS -m comment --comment ${comment(spn)} -m ${proto} -p ${proto} --dport ${sp.nodePort} -j ${ext}`);
      nat.push(`-A ${ext} -m comment --comment ${comment(`masquerade traffic for ${spn} external destinations`)} -j KUBE-MARK-MASQ`);
      nat.push(`-A ${ext} -j ${svc}`);
    }
    const eps = [...sp.endpoints].sort();
    const seps = eps.map((ep) => endpointChain(spn, sp.protocol, ep));
    if (sp.sessionAffinityTimeout) {
      eps.forEach((ep, i) => nat.push(`-A ${svc} -m comment --comment ${comment(`${spn} -> ${ep}`)} -m recent --name ${seps[i]} --rcheck --seconds ${sp.sessionAffinityTimeout} --reap -j ${seps[i]}`));
    }
    eps.forEach((ep, i) => {
      const stat = i < eps.length - 1 ? ` -m statistic --mode random --probability ${probability(eps.length, i)}` : "";
      nat.push(`-A ${svc} -m comment --comment ${comment(`${spn} -> ${ep}`)}${stat} -j ${seps[i]}`);
    });
    eps.forEach((ep, i) => {
      natChains.push(seps[i]!);
      const ip = ep.split(":")[0];
      nat.push(`-A ${seps[i]} -m comment --comment ${comment(spn)} -s ${ip} -j KUBE-MARK-MASQ`);
      const recent = sp.sessionAffinityTimeout ? ` -m recent --name ${seps[i]} --set` : "";
      nat.push(`-A ${seps[i]} -m comment --comment ${comment(spn)}${recent} -m ${proto} -p ${proto} -j DNAT --to-destination ${ep}`);
    });
  }
  nat.push(`-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS`);
  return [
    "*filter",
    ...filterChains.map((c) => `:${c} - [0:0]`),
    ...filter,
    "COMMIT",
    "*nat",
    ...natChains.map((c) => `:${c} - [0:0]`),
    ...nat,
    "COMMIT",
    "",
  ].join("\n");
}
