// kube-proxy (iptables mode): watch Services and EndpointSlices, and keep the node's nat and
// filter tables in step by piping a whole document into iptables-restore — the same program a
// reader can run. A ClusterIP is nothing but these rules; nobody owns that address.
import type { Kernel } from "../../linux/kernel";
import { Capture, TextReader } from "../../linux/io";
import type { Process } from "../../linux/process";
import type { Program, Wait } from "../../linux/tasks";
import { findExecutable, spawn } from "../../shell/exec";
import type { EndpointSlice, Service } from "../api/types";
import type { ProxyServicePort } from "../proxy/chains";
import { proxyRules } from "../proxy/chains";
import { clusterOf } from "./context";
import { WorkQueue } from "./workqueue";

/** The jump rules kube-proxy makes sure exist in the built-in chains (ensureRule). */
const JUMPS = [
  ["nat", "PREROUTING", '-m comment --comment "kubernetes service portals" -j KUBE-SERVICES'],
  ["nat", "OUTPUT", '-m comment --comment "kubernetes service portals" -j KUBE-SERVICES'],
  ["nat", "POSTROUTING", '-m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING'],
  ["filter", "FORWARD", '-m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD'],
  ["filter", "FORWARD", '-m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES'],
  ["filter", "OUTPUT", '-m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES'],
  // NodePorts of Services without endpoints are rejected here (KUBE-EXTERNAL-SERVICES).
  ["filter", "INPUT", '-m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES'],
  ["filter", "FORWARD", '-m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES'],
] as const;

/** Services + their slices → kube-proxy's view: one entry per service port, ready endpoints only. */
export function servicePorts(services: Service[], slices: EndpointSlice[]): ProxyServicePort[] {
  const out: ProxyServicePort[] = [];
  for (const s of services) {
    if (!s.spec.clusterIP || s.spec.clusterIP === "None") continue;
    const mine = slices.filter((e) => e.metadata.namespace === s.metadata.namespace && e.metadata.labels?.["kubernetes.io/service-name"] === s.metadata.name);
    for (const p of s.spec.ports ?? []) {
      const endpoints: string[] = [];
      for (const slice of mine) {
        const sp = slice.ports?.find((x) => (x.name ?? "") === (p.name ?? "")) ?? slice.ports?.[0];
        if (!sp) continue;
        for (const ep of slice.endpoints) if (ep.conditions.ready) for (const a of ep.addresses) endpoints.push(`${a}:${sp.port}`);
      }
      out.push({
        namespace: s.metadata.namespace ?? "default",
        name: s.metadata.name,
        ...(p.name ? { portName: p.name } : {}),
        protocol: p.protocol ?? "TCP",
        clusterIP: s.spec.clusterIP,
        port: p.port,
        ...(p.nodePort ? { nodePort: p.nodePort } : {}),
        endpoints,
        ...(s.spec.sessionAffinity === "ClientIP" ? { sessionAffinityTimeout: s.spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800 } : {}),
      });
    }
  }
  return out;
}

export function* kubeProxy(kernel: Kernel, proc: Process): Program {
  const ctx = clusterOf(kernel);
  if (!ctx) return 1;
  const { api, clock } = ctx;
  const q = new WorkQueue(clock);
  const stop: (() => void)[] = [];
  let previous = new Set<string>();
  const log = (msg: string) => proc.fds[1].write(`I0112 ${new Date(clock.epochMs()).toISOString().slice(11, 23)}000 ${String(proc.pid).padStart(7)} ${msg}\n`);

  function* run(argv: string[], stdin = ""): Generator<Wait, number, unknown> {
    const found = findExecutable(kernel, proc, argv[0]!);
    if (!found.ok) return 127;
    const child = spawn(kernel, proc, argv, found.node, { fds: { 0: new TextReader(stdin), 1: new Capture(), 2: proc.fds[2] } });
    return (yield { kind: "child", proc: child }) as number;
  }

  try {
    stop.push(api.watch("Service", () => q.add("sync")));
    stop.push(api.watch("EndpointSlice", () => q.add("sync")));
    // Chains first, then the jumps into them (iptables -C … || iptables -I …).
    yield* run(["iptables-restore", "--noflush"], "*filter\n:KUBE-SERVICES - [0:0]\n:KUBE-FORWARD - [0:0]\n:KUBE-EXTERNAL-SERVICES - [0:0]\n:KUBE-NODEPORTS - [0:0]\n:KUBE-PROXY-FIREWALL - [0:0]\nCOMMIT\n*nat\n:KUBE-SERVICES - [0:0]\n:KUBE-POSTROUTING - [0:0]\n:KUBE-MARK-MASQ - [0:0]\n:KUBE-NODEPORTS - [0:0]\nCOMMIT\n");
    for (const [table, chain, rule] of JUMPS) {
      const args = ["iptables", "-t", table, "-C", chain, ...splitRule(rule)];
      if ((yield* run(args)) !== 0) yield* run(["iptables", "-t", table, "-I", chain, ...splitRule(rule)]);
    }
    log('server_linux.go:66] "Using iptables proxy"');
    q.add("sync");
    for (;;) {
      if (q.next()) {
        while (q.next()) {
          /* coalesce before reading state: one sync covers every change seen so far, and a change
             that arrives while iptables-restore runs stays queued for the next pass */
        }
        // syncProxyRules: the whole desired state in one iptables-restore, stale chains deleted.
        const ports = servicePorts(api.list<Service>("Service"), api.list<EndpointSlice>("EndpointSlice"));
        let doc = proxyRules(ports, { clusterCIDR: "10.200.0.0/16" });
        const chains = new Set([...doc.matchAll(/^:(KUBE-(?:SVC|SEP|EXT)-\w+) /gm)].map((m) => m[1]!));
        const stale = [...previous].filter((c) => !chains.has(c));
        if (stale.length) doc = doc.replace(/\*nat\n/, `*nat\n${stale.map((c) => `:${c} - [0:0]`).join("\n")}\n`).replace(/COMMIT\n$/, `${stale.map((c) => `-X ${c}`).join("\n")}\nCOMMIT\n`);
        const status = yield* run(["iptables-restore", "--noflush"], doc);
        if (status !== 0) log(`proxier.go:1560] "Failed to execute iptables-restore" exitCode=${status}`);
        else previous = chains;
      }
      yield { kind: "notify", on: q.notifier };
    }
  } finally {
    for (const s of stop) s();
  }
}

/** Split a rule into words, keeping "quoted comments" together. */
function splitRule(rule: string): string[] {
  return [...rule.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}
