// kube-scheduler's unschedulable pool: a pod that fits nowhere is not retried in a tight loop
// (its own status update and kubelet heartbeats do not wake it); a relevant change — a removed
// taint, a deleted pod that frees requests — does, and otherwise it is retried every 5 minutes.
import { describe, expect, it } from "vitest";
import { createCluster } from "../cluster";
import type { Pod } from "../api/types";
import type { KEvent as Event } from "../api/events";

const failures = (c: ReturnType<typeof createCluster>, pod: string) =>
  c.api.list<Event>("Event", "default").filter((e) => e.involvedObject.name === pod && e.reason === "FailedScheduling").reduce((n, e) => n + (e.count ?? 1), 0);
const nodeOf = (c: ReturnType<typeof createCluster>, pod: string) => c.api.get<Pod>("Pod", "default", pod).spec.nodeName;

describe("kube-scheduler retries", () => {
  it("tries an unschedulable pod once, then again only after 5 minutes", () => {
    const c = createCluster({ workers: 1, seed: 2 });
    c.sh("kubectl taint node worker-1 k=v:NoSchedule");
    c.sh("kubectl run p --image=nginx:1.27");
    c.tick(60_000);
    expect(failures(c, "p")).toBe(1);
    c.tick(250_000);
    expect(failures(c, "p")).toBe(2);
    expect(c.sh("kubectl describe pod p").stdout).toMatch(/FailedScheduling {2}\d+s \(x2 over 5m\d+s\) {2}default-scheduler {2}0\/1 nodes are available: 1 node\(s\) had untolerated taint \{k: v\}\.\n/);
  });

  it("wakes the pod when the taint goes, and when a bound pod's deletion frees CPU", () => {
    const c = createCluster({ workers: 1, seed: 2 });
    c.sh("kubectl taint node worker-1 k=v:NoSchedule");
    c.sh("kubectl run p --image=nginx:1.27");
    c.tick(1_000);
    c.sh("kubectl taint node worker-1 k=v:NoSchedule-");
    c.tick(1_000);
    expect(nodeOf(c, "p")).toBe("worker-1");

    const big = (name: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n  - name: a\n    image: nginx:1.27\n    resources:\n      requests:\n        cpu: 1500m\n`;
    c.sh("kubectl apply -f -", { stdin: big("one") });
    c.tick(1_000);
    c.sh("kubectl apply -f -", { stdin: big("two") });
    c.tick(1_000);
    expect(nodeOf(c, "one")).toBe("worker-1");
    expect(nodeOf(c, "two")).toBeUndefined();
    c.sh("kubectl delete pod one");
    c.tick(60_000);
    expect(nodeOf(c, "two")).toBe("worker-1");
    expect(failures(c, "two")).toBe(1);
  });
});
