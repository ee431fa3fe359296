// Every command of lesson 11, as its ▶ Run buttons would type them, works in the engine, in the
// lesson's order, on the lesson's lab (exercise 11's cluster), and prints exactly what the text
// block after it shows (each output ending in a newline, as the page's terminal shows it).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import exercise from "./check";
import { lessonSteps } from "../lib/lesson-transcript";

const mdx = readFileSync(new URL("../../lessons/11-labels-selectors-config-and-secrets.mdx", import.meta.url), "utf8");

const steps = lessonSteps(mdx);

/** Commands that fail on purpose, with the exit code the lesson expects. */
const EXPECTED_FAILURES: Record<string, number> = {
  "ssh worker-1 curl -sS --max-time 2 http://10.32.0.40": 7,
  "ssh worker-1 mount | grep -c kubernetes.io~secret": 1,
  "kubectl exec app -- sh -c 'echo hacked > /etc/creds/password'": 2,
};

describe("lesson 11's commands", () => {
  it("all run, in order, and print exactly the text blocks that follow them", () => {
    const host = exercise.setup();
    let ran = 0;
    let compared = 0;
    for (const step of steps) {
      let printed = "";
      for (const c of step.commands) {
        const r = host.sh(c);
        ran++;
        expect(r.exitCode, `${c}\n${r.stderr}`).toBe(EXPECTED_FAILURES[c] ?? 0);
        const o = r.stdout + r.stderr;
        printed += o === "" || o.endsWith("\n") ? o : o + "\n";
      }
      if (step.shown === null) continue;
      expect(step.commands, `a text block without a command block before it:\n${step.shown}`).not.toEqual([]);
      expect(printed).toBe(step.shown);
      compared++;
    }
    expect(ran).toBeGreaterThan(30);
    expect(compared).toBeGreaterThan(15);
  });

  it("leaves the exercise's objects as the exercise expects them: web still has no endpoints", () => {
    const host = exercise.setup();
    for (const step of steps) for (const c of step.commands) host.sh(c);
    const rs = exercise.check(host);
    expect(rs.map((r) => r.ok)).toEqual([false, false, false, false, false]);
    expect(rs[4]!.detail).toBe("Service web selects app=web, and that matches 0 pods.");
  });
});
