// The scheduling framework: run every filter plugin on nodes (stopping once enough feasible
// nodes are found, as percentageOfNodesToScore says), score the feasible ones with each score
// plugin, normalise, weight, sum, pick the best. The full table is returned so a widget can
// show why each node won or lost.
import type { Random } from "../../sim/random";
import { balancedAllocation } from "./plugins/balanced-allocation";
import { nodeAffinityFilter, nodeAffinityScore } from "./plugins/node-affinity";
import { nodeName } from "./plugins/node-name";
import { nodeResourcesFitFilter, nodeResourcesFitScore } from "./plugins/node-resources-fit";
import { nodeUnschedulable } from "./plugins/node-unschedulable";
import { taintTolerationFilter, taintTolerationScore } from "./plugins/taint-toleration";
import type { FilterPlugin, FilterStatus, NodeInfo, PodInfo, ScorePlugin } from "./types";
import { MAX_NODE_SCORE } from "./types";

/** The default profile's plugins, in the kube-scheduler's order. */
export const DEFAULT_FILTERS: FilterPlugin[] = [nodeUnschedulable, nodeName, taintTolerationFilter, nodeAffinityFilter, nodeResourcesFitFilter];
export const DEFAULT_SCORES: ScorePlugin[] = [taintTolerationScore, nodeAffinityScore, nodeResourcesFitScore, balancedAllocation];

export interface NodeVerdict {
  node: string;
  filters: { plugin: string; status: FilterStatus }[];
  feasible: boolean;
  /** Normalised 0..100 per plugin (before weights), for feasible nodes. */
  scores: { plugin: string; raw: number; normalized: number; weight: number }[];
  total: number;
}

export interface ScheduleResult {
  node: string | null;
  verdicts: NodeVerdict[];
  /** FailedScheduling text when no node fits. */
  message?: string;
  /** How many nodes were examined (percentageOfNodesToScore). */
  evaluated: number;
}

const MIN_FEASIBLE_NODES = 100;
const MIN_FEASIBLE_PERCENT = 5;

/** numFeasibleNodesToFind with the adaptive default percentage (50 - nodes/125, at least 5 %). */
export function numFeasibleNodesToFind(numAllNodes: number, percentage = 0): number {
  if (numAllNodes < MIN_FEASIBLE_NODES) return numAllNodes;
  let pct = percentage;
  if (pct <= 0) pct = Math.max(MIN_FEASIBLE_PERCENT, 50 - Math.floor(numAllNodes / 125));
  if (pct >= 100) return numAllNodes;
  return Math.max(MIN_FEASIBLE_NODES, Math.floor((numAllNodes * pct) / 100));
}

/** "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {…}." */
export function fitErrorMessage(total: number, reasons: string[]): string {
  const counts = new Map<string, number>();
  for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  const parts = [...counts].map(([r, n]) => `${n} ${r}`).sort();
  return `0/${total} nodes are available: ${parts.join(", ")}.`;
}

export interface ScheduleOptions {
  rng: Random;
  /** Round-robin start (the scheduler remembers where the last search stopped). */
  startIndex?: number;
  percentageOfNodesToScore?: number;
  filters?: readonly FilterPlugin[];
  scores?: readonly ScorePlugin[];
}

/** Name → NodeInfo, built once per node list: the scheduler cache hands out the same array until a node
 * changes (a caller must not change a list in place once it has scheduled with it). */
const nameIndexes = new WeakMap<readonly NodeInfo[], Map<string, NodeInfo>>();
function nameIndex(nodes: readonly NodeInfo[]): Map<string, NodeInfo> {
  let index = nameIndexes.get(nodes);
  if (!index || index.size !== nodes.length) nameIndexes.set(nodes, (index = new Map(nodes.map((n) => [n.name, n]))));
  return index;
}

export function schedule(pod: PodInfo, nodes: NodeInfo[], opts: ScheduleOptions): ScheduleResult & { nextStartIndex: number } {
  const filters = opts.filters ?? DEFAULT_FILTERS;
  const scorers = opts.scores ?? DEFAULT_SCORES;
  const want = numFeasibleNodesToFind(nodes.length, opts.percentageOfNodesToScore);
  const start = nodes.length ? (opts.startIndex ?? 0) % nodes.length : 0;
  const verdicts: NodeVerdict[] = [];
  const reasons: string[] = [];
  let feasibleCount = 0;
  let evaluated = 0;
  for (let i = 0; i < nodes.length && feasibleCount < want; i++) {
    const node = nodes[(start + i) % nodes.length]!;
    evaluated++;
    const v: NodeVerdict = { node: node.name, filters: [], feasible: true, scores: [], total: 0 };
    for (const f of filters) {
      const status = f.filter(pod, node);
      v.filters.push({ plugin: f.name, status });
      if (!status.ok) {
        v.feasible = false;
        // A node's reasons all count (NodeResourcesFit can report several).
        for (const r of (status.reason ?? f.name).split(", ")) reasons.push(r);
        break;
      }
    }
    if (v.feasible) feasibleCount++;
    verdicts.push(v);
  }
  const nextStartIndex = nodes.length ? (start + evaluated) % nodes.length : 0;
  const feasible = verdicts.filter((v) => v.feasible);
  if (feasible.length === 0) return { node: null, verdicts, message: fitErrorMessage(nodes.length, reasons), evaluated, nextStartIndex };

  const byName = nameIndex(nodes);
  for (const s of scorers) {
    let raw: number[];
    let norm: number[];
    try {
      raw = feasible.map((v) => s.score(pod, byName.get(v.node)!));
      norm = s.normalize ? s.normalize(raw) : raw;
    } catch (e) {
      return { node: null, verdicts, message: `running Score plugins: plugin "${s.name}": ${e instanceof Error ? e.message : String(e)}`, evaluated, nextStartIndex };
    }
    // Upstream rejects a score outside [0, 100] after NormalizeScore: the scheduling cycle fails.
    const bad = norm.find((x) => typeof x !== "number" || !Number.isFinite(x) || x < 0 || x > MAX_NODE_SCORE);
    if (bad !== undefined || norm.length !== feasible.length) {
      return { node: null, verdicts, message: `running Score plugins: plugin "${s.name}" returns an invalid score ${String(bad)}, it should in the range of [0, ${MAX_NODE_SCORE}] after normalizing`, evaluated, nextStartIndex };
    }
    feasible.forEach((v, i) => {
      v.scores.push({ plugin: s.name, raw: raw[i]!, normalized: norm[i]!, weight: s.weight });
      v.total += norm[i]! * s.weight;
    });
  }
  // Highest total wins; ties are broken at random (reservoir sampling upstream, seeded here).
  let best: NodeVerdict[] = [];
  for (const v of feasible) {
    if (!best.length || v.total > best[0]!.total) best = [v];
    else if (v.total === best[0]!.total) best.push(v);
  }
  const winner = best.length === 1 ? best[0]! : best[Math.floor(opts.rng.next() * best.length)]!;
  return { node: winner.node, verdicts, evaluated, nextStartIndex };
}
