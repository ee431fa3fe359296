// What every exercise exports from its check.ts: one grader for two surfaces —
// `npm run exercise N` in the terminal and the "Check my work" button in the page.
import type { Host, ShResult } from "../engine";

export interface CheckResult {
  /** What is being checked, in the learner's words. */
  name: string;
  ok: boolean;
  /** Why it passed or failed, computed from the engine's state. */
  detail: string;
  /** A hint computed from state, shown when the check fails. */
  hint?: string;
}

export interface Exercise {
  number: number;
  slug: string; // e.g. "02-namespaces"
  title: string;
  /** The file the learner edits, relative to the exercise folder (e.g. "box.sh"). */
  starter: string;
  kind: "shell" | "yaml" | "typescript";
  /** The lab's start state: a fresh host (or cluster later) for this exercise. */
  setup(): Host;
  /** Apply the learner's work (the starter file's text) to the lab, e.g. run the script. */
  apply(host: Host, work: string): ShResult;
  /** Pure state checks. The page runs them against its live engine after the reader typed in the terminal. */
  check(host: Host): CheckResult[];
  /** General hints, most gentle first (`--hint`). */
  hints: string[];
}
