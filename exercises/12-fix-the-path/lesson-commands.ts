// Lesson 12's shell blocks as the terminal receives them: the Run buttons' command lines
// (site/widgets/run-buttons.ts), with each here-document joined to the command that opens it,
// because a terminal feeds the body to that command as its standard input.
import { commandsOf } from "../../site/widgets/run-buttons";

/** One shell block's commands; a here-document becomes one multi-line command. */
export function blockCommands(block: string): string[] {
  const out: string[] = [];
  let open: { word: string; lines: string[] } | null = null;
  for (const line of commandsOf(block, "sh")) {
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
  /** The commands of one ```sh block. */
  commands: string[];
  /** The ```text block right after it, if any: the output the page promises. */
  shown: string | null;
}

/** The lesson's sh blocks in order, each with the text block that follows it. */
export function lessonSteps(mdx: string): LessonStep[] {
  const steps: LessonStep[] = [];
  for (const m of mdx.matchAll(/```(sh|text)\n([\s\S]*?)```/g)) {
    if (m[1] === "sh") steps.push({ commands: blockCommands(m[2]!), shown: null });
    else if (steps.length && steps.at(-1)!.shown === null) steps.at(-1)!.shown = m[2]!;
  }
  return steps;
}

/** Output as a page shows it: trailing blanks of each line dropped (editors strip them). */
export function asShown(output: string): string {
  return output.split("\n").map((l) => l.trimEnd()).join("\n");
}
