// `kubectl set image pod/…`: the API server lets a running Pod change only its images, and the
// kubelet answers the change as the real one does (computePodActions: "container definition
// changed"): a Killing event, SIGTERM to the old container (nginx as pid 1 has no handler, so
// SIGKILL when the grace period ends), then the new image is pulled and a new container started
// at once, without back-off, one restart further on, while the pod keeps its sandbox and IP.
import { describe, expect, it } from "vitest";
import { createCluster } from "../cluster";
import type { Pod } from "../api/types";

function podAfterSetImage() {
  const c = createCluster({ workers: 1, seed: 1 });
  c.sh("kubectl run p --image=nginx:1.27");
  c.settle();
  const before = c.api.get<Pod>("Pod", "default", "p");
  expect(c.sh("kubectl set image pod/p p=nginx:1.28").stdout).toBe("pod/p image updated\n");
  return { c, before };
}

const status = (c: ReturnType<typeof createCluster>) => c.api.get<Pod>("Pod", "default", "p").status!;

describe("the kubelet restarts a container whose image changed", () => {
  it("kills the old container: Killing event, and the status still shows the image that runs", () => {
    const { c } = podAfterSetImage();
    c.tick(1_000);
    expect(c.sh("kubectl describe pod p").stdout).toMatch(/Normal +Killing +\d+s +kubelet +Container p definition changed, will be restarted\n/);
    const s = status(c).containerStatuses![0]!;
    expect(s).toMatchObject({ image: "nginx:1.27", restartCount: 0, state: { running: {} } });
    // nginx, pid 1 of its pid namespace, has no SIGTERM handler: it is still there.
    expect(c.node("worker-1").sh("pgrep -f 'nginx: master'").stdout).toMatch(/^\d+\n$/);
  });

  it("after the grace period: the new image runs in a new container, restart count 1, same sandbox and IP", () => {
    const { c, before } = podAfterSetImage();
    const oldId = before.status!.containerStatuses![0]!.containerID;
    c.tick(31_000);
    c.settle();
    const after = c.api.get<Pod>("Pod", "default", "p");
    const s = after.status!.containerStatuses![0]!;
    expect(s).toMatchObject({ image: "nginx:1.28", restartCount: 1, ready: true, state: { running: {} } });
    expect(s.containerID).not.toBe(oldId);
    expect(s.lastState?.terminated?.exitCode).toBe(137); // SIGKILL at the end of the grace period
    expect(after.status!.podIP).toBe(before.status!.podIP);
    expect(c.sh("kubectl get pod p").stdout).toMatch(/^p +1\/1 +Running +1 \(\d+s ago\) +\d+s$/m);

    // The events in the kubelet's order; the new container needed no back-off.
    const described = c.sh("kubectl describe pod p").stdout;
    const tail = described.slice(described.indexOf("Events:"));
    const at = ["definition changed, will be restarted", 'Pulling image "nginx:1.28"', 'Successfully pulled image "nginx:1.28"', "Created container: p", "Started container p"].map((m) => tail.indexOf(m));
    expect(at.every((i, k) => i > 0 && (k === 0 || i > at[k - 1]!))).toBe(true);
    expect(tail).not.toContain("BackOff");

    // On the node: crictl counts the attempt, and the running container is the new image.
    const ps = c.node("worker-1").sh("crictl ps --name p").stdout.split("\n")[1]!;
    expect(ps).toMatch(/^\w{13} +nginx:1\.28 +.* Running +p +1 +/);
  });
});
