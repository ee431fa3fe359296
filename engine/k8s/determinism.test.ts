// Determinism: a cluster is a function of its seed and the commands typed into it. Two clusters
// built separately with the same seed and driven by the same commands must agree byte for byte —
// on the whole event log, on kubectl's view and on every node's iptables rules. (A different seed
// may give other pod names, IPs and placements; nothing here requires that it does.)
import { describe, expect, it } from "vitest";
import { createCluster } from "./cluster";
import { deploymentYaml } from "./testing/fixtures";

const APP = `${deploymentYaml("web", 3, "nginx:1.27", { container: "web", requests: { cpu: "100m", memory: "64Mi" } })}---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - port: 80
    targetPort: 80
`;

interface Run {
  log: string;
  pods: string;
  iptables: string[];
  outputs: string[];
}

/** The scenario: apply, scale, roll out a new image, delete a pod — settling after each step. */
function scenario(seed: number): Run {
  const c = createCluster({ workers: 2, seed });
  const outputs: string[] = [];
  const step = (line: string, stdin?: string) => {
    const r = c.sh(line, stdin === undefined ? {} : { stdin });
    outputs.push(`${line}\n${r.exitCode}\n${r.stdout}${r.stderr}`);
    c.settle();
  };
  step("kubectl apply -f -", APP);
  step("kubectl scale deployment/web --replicas=5");
  step("kubectl set image deployment/web web=registry.local/demo/web:1.0");
  const victim = c.sh("kubectl get pods -o name").stdout.split("\n")[0]!;
  step(`kubectl delete ${victim}`);
  return {
    log: JSON.stringify(c.events()),
    pods: c.sh("kubectl get pods -o wide").stdout,
    iptables: c.hosts.slice(1).map((h) => h.sh("iptables-save").stdout),
    outputs,
  };
}

describe("same seed, same commands → the same cluster", () => {
  it("two separately built clusters give a byte-identical event log, kubectl get pods -o wide and iptables-save", () => {
    const a = scenario(42);
    const b = scenario(42);
    // The comparison must not be vacuous: the scenario really ran.
    expect(a.outputs.map((o) => o.split("\n")[1])).toEqual(["0", "0", "0", "0"]);
    expect(a.log).toContain('"kind":"Pod"');
    expect(a.pods.trim().split("\n").slice(1).filter((l) => /\s1\/1\s+Running\s/.test(l))).toHaveLength(5);
    expect(a.iptables.every((t) => /-A KUBE-SVC-\w+ .*-j KUBE-SEP-/.test(t))).toBe(true);

    expect(b.outputs).toEqual(a.outputs);
    expect(b.pods).toBe(a.pods);
    expect(b.iptables).toEqual(a.iptables);
    // Byte-identical; on a mismatch show where the logs part ways rather than both whole logs.
    const at = firstDifference(a.log, b.log);
    expect(b.log.slice(Math.max(0, at - 300), at + 300)).toBe(a.log.slice(Math.max(0, at - 300), at + 300));
    expect(at).toBe(-1);
  });
});

/** The first index where two strings differ, or -1 when they are equal. */
function firstDifference(a: string, b: string): number {
  if (a === b) return -1;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}
