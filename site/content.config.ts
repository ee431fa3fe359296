// The lessons collection: one MDX file per lesson in lessons/ at the project root. The schema is
// the contract for the frontmatter; a lesson that breaks it (or names a broken quiz) fails the
// build.
import { defineCollection } from "astro:content";
import { glob } from "astro/loaders";
import { z } from "astro/zod";
import { loadQuiz } from "./lib/quiz-data";

const lessons = defineCollection({
  loader: glob({ pattern: "*.mdx", base: "./lessons" }),
  schema: z
    .object({
      title: z.string().min(1),
      order: z.number().int().min(1),
      summary: z.string().min(1),
      objectives: z.array(z.string().min(1)).min(1),
      /** Seed documents (shared/seeds/NNN_*.txt) the lesson follows. */
      sources: z.array(z.string().regex(/^\d{3}$/, 'a seed id is three digits, e.g. "002"')).min(1),
      /** Exercise number: exercises/NN-slug. */
      exercise: z.number().int().min(0).optional(),
      /** The page's simulated world when the lesson has no exercise lab: one host (default) or a cluster. */
      lab: z.enum(["host", "cluster"]).optional(),
      /** Quiz file name: lessons/quizzes/<quiz>.yaml. */
      quiz: z.string().optional(),
      draft: z.boolean().optional(),
    })
    .strict()
    .superRefine((data, ctx) => {
      if (data.quiz === undefined) return;
      try {
        loadQuiz(data.quiz);
      } catch (err) {
        ctx.addIssue({ code: "custom", path: ["quiz"], message: (err as Error).message });
      }
    }),
});

export const collections = { lessons };
