// kubectl get -w in virtual time: the table, then one line per change, ending on its own.
import { describe, expect, it } from "vitest";
import { WATCH_QUIET_MS, WatchTable, parseRequestTimeout } from "./watch";
import { clusterWith, deploymentYaml } from "../testing/fixtures";

const DEPLOY = deploymentYaml();

const cluster = () => clusterWith({ files: { "web.yaml": DEPLOY } });

const rows = (out: string) => out.trimEnd().split("\n").map((l) => l.split(/\s{2,}/));

describe("kubectl get -w", () => {
  it("prints each pod's way from Pending to Running, one line per change, then ends after a quiet spell", () => {
    const c = cluster();
    const t0 = c.context.clock.now();
    const r = c.sh("kubectl apply -f web.yaml && kubectl get pods -w");
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("deployment.apps/web created");
    expect(lines[1]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    expect(lines.filter((l) => l.startsWith("NAME"))).toHaveLength(1);
    const body = rows(lines.slice(2).join("\n"));
    const names = [...new Set(body.map((r) => r[0]))];
    expect(names).toHaveLength(2);
    for (const n of names) {
      const states = body.filter((r) => r[0] === n).map((r) => r[2]);
      expect(states[0]).toBe("Pending");
      expect(states).toContain("ContainerCreating");
      expect(states.at(-1)).toBe("Running");
      expect(body.filter((r) => r[0] === n).at(-1)![1]).toBe("1/1");
    }
    // The watch ended by itself: after the last change, WATCH_QUIET_MS of virtual time went by.
    expect(c.context.clock.now() - t0).toBeGreaterThanOrEqual(WATCH_QUIET_MS);
    expect(c.context.clock.now() - t0).toBeLessThan(WATCH_QUIET_MS + 30_000);
  });

  it("keeps the widest cell of each column, like kubectl's tabwriter with RememberWidths", () => {
    const t = new WatchTable(true);
    const a = t.write({ header: ["NAME", "STATUS", "AGE"], rows: [["web", "Pending", "0s"]] });
    expect(a).toBe("NAME   STATUS    AGE\nweb    Pending   0s\n");
    expect(t.write({ header: ["NAME", "STATUS", "AGE"], rows: [["web", "ContainerCreating", "1s"]] })).toBe("web    ContainerCreating   1s\n");
    expect(t.write({ header: ["NAME", "STATUS", "AGE"], rows: [["web", "Running", "2s"]] })).toBe("web    Running             2s\n");
  });

  it("--request-timeout ends the watch after exactly that much virtual time", () => {
    const c = cluster();
    c.sh("kubectl apply -f web.yaml");
    c.settle();
    const t0 = c.context.clock.now();
    const r = c.sh("kubectl get pods --watch --request-timeout=5s");
    expect(r.exitCode).toBe(0);
    expect(c.context.clock.now() - t0).toBe(5000);
    expect(r.stdout.split("\n")[0]).toMatch(/^NAME\s+READY/);
    expect(rows(r.stdout).slice(1).every((x) => x[2] === "Running")).toBe(true);
    expect(parseRequestTimeout("1m30s")).toBe(90_000);
    expect(parseRequestTimeout("30")).toBe(30_000);
    expect(parseRequestTimeout("soon")).toBeNull();
  });

  it("shows pods being deleted (Terminating) when a Deployment scales down", () => {
    const c = cluster();
    c.sh("kubectl apply -f web.yaml");
    c.settle();
    const r = c.sh("kubectl scale deployment web --replicas=1 && kubectl get pods -w");
    expect(r.stdout).toMatch(/\s1\/1\s+Terminating\s/);
  });

  it("--watch-only skips the list; --output-watch-events adds the EVENT column; -o name prints names", () => {
    const c = cluster();
    c.sh("kubectl apply -f web.yaml");
    c.settle();
    const before = c.api.list("Pod").map((p) => p.metadata.name);
    const only = c.sh("kubectl get pods --watch-only --request-timeout=10s");
    expect(only).toMatchObject({ stdout: "", exitCode: 0 });
    const ev = c.sh("kubectl scale deploy web --replicas=3 && kubectl get pods -w --output-watch-events");
    expect(ev.stdout.split("\n")[1]).toMatch(/^EVENT\s+NAME\s+READY\s+STATUS/);
    expect(ev.stdout).toMatch(/^ADDED\s+web-/m);
    expect(ev.stdout).toMatch(/^MODIFIED\s+web-/m);
    const added = c.api.list("Pod").map((p) => p.metadata.name).find((n) => !before.includes(n))!;
    expect(c.sh("kubectl get pods -w -o name --request-timeout=1s").stdout.split("\n")).toContain(`pod/${added}`);
  });

  it("refuses what real kubectl refuses, and changes nothing", () => {
    const c = cluster();
    const rev = c.etcd.revision;
    expect(c.sh("kubectl get pods,deploy -w")).toMatchObject({ stderr: "error: watch is only supported on individual resources and resource collections, but 2 resources were found\n", exitCode: 1 });
    expect(c.sh("kubectl get pods -w --request-timeout=soon").stderr).toBe("error: invalid timeout value. Timeout must be a single integer in seconds, or an integer followed by a corresponding time unit (e.g. 1s | 2m | 3h)\n");
    expect(c.sh("kubectl get pods -w -o table").exitCode).toBe(1);
    expect(c.sh("kubectl get pod nope -w")).toMatchObject({ stderr: 'Error from server (NotFound): pods "nope" not found\n', exitCode: 1 });
    expect(c.sh("kubectl get frobs -w").stderr).toBe('error: the server doesn\'t have a resource type "frobs"\n');
    expect(c.etcd.revision).toBe(rev);
  });

  it("watches one namespace unless -A, which adds the NAMESPACE column", () => {
    const c = cluster();
    c.sh("kubectl create namespace dev");
    const r = c.sh("kubectl run a --image=nginx:1.27 -n dev && kubectl get pods -w");
    expect(r.stdout).toBe("pod/a created\n");
    const all = c.sh("kubectl run b --image=nginx:1.27 -n dev && kubectl get pods -A -w");
    const lines = all.stdout.trimEnd().split("\n");
    expect(lines[1]).toMatch(/^NAMESPACE\s+NAME\s+READY\s+STATUS/);
    // Every namespace: the reader's dev and the cluster's own kube-system (CoreDNS).
    expect(lines.slice(2).every((l) => /^(dev|kube-system) /.test(l))).toBe(true);
    expect(lines.some((l) => /^kube-system\s+coredns-\S+\s+1\/1\s+Running/.test(l))).toBe(true);
    expect(lines.some((l) => /^dev\s+b\s+1\/1\s+Running/.test(l))).toBe(true);
  });
});
