import { describe, expect, it } from "vitest";
import { humanDuration, podStatus, printTable, renderTable } from "./printers";
import type { Pod } from "../api/types";

describe("kubectl printers", () => {
  it("rounds ages like duration.HumanDuration", () => {
    expect(humanDuration(0)).toBe("0s");
    expect(humanDuration(119_000)).toBe("119s");
    expect(humanDuration(150_000)).toBe("2m30s");
    expect(humanDuration(600_000)).toBe("10m");
    expect(humanDuration(3 * 3600_000 + 5 * 60_000)).toBe("3h5m");
    expect(humanDuration(30 * 3600_000)).toBe("30h");
    expect(humanDuration(3 * 86400_000 + 2 * 3600_000)).toBe("3d2h");
    expect(humanDuration(-5000)).toBe("<invalid>");
  });

  const pod = (over: Partial<Pod> = {}): Pod => ({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "web-7c5ddbdf54-x2x9z", namespace: "default", creationTimestamp: "2026-01-12T09:00:00Z" },
    spec: { containers: [{ name: "app", image: "nginx:1.27" }], nodeName: "worker-1" },
    ...over,
  });

  it("derives the STATUS column from container states", () => {
    expect(podStatus(pod({ status: { phase: "Pending" } }))).toEqual({ status: "Pending", ready: "0/1", restarts: "0" });
    expect(podStatus(pod({ status: { phase: "Pending", containerStatuses: [{ name: "app", image: "x", ready: false, restartCount: 0, state: { waiting: { reason: "ContainerCreating" } } }] } })).status).toBe("ContainerCreating");
    expect(podStatus(pod({ status: { phase: "Running", containerStatuses: [{ name: "app", image: "x", ready: false, restartCount: 4, state: { waiting: { reason: "CrashLoopBackOff" } } }] } }))).toEqual({ status: "CrashLoopBackOff", ready: "0/1", restarts: "4" });
    expect(podStatus(pod({ status: { phase: "Running", containerStatuses: [{ name: "app", image: "x", ready: true, restartCount: 0, state: { running: { startedAt: "" } } }] } }))).toEqual({ status: "Running", ready: "1/1", restarts: "0" });
    expect(podStatus(pod({ metadata: { name: "p", deletionTimestamp: "2026-01-12T09:01:00Z" }, status: { phase: "Running" } })).status).toBe("Terminating");
  });

  it("lays out `kubectl get pods -o wide` with kubectl's spacing", () => {
    const now = Date.parse("2026-01-12T09:00:42Z");
    const t = printTable("Pod", [pod({ status: { phase: "Running", podIP: "10.200.1.5", containerStatuses: [{ name: "app", image: "x", ready: true, restartCount: 0, state: { running: { startedAt: "" } } }] } })], { now, wide: true });
    expect(renderTable(t)).toBe(
      "NAME                   READY   STATUS    RESTARTS   AGE   IP           NODE       NOMINATED NODE   READINESS GATES\n" +
        "web-7c5ddbdf54-x2x9z   1/1     Running   0          42s   10.200.1.5   worker-1   <none>           <none>\n",
    );
  });
});
