// Exercise 7 is honest: its checks fail on the starter, pass on the reference solution, and a
// repair that is incomplete in one way fails the checks about that — graded by cluster state.
import { describe, expect, it } from "vitest";
import exercise, { BREAK_SCRIPT } from "./check";
import type { CheckResult } from "../exercise";
import { failing, gradeWork, starterAndSolution } from "../lib/grading";

const { starter, solution } = starterAndSolution(exercise);
const grade = (script: string) => gradeWork(exercise, script);
const byName = (rs: CheckResult[], name: string) => rs.find((r) => r.name === name)!;

const SERVICES = "every component's service is active (kube-scheduler included)";
const NODES = "worker-1 and worker-2 both accept new pods";
const AVAILABLE = "deployment web has 4/4 replicas available";
const SPREAD = "web's pods run on both workers";

describe("exercise 7: bring a broken cluster back", () => {
  it("starts broken the way the page's terminal shows it: scheduler failed, worker-2 cordoned, web Pending", () => {
    const h = exercise.setup();
    expect(h.name).toBe("controlplane");
    expect(h.history()).toEqual([]);
    expect(h.sh("systemctl is-active kube-scheduler").stdout).toBe("failed\n");
    expect(h.sh("ls -l /usr/local/bin/kube-scheduler").stdout).toMatch(/^-rw-r--r-- /);
    expect(h.sh("kubectl get nodes").stdout).toMatch(/^worker-2\s+Ready,SchedulingDisabled\s/m);
    const pods = h.sh("kubectl get pods").stdout.trim().split("\n").slice(1);
    expect(pods).toHaveLength(4);
    for (const p of pods) expect(p).toMatch(/^web-\S+\s+0\/1\s+Pending\s/);
    expect(h.sh("cat /root/web.yaml").stdout).toContain("replicas: 4");
    expect(BREAK_SCRIPT).toContain("chmod -x /usr/local/bin/kube-scheduler");
  });

  it("is deterministic: two labs, the same repair, the same pods on the same nodes", () => {
    const lab = () => {
      const h = exercise.setup();
      exercise.apply(h, solution);
      exercise.check(h);
      return h.sh("kubectl get pods -o wide").stdout + h.sh("journalctl -u kube-scheduler").stdout;
    };
    expect(lab()).toBe(lab());
  });

  it("fails every check on the starter, each with a hint computed from state", () => {
    const rs = grade(starter);
    expect(rs.map((r) => r.name)).toEqual([SERVICES, NODES, AVAILABLE, SPREAD]);
    expect(failing(rs)).toEqual([SERVICES, NODES, AVAILABLE, SPREAD]);
    for (const r of rs) expect(r.hint, r.name).toBeTruthy();
    expect(byName(rs, SERVICES).detail).toBe("kube-scheduler is failed on controlplane: systemctl status kube-scheduler says status=203/EXEC (Failed to execute /usr/local/bin/kube-scheduler: Permission denied).");
    expect(byName(rs, SERVICES).hint).toBe("ls -l /usr/local/bin/kube-scheduler shows -rw-r--r--: nobody may execute it. Give it back its execute bit and start the service again: chmod +x /usr/local/bin/kube-scheduler && systemctl restart kube-scheduler");
    expect(byName(rs, NODES)).toMatchObject({ detail: "worker-2 is cordoned: kubectl get nodes says Ready,SchedulingDisabled.", hint: "kubectl uncordon worker-2" });
    expect(byName(rs, AVAILABLE).detail).toBe("AVAILABLE is 0 of 4: 4 of its pods have no node (Pending) and no scheduler is running to give them one.");
  });

  it("passes every check on the reference solution, with the pods spread 2 and 2", () => {
    const rs = grade(solution);
    expect(failing(rs)).toEqual([]);
    expect(byName(rs, SPREAD).detail).toBe("Running web pods per node — worker-1: 2, worker-2: 2.");
    expect(byName(rs, SERVICES).detail).toBe("All 10 services are active (running) on controlplane, worker-1, worker-2.");
  });

  it("catches the scheduler fixed before worker-2: all four pods land on worker-1 and stay there", () => {
    const rs = grade("chmod +x /usr/local/bin/kube-scheduler\nsystemctl restart kube-scheduler\nkubectl uncordon worker-2\n");
    expect(failing(rs)).toEqual([SPREAD]);
    expect(byName(rs, SPREAD).detail).toBe("Every Running web pod is on worker-1 (worker-1: 4, worker-2: 0).");
    expect(byName(rs, SPREAD).hint).toMatch(/^worker-2 takes pods again, but the scheduler only places new pods; it never moves a running one\./);
  });

  it("…and the hint's repair works: deleting two of worker-1's pods lets the ReplicaSet replace them on worker-2", () => {
    const host = exercise.setup();
    exercise.apply(host, "chmod +x /usr/local/bin/kube-scheduler\nsystemctl restart kube-scheduler\nkubectl uncordon worker-2\n");
    expect(failing(exercise.check(host))).toEqual([SPREAD]);
    const onW1 = host.sh("kubectl get pods -o wide").stdout.split("\n").filter((l) => l.includes(" worker-1 ")).map((l) => l.split(/\s+/)[0]!);
    host.sh(`kubectl delete pod ${onW1.slice(0, 2).join(" ")}`);
    const rs = exercise.check(host);
    expect(failing(rs)).toEqual([]);
    expect(byName(rs, SPREAD).detail).toBe("Running web pods per node — worker-1: 2, worker-2: 2.");
  });

  it("catches chmod +x alone? No: systemd's Restart=on-failure retries, so the scheduler comes back by itself", () => {
    const rs = grade("kubectl uncordon worker-2\nchmod +x /usr/local/bin/kube-scheduler\n");
    expect(failing(rs)).toEqual([]);
  });

  it("catches a scheduler restarted without its execute bit: still 203/EXEC", () => {
    const rs = grade("kubectl uncordon worker-2\nsystemctl restart kube-scheduler\n");
    expect(failing(rs)).toEqual([SERVICES, AVAILABLE, SPREAD]);
    expect(byName(rs, AVAILABLE).hint).toBe("Pods get a node only from kube-scheduler. Look at it first: systemctl status kube-scheduler");
  });

  it("catches worker-2 left cordoned, and a taint put in its place", () => {
    const cordoned = grade("chmod +x /usr/local/bin/kube-scheduler\nsystemctl restart kube-scheduler\n");
    expect(failing(cordoned)).toEqual([NODES, SPREAD]);
    expect(byName(cordoned, SPREAD).hint).toBe("worker-2 still refuses new pods: worker-2 is cordoned: kubectl get nodes says Ready,SchedulingDisabled.");
    const tainted = grade("kubectl uncordon worker-2\nkubectl taint nodes worker-2 maintenance=true:NoSchedule\nchmod +x /usr/local/bin/kube-scheduler\nsystemctl restart kube-scheduler\n");
    expect(failing(tainted)).toEqual([NODES, SPREAD]);
    expect(byName(tainted, NODES).hint).toBe("Remove it: kubectl taint nodes worker-2 maintenance:NoSchedule-");
  });

  it("does not accept a repair that breaks something else: a stopped controller-manager, a scaled-down web", () => {
    const stopped = grade(solution + "systemctl stop kube-controller-manager\n");
    // The Deployment's status is written by the controller-manager: with it stopped, AVAILABLE never moves.
    expect(failing(stopped)).toEqual([SERVICES, AVAILABLE]);
    expect(byName(stopped, SERVICES)).toMatchObject({ detail: "kube-controller-manager is inactive on controlplane (stopped, not failed).", hint: "Start it: systemctl start kube-controller-manager" });
    const scaled = grade(solution + "kubectl scale deployment web --replicas=2\n");
    expect(failing(scaled)).toEqual([AVAILABLE]);
    expect(byName(scaled, AVAILABLE).hint).toBe("kubectl scale deployment web --replicas=4");
  });

  it("grades a kubelet stopped on a worker, with the ssh command in the hint", () => {
    const rs = grade(solution + "ssh worker-2 systemctl stop kubelet\n");
    expect(byName(rs, SERVICES)).toMatchObject({ ok: false, hint: "Start it: ssh worker-2 systemctl start kubelet" });
  });
});
