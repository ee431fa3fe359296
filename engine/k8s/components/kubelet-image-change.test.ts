// `kubectl set image pod/…`: the API server lets a running Pod change only its images, and the
// kubelet answers the change as the real one does (computePodActions: "container definition
// changed"): a Killing event, SIGTERM to the old container, SIGKILL if it is still there when the
// grace period ends, then the new image is pulled and a new container started at once, without
// back-off, one restart further on, while the pod keeps its sandbox and IP.
import { describe, expect, it } from "vitest";
import { createCluster } from "../cluster";
import type { Pod } from "../api/types";

function cluster() {
  return createCluster({ workers: 1, seed: 1 });
}
const status = (c: ReturnType<typeof cluster>, name: string) => c.api.get<Pod>("Pod", "default", name).status!;

describe("the kubelet restarts a container whose image changed", () => {
  it("nginx stops on SIGTERM, so the new image runs within the second: restart count 1, same sandbox and IP", () => {
    const c = cluster();
    c.sh("kubectl run p --image=nginx:1.27");
    c.settle();
    const before = c.api.get<Pod>("Pod", "default", "p");
    expect(c.sh("kubectl set image pod/p p=nginx:1.28").stdout).toBe("pod/p image updated\n");
    c.tick(1_000);
    const after = c.api.get<Pod>("Pod", "default", "p");
    const s = after.status!.containerStatuses![0]!;
    expect(s).toMatchObject({ image: "nginx:1.28", restartCount: 1, ready: true, state: { running: {} } });
    expect(s.containerID).not.toBe(before.status!.containerStatuses![0]!.containerID);
    expect(s.lastState?.terminated?.exitCode).toBe(143); // 128 + SIGTERM
    expect(after.status!.podIP).toBe(before.status!.podIP);
    expect(c.sh("kubectl get pod p").stdout).toMatch(/^p +1\/1 +Running +1 \(\ds ago\) +\d+s$/m);

    // The events in the kubelet's order; the new container needed no back-off.
    const described = c.sh("kubectl describe pod p").stdout;
    const tail = described.slice(described.indexOf("Events:"));
    const at = ["Container p definition changed, will be restarted", 'Pulling image "nginx:1.28"', 'Successfully pulled image "nginx:1.28"', "Created container: p", "Started container p"].map((m) => tail.indexOf(m));
    expect(at.every((i, k) => i > 0 && (k === 0 || i > at[k - 1]!))).toBe(true);
    expect(tail).toMatch(/Normal +Killing +\d+s +kubelet +Container p definition changed, will be restarted\n/);
    expect(tail).not.toContain("BackOff");

    // On the node: crictl counts the attempt, and the running container is the new image.
    const ps = c.node("worker-1").sh("crictl ps --name p").stdout.split("\n")[1]!;
    expect(ps).toMatch(/^\w{13} +nginx:1\.28 +.* Running +p +1 +/);
  });

  it("a pid 1 without a SIGTERM handler keeps the old image running until the grace period ends", () => {
    const c = cluster();
    c.sh("kubectl run s --image=busybox:1.36 -- sleep 3600");
    c.settle();
    c.sh("kubectl set image pod/s s=debian:bookworm-slim");
    c.tick(10_000);
    // sleep, pid 1 of its pid namespace, ignored SIGTERM: the status still shows what runs.
    expect(status(c, "s").containerStatuses![0]).toMatchObject({ image: "busybox:1.36", restartCount: 0, state: { running: {} } });
    c.tick(25_000); // 30 s after the SIGTERM: SIGKILL, then the new container
    const s = status(c, "s").containerStatuses![0]!;
    expect(s).toMatchObject({ image: "debian:bookworm-slim", restartCount: 1, state: { running: {} } });
    expect(s.lastState?.terminated?.exitCode).toBe(137); // 128 + SIGKILL
  });
});
