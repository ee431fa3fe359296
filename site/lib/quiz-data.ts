// Quiz files: lessons/quizzes/<name>.yaml. Parsed with `yaml` and validated with zod at build
// time (site/content.config.ts and site/components/Quiz.astro), so a broken quiz fails
// `astro build` with the file name and the line of the problem. Server-side only.
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { z } from "astro/zod";
import { LineCounter, parseDocument } from "yaml";

const optionSchema = z
  .object({
    text: z.string().min(1),
    correct: z.boolean().optional(),
    explain: z.string().min(1, "every option needs an explanation"),
  })
  .strict();

const questionSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_-]+$/, "ids are letters, digits, - and _"),
    prompt: z.string().min(1),
    // `kind` is the documented key; `type` is accepted as a synonym.
    kind: z.enum(["single", "multiple"]).optional(),
    type: z.enum(["single", "multiple"]).optional(),
    options: z.array(optionSchema).min(2, "a question needs at least two options"),
  })
  .strict()
  .superRefine((q, ctx) => {
    if (q.kind && q.type && q.kind !== q.type) {
      ctx.addIssue({ code: "custom", message: `kind "${q.kind}" and type "${q.type}" disagree` });
    }
    const kind = q.kind ?? q.type ?? "single";
    const right = q.options.filter((o) => o.correct === true).length;
    if (kind === "single" && right !== 1) {
      ctx.addIssue({ code: "custom", path: ["options"], message: `a single-answer question needs exactly one correct option (found ${right})` });
    }
    if (kind === "multiple" && right < 1) {
      ctx.addIssue({ code: "custom", path: ["options"], message: "a multiple-answer question needs at least one correct option" });
    }
    const texts = new Set<string>();
    for (const o of q.options) {
      if (texts.has(o.text)) ctx.addIssue({ code: "custom", path: ["options"], message: `duplicate option "${o.text}"` });
      texts.add(o.text);
    }
  });

const quizSchema = z
  .object({
    questions: z.array(questionSchema).min(1, "a quiz needs at least one question"),
  })
  .strict()
  .superRefine((quiz, ctx) => {
    const ids = new Set<string>();
    quiz.questions.forEach((q, i) => {
      if (ids.has(q.id)) ctx.addIssue({ code: "custom", path: ["questions", i, "id"], message: `duplicate question id "${q.id}"` });
      ids.add(q.id);
    });
  });

export interface QuizOption {
  text: string;
  correct: boolean;
  explain: string;
}
export interface QuizQuestion {
  id: string;
  prompt: string;
  kind: "single" | "multiple";
  options: QuizOption[];
}
export interface Quiz {
  name: string;
  questions: QuizQuestion[];
}

/** Parse and validate one quiz file's text. Throws an Error naming `fileName` on any problem. */
export function parseQuiz(text: string, fileName: string, name = fileName): Quiz {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new Error(`Quiz ${fileName}: invalid YAML: ${doc.errors.map((e) => e.message).join("; ")}`);
  }
  const result = quizSchema.safeParse(doc.toJS());
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const path = issue.path.map(String);
      // Point at the line of the offending node, or of its nearest parent when it is missing.
      let where = "";
      for (let n = issue.path.length; n > 0 && !where; n--) {
        const node: unknown = doc.getIn(issue.path.slice(0, n) as (string | number)[], true);
        const range = node && typeof node === "object" && "range" in node ? (node as { range?: [number, number, number] }).range : undefined;
        if (range) where = ` (line ${lineCounter.linePos(range[0]).line})`;
      }
      return `${path.join(".") || "(root)"}${where}: ${issue.message}`;
    });
    throw new Error(`Quiz ${fileName} is invalid:\n  - ${problems.join("\n  - ")}`);
  }
  return {
    name,
    questions: result.data.questions.map((q) => ({
      id: q.id,
      prompt: q.prompt,
      kind: q.kind ?? q.type ?? "single",
      options: q.options.map((o) => ({ text: o.text, correct: o.correct === true, explain: o.explain })),
    })),
  };
}

/** The path of quiz `name` (relative to the project root). */
export function quizPath(name: string): string {
  return join("lessons", "quizzes", `${name}.yaml`);
}

/** Read and validate lessons/quizzes/<name>.yaml from the project root. Throws on any problem. */
export function loadQuiz(name: string, root = process.cwd()): Quiz {
  if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new Error(`Quiz name "${name}" must be a file name without extension`);
  const rel = quizPath(name);
  const file = join(root, rel);
  if (!existsSync(file)) throw new Error(`Quiz file ${rel} does not exist`);
  return parseQuiz(readFileSync(file, "utf8"), rel, name);
}
