// Exercise 12 is honest: the checks fail on the starter, pass on the reference solution, and a
// repair that leaves any one of the three broken layers alone fails — graded by cluster state.
import { describe, expect, it } from "vitest";
import exercise, { REQUESTS } from "./check";
import type { CheckResult } from "../exercise";
import { failing, gradeWork, noStderr, starterAndSolution } from "../lib/grading";

const { starter, solution } = starterAndSolution(exercise);
const grade = (script: string) => gradeWork(exercise, script, noStderr);
const byName = (rs: CheckResult[], name: string) => rs.find((r) => r.name === name)!;

const UNITS = "every component's service is active (kube-proxy on both workers included)";
const PORT = "Service web sends port 80 to the pods' port 8080, and selects web's pods";
const ROUTES = "each worker has a route to the other worker's podCIDR";
const REQS = `${REQUESTS} requests from client to http://web all get an answer`;
const SPREAD = "the answers come from web's pods on both workers";

/** The solution without the lines of one repair (found by a word in them). */
function without(word: string): string {
  const lines = solution.split("\n");
  if (word === "svc.yaml") {
    const start = lines.findIndex((l) => l.startsWith("cat > /root/svc.yaml"));
    const end = lines.findIndex((l) => l.startsWith("kubectl apply -f /root/svc.yaml"));
    return [...lines.slice(0, start), ...lines.slice(end + 1)].join("\n");
  }
  return lines.filter((l) => !l.includes(word)).join("\n");
}

describe("exercise 12: fix a broken path from curl to a pod", () => {
  it("starts broken the way the terminal shows it", () => {
    const h = exercise.setup();
    expect(h.name).toBe("controlplane");
    expect(h.history()).toEqual([]);
    expect(h.sh("ssh worker-1 systemctl is-active kube-proxy").stdout).toBe("inactive\n");
    expect(h.sh("ssh worker-1 ip route").stdout).not.toContain("10.200.1.0/24");
    expect(h.sh("kubectl get svc web -o yaml").stdout).toContain("targetPort: 80\n");
    const pods = h.sh("kubectl get pods -o wide").stdout;
    expect(pods).toMatch(/^client +1\/1 +Running .* worker-1 /m);
    expect(pods).toMatch(/^web-\S+ +1\/1 +Running .* worker-1 /m);
    expect(pods).toMatch(/^web-\S+ +1\/1 +Running .* worker-2 /m);
    const curl = h.sh("kubectl exec client -- curl -s -m 2 http://web");
    expect(curl.exitCode).not.toBe(0);
  });

  it("fails every check on the starter, each with a hint computed from state", () => {
    const rs = grade(starter);
    expect(rs.map((r) => r.name)).toEqual([UNITS, PORT, ROUTES, REQS, SPREAD]);
    expect(failing(rs)).toEqual([UNITS, PORT, ROUTES, REQS, SPREAD]);
    for (const r of rs) expect(r.hint, r.name).toBeTruthy();
    expect(byName(rs, UNITS).detail).toBe("kube-proxy is inactive on worker-1.");
    expect(byName(rs, UNITS).hint).toMatch(/^Start it: ssh worker-1 systemctl start kube-proxy\. /);
    expect(byName(rs, PORT).detail).toMatch(/^Service web sends port 80 to targetPort 80, but web's pods listen on 8080/);
    expect(byName(rs, ROUTES).hint).toBe("ssh worker-1 ip route add 10.200.1.0/24 via 192.168.56.13");
    expect(byName(rs, REQS).detail).toMatch(/^0 of 12 answered\./);
  });

  it("passes every check on the reference solution, answered by pods on both workers", () => {
    const host = exercise.setup();
    exercise.apply(host, solution);
    const rs = exercise.check(host);
    expect(failing(rs)).toEqual([]);
    expect(byName(rs, REQS).detail).toBe("12 of 12 answered.");
    expect(byName(rs, SPREAD).detail).toMatch(/^Answers per node — worker-1: \d+, worker-2: \d+\.$/);
    // …and curl from the client, the real thing, answers from both pods.
    const seen = new Set<string>();
    for (let i = 0; i < 8; i++) {
      const r = host.sh("kubectl exec client -- curl -s -m 2 http://web");
      expect(r.exitCode, r.stderr).toBe(0);
      seen.add(r.stdout);
    }
    expect(seen.size).toBe(2);
  });

  it("fails when the Service is left with targetPort 80", () => {
    const rs = grade(without("svc.yaml"));
    expect(failing(rs)).toEqual([PORT, REQS, SPREAD]);
    expect(byName(rs, REQS).detail).toMatch(/connection refused on port 80/);
    // The hint follows the symptom (refused) to the layer that causes it.
    expect(byName(rs, REQS).hint).toBe(byName(rs, PORT).hint);
  });

  it("fails when kube-proxy stays stopped on worker-1: its chains still DNAT to the deleted pod and port 80", () => {
    const rs = grade(without("systemctl start kube-proxy"));
    expect(failing(rs)).toEqual([UNITS, REQS, SPREAD]);
    // 10.200.1.3 was worker-2's web pod before it was deleted; its replacement has another address.
    expect(byName(rs, REQS).detail).toBe("0 of 12 answered. First failure: DNAT to 10.200.1.3:80: The packet left, and nothing came back.");
  });

  it("fails when worker-1's route to 10.200.1.0/24 stays deleted: the requests DNAT'd to worker-2 get no answer", () => {
    const rs = grade(without("ip route add"));
    expect(failing(rs)).toEqual([ROUTES, REQS, SPREAD]);
    expect(byName(rs, SPREAD).detail).toMatch(/worker-2: 0\.$/);
    expect(byName(rs, REQS).hint).toBe("ssh worker-1 ip route add 10.200.1.0/24 via 192.168.56.13");
  });

  it("does not accept a repair that breaks something else: kubelet stopped on worker-2, the client deleted", () => {
    const stopped = grade(solution + "ssh worker-2 systemctl stop kubelet\n");
    expect(byName(stopped, UNITS)).toMatchObject({ ok: false, hint: "Start it: ssh worker-2 systemctl start kubelet" });
    const noClient = grade(solution + "kubectl delete pod client\n");
    expect(failing(noClient)).toEqual([REQS, SPREAD]);
    expect(byName(noClient, REQS).hint).toMatch(/client must be Running/);
  });

  it("is deterministic: two labs, the same repair, the same answers", () => {
    const lab = () => {
      const h = exercise.setup();
      exercise.apply(h, solution);
      return JSON.stringify(exercise.check(h));
    };
    expect(lab()).toBe(lab());
  });
});
