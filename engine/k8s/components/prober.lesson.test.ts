// Lesson 10 shows transcripts: commands and what they print. This test runs the lesson's shell
// blocks, in order, in the page's world (a 2-worker cluster, seed 1) and checks that every line
// of each `text` block after a command block is a line the commands really printed — so the
// lesson and the prober cannot drift apart. "..." lines are elisions; "…" ends a line's prefix.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createCluster } from "../../index";

const lesson = readFileSync(new URL("../../../lessons/10-pod-lifecycle-and-probes.mdx", import.meta.url), "utf8");

/** The code fences in order: language and body (indented fences de-indented). */
function fences(text: string): { lang: string; body: string }[] {
  return [...text.matchAll(/^( *)```(\w+)\n([\s\S]*?)\n\1```$/gm)].map((m) => ({ lang: m[2]!, body: m[3]!.split("\n").map((l) => l.slice(m[1]!.length)).join("\n") }));
}

/** A block's command lines: a heredoc is one command with its document, other lines one each. */
function commands(body: string): string[] {
  const out: string[] = [];
  const lines = body.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (!l.trim()) continue;
    if (/<<EOF$/.test(l)) {
      const end = lines.indexOf("EOF", i);
      out.push(lines.slice(i, end + 1).join("\n"));
      i = end;
    } else out.push(l);
  }
  return out;
}

describe("lesson 10's transcripts are what the engine prints", () => {
  it("every shown output line appears in the output of the commands before it", () => {
    const host = createCluster({ workers: 2, seed: 1 }).controlPlane;
    let printed: string[] = [];
    const missing: string[] = [];
    let checked = 0;
    for (const f of fences(lesson)) {
      if (f.lang === "sh") {
        printed = [];
        for (const cmd of commands(f.body)) {
          const r = host.sh(cmd);
          printed.push(...(r.stdout + r.stderr).split("\n").map((l) => l.trimEnd()));
        }
      } else if (f.lang === "text" && printed.length) {
        for (const want of f.body.split("\n").map((l) => l.trimEnd())) {
          if (!want || want === "...") continue;
          checked++;
          const ok = want.endsWith("…)") ? printed.some((p) => p.startsWith(want.slice(0, -2))) : printed.includes(want);
          if (!ok) missing.push(want);
        }
      }
    }
    expect(missing).toEqual([]);
    expect(checked).toBeGreaterThan(50);
  });
});
