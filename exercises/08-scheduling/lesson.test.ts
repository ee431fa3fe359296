// Every command of lesson 8, as its ▶ Run buttons would type them, works in the engine, in the
// lesson's order, on the lesson's lab (exercise 8's cluster) — and says what the text says.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import exercise from "./check";
import { lessonCommands } from "../lib/lesson-transcript";

const mdx = readFileSync(new URL("../../lessons/08-scheduling.mdx", import.meta.url), "utf8");

/** The exit codes of the commands the lesson runs while the scheduler is broken, on purpose. */
const BROKEN: Record<string, number> = { "systemctl start kube-scheduler": 1, "systemctl status kube-scheduler": 3 };

describe("lesson 8's commands", () => {
  it("all run, in order, with the outputs the text quotes", () => {
    const host = exercise.setup();
    const cmds = lessonCommands(mdx);
    expect(cmds.length).toBeGreaterThan(15);
    const out = new Map<string, string>();
    let broken = false;
    for (const c of cmds) {
      if (c === "chmod -x /usr/local/bin/kube-scheduler") broken = true;
      if (c === "chmod +x /usr/local/bin/kube-scheduler") broken = false;
      const r = host.sh(c);
      expect(r.exitCode, `${c}\n${r.stderr}`).toBe(broken ? (BROKEN[c] ?? 0) : 0);
      out.set(c, r.stdout + r.stderr);
    }
    expect(out.get("kubectl describe node worker-3 | grep Taints")).toBe("Taints:             dedicated=batch:NoSchedule\n");
    expect(out.get("systemctl status kube-scheduler")).toContain("status=203/EXEC");
    expect(out.get("kubectl describe pod lonely | tail -3")).toMatch(/\nEvents: +<none>\n$/);
    expect(out.get("kubectl describe pod lonely | grep Scheduled")).toMatch(/Normal {2}Scheduled .* default-scheduler {2}Successfully assigned default\/lonely to worker-2\n$/);
    expect(out.get("kubectl describe pod hungry | tail -4")).toContain("FailedScheduling  0s    default-scheduler  0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: batch}, 2 Insufficient cpu.\n");
    expect(out.get("kubectl get pod capped -o wide")).toMatch(/capped +1\/1 +Running .* worker-2 /);
    const alloc = out.get("kubectl describe node worker-2 | tail -8")!;
    expect(alloc).toContain("  cpu                250m (12%)  8 (400%)\n");
    expect(alloc).toContain("  memory             128Mi (3%)  16Gi (410%)\n");
    expect(out.get("kubectl get pod fast-disk -o wide")).toMatch(/fast-disk .* worker-1 /);
    expect(out.get("kubectl get pods -o wide")).toMatch(/cruncher +1\/1 +Running .* worker-3 /);
    // NoSchedule does not evict: the CoreDNS pod placed before the lab's taint still runs there.
    expect(out.get("kubectl get pods -n kube-system -o wide")).toMatch(/coredns-\S+ +1\/1 +Running .* worker-3 /);
    expect(mdx).toContain(out.get("kubectl get pods -n kube-system -o wide"));
  });

  it("the clean-up the text suggests before the exercise works", () => {
    const host = exercise.setup();
    host.sh("kubectl run lonely --image=nginx:1.27");
    expect(host.sh("kubectl delete pod --all").exitCode).toBe(0);
    host.tick(60_000);
    expect(host.sh("kubectl get pods").stderr).toBe("No resources found in default namespace.\n");
  });
});
