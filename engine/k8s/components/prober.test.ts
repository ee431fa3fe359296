// The prober and the restart back-off, in exact virtual time: when a probe runs, when a
// failure counts, when the kubelet kills and restarts, and how readiness moves a pod in and
// out of a Service's EndpointSlice and kube-proxy's KUBE-SVC chain on a node.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createCluster } from "../../index";
import type { Cluster } from "../cluster";
import type { KEvent } from "../api/events";
import type { EndpointSlice, Pod } from "../api/types";
import { ContainerBackOff, countResult, describeProbe, probeTiming } from "./prober";

const pod = (name: string, container: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, labels: {app: ${name}}}
spec:
${container}`;

function status(c: Cluster, name: string): Pod["status"] {
  return c.api.tryGet<Pod>("Pod", "default", name)?.status;
}
const restarts = (c: Cluster, name: string) => status(c, name)?.containerStatuses?.[0]?.restartCount ?? 0;
const ready = (c: Cluster, name: string) => status(c, name)?.containerStatuses?.[0]?.ready ?? false;
const events = (c: Cluster, reason: string) => c.api.list<KEvent>("Event", "default").filter((e) => e.reason === reason);

/** Step virtual time 100 ms at a time until pred holds; the time (ms) it first held. */
function until(c: Cluster, pred: () => boolean, limitMs = 900_000): number {
  const start = c.context.clock.now();
  while (!pred()) {
    if (c.context.clock.now() - start > limitMs) throw new Error("condition never held");
    c.tick(100);
  }
  return c.context.clock.now();
}

describe("probe rules", () => {
  it("defaults and kubectl describe's probe line", () => {
    expect(probeTiming({ httpGet: { path: "/healthz", port: 8080 } })).toEqual({ initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3, successThreshold: 1 });
    expect(describeProbe({ httpGet: { path: "/healthz", port: 8080, scheme: "HTTP" } })).toBe("http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3");
    expect(describeProbe({ exec: { command: ["cat", "/tmp/healthy"] }, initialDelaySeconds: 5, periodSeconds: 5 })).toBe("exec [cat /tmp/healthy] delay=5s timeout=1s period=5s #success=1 #failure=3");
    expect(describeProbe({ tcpSocket: { port: "http" }, failureThreshold: 30 })).toBe("tcp-socket :http delay=0s timeout=1s period=10s #success=1 #failure=30");
  });

  it("a result counts only after failureThreshold / successThreshold identical results in a row", () => {
    const t = probeTiming({ failureThreshold: 3, successThreshold: 2 });
    let s = { last: "Unknown" as const as "Unknown" | "Success" | "Failure", run: 0 };
    const seen: boolean[] = [];
    for (const r of ["Failure", "Failure", "Success", "Failure", "Failure", "Failure", "Success", "Success"] as const) {
      const n = countResult(s, r, t);
      s = n.state;
      seen.push(n.report);
    }
    expect(seen).toEqual([false, false, false, false, false, true, false, true]);
  });

  it("restart back-off: immediate, then 10 s doubling to a 5 min cap; forgotten after 10 min of running", () => {
    const b = new ContainerBackOff();
    const waits: number[] = [];
    let now = 0;
    // A container that dies 1 s after every start.
    for (let i = 0; i < 9; i++) {
      now += 1000;
      const finished = now;
      while (b.isInBackOffSince("k", finished, now)) now += 100;
      waits.push(now - finished);
      b.next("k", finished, now);
    }
    expect(waits).toEqual([0, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000]);
    // Now it runs 10 min and 1 s before dying: the entry has expired, so no wait and back to 10 s.
    now += 600_001;
    expect(b.isInBackOffSince("k", now, now)).toBe(false);
    b.next("k", now, now);
    expect(b.get("k")).toBe(10_000);
  });
});

describe("restart back-off, for any crash history", () => {
  it("the wait is 0 on the first crash and after a run of more than 10 min, else 10 s doubling to 300 s since the last reset", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 900 }), { minLength: 1, maxLength: 40 }), (runs) => {
        const b = new ContainerBackOff();
        let now = 0;
        let expected = 0; // the model: seconds to wait at the next crash, 0 = none
        runs.forEach((secs, i) => {
          now += secs * 1000; // the container ran `secs`, then died
          const finished = now;
          const model = i === 0 || secs * 1000 > 600_000 ? 0 : expected;
          const wait = b.isInBackOffSince("k", finished, now) ? b.get("k") : 0;
          expect(wait).toBe(model * 1000);
          now += wait;
          expect(b.isInBackOffSince("k", finished, now)).toBe(false);
          b.next("k", finished, now);
          expected = model === 0 ? 10 : Math.min(300, model * 2);
        });
      }),
    );
  });
});

describe("the kubelet runs probes against the real container", () => {
  it("liveness httpGet: 3 failures 10 s apart, then Killing, an immediate restart with a fresh /tmp/healthy", () => {
    const c = createCluster({ workers: 1, seed: 3 });
    c.sh("kubectl apply -f -", { stdin: pod("web", "  containers:\n  - name: web\n    image: kjl/app:1.0\n    livenessProbe:\n      httpGet: {path: /healthz, port: 8080}\n") });
    const started = until(c, () => !!status(c, "web")?.containerStatuses?.[0]?.state.running);
    c.tick(5_000);
    expect(c.sh("kubectl exec web -- rm /tmp/healthy").exitCode).toBe(0);
    // Probes tick every 10 s (the workers started with the pod, just before the container): after
    // the rm, failures 1 and 2 do not count yet, the third does, 30 s after the start — and the kubelet kills at once.
    const restartedAt = until(c, () => restarts(c, "web") === 1);
    expect(restartedAt - started).toBeGreaterThan(30_000 - 100);
    expect(restartedAt - started).toBeLessThanOrEqual(30_000 + 100);
    const unhealthy = events(c, "Unhealthy");
    expect(unhealthy.map((e) => [e.message, e.count])).toEqual([["Liveness probe failed: HTTP probe failed with statuscode: 500", 3]]);
    expect(events(c, "Killing").map((e) => e.message)).toEqual(["Container web failed liveness probe, will be restarted"]);
    const cs = status(c, "web")!.containerStatuses![0]!;
    expect(cs.lastState?.terminated).toMatchObject({ exitCode: 143, reason: "Error" });
    // The new container has a new writable layer: the app made /tmp/healthy again, and it stays up.
    expect(c.sh("kubectl exec web -- cat /tmp/healthy").stdout).toBe("ok\n");
    c.tick(120_000);
    expect(restarts(c, "web")).toBe(1);
    expect(c.sh("kubectl get pod web").stdout).toMatch(/^web\s+1\/1\s+Running\s+1 \(2m\d*s? ago\)\s/m);
    const d = c.sh("kubectl describe pod web").stdout;
    expect(d).toContain("    Liveness:       http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3\n");
    expect(d).toMatch(/    Last State:     Terminated\n      Reason:       Error\n      Exit Code:    143\n/);
  });

  it("exec and tcpSocket probes: the command runs in the container, the connect goes to the pod IP", () => {
    const c = createCluster({ workers: 1, seed: 4 });
    c.sh("kubectl apply -f -", {
      stdin: pod("slow", "  containers:\n  - name: app\n    image: kjl/app:1.0\n    env: [{name: STARTUP_DELAY, value: \"25\"}]\n    readinessProbe:\n      tcpSocket: {port: 8080}\n    livenessProbe:\n      exec: {command: [cat, /tmp/healthy]}\n      initialDelaySeconds: 40\n"),
    });
    const started = until(c, () => !!status(c, "slow")?.containerStatuses?.[0]?.state.running);
    const ip = status(c, "slow")!.podIP!;
    const readyAt = until(c, () => ready(c, "slow"));
    // The app listens after 25 s. The workers tick every 10 s from when the kubelet first saw the
    // pod, a moment before the container started: two refusals, then ready on the third tick, at 30 s.
    expect(readyAt - started).toBeGreaterThan(30_000 - 100);
    expect(readyAt - started).toBeLessThanOrEqual(30_000 + 100);
    expect(events(c, "Unhealthy").map((e) => [e.message, e.count])).toEqual([[`Readiness probe failed: dial tcp ${ip}:8080: connect: connection refused`, 2]]);
    c.sh("kubectl exec slow -- rm /tmp/healthy");
    until(c, () => restarts(c, "slow") === 1);
    expect(events(c, "Unhealthy").map((e) => e.message)).toContain("Liveness probe failed: cat: /tmp/healthy: No such file or directory");
    // After the restart the new instance is not ready until its app listens again.
    expect(ready(c, "slow")).toBe(false);
  });

  it("a probe on a named port the container does not declare is an error, not a failure: nothing is restarted", () => {
    const c = createCluster({ workers: 1, seed: 13 });
    c.sh("kubectl apply -f -", { stdin: pod("named", "  containers:\n  - name: web\n    image: kjl/app:1.0\n    ports: [{name: http, containerPort: 8080}]\n    readinessProbe:\n      httpGet: {path: /ready, port: http}\n    livenessProbe:\n      httpGet: {path: /healthz, port: admin}\n") });
    c.tick(60_000);
    expect(ready(c, "named")).toBe(true);
    expect(restarts(c, "named")).toBe(0);
    expect(events(c, "Unhealthy")).toHaveLength(0);
    expect(c.sh("kubectl describe pod named").stdout).toContain("    Readiness:      http-get http://:http/ready delay=0s timeout=1s period=10s #success=1 #failure=3\n");
  });

  it("an exec probe that outlives timeoutSeconds fails with the runtime's timeout message", () => {
    const c = createCluster({ workers: 1, seed: 11 });
    c.sh("kubectl apply -f -", { stdin: pod("stuck", "  containers:\n  - name: app\n    image: busybox:1.36\n    command: [sleep, \"3600\"]\n    readinessProbe:\n      exec: {command: [sleep, \"5\"]}\n      timeoutSeconds: 2\n") });
    c.tick(40_000);
    expect(ready(c, "stuck")).toBe(false);
    expect(events(c, "Unhealthy").map((e) => e.message)).toEqual(['Readiness probe failed: command "sleep 5" timed out']);
    // The same command with room to finish passes.
    const ok = createCluster({ workers: 1, seed: 11 });
    ok.sh("kubectl apply -f -", { stdin: pod("stuck", "  containers:\n  - name: app\n    image: busybox:1.36\n    command: [sleep, \"3600\"]\n    readinessProbe:\n      exec: {command: [sleep, \"5\"]}\n      timeoutSeconds: 6\n") });
    ok.tick(40_000);
    expect(ready(ok, "stuck")).toBe(true);
  });

  it("a slow starter: liveness alone kills it before it is up; a startup probe lets it start", () => {
    const spec = (startup: string) => `  containers:\n  - name: app\n    image: kjl/app:1.0\n    env: [{name: STARTUP_DELAY, value: "60"}]\n    livenessProbe:\n      httpGet: {path: /healthz, port: 8080}\n${startup}`;
    const bad = createCluster({ workers: 1, seed: 5 });
    bad.sh("kubectl apply -f -", { stdin: pod("app", spec("")) });
    bad.tick(150_000);
    // Killed at 30 s, 60 s, 90 s …: it never gets the 60 s it needs. (With no readiness probe a
    // running container counts as ready, so READY says 1/1 in between: the probe was the wrong one.)
    expect(restarts(bad, "app")).toBeGreaterThanOrEqual(3);
    expect(events(bad, "Killing").map((e) => e.message)).toEqual(["Container app failed liveness probe, will be restarted"]);

    const good = createCluster({ workers: 1, seed: 5 });
    good.sh("kubectl apply -f -", { stdin: pod("app", spec("    startupProbe:\n      httpGet: {path: /healthz, port: 8080}\n      failureThreshold: 30\n      periodSeconds: 10\n")) });
    const started = until(good, () => !!status(good, "app")?.containerStatuses?.[0]?.state.running);
    expect(status(good, "app")!.containerStatuses![0]!.started).toBe(false);
    const readyAt = until(good, () => ready(good, "app"));
    expect(readyAt - started).toBeGreaterThanOrEqual(60_000);
    expect(readyAt - started).toBeLessThanOrEqual(70_000 + 100);
    expect(status(good, "app")!.containerStatuses![0]!.started).toBe(true);
    expect(restarts(good, "app")).toBe(0);
    expect(events(good, "Unhealthy")[0]!.message).toMatch(/^Startup probe failed: Get "http:\/\/10\.200\.0\.\d+:8080\/healthz": dial tcp 10\.200\.0\.\d+:8080: connect: connection refused$/);
  });
});

describe("self-healing is the kubelet's loop", () => {
  it("a stopped kubelet probes and restarts nothing; started again, it relearns the pod from the runtime and acts", () => {
    const c = createCluster({ workers: 1, seed: 12 });
    c.sh("kubectl apply -f -", { stdin: pod("web", "  containers:\n  - name: web\n    image: kjl/app:1.0\n    livenessProbe:\n      httpGet: {path: /healthz, port: 8080}\n") });
    c.tick(5_000);
    const w = c.node("worker-1");
    w.sh("systemctl stop kubelet");
    c.sh("kubectl exec web -- rm /tmp/healthy");
    c.tick(60_000);
    // The app still runs (it is only a process), nobody probes it, nothing restarts it.
    expect(w.sh("pgrep webapp").exitCode).toBe(0);
    expect(events(c, "Unhealthy")).toHaveLength(0);
    expect(restarts(c, "web")).toBe(0);
    w.sh("systemctl start kubelet");
    c.tick(40_000);
    expect(restarts(c, "web")).toBe(1);
    expect(events(c, "Killing").map((e) => e.message)).toEqual(["Container web failed liveness probe, will be restarted"]);
  });
});

describe("restarts by restartPolicy and CrashLoopBackOff", () => {
  it("a container that exits 1 at once restarts after 0, 10, 20, 40, 80 s", () => {
    const c = createCluster({ workers: 1, seed: 6 });
    c.sh("kubectl apply -f -", { stdin: pod("crash", "  containers:\n  - name: c\n    image: busybox:1.36\n    command: [sh, -c, \"exit 1\"]\n") });
    const times: number[] = [until(c, () => !!status(c, "crash")?.containerStatuses?.[0]?.lastState || restarts(c, "crash") > 0)];
    for (let n = 2; n <= 5; n++) times.push(until(c, () => restarts(c, "crash") >= n));
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(gaps).toEqual([10_000, 20_000, 40_000, 80_000]);
    const cs = status(c, "crash")!.containerStatuses![0]!;
    expect(cs.state.waiting).toEqual({ reason: "CrashLoopBackOff", message: `back-off 2m40s restarting failed container=c pod=crash_default(${c.api.tryGet<Pod>("Pod", "default", "crash")!.metadata.uid})` });
    expect(c.sh("kubectl get pod crash").stdout).toMatch(/^crash\s+0\/1\s+CrashLoopBackOff\s+5 \(\d+s ago\)\s/m);
    expect(events(c, "BackOff")[0]!.message).toMatch(/^Back-off restarting failed container c in pod crash_default\([0-9a-f-]+\)$/);
    // describe's Status is the phase; the reason is in the container's State.
    expect(c.sh("kubectl describe pod crash").stdout).toMatch(/^Status:\s+Running\n[\s\S]*    State:          Waiting\n      Reason:       CrashLoopBackOff\n/m);
  });

  it("restartPolicy Never leaves a failed container terminated (phase Failed); OnFailure does not restart a success", () => {
    const c = createCluster({ workers: 1, seed: 7 });
    c.sh("kubectl apply -f -", { stdin: pod("once", "  restartPolicy: Never\n  containers:\n  - name: c\n    image: busybox:1.36\n    command: [sh, -c, \"exit 3\"]\n") });
    c.sh("kubectl apply -f -", { stdin: pod("job", "  restartPolicy: OnFailure\n  containers:\n  - name: c\n    image: busybox:1.36\n    command: [sh, -c, \"exit 0\"]\n") });
    c.tick(60_000);
    expect(status(c, "once")!.phase).toBe("Failed");
    expect(status(c, "once")!.containerStatuses![0]!.state.terminated).toMatchObject({ exitCode: 3, reason: "Error" });
    expect(status(c, "job")!.phase).toBe("Succeeded");
    expect(restarts(c, "once") + restarts(c, "job")).toBe(0);
    expect(c.sh("kubectl get pods").stdout).toMatch(/^job\s+0\/1\s+Completed\s+0\s/m);
    expect(c.sh("kubectl get pods").stdout).toMatch(/^once\s+0\/1\s+Error\s+0\s/m);
  });

  it("a container that ran for more than 10 minutes restarts at once: the back-off was reset", () => {
    const c = createCluster({ workers: 1, seed: 8 });
    c.sh("kubectl apply -f -", { stdin: pod("long", "  containers:\n  - name: c\n    image: busybox:1.36\n    command: [sh, -c, \"sleep 610; exit 1\"]\n") });
    until(c, () => restarts(c, "long") === 1, 1_000_000);
    const second = until(c, () => restarts(c, "long") === 2, 1_000_000);
    const third = until(c, () => restarts(c, "long") === 3, 1_000_000);
    expect(third - second).toBe(610_000);
    expect(events(c, "BackOff")).toHaveLength(0);
  });
});

describe("readiness drives endpoints", () => {
  it("an unready pod leaves the EndpointSlice's ready endpoints and kube-proxy's KUBE-SVC chain", () => {
    const c = createCluster({ workers: 1, seed: 9 });
    c.sh("kubectl apply -f -", {
      stdin: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: kjl/app:1.0
        readinessProbe:
          httpGet: {path: /ready, port: 8080}
          periodSeconds: 5
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
`,
    });
    c.settle();
    const node = c.node("worker-1");
    // default/web's endpoint rules (kube-system/kube-dns has its own, for the CoreDNS pods)
    const sepRules = () => node.sh("iptables-save -t nat").stdout.split("\n").filter((l) => l.startsWith("-A KUBE-SVC-") && l.includes('--comment "default/web -> ') && l.includes("-j KUBE-SEP-"));
    expect(sepRules()).toHaveLength(2);
    const pods = c.api.list<Pod>("Pod", "default");
    const victim = pods[0]!;
    expect(c.sh(`kubectl exec ${victim.metadata.name} -- rm /tmp/ready`).exitCode).toBe(0);
    c.tick(20_000);
    const slice = c.api.list<EndpointSlice>("EndpointSlice", "default").find((e) => e.metadata.labels?.["kubernetes.io/service-name"] === "web")!;
    expect(slice.endpoints.find((e) => e.addresses[0] === victim.status!.podIP)!.conditions.ready).toBe(false);
    expect(sepRules()).toHaveLength(1);
    expect(sepRules()[0]).toContain(`web -> ${pods[1]!.status!.podIP}:8080`);
    expect(c.sh("kubectl get pods").stdout).toMatch(new RegExp(`^${victim.metadata.name}\\s+0/1\\s+Running\\s+0\\s`, "m"));
    // Readiness never restarts anything; putting the file back brings the pod back.
    c.sh(`kubectl exec ${victim.metadata.name} -- touch /tmp/ready`);
    c.tick(10_000);
    expect(sepRules()).toHaveLength(2);
    expect(restarts(c, victim.metadata.name)).toBe(0);
  });
});
