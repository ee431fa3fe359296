// kubectl exec -it hands the container a shell on this terminal (the prompt becomes the pod's),
// and kubectl logs -f keeps reading the container's CRI log file while it writes.
import { describe, expect, it } from "vitest";
import { createCluster } from "../cluster";

describe("kubectl exec -it", () => {
  it("opens an interactive shell in the pod's namespaces until exit", () => {
    const c = createCluster({ workers: 1, seed: 1 });
    c.sh("kubectl run web --image=nginx:1.27");
    c.settle();
    const h = c.controlPlane;
    expect(h.sh("kubectl exec -it web -- bash").exitCode).toBe(0);
    expect(h.prompt()).toBe("root@web:/# ");
    expect(h.sh("hostname").stdout).toBe("web\n");
    const ps = h.sh("ps -e -o pid,comm").stdout;
    expect(ps).toMatch(/^ +1 nginx$/m); // the container's own pid namespace
    expect(ps).not.toMatch(/kubelet|containerd/);
    expect(h.sh("exit")).toMatchObject({ stderr: "exit\n" });
    expect(h.prompt()).toBe("root@controlplane:~# ");
    expect(h.sh("kubectl exec -it web -- sh -c 'exit 3'")).toMatchObject({ stderr: "command terminated with exit code 3\n", exitCode: 3 });
  });
});

describe("kubectl logs -f", () => {
  it("prints what is there, then each new line as the container writes it, and ends with the container", () => {
    const c = createCluster({ workers: 1, seed: 1 });
    c.sh("kubectl run ticker --image=busybox:1.36 --restart=Never -- sh -c 'for i in 1 2 3 4; do echo tick $i; sleep 2; done'");
    c.tick(3_000);
    expect(c.sh("kubectl logs ticker").stdout).toBe("tick 1\ntick 2\n");
    const t0 = Number(c.sh("date +%s").stdout);
    expect(c.sh("kubectl logs -f ticker")).toMatchObject({ stdout: "tick 1\ntick 2\ntick 3\ntick 4\n", exitCode: 0 });
    expect(Number(c.sh("date +%s").stdout) - t0).toBeGreaterThanOrEqual(4); // it waited for the writes
    expect(c.sh("kubectl logs ticker --tail 1").stdout).toBe("tick 4\n");
  });
});
