// uniq (GNU coreutils): collapse runs of equal lines. `sort | uniq -c | sort -rn` counts
// things: pods per node, images per pod.
import type { Command } from "../command";
import { letterFlags, usageError } from "../command";
import { readInputs } from "./text";
import { writeFile } from "./write-file";
import { errText } from "./operands";

const USAGE = `Usage: uniq [OPTION]... [INPUT [OUTPUT]]
Filter adjacent matching lines from INPUT (or standard input),
writing to OUTPUT (or standard output).

With no options, matching lines are merged to the first occurrence.

  -c, --count           prefix lines by the number of occurrences
  -d, --repeated        only print duplicate lines, one for each group
  -i, --ignore-case     ignore differences in case when comparing
  -u, --unique          only print unique lines

Note: 'uniq' does not detect repeated lines unless they are adjacent.
`;

const LONG: Record<string, string> = { "--count": "c", "--repeated": "d", "--ignore-case": "i", "--unique": "u" };

export const uniq: Command = {
  name: "uniq",
  path: "/usr/bin/uniq",
  summary: "report or omit repeated adjacent lines (-c -d -u -i)",
  usage: USAGE,
  readsStdin: true,
  run(ctx) {
    const parsed = letterFlags(ctx, "uniq", "cdiu", LONG);
    if (typeof parsed === "number") return parsed;
    const { flags: opts, operands } = parsed;
    if (operands.length > 2) return usageError(ctx, "uniq", `extra operand '${operands[2]}'`);
    const { texts, status } = readInputs(ctx, "uniq", operands.slice(0, 1));
    if (status) return status;
    const text = texts[0]!.text;
    const lines = text === "" ? [] : text.replace(/\n$/, "").split("\n");
    const key = (l: string) => (opts.has("i") ? l.toLowerCase() : l);
    let out = "";
    for (let i = 0; i < lines.length; ) {
      let j = i + 1;
      while (j < lines.length && key(lines[j]!) === key(lines[i]!)) j++;
      const n = j - i;
      if (!(opts.has("d") && n < 2) && !(opts.has("u") && n > 1)) out += (opts.has("c") ? `${String(n).padStart(7)} ` : "") + lines[i] + "\n";
      i = j;
    }
    if (operands[1] === undefined || operands[1] === "-") {
      ctx.out(out);
      return 0;
    }
    try {
      writeFile(ctx, operands[1], out);
    } catch (e) {
      ctx.err(`uniq: ${operands[1]}: ${errText(e)}\n`);
      return 1;
    }
    return 0;
  },
};
