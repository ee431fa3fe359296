// The scheduler's profile: the filter and score plugins it runs and their weights, as a
// KubeSchedulerConfiguration profile lists them. Upstream, an out-of-tree score plugin is
// compiled into a custom scheduler binary and enabled in the profile; here a plugin written in
// TypeScript is added to a cluster's profile, and kube-scheduler uses it from its next pod on.
import type { ClusterContext } from "../components/context";
import { DEFAULT_FILTERS, DEFAULT_SCORES } from "./framework";
import type { FilterPlugin, ScorePlugin } from "./types";

export interface SchedulerProfile {
  filters: readonly FilterPlugin[];
  scores: readonly ScorePlugin[];
}

const profiles = new WeakMap<ClusterContext, SchedulerProfile>();

export function profileOf(ctx: ClusterContext): SchedulerProfile {
  return profiles.get(ctx) ?? { filters: DEFAULT_FILTERS, scores: DEFAULT_SCORES };
}

export class ProfileError extends Error {}

/** Enable a score plugin (weights must be whole numbers 1..100, names unique), as the config would. */
export function addScorePlugin(ctx: ClusterContext, plugin: ScorePlugin): void {
  const p = profileOf(ctx);
  if (!plugin || typeof plugin.name !== "string" || !/^[A-Za-z][A-Za-z0-9-]*$/.test(plugin.name)) throw new ProfileError("a score plugin needs a name (letters, digits, dashes)");
  if (typeof plugin.score !== "function") throw new ProfileError(`score plugin "${plugin.name}" has no score(pod, node) function`);
  if (!Number.isInteger(plugin.weight) || plugin.weight < 1 || plugin.weight > 100) throw new ProfileError(`score plugin "${plugin.name}": weight must be an integer from 1 to 100, got ${String(plugin.weight)}`);
  if (p.scores.some((s) => s.name === plugin.name)) throw new ProfileError(`score plugin "${plugin.name}" is already enabled`);
  profiles.set(ctx, { filters: p.filters, scores: [...p.scores, plugin] });
}

/** Disable a score plugin by name (true if it was enabled). */
export function removeScorePlugin(ctx: ClusterContext, name: string): boolean {
  const p = profileOf(ctx);
  const scores = p.scores.filter((s) => s.name !== name);
  profiles.set(ctx, { filters: p.filters, scores });
  return scores.length !== p.scores.length;
}
