// The Progressing condition and the commands that read it: a stalled rollout passes its
// progress deadline; an undo makes it progress again and `kubectl rollout status` succeeds;
// `--timeout` gives up with kubectl's message.
import { describe, expect, it } from "vitest";
import { createCluster } from "../cluster";
import type { Deployment } from "../api/types";
import { demoDeployment } from "./rollout-trace";

const progressing = (c: ReturnType<typeof createCluster>) => c.api.get<Deployment>("Deployment", "default", "web").status?.conditions?.find((x) => x.type === "Progressing");

describe("Progressing condition", () => {
  it("exceeds the deadline when stalled, and progresses again after an undo", () => {
    const c = createCluster({ workers: 2, seed: 4 });
    c.sh("kubectl apply -f -", { stdin: demoDeployment({ replicas: 4, maxSurge: "25%", maxUnavailable: "25%" }).replace("  minReadySeconds: 0\n", "  minReadySeconds: 0\n  progressDeadlineSeconds: 30\n") });
    expect(c.sh("kubectl rollout status deployment/web").exitCode).toBe(0);
    c.sh("kubectl set image deployment/web nginx=nginx:1.29");
    const wait = c.sh("kubectl rollout status deployment/web --timeout=10s");
    expect(wait).toMatchObject({ exitCode: 1, stderr: "error: timed out waiting for the condition\n" });
    c.tick(40_000);
    expect(progressing(c)).toMatchObject({ status: "False", reason: "ProgressDeadlineExceeded" });
    expect(c.sh("kubectl rollout status deployment/web").stderr).toBe('error: deployment "web" exceeded its progress deadline\n');

    c.sh("kubectl rollout undo deployment/web");
    expect(c.sh("kubectl rollout status deployment/web")).toMatchObject({ exitCode: 0, stdout: expect.stringMatching(/deployment "web" successfully rolled out\n$/) });
    expect(progressing(c)).toMatchObject({ status: "True", reason: "NewReplicaSetAvailable" });
  });

  it("refuses a malformed --timeout like kubectl", () => {
    const c = createCluster({ workers: 1, seed: 4 });
    c.sh("kubectl create deployment web --image=nginx:1.27");
    expect(c.sh("kubectl rollout status deployment/web --timeout=soon")).toMatchObject({ exitCode: 1, stderr: 'error: invalid argument "soon" for "--timeout" flag: time: invalid duration "soon"\n' });
  });
});
