// Custom score plugins: a plugin written in TypeScript joins the cluster's scheduler profile and
// kube-scheduler weighs it for the next pod; the tables show it; a plugin that returns a score
// outside 0..100 fails the scheduling cycle as upstream does; bad configuration is refused.
import { describe, expect, it } from "vitest";
import { createCluster } from "../cluster";
import type { Pod } from "../api/types";
import { addScorePlugin, ProfileError, profileOf, removeScorePlugin } from "./profile";
import { previewTable } from "./table";
import type { ScorePlugin } from "./types";

const preferLast: ScorePlugin = { name: "PreferHighestNode", weight: 10, score: (_pod, node) => Number(node.name.split("-")[1]) * 10 };
const nodeOf = (c: ReturnType<typeof createCluster>, pod: string) => c.api.get<Pod>("Pod", "default", pod).spec.nodeName;

describe("custom score plugins", () => {
  it("are weighed by kube-scheduler and shown in the tables", () => {
    const c = createCluster({ workers: 3, seed: 6 });
    addScorePlugin(c.context, preferLast);
    for (const n of ["a", "b", "c"]) c.sh(`kubectl run ${n} --image=nginx:1.27`);
    c.tick(1_000);
    expect(["a", "b", "c"].map((n) => nodeOf(c, n))).toEqual(["worker-3", "worker-3", "worker-3"]);
    const t = previewTable(c.context, "default/a")!;
    expect(t.scorePlugins.at(-1)).toEqual({ plugin: "PreferHighestNode", weight: 10 });
    expect(t.nodes.find((n) => n.node === "worker-3")!.scores.at(-1)).toEqual({ plugin: "PreferHighestNode", raw: 30, normalized: 30, weight: 10, weighted: 300 });

    expect(removeScorePlugin(c.context, "PreferHighestNode")).toBe(true);
    expect(profileOf(c.context).scores.map((s) => s.name)).toEqual(["TaintToleration", "NodeAffinity", "NodeResourcesFit", "NodeResourcesBalancedAllocation"]);
    c.sh("kubectl run d --image=nginx:1.27");
    c.tick(1_000);
    expect(nodeOf(c, "d")).not.toBe("worker-3"); // the emptier nodes win again
  });

  it("a score outside 0..100 fails the cycle with upstream's message; a throwing plugin too", () => {
    const c = createCluster({ workers: 2, seed: 6 });
    addScorePlugin(c.context, { name: "TooHigh", weight: 1, score: () => 150 });
    c.sh("kubectl run p --image=nginx:1.27");
    c.tick(1_000);
    expect(nodeOf(c, "p")).toBeUndefined();
    expect(c.sh("kubectl describe pod p").stdout).toContain('running Score plugins: plugin "TooHigh" returns an invalid score 150, it should in the range of [0, 100] after normalizing');
    removeScorePlugin(c.context, "TooHigh");
    addScorePlugin(c.context, { name: "Broken", weight: 1, score: () => { throw new Error("boom"); } });
    expect(previewTable(c.context, "default/p")!.message).toBe('running Score plugins: plugin "Broken": boom');
  });

  it("refuses a bad configuration", () => {
    const c = createCluster({ workers: 1, seed: 6 });
    expect(() => addScorePlugin(c.context, { ...preferLast, weight: 0 })).toThrow(new ProfileError('score plugin "PreferHighestNode": weight must be an integer from 1 to 100, got 0'));
    expect(() => addScorePlugin(c.context, { ...preferLast, name: "NodeAffinity" })).toThrow('score plugin "NodeAffinity" is already enabled');
    expect(() => addScorePlugin(c.context, { name: "x y", weight: 1, score: () => 0 })).toThrow(ProfileError);
  });
});
