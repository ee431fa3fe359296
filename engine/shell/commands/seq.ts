// seq (GNU coreutils): print a sequence of numbers. `for i in $(seq 1 5)` and
// `seq 3 | xargs -I{} kubectl scale ...` are everyday loops.
import type { Command } from "../command";
import { usageError } from "../command";
import { cformat, general } from "./cformat";

const USAGE = `Usage: seq [OPTION]... LAST
  or:  seq [OPTION]... FIRST LAST
  or:  seq [OPTION]... FIRST INCREMENT LAST
Print numbers from FIRST to LAST, in steps of INCREMENT.

  -f, --format=FORMAT      use printf style floating-point FORMAT
  -s, --separator=STRING   use STRING to separate numbers (default: \\n)
  -w, --equal-width        equalize width by padding with leading zeroes

If FIRST or INCREMENT is omitted, it defaults to 1.
`;

const NUMBER = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

export const seq: Command = {
  name: "seq",
  path: "/usr/bin/seq",
  summary: "print a sequence of numbers (seq 3, seq 0 5 20, -s, -w)",
  usage: USAGE,
  run(ctx) {
    const args = ctx.argv.slice(1);
    let sep = "\n";
    let equal = false;
    let format: string | null = null;
    const nums: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      // A negative number is an operand, not an option (seq 5 -1 1).
      if (!a.startsWith("-") || a === "-" || /^-[\d.]/.test(a) || nums.length) {
        nums.push(a);
        continue;
      }
      const long = /^--([\w-]+)(?:=(.*))?$/s.exec(a);
      const opt = long ? { separator: "s", "equal-width": "w", format: "f" }[long[1]!] : a[1];
      if (long && !opt) return usageError(ctx, "seq", `unrecognized option '${a}'`);
      if (opt === "w" && (long || a === "-w")) equal = true;
      else if (opt === "s" || opt === "f") {
        const v = long ? long[2] ?? args[++i] : a.length > 2 ? a.slice(2) : args[++i];
        if (v === undefined) return usageError(ctx, "seq", long ? `option '--${long[1]}' requires an argument` : `option requires an argument -- '${opt}'`);
        if (opt === "s") sep = v;
        else format = v;
      } else return usageError(ctx, "seq", `invalid option -- '${a[1]}'`);
    }
    if (!nums.length) return usageError(ctx, "seq", "missing operand");
    if (nums.length > 3) return usageError(ctx, "seq", `extra operand '${nums[3]}'`);
    const bad = nums.find((n) => !NUMBER.test(n));
    if (bad !== undefined) return usageError(ctx, "seq", `invalid floating point argument: '${bad}'`);
    const [first, step, last] = nums.length === 1 ? ["1", "1", nums[0]!] : nums.length === 2 ? [nums[0]!, "1", nums[1]!] : (nums as [string, string, string]);
    if (Number(step) === 0) return usageError(ctx, "seq", `invalid Zero increment value: '${step}'`);
    if (format !== null && equal) return usageError(ctx, "seq", "format string may not be specified when printing equal width strings");
    if (format !== null) {
      // One floating-point conversion, as coreutils insists.
      const convs = [...format.replace(/%%/g, "").matchAll(/%[-+ #0']*\d*(?:\.\d*)?(.?)/g)].map((m) => m[1]!);
      const why = !convs.length ? "no % directive" : !"eEfFgGaA".includes(convs[0]!) || !convs[0] ? `unknown %${convs[0]} directive` : convs.length > 1 ? "too many % directives" : "";
      if (why) {
        ctx.err(`seq: format '${format}' has ${why}\n`);
        return 1;
      }
    }
    // Decimals printed: the most that FIRST or INCREMENT were written with; %g if any has an exponent.
    const decimals = (s: string) => (s.includes(".") ? s.length - s.indexOf(".") - 1 : 0);
    const prec = Math.max(decimals(first), decimals(step));
    const useG = nums.some((n) => /e/i.test(n));
    const show = (x: number) => (format !== null ? cformat(format, () => ({ num: () => x, str: () => String(x) })) : useG ? general(x, 6) : x.toFixed(prec));
    const a = Number(first), d = Number(step), z = Number(last);
    const values: string[] = [];
    // Each term is FIRST + i*INCREMENT (no drift), with a little slack for binary fractions.
    for (let i = 0, x = a; d > 0 ? x <= z + Math.abs(d) * 1e-9 : x >= z - Math.abs(d) * 1e-9; x = a + ++i * d) {
      values.push(show(x));
      if (values.length >= 1_000_000) {
        ctx.err("seq: stopped after 1000000 numbers (a limit of this simulation)\n");
        break;
      }
    }
    if (equal && format === null) {
      const width = Math.max(...[a, z].map((x) => show(x).length), ...values.map((v) => v.length));
      for (let i = 0; i < values.length; i++) {
        const v = values[i]!;
        values[i] = v.startsWith("-") ? "-" + v.slice(1).padStart(width - 1, "0") : v.padStart(width, "0");
      }
    }
    if (values.length) ctx.out(values.join(sep) + "\n");
    return 0;
  },
};
