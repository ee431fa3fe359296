// POSIX regular expressions (basic and extended, with GNU's extensions) as JavaScript RegExp
// source. grep, sed and awk all speak POSIX; JavaScript's engine does the matching. One
// difference stays: POSIX picks the longest alternative (a|ab on "ab" matches "ab"), JavaScript
// the first one that matches.

/** What [:name:] means inside a bracket expression, written as JavaScript class contents. */
const CLASSES: Record<string, string> = {
  alpha: "a-zA-Z", digit: "0-9", alnum: "a-zA-Z0-9", upper: "A-Z", lower: "a-z", space: " \\t\\n\\r\\f\\v",
  blank: " \\t", punct: "!-\\/:-@\\[-`{-~", xdigit: "0-9A-Fa-f", cntrl: "\\x00-\\x1f\\x7f", print: " -~", graph: "!-~",
};

/**
 * A bracket expression starting at p[i] === "[": its JavaScript form and the index after it, or
 * null when it never closes. Backslash is literal inside brackets in POSIX (awk: an escape).
 */
export function bracket(p: string, i: number, backslashEscapes = false): { src: string; end: number } | null {
  let j = i + 1;
  let src = "[";
  if (p[j] === "^") (src += "^"), j++;
  if (p[j] === "]") (src += "\\]"), j++;
  for (; j < p.length; j++) {
    const c = p[j]!;
    if (c === "]") return { src: src + "]", end: j + 1 };
    const cls = c === "[" && /^\[:(\w+):\]/.exec(p.slice(j));
    if (cls) {
      if (!(cls[1]! in CLASSES)) return null;
      src += CLASSES[cls[1]!];
      j += cls[0].length - 1;
    } else if (c === "\\" && backslashEscapes && j + 1 < p.length) src += "\\" + p[++j];
    else src += c === "\\" || c === "[" ? "\\" + c : c;
  }
  return null;
}

/** JavaScript source for a POSIX pattern; throws SyntaxError for one that cannot compile. awk: backslash escapes inside brackets too. */
export function posixToJs(p: string, extended: boolean, awk = false): string {
  let out = "";
  // Whether an operator here would have nothing to repeat (start, after "(" or "|"): POSIX
  // then reads * literally, JavaScript would refuse.
  let atStart = true;
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    const start = atStart;
    atStart = false;
    if (c === "[") {
      const b = bracket(p, i, awk);
      if (!b) throw new SyntaxError("Unmatched [, [^, [:, [., or [=");
      out += b.src;
      i = b.end - 1;
    } else if (c === "\\" && i + 1 < p.length) {
      const n = p[++i]!;
      if (!extended && "(|".includes(n)) (out += n), (atStart = true);
      else if (!extended && "){}+?".includes(n)) out += start && n !== ")" ? "\\" + n : n;
      else if (n === "<") out += "\\b(?=\\w)";
      else if (n === ">") out += "\\b(?<=\\w)";
      else if (n === "n") out += "\\n";
      else if (n === "t") out += "\\t";
      else out += /[1-9bBwWsS]/.test(n) ? "\\" + n : n.replace(/[\\^$.*+?()[\]{}|/-]/, "\\$&");
    } else if (extended ? "(|".includes(c) : false) (out += c), (atStart = true);
    else if (extended && "*+?{".includes(c) && start) out += "\\" + c;
    else if (!extended && "(){}|+?".includes(c)) out += "\\" + c;
    else if (!extended && c === "*" && start) out += "\\*";
    else if (!extended && c === "^" && !start) out += "\\^";
    else if (!extended && c === "$" && i + 1 < p.length && !/^\\[)|]/.test(p.slice(i + 1, i + 3))) out += "\\$";
    else {
      out += c === "/" ? "\\/" : c;
      if (c === "^") atStart = true;
    }
  }
  new RegExp(out); // compile once so a bad pattern throws here, not in the middle of a run
  return out;
}
