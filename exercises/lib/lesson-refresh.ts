// Lessons quote the engine's real output, so an engine change that only reshuffles generated
// names (one more event draws one more random number, and every later pod suffix moves) breaks
// every quoted block after it. This finds such blocks and rewrites them, and only them: a block
// is refreshed when the new output has the same lines and every word that differs is a
// generated one (a pod or EndpointSlice suffix, a hash, an IP address, an age). Anything else is
// left for a person to read, with the difference shown.
import { lessonSteps } from "./lesson-transcript";
import type { Host } from "../../engine";

/** Words that are allowed to change: names and numbers the cluster generates. */
const GENERATED = [
  /^[a-z0-9.-]*-[a-z0-9]{5}$/, // pod and EndpointSlice names: web-7d9f-x2k4p, shop-86vlw
  /^[a-z0-9-]*-[0-9a-f]{8,10}$/, // ReplicaSet names: web-7d5956cb5d
  /^[0-9a-f]{8,}$/, // container, sandbox and image IDs
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, // UIDs
  /^\d{1,3}(\.\d{1,3}){3}(:\d+)?$/, // addresses
  /^(\d+[smhd])+$/, // ages
];

/** A line as words and the separators between them (runs of spaces count as one). */
const parts = (line: string) => line.trim().split(/([^A-Za-z0-9._~-]+)/).map((p, i) => (i % 2 ? p.replace(/\s+/g, " ") : p));

/** Whether `from` → `to` changes only generated words (and at least one). */
export function onlyGeneratedChanges(from: string, to: string): boolean {
  const a = from.split("\n");
  const b = to.split("\n");
  if (a.length !== b.length || from === to) return false;
  for (let i = 0; i < a.length; i++) {
    const x = parts(a[i]!);
    const y = parts(b[i]!);
    if (x.length !== y.length) return false;
    for (let j = 0; j < x.length; j++) {
      if (x[j] === y[j]) continue;
      if (j % 2 || !GENERATED.some((re) => re.test(x[j]!) && re.test(y[j]!))) return false;
    }
  }
  return true;
}

export interface BlockChange {
  /** The first command of the step whose output moved. */
  command: string;
  shown: string;
  printed: string;
  /** True when onlyGeneratedChanges() allows rewriting it. */
  safe: boolean;
}

/**
 * Run the lesson's steps on `host` (its lab) and compare each quoted output with what the
 * commands print now. Returns the lesson text with the safe blocks rewritten, and every change.
 */
export function refreshLesson(mdx: string, host: Host): { mdx: string; changes: BlockChange[] } {
  const changes: BlockChange[] = [];
  let out = mdx;
  let cursor = 0;
  for (const step of lessonSteps(mdx)) {
    let printed = "";
    for (const c of step.commands) {
      const r = host.sh(c);
      const o = r.stdout + r.stderr;
      printed += o === "" || o.endsWith("\n") ? o : o + "\n";
    }
    if (step.shown === null || step.commands.length === 0 || printed === step.shown) continue;
    const safe = onlyGeneratedChanges(step.shown, printed);
    changes.push({ command: step.commands[0]!, shown: step.shown, printed, safe });
    const block = "```text\n" + step.shown + "```";
    const at = out.indexOf(block, cursor);
    if (at < 0) continue;
    if (safe) {
      const next = "```text\n" + printed + "```";
      out = out.slice(0, at) + next + out.slice(at + block.length);
      cursor = at + next.length;
    } else cursor = at + block.length;
  }
  return { mdx: out, changes };
}
