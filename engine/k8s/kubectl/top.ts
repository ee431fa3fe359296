// kubectl top node|pod: read the metrics API and print kubectl's columns — CPU in millicores,
// memory in Mi (whole mebibytes, rounded down), node percentages against allocatable.
import type { CommandContext } from "../../shell/command";
import type { ClusterContext } from "../components/context";
import type { Node } from "../api/types";
import { MetricsUnavailable, nodeMetrics, podMetrics } from "../api/metrics";
import type { NodeMetrics, PodMetrics } from "../api/metrics";
import { parseSelector, matches } from "../api/labels";
import { parseQuantity } from "../quantity";
import { humanDuration, renderTable } from "./printers";

export interface TopFlags {
  namespace?: string;
  allNamespaces: boolean;
  selector?: string;
  containers: boolean;
  noHeaders: boolean;
  sortBy?: string;
}

const cpu = (m: number) => `${m}m`;
const mem = (b: number) => `${Math.floor(b / (1024 * 1024))}Mi`;

function sorted<T extends { name: string; cpuMilli: number; memoryBytes: number }>(items: T[], by: string | undefined): T[] {
  if (by === "cpu") return [...items].sort((a, b) => b.cpuMilli - a.cpuMilli);
  if (by === "memory") return [...items].sort((a, b) => b.memoryBytes - a.memoryBytes);
  return [...items].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function top(ctx: CommandContext, c: ClusterContext, args: string[], f: TopFlags): number {
  const [what, name] = args;
  if (f.sortBy !== undefined && f.sortBy !== "cpu" && f.sortBy !== "memory") {
    ctx.err("error: --sort-by accepts only cpu or memory\n");
    return 1;
  }
  let sel;
  try {
    sel = f.selector ? parseSelector(f.selector) : undefined;
  } catch (e) {
    ctx.err(`error: ${(e as Error).message}\n`);
    return 1;
  }
  try {
    if (what === "node" || what === "nodes" || what === "no") return topNode(ctx, c, name, f, sel);
    if (what === "pod" || what === "pods" || what === "po") return topPod(ctx, c, name, f, sel);
  } catch (e) {
    if (e instanceof MetricsUnavailable) {
      ctx.err(`error: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  ctx.err(what ? `error: unknown command "${what}" for "kubectl top"\n\nDid you mean this?\n\tnode\n\tpod\n` : "Display resource (CPU/memory) usage.\n\n The top command allows you to see the resource consumption for nodes or pods.\n\n This command requires Metrics Server to be correctly configured and working on the server.\n\nAvailable Commands:\n  node          Display resource (CPU/memory) usage of nodes\n  pod           Display resource (CPU/memory) usage of pods\n\nUsage:\n  kubectl top [flags] [options]\n");
  return what ? 1 : 0;
}

function topNode(ctx: CommandContext, c: ClusterContext, name: string | undefined, f: TopFlags, sel: ReturnType<typeof parseSelector> | undefined): number {
  let nodes = c.api.list<Node>("Node", undefined, sel);
  if (name) {
    nodes = nodes.filter((n) => n.metadata.name === name);
    if (!nodes.length) {
      ctx.err(`Error from server (NotFound): nodes "${name}" not found\n`);
      return 1;
    }
  }
  const metrics = new Map(nodeMetrics(c).map((m) => [m.name, m]));
  const known = nodes.filter((n) => metrics.has(n.metadata.name));
  if (!known.length) {
    ctx.err(name ? `error: metrics not available yet\n` : "error: metrics not available yet\n");
    return 1;
  }
  const rows = sorted(known.map((n) => metrics.get(n.metadata.name)!) as NodeMetrics[], f.sortBy).map((m) => {
    const alloc = nodes.find((n) => n.metadata.name === m.name)!.status?.allocatable ?? {};
    const cpuAlloc = parseQuantity(String(alloc.cpu ?? "1")).milliValue();
    const memAlloc = parseQuantity(String(alloc.memory ?? "1")).value();
    return [m.name, cpu(m.cpuMilli), `${Math.floor((m.cpuMilli * 100) / cpuAlloc)}%`, mem(m.memoryBytes), `${Math.floor((m.memoryBytes * 100) / memAlloc)}%`];
  });
  // Nodes metrics-server could not scrape still get a line, every value unknown.
  for (const n of nodes) if (!metrics.has(n.metadata.name)) rows.push([n.metadata.name, "<unknown>", "<unknown>", "<unknown>", "<unknown>"]);
  ctx.out(renderTable({ header: ["NAME", "CPU(cores)", "CPU(%)", "MEMORY(bytes)", "MEMORY(%)"], rows }, !f.noHeaders));
  return 0;
}

function topPod(ctx: CommandContext, c: ClusterContext, name: string | undefined, f: TopFlags, sel: ReturnType<typeof parseSelector> | undefined): number {
  const ns = f.allNamespaces ? undefined : (f.namespace ?? "default");
  let metrics: PodMetrics[] = podMetrics(c, ns);
  if (sel) {
    const labels = new Map(c.api.list("Pod", ns).map((p) => [`${p.metadata.namespace}/${p.metadata.name}`, p.metadata.labels]));
    metrics = metrics.filter((m) => matches(labels.get(`${m.namespace}/${m.name}`), sel));
  }
  if (name) {
    metrics = metrics.filter((m) => m.name === name);
    if (!metrics.length) {
      if (!c.api.tryGet("Pod", ns ?? "default", name)) ctx.err(`Error from server (NotFound): pods "${name}" not found\n`);
      else {
        const pod = c.api.get("Pod", ns ?? "default", name);
        ctx.err(`error: Metrics not available for pod ${ns ?? "default"}/${name}, age: ${humanDuration(c.clock.epochMs() - Date.parse(pod.metadata.creationTimestamp ?? ""))}\n`);
      }
      return 1;
    }
  }
  if (!metrics.length) {
    const any = c.api.list("Pod", ns, sel).length;
    if (!any) ctx.err(ns ? `No resources found in ${ns} namespace.\n` : "No resources found\n");
    else ctx.err("error: metrics not available yet\n");
    return any ? 1 : 0;
  }
  const header = f.containers ? ["POD", "NAME", "CPU(cores)", "MEMORY(bytes)"] : ["NAME", "CPU(cores)", "MEMORY(bytes)"];
  if (f.allNamespaces) header.unshift("NAMESPACE");
  const rows: string[][] = [];
  for (const m of sorted(metrics, f.sortBy)) {
    const lead = f.allNamespaces ? [m.namespace] : [];
    if (f.containers) for (const ct of m.containers) rows.push([...lead, m.name, ct.name, cpu(ct.cpuMilli), mem(ct.memoryBytes)]);
    else rows.push([...lead, m.name, cpu(m.cpuMilli), mem(m.memoryBytes)]);
  }
  ctx.out(renderTable({ header, rows }, !f.noHeaders));
  return 0;
}
