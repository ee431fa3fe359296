// The course as a whole: every lesson names seed documents that exist, every card topic has a
// lesson that teaches it, and every exercise or quiz a lesson points to is really there. New
// lessons are picked up from lessons/*.mdx, so a later lesson is held to the same rules.
import { describe, expect, test } from "vitest";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { loadQuiz } from "./quiz-data";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SEEDS = join(ROOT, "../shared/seeds");

interface Frontmatter {
  title: string;
  order: number;
  summary: string;
  objectives: string[];
  sources: string[];
  exercise?: number;
  quiz?: string;
  draft?: boolean;
}

function lessons(): { file: string; fm: Frontmatter; text: string }[] {
  return readdirSync(join(ROOT, "lessons"))
    .filter((f) => f.endsWith(".mdx"))
    .sort()
    .map((file) => {
      const text = readFileSync(join(ROOT, "lessons", file), "utf8");
      const m = /^---\n([\s\S]*?)\n---\n/.exec(text);
      if (!m) throw new Error(`${file}: no frontmatter`);
      return { file, fm: parse(m[1]!) as Frontmatter, text };
    })
    .filter((l) => !l.fm.draft);
}

// The topics the course card promises, and words a lesson about each must use in its title,
// summary or objectives (what the reader is told the lesson is about, not a passing mention).
const CARD_TOPICS: Record<string, RegExp> = {
  namespaces: /\bnamespaces?\b/i,
  cgroups: /\bcgroups?\b/i,
  overlayfs: /\boverlay(fs)?\b/i,
  "veth pairs and bridges": /\bveth\b/i,
  iptables: /\biptables\b/i,
  scheduling: /\bschedul(ing|er)\b/i,
  "rolling updates": /\brolling updates?\b|\brollouts?\b/i,
};

describe("the course covers what its card promises", () => {
  const all = lessons();

  test("there are lessons, with distinct order numbers", () => {
    expect(all.length).toBeGreaterThan(0);
    const orders = all.map((l) => l.fm.order);
    expect(new Set(orders).size, `orders: ${orders.join(", ")}`).toBe(orders.length);
  });

  test.skipIf(!existsSync(SEEDS))("every lesson names the seed documents it follows, and they exist", () => {
    const seeds = new Set(readdirSync(SEEDS).map((f) => f.slice(0, 3)));
    for (const { file, fm } of all) {
      expect(fm.sources?.length ?? 0, `${file} names no sources`).toBeGreaterThan(0);
      for (const s of fm.sources) expect(seeds.has(s), `${file}: seed ${s} is not in shared/seeds`).toBe(true);
    }
  });

  test.each(Object.entries(CARD_TOPICS))("the topic %s has a lesson", (_topic, words) => {
    const teaching = all.filter(({ fm }) => words.test([fm.title, fm.summary, ...fm.objectives].join("\n")));
    expect(teaching.map((l) => l.file), `no lesson's title, summary or objectives matches ${words}`).not.toHaveLength(0);
  });

  test("every exercise a lesson links to has its folder, starter and solution", () => {
    for (const { file, fm } of all.filter((l) => l.fm.exercise)) {
      const prefix = `${String(fm.exercise).padStart(2, "0")}-`;
      const folder = readdirSync(join(ROOT, "exercises")).find((d) => d.startsWith(prefix));
      expect(folder, `${file}: exercise ${fm.exercise} has no exercises/${prefix}* folder`).toBeDefined();
      for (const part of ["README.md", "check.ts", "check.test.ts"]) expect(existsSync(join(ROOT, "exercises", folder!, part)), `${folder}/${part}`).toBe(true);
      expect(existsSync(join(ROOT, "exercises/solutions", folder!)), `solutions/${folder}`).toBe(true);
    }
  });

  test("every quiz a lesson names exists and asks at least 5 questions", () => {
    for (const { file, fm } of all.filter((l) => l.fm.quiz)) {
      expect(loadQuiz(fm.quiz!).questions.length, `${file}: quiz ${fm.quiz}`).toBeGreaterThanOrEqual(5);
    }
  });
});
