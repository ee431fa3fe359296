// The lesson list, in course order, shared by the home page, the lesson pages and the sidebar.
// Server-side only (astro:content). Drafts are shown by `astro dev` and left out of builds.
import { getCollection, type CollectionEntry } from "astro:content";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export type LessonEntry = CollectionEntry<"lessons">;

export async function getLessons(): Promise<LessonEntry[]> {
  const all = await getCollection("lessons", (e) => import.meta.env.DEV || e.data.draft !== true);
  all.sort((a, b) => a.data.order - b.data.order || a.id.localeCompare(b.id));
  for (let i = 1; i < all.length; i++) {
    if (all[i]!.data.order === all[i - 1]!.data.order) {
      throw new Error(`Lessons ${all[i - 1]!.id} and ${all[i]!.id} have the same order ${all[i]!.data.order}`);
    }
  }
  return all;
}

export const lessonHref = (id: string): string => `/lessons/${id}/`;

export interface ExerciseInfo {
  n: number;
  /** exercises/NN-slug, or undefined when the folder does not exist (yet). */
  dir?: string;
  /** The README's title without "Exercise N:", if there is one. */
  title?: string;
}

/** Find exercises/NN-slug for exercise `n` and its README title. */
export function exerciseInfo(n: number, root = process.cwd()): ExerciseInfo {
  const base = join(root, "exercises");
  const prefix = String(n).padStart(2, "0") + "-";
  const name = existsSync(base) ? readdirSync(base).find((d) => d.startsWith(prefix)) : undefined;
  if (!name) return { n };
  const readme = join(base, name, "README.md");
  let title: string | undefined;
  if (existsSync(readme)) {
    const h1 = /^#\s+(.+)$/m.exec(readFileSync(readme, "utf8"))?.[1]?.trim();
    title = h1?.replace(/^Exercise\s+\d+\s*[:.—–-]\s*/i, "") || undefined;
  }
  return { n, dir: `exercises/${name}`, title };
}
