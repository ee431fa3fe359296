// Graceful pod deletion, as the kubelet does it: the API server stamps the pod with a
// deletionTimestamp (now + the grace period) and the kubelet sends SIGTERM to every container.
// A process that handles SIGTERM (nginx) ends at once; a pid 1 without a handler (sleep) ignores
// it, so the pod stays Terminating until SIGKILL at the end of the grace period. The pod object
// goes when its containers are gone.
import { describe, expect, it } from "vitest";
import { createCluster } from "../cluster";
import type { Pod } from "../api/types";

function clusterWith(run: string) {
  const c = createCluster({ workers: 1, seed: 1 });
  expect(c.sh(run).exitCode).toBe(0);
  c.settle();
  return c;
}
const exists = (c: ReturnType<typeof createCluster>, name: string) => c.api.tryGet<Pod>("Pod", "default", name) != null;

describe("graceful pod deletion", () => {
  it("a pid 1 that ignores SIGTERM keeps the pod Terminating for the whole grace period", () => {
    const c = clusterWith("kubectl run s --image=busybox:1.36 -- sleep 3600");
    expect(c.sh("kubectl delete pod s --wait=false").stdout).toBe('pod "s" deleted\n');
    const pod = c.api.get<Pod>("Pod", "default", "s");
    expect(pod.metadata.deletionGracePeriodSeconds).toBe(30);
    expect(Date.parse(pod.metadata.deletionTimestamp!) - Date.parse(c.sh("date -u +%Y-%m-%dT%H:%M:%SZ").stdout.trim())).toBe(30_000);
    c.tick(28_000);
    expect(c.sh("kubectl get pod s").stdout).toMatch(/^s +1\/1 +Terminating +0 +\d+s$/m);
    expect(c.sh("kubectl describe pod s").stdout).toMatch(/Normal +Killing +\d+s +kubelet +Stopping container s\n/);
    expect(c.node("worker-1").sh("pgrep -x sleep").stdout).toMatch(/^\d+\n$/);
    c.tick(4_000); // SIGKILL at 30 s, then the kubelet's next relist tears the pod down
    expect(exists(c, "s")).toBe(false);
    expect(c.node("worker-1").sh("pgrep -x sleep").exitCode).toBe(1);
  });

  it("nginx handles SIGTERM, so its pod is gone within a second, and kubectl delete waits for exactly that", () => {
    const c = clusterWith("kubectl run web --image=nginx:1.27");
    const t0 = c.sh("date +%s").stdout;
    expect(c.sh("kubectl delete pod web").stdout).toBe('pod "web" deleted\n');
    expect(exists(c, "web")).toBe(false);
    expect(Number(c.sh("date +%s").stdout) - Number(t0)).toBeLessThanOrEqual(1);
  });

  it("--grace-period shortens the wait; --force --grace-period=0 removes the object at once", () => {
    const c = clusterWith("kubectl run s --image=busybox:1.36 -- sleep 3600");
    c.sh("kubectl delete pod s --grace-period=5 --wait=false");
    expect(c.api.get<Pod>("Pod", "default", "s").metadata.deletionGracePeriodSeconds).toBe(5);
    c.tick(6_000);
    expect(exists(c, "s")).toBe(false);

    c.sh("kubectl run t --image=busybox:1.36 -- sleep 3600");
    c.settle();
    expect(c.sh("kubectl delete pod t --force --grace-period=0").stderr).toContain("Warning: Immediate deletion does not wait");
    expect(exists(c, "t")).toBe(false);
  });
});
