import { describe, expect, test } from "vitest";
import { readdirSync } from "node:fs";
import { loadQuiz, parseQuiz } from "./quiz-data";
import { inlineMarkdown } from "./inline-md";

const good = `
questions:
  - id: q1
    prompt: "Which namespace gives a process its own hostname?"
    kind: single
    options:
      - text: "uts"
        correct: true
        explain: "UTS holds the hostname."
      - text: "mnt"
        explain: "mnt isolates mounts."
  - id: q2
    prompt: "Pick the cgroup v2 files"
    type: multiple
    options:
      - { text: "memory.max", correct: true, explain: "yes" }
      - { text: "cpu.max", correct: true, explain: "yes" }
      - { text: "hostname", correct: false, explain: "no" }
`;

describe("parseQuiz", () => {
  test("a good quiz, with `type` accepted for `kind`", () => {
    const q = parseQuiz(good, "good.yaml");
    expect(q.questions).toHaveLength(2);
    expect(q.questions[0]!.options.map((o) => o.correct)).toEqual([true, false]);
    expect(q.questions[1]!.kind).toBe("multiple");
  });

  test.each([
    ["a missing explanation", good.replace('        explain: "mnt isolates mounts."\n', ""), /explain/],
    ["two right answers to a single question", good.replace('- text: "mnt"', '- text: "mnt"\n        correct: true'), /exactly one correct/],
    ["no right answer to a multiple question", good.replace(/correct: true, /g, ""), /at least one correct/],
    ["an unknown key", good.replace("kind: single", "kind: single\n    colour: red"), /colour|unrecognized/i],
    ["a duplicate id", good.replace("id: q2", "id: q1"), /duplicate question id/],
    ["broken YAML", "questions: [\n  - id: {", /invalid YAML/],
    ["no questions", "questions: []", /at least one question/],
  ])("%s is refused, naming the file", (_, text, message) => {
    expect(() => parseQuiz(text, "lessons/quizzes/x.yaml")).toThrow(message);
    expect(() => parseQuiz(text, "lessons/quizzes/x.yaml")).toThrow(/lessons\/quizzes\/x\.yaml/);
  });

  test("errors point at the line", () => {
    const bad = good.replace('- text: "mnt"', '- text: "mnt"\n        correct: true');
    expect(() => parseQuiz(bad, "x.yaml")).toThrow(/line \d+/);
  });
});

describe("the course's quizzes", () => {
  const names = readdirSync("lessons/quizzes").filter((f) => f.endsWith(".yaml")).map((f) => f.replace(/\.yaml$/, ""));
  test.each(names)("%s is valid", (name) => {
    expect(loadQuiz(name).questions.length).toBeGreaterThan(0);
  });
  test("a missing quiz file is an error", () => {
    expect(() => loadQuiz("no-such-quiz")).toThrow(/does not exist/);
  });
});

describe("inlineMarkdown", () => {
  test("code, bold, emphasis and links; everything else escaped", () => {
    expect(inlineMarkdown("run `ls <dir>` **now**, *please*")).toBe("run <code>ls &lt;dir&gt;</code> <strong>now</strong>, <em>please</em>");
    expect(inlineMarkdown("<script>alert(1)</script>")).toBe("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(inlineMarkdown("[man](https://man7.org/x)")).toBe('<a href="https://man7.org/x">man</a>');
    expect(inlineMarkdown("[bad](javascript:alert(1))")).toBe("[bad](javascript:alert(1))");
    expect(inlineMarkdown("a * b * c")).toBe("a * b * c");
  });
});
