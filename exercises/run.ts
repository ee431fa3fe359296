// The exercise runner: `npm run exercise [N] [--watch] [--hint] [--reset] [--solution]`.
//
//   (no N)       list the exercises with your progress
//   N            run your script for exercise N in a fresh lab and check the lab's state
//   N --watch    the same, again on every save in the exercise's folder
//   N --hint     the next hint (one more each time)
//   N --solution the reference solution, once you have passed the exercise
//   N --reset    put the starter file back as it was (git checkout)
//
// npm swallows --flags it does not know unless they come after `--` (`npm run exercise -- 2
// --hint`); it then still tells us through npm_config_<flag>, so both spellings work.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, watch } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { discover, load, StateFile } from "./lib/catalog";
import type { Entry } from "./lib/catalog";
import type { CheckResult, Exercise } from "./exercise";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const FLAGS = ["watch", "hint", "reset", "solution"] as const;
type Flag = (typeof FLAGS)[number];

const tty = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
const paint = (code: number) => (s: string) => (tty ? `\x1b[${code}m${s}\x1b[0m` : s);
const green = paint(32), red = paint(31), yellow = paint(33), dim = paint(2), bold = paint(1);

function parseArgs(argv: string[]): { n?: number; flags: Set<Flag>; bad: string[] } {
  const flags = new Set<Flag>();
  const bad: string[] = [];
  let n: number | undefined;
  for (const a of argv) {
    const flag = a.replace(/^--?/, "") as Flag;
    if (a.startsWith("-") && FLAGS.includes(flag)) flags.add(flag);
    else if (/^\d+$/.test(a) && n === undefined) n = Number(a);
    else bad.push(a);
  }
  for (const f of FLAGS) if (process.env[`npm_config_${f}`] === "true") flags.add(f);
  return { ...(n !== undefined ? { n } : {}), flags, bad };
}

const state = new StateFile(join(ROOT, ".exercises-state.json"));

async function list(entries: Entry[]): Promise<void> {
  console.log(bold("Exercises") + dim("  (npm run exercise N to check one)\n"));
  for (const e of entries) {
    const ex = await load(e);
    const p = state.get(e.slug);
    const status = p.last === "passed" ? green("✓ passed") : p.last === "failed" ? red("✗ not yet") : dim("· not tried");
    console.log(`  ${String(e.number).padStart(2)}  ${ex.title.padEnd(48)} ${status}`);
  }
}

function printResults(results: CheckResult[]): void {
  for (const r of results) {
    console.log(`${r.ok ? green("✓") : red("✗")} ${r.name}`);
    console.log(dim(`    ${r.detail}`));
    if (!r.ok && r.hint) console.log(yellow(`    hint: ${r.hint}`));
  }
}

/** Run the learner's file in a fresh lab and check it. Returns true when every check passes. */
function runOnce(entry: Entry, ex: Exercise): boolean {
  const file = join(entry.dir, ex.starter);
  const work = readFileSync(file, "utf8");
  console.log(bold(`Exercise ${ex.number}: ${ex.title}`) + dim(`  (${relative(ROOT, file)})\n`));
  let results: CheckResult[];
  try {
    const host = ex.setup();
    const out = ex.apply(host, work);
    const printed = (out.stdout + out.stderr).trimEnd();
    if (printed) {
      const lines = printed.split("\n");
      console.log(dim("your script printed:"));
      for (const l of lines.slice(0, 30)) console.log(dim(`  │ ${l}`));
      if (lines.length > 30) console.log(dim(`  │ … ${lines.length - 30} more lines`));
      console.log();
    }
    results = ex.check(host);
  } catch (err) {
    results = [{ name: "The lab ran your work", ok: false, detail: String(err instanceof Error ? err.message : err), hint: "This looks like a bug in the exercise or the engine, not in your work: please report it." }];
  }
  printResults(results);
  const passed = results.filter((r) => r.ok).length;
  const ok = passed === results.length;
  console.log();
  console.log(ok ? green(`All ${results.length} checks pass. Well done!`) + dim(` (npm run exercise -- ${ex.number} --solution shows the reference solution)`) : red(`${passed} of ${results.length} checks pass.`) + dim(" Stuck? npm run exercise -- " + ex.number + " --hint"));
  state.update(entry.slug, { last: ok ? "passed" : "failed", ...(ok ? { passedOnce: true } : {}) });
  return ok;
}

function hint(entry: Entry, ex: Exercise): void {
  const shown = state.get(entry.slug).hintsShown ?? 0;
  const next = Math.min(shown, ex.hints.length - 1);
  if (ex.hints.length === 0) return void console.log("This exercise has no hints.");
  for (let i = 0; i <= next; i++) console.log(`${i === next ? bold(`Hint ${i + 1}/${ex.hints.length}:`) : dim(`Hint ${i + 1}/${ex.hints.length}:`)} ${i === next ? ex.hints[i] : dim(ex.hints[i]!)}`);
  if (shown >= ex.hints.length) console.log(dim("That was the last hint."));
  state.update(entry.slug, { hintsShown: Math.min(shown + 1, ex.hints.length) });
}

function solution(entry: Entry, ex: Exercise): void {
  if (!state.get(entry.slug).passedOnce) {
    console.log(`The reference solution opens once your own work passes: that is where the learning happens.\nTry ${bold(`npm run exercise -- ${ex.number} --hint`)} for a nudge.`);
    return;
  }
  const file = join(ROOT, "exercises", "solutions", entry.slug, ex.starter);
  if (!existsSync(file)) return void console.log(`No reference solution at ${relative(ROOT, file)}.`);
  console.log(dim(`${relative(ROOT, file)}:\n`) + readFileSync(file, "utf8"));
}

function reset(entry: Entry, ex: Exercise): void {
  const path = relative(ROOT, join(entry.dir, ex.starter));
  try {
    execFileSync("git", ["checkout", "--", path], { cwd: ROOT, stdio: "pipe" });
    state.update(entry.slug, { last: undefined, hintsShown: 0 });
    console.log(`Restored ${path} to its starter version.`);
  } catch {
    console.log(`Could not restore ${path} with git. If this folder is a git clone, run:\n  git checkout -- ${path}\nOtherwise copy the file again from the course repository.`);
  }
}

function watchLoop(entry: Entry, ex: Exercise): void {
  const rerun = () => {
    if (tty) process.stdout.write("\x1b[2J\x1b[H");
    runOnce(entry, ex);
    console.log(dim(`\nWatching ${relative(ROOT, entry.dir)}/ — save to re-check, Ctrl-C to stop.`));
  };
  rerun();
  let timer: NodeJS.Timeout | undefined;
  watch(entry.dir, () => {
    clearTimeout(timer);
    timer = setTimeout(rerun, 150);
  });
}

async function main(): Promise<number> {
  const { n, flags, bad } = parseArgs(process.argv.slice(2));
  const entries = discover(ROOT);
  if (bad.length) {
    console.error(`Unknown argument${bad.length > 1 ? "s" : ""}: ${bad.join(" ")}\nUsage: npm run exercise -- [N] [--watch] [--hint] [--reset] [--solution]`);
    return 2;
  }
  if (n === undefined) {
    if (flags.size) console.error("Which exercise? e.g. npm run exercise -- 2 --hint\n");
    await list(entries);
    return flags.size ? 2 : 0;
  }
  const entry = entries.find((e) => e.number === n);
  if (!entry) {
    console.error(`There is no exercise ${n}. Exercises: ${entries.map((e) => e.number).join(", ")}.`);
    return 2;
  }
  const ex = await load(entry);
  if (flags.has("reset")) return reset(entry, ex), 0;
  if (flags.has("hint")) return hint(entry, ex), 0;
  if (flags.has("solution")) return solution(entry, ex), 0;
  if (flags.has("watch")) return watchLoop(entry, ex), new Promise<number>(() => {});
  return runOnce(entry, ex) ? 0 : 1;
}

process.exitCode = await main();
