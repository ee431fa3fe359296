// kubectl top: usage read from the nodes' cgroups, printed in kubectl's columns.
import { describe, expect, it } from "vitest";
import { createCluster } from "../cluster";
import type { Pod } from "../api/types";

/** web (2 nginx pods, one per worker) and a busy loop charged to one pod's container cgroup. */
function setup() {
  const c = createCluster({ workers: 2, seed: 1 });
  c.sh("kubectl create deployment web --image=nginx:1.27 --replicas=2");
  c.settle();
  const busy = c.api.list<Pod>("Pod").find((p) => p.spec.nodeName === "worker-1")!;
  const w = c.node("worker-1");
  // On the node: a process that joins the container's cgroup (as `kubectl exec` would) and spins.
  const nginx = w.sh("pgrep -f 'nginx: master'").stdout.trim().split("\n")[0]!;
  const scope = w.sh(`cat /proc/${nginx}/cgroup`).stdout.trim().slice(3);
  w.sh(`sh -c 'echo $$ > /sys/fs/cgroup${scope}/cgroup.procs; exec yes > /dev/null' &`);
  c.tick(3000);
  return { c, busy: busy.metadata.name, idle: c.api.list<Pod>("Pod").find((p) => p.spec.nodeName === "worker-2")!.metadata.name };
}

describe("kubectl top", () => {
  it("top nodes: CPU in millicores and % of allocatable, memory in Mi from the node's root cgroup", () => {
    const { c } = setup();
    const r = c.sh("kubectl top nodes");
    expect(r.exitCode).toBe(0);
    const [header, ...lines] = r.stdout.trimEnd().split("\n");
    expect(header).toBe("NAME       CPU(cores)   CPU(%)   MEMORY(bytes)   MEMORY(%)");
    const cells = Object.fromEntries(lines.map((l) => l.split(/\s+/)).map((x) => [x[0], x]));
    // One busy loop is one whole CPU of the node's two.
    expect(cells["worker-1"]!.slice(1, 3)).toEqual(["1000m", "50%"]);
    expect(cells["worker-2"]!.slice(1, 3)).toEqual(["0m", "0%"]);
    const memMi = Number(cells["worker-1"]![3]!.replace("Mi", ""));
    const root = Math.floor((c.context.kernels.get("worker-1")!.cgroups.get("/")!.memory.current) / 1024 / 1024);
    expect(memMi).toBe(root);
    expect(memMi).toBeGreaterThan(0);
  });

  it("top pods: each pod's cgroup; --containers, -A, --sort-by, --no-headers", () => {
    const { c, busy, idle } = setup();
    const r = c.sh("kubectl top pods --sort-by=cpu");
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("NAME                   CPU(cores)   MEMORY(bytes)");
    expect(lines[1]).toMatch(new RegExp(`^${busy}\\s+1000m\\s+\\d+Mi$`));
    expect(lines[2]).toMatch(new RegExp(`^${idle}\\s+0m\\s+\\d+Mi$`));
    expect(c.sh("kubectl top pods -A --containers").stdout.split("\n")[0]).toMatch(/^NAMESPACE\s+POD\s+NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)$/);
    expect(c.sh("kubectl top pods -A --containers").stdout).toMatch(new RegExp(`^default\\s+${busy}\\s+nginx\\s+1000m\\s`, "m"));
    expect(c.sh(`kubectl top pod ${idle} --no-headers`).stdout).toMatch(new RegExp(`^${idle}\\s+0m\\s+\\d+Mi\\n$`));
    expect(c.sh("kubectl top pods -n dev")).toMatchObject({ stderr: "No resources found in dev namespace.\n", exitCode: 0 });
  });

  it("metrics follow the kubelets: a stopped kubelet's node is <unknown>; none at all: Metrics API not available", () => {
    const { c } = setup();
    c.node("worker-1").sh("systemctl stop kubelet");
    expect(c.sh("kubectl top nodes").stdout).toMatch(/^worker-1\s+<unknown>\s+<unknown>\s+<unknown>\s+<unknown>$/m);
    c.node("worker-2").sh("systemctl stop kubelet");
    expect(c.sh("kubectl top nodes")).toMatchObject({ stdout: "", stderr: "error: Metrics API not available\n", exitCode: 1 });
    expect(c.sh("kubectl top pods")).toMatchObject({ stderr: "error: Metrics API not available\n", exitCode: 1 });
  });

  it("bad input gets kubectl's errors", () => {
    const { c } = setup();
    expect(c.sh("kubectl top pod nope")).toMatchObject({ stderr: 'Error from server (NotFound): pods "nope" not found\n', exitCode: 1 });
    expect(c.sh("kubectl top node nope")).toMatchObject({ stderr: 'Error from server (NotFound): nodes "nope" not found\n', exitCode: 1 });
    expect(c.sh("kubectl top pods --sort-by=disk")).toMatchObject({ stderr: "error: --sort-by accepts only cpu or memory\n", exitCode: 1 });
    expect(c.sh("kubectl top services").exitCode).toBe(1);
    // A pod that is not running has no metrics yet.
    c.sh("kubectl run later --image=nginx:1.27");
    c.sh("systemctl stop kube-scheduler");
    c.sh("kubectl run pending --image=nginx:1.27");
    expect(c.sh("kubectl top pod pending").stderr).toMatch(/^error: Metrics not available for pod default\/pending, age: \d+s\n$/);
  });
});
