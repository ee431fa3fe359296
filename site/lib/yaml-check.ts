// The first syntax error of a YAML text with its line and column, for the manifest editor to
// point at while the reader types (kubectl itself, in the terminal, names only the line).
import { LineCounter, parseAllDocuments } from "yaml";

export interface YamlProblem {
  line: number;
  column: number;
  message: string;
}

export function firstYamlProblem(text: string): YamlProblem | null {
  const lineCounter = new LineCounter();
  for (const doc of parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true })) {
    const err = doc.errors[0];
    if (!err) continue;
    const { line, col } = lineCounter.linePos(err.pos[0]);
    // The library's message without its own "at line N, column M" tail.
    return { line, column: col, message: err.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "") };
  }
  return null;
}
