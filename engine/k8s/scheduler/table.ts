// The scheduler's reasoning as a typed table, for the SchedulerTable widget, lessons and tests:
// one row per node, one cell per plugin (filter verdict, raw score, normalised score, weight),
// the weighted total and the winner. Two sources, kept apart on purpose:
//   - decisionTable: what kube-scheduler really decided for a pod (its last ScheduleResult);
//   - previewTable: the same framework run now, as a dry run, on the cluster's current nodes,
//     optionally with the pod's requests changed ("what if it asked for 1500m?"). Nothing is
//     bound and the cluster's random stream is not touched.
import type { Host } from "../../linux/host";
import type { Node, Pod } from "../api/types";
import { kernelOf } from "../cluster";
import { clusterOf } from "../components/context";
import type { ClusterContext } from "../components/context";
import { nodeInfos, podInfo } from "../components/scheduler";
import { Random } from "../../sim/random";
import { schedule } from "./framework";
import { profileOf } from "./profile";
import type { ScheduleResult } from "./framework";
import type { PodInfo, Resources } from "./types";

export interface FilterCell {
  plugin: string;
  /** "pass", "fail", or "skipped" (an earlier filter already rejected the node). */
  result: "pass" | "fail" | "skipped";
  reason?: string;
}

export interface ScoreCell {
  plugin: string;
  raw: number;
  /** 0..100 after NormalizeScore (the raw score when the plugin has no normalisation). */
  normalized: number;
  weight: number;
  /** normalized × weight: what this plugin adds to the node's total. */
  weighted: number;
}

export interface NodeRow {
  node: string;
  feasible: boolean;
  filters: FilterCell[];
  /** Empty for infeasible nodes: only feasible nodes are scored. */
  scores: ScoreCell[];
  total: number;
  winner: boolean;
}

export interface SchedulingTable {
  /** "namespace/name" */
  pod: string;
  source: "decision" | "preview";
  /** Virtual ms of the decision (the scheduler's), or of the preview. */
  at: number;
  /** The pod's requests as the scheduler counted them (millicores, bytes). */
  requests: Resources;
  filterPlugins: string[];
  scorePlugins: { plugin: string; weight: number }[];
  nodes: NodeRow[];
  node: string | null;
  /** Nodes that share the highest total, when more than one does: the winner was drawn among them. */
  tied: string[];
  /** The FailedScheduling message when no node fits. */
  message?: string;
}

/** The cluster a host belongs to (a page's world is the control-plane host). */
export function clusterContextOf(host: Host): ClusterContext | undefined {
  return clusterOf(kernelOf(host));
}

function tableOf(ctx: ClusterContext, pod: string, source: SchedulingTable["source"], at: number, requests: Resources, r: ScheduleResult, placedOn?: string): SchedulingTable {
  const feasible = r.verdicts.filter((v) => v.feasible);
  const top = Math.max(...feasible.map((v) => v.total));
  const tied = feasible.length > 1 ? feasible.filter((v) => v.total === top).map((v) => v.node) : [];
  // A preview of a placed pod whose node is among the tied: that is the draw the scheduler made.
  const winner = placedOn && tied.includes(placedOn) ? placedOn : r.node;
  const profile = profileOf(ctx);
  const filterPlugins = profile.filters.map((f) => f.name);
  const nodes: NodeRow[] = r.verdicts.map((v) => {
    const filters: FilterCell[] = filterPlugins.map((plugin) => {
      const f = v.filters.find((x) => x.plugin === plugin);
      if (!f) return { plugin, result: "skipped" };
      return f.status.ok ? { plugin, result: "pass" } : { plugin, result: "fail", ...(f.status.reason ? { reason: f.status.reason } : {}) };
    });
    const scores = v.scores.map((s) => ({ plugin: s.plugin, raw: s.raw, normalized: s.normalized, weight: s.weight, weighted: s.normalized * s.weight }));
    return { node: v.node, feasible: v.feasible, filters, scores, total: v.total, winner: v.node === winner };
  });
  return {
    pod,
    source,
    at,
    requests,
    filterPlugins,
    scorePlugins: profile.scores.map((s) => ({ plugin: s.name, weight: s.weight })),
    nodes,
    node: winner,
    tied: tied.length > 1 ? tied : [],
    ...(r.message ? { message: r.message } : {}),
  };
}

/** The scheduler's last real decision for a pod ("ns/name"), or null if it never tried. */
export function decisionTable(ctx: ClusterContext, pod: string): SchedulingTable | null {
  const r = ctx.schedulingResults.get(pod);
  if (!r) return null;
  const p = ctx.api.tryGet<Pod>("Pod", pod.split("/")[0]!, pod.split("/")[1]!);
  return tableOf(ctx, pod, "decision", r.at, p ? podInfo(p).requests : { milliCPU: 0, memory: 0 }, r);
}

export interface PreviewOptions {
  /** Replace the pod's total CPU request (millicores). */
  milliCPU?: number;
  /** Replace the pod's total memory request (bytes). */
  memory?: number;
}

/**
 * Run the framework now for a pod, as if it were not placed yet: the pod itself is taken out of
 * its node's accounting. Null when the pod does not exist.
 */
export function previewTable(ctx: ClusterContext, pod: string, opts: PreviewOptions = {}): SchedulingTable | null {
  const [ns, name] = pod.split("/") as [string, string];
  const p = ctx.api.tryGet<Pod>("Pod", ns, name);
  if (!p) return null;
  const others = ctx.api.list<Pod>("Pod").filter((o) => o.metadata.uid !== p.metadata.uid);
  const info: PodInfo = { ...podInfo(p), nodeName: undefined } as PodInfo;
  delete info.nodeName; // spec.nodeName set by the scheduler's own binding is not a request
  for (const r of ["milliCPU", "memory"] as const) {
    const v = opts[r];
    if (v === undefined || !Number.isFinite(v) || v < 0) continue;
    info.requests = { ...info.requests, [r]: Math.round(v) };
    info.nonZeroRequests = { ...info.nonZeroRequests, [r]: Math.round(v) };
  }
  const profile = profileOf(ctx);
  const r = schedule(info, nodeInfos(ctx.api.list<Node>("Node"), others), { rng: new Random(1), filters: profile.filters, scores: profile.scores });
  return tableOf(ctx, pod, "preview", ctx.clock.now(), info.requests, r, p.spec.nodeName);
}

export interface SchedulingCandidate {
  pod: string;
  phase: string;
  node: string | null;
  /** Virtual ms of the scheduler's last decision about it. */
  decidedAt: number | null;
}

/** Pods worth a table: every pod the scheduler has decided on or that waits for it, newest first. */
export function schedulingCandidates(ctx: ClusterContext): SchedulingCandidate[] {
  const out: SchedulingCandidate[] = [];
  for (const p of ctx.api.list<Pod>("Pod")) {
    const key = `${p.metadata.namespace ?? "default"}/${p.metadata.name}`;
    const r = ctx.schedulingResults.get(key);
    if (!r && p.spec.nodeName) continue; // placed by hand (spec.nodeName): the scheduler never saw it
    out.push({ pod: key, phase: p.status?.phase ?? "Pending", node: p.spec.nodeName ?? null, decidedAt: r?.at ?? null });
  }
  return out.sort((a, b) => (b.decidedAt ?? Infinity) - (a.decidedAt ?? Infinity) || a.pod.localeCompare(b.pod));
}
