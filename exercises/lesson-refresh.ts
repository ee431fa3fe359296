// `npm run lesson:refresh -- N [--write]`: run lesson N's commands on its lab (its exercise's
// setup(), else a cluster or a host as its frontmatter says) and show every quoted output that
// no longer matches. With --write, the blocks whose only changes are generated names, hashes,
// addresses and ages are rewritten in the .mdx (see lib/lesson-refresh.ts); the others are
// listed for a person to fix by hand. The lesson's own test (exercises/NN-*/lesson.test.ts or
// engine/k8s/lesson*.test.ts) stays the judge: this runs every step on the page's default lab
// in page order, so a lesson with a second lab (a "Kubernetes side" terminal) or with partial
// quotes ("…") shows differences that are not drift. Use --write on lessons whose test compares
// every block exactly (lesson 11, say), then run that test.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createCluster, createHost } from "../engine";
import type { Host } from "../engine";
import { discover, load } from "./lib/catalog";
import { refreshLesson } from "./lib/lesson-refresh";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const args = process.argv.slice(2);
const n = Number(args.find((a) => /^\d+$/.test(a)));
const write = args.includes("--write") || process.env.npm_config_write === "true";
if (!Number.isInteger(n)) {
  console.error("usage: npm run lesson:refresh -- N [--write]");
  process.exit(2);
}

const file = readdirSync(join(ROOT, "lessons")).find((f) => f.startsWith(`${String(n).padStart(2, "0")}-`) && f.endsWith(".mdx"));
if (!file) {
  console.error(`no lesson ${n} under lessons/`);
  process.exit(1);
}
const path = join(ROOT, "lessons", file);
const mdx = readFileSync(path, "utf8");
const front = /^---\n([\s\S]*?)\n---/.exec(mdx)?.[1] ?? "";
const exercise = Number(/^exercise:\s*(\d+)/m.exec(front)?.[1]);

async function lab(): Promise<Host> {
  const entry = Number.isInteger(exercise) ? discover(ROOT).find((e) => e.number === exercise) : undefined;
  if (entry) return (await load(entry)).setup();
  return /^lab:\s*cluster/m.test(front) ? createCluster({ workers: 2, seed: 1 }).controlPlane : createHost({ seed: 1 });
}

const { mdx: next, changes } = refreshLesson(mdx, await lab());
for (const c of changes) {
  console.log(`${c.safe ? "generated names only" : "NEEDS A PERSON"}: after \`${c.command}\``);
  const show = (text: string, mark: string) => text.replace(/\n$/, "").replace(/^/gm, `    ${mark} `);
  console.log(`  the lesson shows:\n${show(c.shown, "-")}\n  the engine prints:\n${show(c.printed, "+")}`);
}
const safe = changes.filter((c) => c.safe).length;
if (write && safe) writeFileSync(path, next);
console.log(`${changes.length} block(s) differ; ${safe} only in generated names${write ? (safe ? ", rewritten" : "") : " (--write rewrites them)"}.`);
