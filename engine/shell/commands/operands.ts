// How coreutils treats several operands (cp a b dir/, rm x y, mkdir p q): each one is tried on
// its own; one that fails prints its message and makes the exit status 1, and the rest still run.
import type { CommandContext } from "../command";
import type { KernelError } from "../../linux/process";

/** What a failed call says after the colon: strerror's words for a KernelError. */
export function errText(e: unknown): string {
  return (e as KernelError).text ?? (e as Error).message;
}

/**
 * Run `act` on each operand, in order. `act` returns 1 for a failure it has reported itself;
 * an error it throws is reported as `message(operand, error)` (not at all when that is null,
 * as rm -f does for a missing file) and counts as a failure. Returns the exit status.
 */
export function eachOperand(ctx: CommandContext, operands: readonly string[], act: (operand: string) => number | void, message: (operand: string, e: unknown) => string | null): number {
  let status = 0;
  for (const f of operands) {
    try {
      if (act(f)) status = 1;
    } catch (e) {
      const m = message(f, e);
      if (m === null) continue;
      ctx.err(m);
      status = 1;
    }
  }
  return status;
}
