// Every command of lesson 11, as its ▶ Run buttons would type them, works in the engine, in the
// lesson's order, on the lesson's lab (exercise 11's cluster), and prints exactly what the text
// block after it shows (each output ending in a newline, as the page's terminal shows it).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import exercise from "./check";
import { commandsOf } from "../../site/widgets/run-buttons";

const mdx = readFileSync(new URL("../../lessons/11-labels-selectors-config-and-secrets.mdx", import.meta.url), "utf8");

/** The code fences in order. */
function fences(text: string): { lang: string; body: string }[] {
  return [...text.matchAll(/^```(\w+)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1]!, body: m[2]! }));
}

/** A block's commands as the Run button types them, a here-document joined to its command. */
function commands(body: string, lang: string): string[] {
  const lines = commandsOf(body, lang);
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /<<-?\s*['"]?(\w+)['"]?\s*$/.exec(lines[i]!);
    if (!m) {
      out.push(lines[i]!);
      continue;
    }
    const end = lines.indexOf(m[1]!, i + 1);
    out.push(lines.slice(i, end + 1).join("\n"));
    i = end;
  }
  return out;
}

/** Commands that fail on purpose, with the exit code the lesson expects. */
const EXPECTED_FAILURES: Record<string, number> = {
  "ssh worker-1 curl -sS --max-time 2 http://10.32.0.40": 7,
  "ssh worker-1 mount | grep -c kubernetes.io~secret": 1,
};

describe("lesson 11's commands", () => {
  it("all run, in order, and print exactly the text blocks that follow them", () => {
    const host = exercise.setup();
    let printed: string | null = null;
    let ran = 0;
    let compared = 0;
    for (const f of fences(mdx)) {
      if (f.lang === "sh") {
        printed = "";
        for (const c of commands(f.body, f.lang)) {
          const r = host.sh(c);
          ran++;
          expect(r.exitCode, `${c}\n${r.stderr}`).toBe(EXPECTED_FAILURES[c] ?? 0);
          const o = r.stdout + r.stderr;
          printed += o === "" || o.endsWith("\n") ? o : o + "\n";
        }
      } else if (f.lang === "text") {
        expect(printed, `a text block without a command block before it:\n${f.body}`).not.toBeNull();
        expect(printed).toBe(f.body);
        compared++;
        printed = null;
      }
    }
    expect(ran).toBeGreaterThan(30);
    expect(compared).toBeGreaterThan(15);
  });

  it("leaves the exercise's objects as the exercise expects them: web still has no endpoints", () => {
    const host = exercise.setup();
    for (const f of fences(mdx)) if (f.lang === "sh") for (const c of commands(f.body, f.lang)) host.sh(c);
    const rs = exercise.check(host);
    expect(rs.map((r) => r.ok)).toEqual([false, false, false, false, false]);
    expect(rs[4]!.detail).toBe("Service web selects app=web, and that matches 0 pods.");
  });
});
