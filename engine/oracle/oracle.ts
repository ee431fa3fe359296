// Differential testing against the real kernel: find ../shared/oracle, run a scenario as
// root when the machine allows, and read its key=value outcomes. Node-only (tests use it;
// the browser never imports this file).
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

/** The shared oracle folder (../shared/oracle beside the repo), or null if absent. */
export function oracleDir(): string | null {
  const candidates = [process.env.ORACLE_DIR, resolve(here, "../../../shared/oracle")].filter(Boolean) as string[];
  return candidates.find((c) => existsSync(join(c, "scenarios"))) ?? null;
}

export function parseOutcomes(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of text.split("\n")) {
    const i = line.indexOf("=");
    if (i > 0) m.set(line.slice(0, i), line.slice(i + 1));
  }
  return m;
}

/** The outcomes recorded on a real kernel (scenarios/expected/NAME.out). */
export function expectedOutcomes(name: string): Map<string, string> | null {
  const dir = oracleDir();
  const file = dir && join(dir, "scenarios", "expected", `${name}.out`);
  return file && existsSync(file) ? parseOutcomes(readFileSync(file, "utf8")) : null;
}

export type RealRun = { ran: true; outcomes: Map<string, string> } | { ran: false; reason: string };

// The real tools scenarios call; a missing one would turn its outcome keys into "fail" and look
// like a disagreement with the engine, so the live run is skipped with the reason instead.
const REAL_TOOLS = ["ip", "ping", "iptables", "iptables-save", "iptables-restore", "conntrack", "getfattr", "setfattr", "unshare", "nsenter", "ps"];

function missingTools(script: string): string[] {
  return REAL_TOOLS.filter((tool) => new RegExp(`(^|[\\s;|&(\x27"])${tool.replace("-", "\\-")}\\s`, "m").test(script) && !onPath(tool));
}

function onPath(tool: string): boolean {
  return (process.env.PATH ?? "").split(":").some((d) => d && existsSync(join(d, tool)));
}

/** Run a scenario on this machine's kernel, or say why it cannot run here. */
export function runReal(name: string): RealRun {
  const dir = oracleDir();
  if (!dir) return { ran: false, reason: "shared/oracle not found beside the repo" };
  if (typeof process.getuid === "function" && process.getuid() !== 0) return { ran: false, reason: "needs root" };
  const script = join(dir, "scenarios", `${name}.sh`);
  const absent = missingTools(readFileSync(script, "utf8"));
  if (absent.length) return { ran: false, reason: `needs ${absent.join(", ")} on PATH (.ci/run installs them)` };
  let out: string;
  try {
    out = execFileSync("bash", [script], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 120_000 });
  } catch (e) {
    return { ran: false, reason: `scenario failed to run: ${(e as Error).message.split("\n")[0]}` };
  }
  const outcomes = parseOutcomes(out);
  const skip = outcomes.get("skip");
  if (skip) return { ran: false, reason: skip };
  return { ran: true, outcomes };
}

/** The "+ command" lines a scenario shows a learner (its `step CMD` and `shstep 'CMD'` lines), in order. */
export function scenarioCommands(name: string): string[] {
  const dir = oracleDir();
  if (!dir) return [];
  const out: string[] = [];
  for (const line of readFileSync(join(dir, "scenarios", `${name}.sh`), "utf8").split("\n")) {
    const step = /^\s*step\s+(.*)$/.exec(line);
    if (step) out.push(step[1]!);
    const sh = /^\s*shstep\s+'([^']*)'\s*$/.exec(line) ?? /^\s*shstep\s+"((?:[^"\\]|\\.)*)"\s*$/.exec(line);
    if (sh) out.push(sh[1]!);
  }
  return out;
}
