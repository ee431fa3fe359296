// The RequestTimeline's story, built from a real cluster's event log: one kubectl request and
// what followed, step by step, in the order seed 002 tells it; reads do not start a new story.
import { describe, expect, it } from "vitest";
import { createCluster } from "../../engine";
import type { EngineEvent } from "../../engine";
import { RequestStory, STAGES } from "./request-story";

function story(lines: string[], settle = true) {
  const c = createCluster({ workers: 2, seed: 1 });
  const s = new RequestStory();
  const events: EngineEvent[] = [];
  c.on("event", (e) => {
    events.push(e);
    s.feed(e);
  });
  for (const l of lines) {
    c.controlPlane.sh(l);
    if (settle) c.settle();
  }
  return { s, c, events };
}

describe("RequestStory", () => {
  it("nothing before a kubectl command writes", () => {
    const { s } = story(["kubectl get pods", "hostname"]);
    expect(s.story).toBeNull();
  });

  it("kubectl create deployment: every stage, in the order of the walkthrough", () => {
    const { s, c } = story(["kubectl create deployment web --image=nginx --replicas=3"]);
    const st = s.story!;
    expect(st.command).toBe("kubectl create deployment web --image=nginx --replicas=3");
    expect(st.steps[0]).toMatchObject({ stage: "kubectl", title: "POST /apis/apps/v1/namespaces/default/deployments" });
    expect(st.steps[1]).toMatchObject({ stage: "apiserver", title: "Deployment default/web: decoded, defaulted, validated" });
    expect(st.steps[2]).toMatchObject({ stage: "etcd", title: "PUT /registry/deployments/default/web" });
    // The first step of each stage comes in the walkthrough's order. (The runtime starts the
    // pause container inside the kubelet's sandbox request, so its first step comes just before
    // the kubelet reports the sandbox: after the scheduler, before the kubelet's CNI step.)
    const firstOf = STAGES.map((g) => st.steps.findIndex((x) => x.stage === g.id));
    expect(firstOf.every((i) => i >= 0)).toBe(true);
    const upToKubelet = firstOf.slice(0, -1);
    expect([...upToKubelet].sort((a, b) => a - b)).toEqual(upToKubelet);
    const runtime = firstOf.at(-1)!;
    expect(st.steps[runtime]!.title).toMatch(/pause/);
    expect(st.steps[runtime + 1]).toMatchObject({ stage: "kubelet", title: expect.stringMatching(/sandbox/) });
    expect(runtime).toBeGreaterThan(firstOf[4]!);
    // Three pods: three bindings, three sandboxes + networks + containers, six runtime starts (pause + nginx).
    expect(st.counts).toMatchObject({ kubectl: 1, apiserver: 1, scheduler: 3, kubelet: 9, runtime: 6 });
    expect(st.steps.filter((x) => x.stage === "controller").map((x) => x.title)).toEqual(["deployment-controller: ScalingReplicaSet", "replicaset-controller: SuccessfulCreate", "replicaset-controller: SuccessfulCreate", "replicaset-controller: SuccessfulCreate"]);
    // Times never go backwards, and the bindings name the nodes kubectl shows.
    expect(st.steps.every((x, i) => i === 0 || x.time >= st.steps[i - 1]!.time)).toBe(true);
    const nodes = c.sh("kubectl get pods -o wide").stdout.trim().split("\n").slice(1).map((l) => l.split(/\s+/)[6]).sort();
    expect(st.steps.filter((x) => x.stage === "scheduler").map((x) => /to (\S+)$/.exec(x.title)![1]).sort()).toEqual(nodes);
    // No status reports or Event objects among the etcd writes.
    expect(st.steps.some((x) => x.stage === "etcd" && /\/registry\/events\//.test(x.title))).toBe(false);
  });

  it("a read keeps the story; the next write starts a new one (kubectl scale is a PATCH)", () => {
    const { s } = story(["kubectl create deployment web --image=nginx --replicas=1", "kubectl get pods", "kubectl scale deployment web --replicas=2"]);
    const st = s.story!;
    expect(st.command).toBe("kubectl scale deployment web --replicas=2");
    expect(st.steps[0]).toMatchObject({ stage: "kubectl", title: "PATCH /apis/apps/v1/namespaces/default/deployments/web" });
    expect(st.counts).toMatchObject({ scheduler: 1, kubelet: 3 });
  });

  it("an invalid request stores nothing and starts no story", () => {
    const { s } = story(["kubectl create deployment web --image=nginx --replicas=1", "kubectl scale deployment nope --replicas=2"]);
    expect(s.story!.command).toBe("kubectl create deployment web --image=nginx --replicas=1");
  });
});
