// Finding exercises on disk and remembering the learner's progress (Node only: the runner's side).
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Exercise } from "../exercise";

export interface Entry {
  number: number;
  slug: string;
  dir: string;
}

/** exercises/NN-slug/ folders that have a check.ts, by number. */
export function discover(root: string): Entry[] {
  const base = join(root, "exercises");
  return readdirSync(base, { withFileTypes: true })
    .filter((d) => d.isDirectory() && /^\d+-/.test(d.name) && existsSync(join(base, d.name, "check.ts")))
    .map((d) => ({ number: Number(d.name.split("-")[0]), slug: d.name, dir: join(base, d.name) }))
    .sort((a, b) => a.number - b.number);
}

export async function load(entry: Entry): Promise<Exercise> {
  const mod = (await import(pathToFileURL(join(entry.dir, "check.ts")).href)) as { default: Exercise };
  return mod.default;
}

export interface Progress {
  /** Result of the last check run. */
  last?: "passed" | "failed";
  /** Passed at least once: unlocks --solution. */
  passedOnce?: boolean;
  /** How many of the exercise's hints --hint has shown. */
  hintsShown?: number;
}

/** .exercises-state.json in the repo root (git-ignored): slug → Progress. A broken file counts as empty. */
export class StateFile {
  private data: Record<string, Progress> = {};
  constructor(private readonly path: string) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(path, "utf8"));
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) this.data = parsed as Record<string, Progress>;
    } catch {
      // missing or corrupt: start afresh
    }
  }
  get(slug: string): Progress {
    const p = this.data[slug];
    return p && typeof p === "object" ? p : {};
  }
  update(slug: string, change: Partial<Progress>): void {
    this.data[slug] = { ...this.get(slug), ...change };
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.data, null, 2) + "\n");
    renameSync(tmp, this.path);
  }
}
