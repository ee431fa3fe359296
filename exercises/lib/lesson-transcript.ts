// A lesson as a transcript: the commands of its shell blocks as the page's ▶ Run buttons type
// them (site/widgets/run-buttons.ts), each here-document joined to the command that opens it
// (a terminal feeds the body to that command as its standard input), and the ```text block the
// page shows after each shell block: the output it promises. Lesson tests run the commands in
// the engine and compare what they print with what the text quotes.
import { commandsOf } from "../../site/widgets/run-buttons";

/** One shell block's commands; a here-document becomes one multi-line command. */
export function blockCommands(block: string, lang = "sh"): string[] {
  const out: string[] = [];
  let open: { word: string; lines: string[] } | null = null;
  for (const line of commandsOf(block, lang)) {
    if (open) {
      open.lines.push(line);
      if (line === open.word) {
        out.push(open.lines.join("\n") + "\n");
        open = null;
      }
      continue;
    }
    const m = /<<(?!<)-?\s*(['"]?)([A-Za-z_]\w*)\1/.exec(line);
    if (m) open = { word: m[2]!, lines: [line] };
    else out.push(line);
  }
  if (open) out.push(open.lines.join("\n") + "\n");
  return out;
}

export interface LessonStep {
  /** The commands of one shell block (```sh, ```bash or ```shell). */
  commands: string[];
  /** The ```text block right after it, if any: the output the page promises. */
  shown: string | null;
}

/**
 * The lesson's shell blocks in page order, each with the text block that follows it. A text
 * block with no shell block of its own before it becomes a step without commands, so a test
 * that compares every step's output with what it shows fails on it instead of skipping it.
 */
export function lessonSteps(mdx: string): LessonStep[] {
  const steps: LessonStep[] = [];
  for (const m of mdx.matchAll(/^```(sh|bash|shell|text)\n([\s\S]*?)^```$/gm)) {
    if (m[1] !== "text") steps.push({ commands: blockCommands(m[2]!, m[1]!), shown: null });
    else if (steps.length && steps.at(-1)!.shown === null) steps.at(-1)!.shown = m[2]!;
    else steps.push({ commands: [], shown: m[2]! });
  }
  return steps;
}

/** Every command of the lesson, in page order. */
export function lessonCommands(mdx: string): string[] {
  return lessonSteps(mdx).flatMap((s) => s.commands);
}

/** Output as a page shows it: trailing blanks of each line dropped (editors strip them). */
export function asShown(output: string): string {
  return output.split("\n").map((l) => l.trimEnd()).join("\n");
}
