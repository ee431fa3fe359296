// Random sed scripts, awk programs and tr sets: whatever a reader types, the tools answer with
// output or an error message and a status — never an exception, never a hang.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createHost } from "../../index";

const SED = ["s", "/", "a", "b", "\\", "(", ")", "{", "}", ";", "\n", "p", "d", "q", "=", "$", "!", ",", "1", "2", "0", "~", "+", "g", "I", "&", "\\1", "[", "]", "*", ".", "^", "y", "N", "D", "h", "G", "x", "b", ":", "t", "i", "c", " ", "w", "r", "l", "#", "E"];
const AWK = ["{", "}", "(", ")", "[", "]", "$", "1", "0", "NF", "NR", "x", "a", "print", "printf", "\"", "%d", "%s", "/", "re", "+", "-", "*", "^", "%", "=", "==", "<", ">", "!", "~", "&&", "||", "?", ":", ";", "\n", ",", "in", "for", "if", "else", "while", "do", "break", "next", "exit", "delete", "BEGIN", "END", "length", "substr", "split", "gsub", "sub", "match", "sprintf", "getline", "++", "--", " "];
const TR = ["a", "z", "-", "\\", "[", "]", ":", "upper", "lower", "digit", "*", "3", "n", "0", " "];

const script = (alphabet: string[]) => fc.array(fc.constantFrom(...alphabet), { maxLength: 14 }).map((t) => t.join(""));
const quote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;

describe("text tools never throw", () => {
  it("sed, awk and tr answer any script with output or an error and a status", () => {
    const h = createHost({ seed: 1 });
    h.sh("printf 'alpha 1\\nbeta 2\\ngamma 3\\n' > /tmp/in");
    let runs = 0;
    fc.assert(
      fc.property(fc.oneof(script(SED).map((s) => `sed -n ${quote(s)} /tmp/in`), script(SED).map((s) => `sed -E ${quote(s)} /tmp/in`), script(AWK).map((s) => `awk ${quote(s)} /tmp/in`), fc.tuple(script(TR), script(TR)).map(([a, b]) => `tr ${quote(a)} ${quote(b)} < /tmp/in`)), (line) => {
        if (++runs % 300 === 0) h.sh("rm -f /tmp/a /tmp/b /tmp/x");
        const r = h.sh(line);
        expect(Number.isInteger(r.exitCode)).toBe(true);
        expect(r.stderr).not.toMatch(/internal error|TypeError|RangeError|undefined/);
      }),
      { seed: 20261123, numRuns: 2500 },
    );
  }, 120_000);
});
