// Every command of lesson 9, as its ▶ Run buttons would type them, works in the engine, in the
// lesson's order, on the lesson's lab (exercise 9's cluster) — and says what the text says.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import exercise from "./check";
import { lessonCommands } from "../lib/lesson-transcript";

const mdx = readFileSync(new URL("../../lessons/09-deployments-and-rolling-updates.mdx", import.meta.url), "utf8");

/** The one command the lesson runs to watch it fail: waiting on a rollout that cannot finish. */
const EXPECTED_EXIT: Record<string, number> = { "kubectl rollout status deployment/web --timeout=60s": 1 };

describe("lesson 9's commands", () => {
  it("all run, in order, with the outputs the text quotes", () => {
    const host = exercise.setup();
    const cmds = lessonCommands(mdx);
    expect(cmds.length).toBeGreaterThan(12);
    const out: [string, string][] = [];
    for (const c of cmds) {
      const r = host.sh(c);
      expect(r.exitCode, `${c}\n${r.stderr}`).toBe(EXPECTED_EXIT[c] ?? 0);
      out.push([c, r.stdout + r.stderr]);
    }
    const all = (c: string) => out.filter(([x]) => x === c).map(([, o]) => o);
    const quoted = (block: string) => mdx.includes(block.trimEnd()) || expect.fail(`the lesson does not quote:\n${block}`);

    expect(all("kubectl get deployment,replicaset,pods --show-labels")[0]).toMatch(/^NAME +READY +UP-TO-DATE +AVAILABLE +AGE +LABELS\ndeployment\.apps\/web +4\/4 +4 +4 +5s +<none>\n\nNAME .*\nreplicaset\.apps\/web-766486c5b6 +4 +4 +4 +5s +app=web,pod-template-hash=766486c5b6\n/);
    // The listing the text shows: the Deployment, its ReplicaSet and the first of its pods.
    quoted(all("kubectl get deployment,replicaset,pods --show-labels")[0]!.split("\n").slice(0, 8).join("\n") + "\n…\n");
    const [first, afterUndo] = [all("kubectl rollout status deployment/web")[1]!, all("kubectl get replicasets")];
    quoted(first + afterUndo[0]!);
    quoted(all("kubectl describe deployment web | tail -9")[0]!.split("\n").slice(2).join("\n"));
    expect(all("kubectl rollout status deployment/web --timeout=60s")[0]).toBe('Waiting for deployment "web" rollout to finish: 2 out of 4 new replicas have been updated...\nerror: timed out waiting for the condition\n');
    quoted(all("kubectl get pods")[0]! + afterUndo[1]!);
    const history = all("kubectl rollout history deployment/web");
    quoted(afterUndo[2]! + history[1]!.split("\n").slice(1).join("\n"));
  });
});
