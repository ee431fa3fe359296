// What a command module is. Each command a learner types is one small module with a usage
// text; the registry installs it as a binary on the host's disk so PATH lookup, `which` and
// `chmod -x` behave as on a real machine.
import type { Kernel } from "../linux/kernel";
import type { Process } from "../linux/process";
import type { ProgramResult } from "../linux/tasks";

export interface CommandContext {
  kernel: Kernel;
  proc: Process;
  argv: string[];
  /** Everything on standard input (read to EOF before the command runs, for those that read it). */
  stdin: string;
  /** Whether stdin is the interactive terminal (no data). */
  stdinIsTty: boolean;
  out(text: string): void;
  err(text: string): void;
  /** Absolute path from one relative to the process's cwd. */
  abs(path: string): string;
}

export interface Command {
  name: string;
  /** Where the binary lives. */
  path: string;
  /** One line for `help`. */
  summary: string;
  /** Printed by `NAME --help` (the real tool's usage text, shortened where the engine simplifies). */
  usage: string;
  /** Exists only inside container images (busybox, nginx): registered, but not on the host's disk. */
  imageOnly?: boolean;
  /** Reads standard input? Then the command waits for EOF on a pipe before running. */
  readsStdin?: boolean;
  run(ctx: CommandContext): ProgramResult;
}

/** util-linux style: "unshare: unrecognized option '--foo'\nTry 'unshare --help' for more information." exit 1. */
export function usageError(ctx: CommandContext, name: string, message: string, code = 1): number {
  ctx.err(`${name}: ${message}\nTry '${name} --help' for more information.\n`);
  return code;
}

/**
 * GNU-style boolean flags: bundled short letters (-cd) and long names mapped to letters
 * ({ "--count": "c" }); everything else is an operand ("-" too). A bad flag gets the tool's
 * usage error, returned as the exit code.
 */
export function letterFlags(ctx: CommandContext, name: string, letters: string, long: Record<string, string>): { flags: Set<string>; operands: string[] } | number {
  const flags = new Set<string>();
  const operands: string[] = [];
  for (const a of ctx.argv.slice(1)) {
    if (a.startsWith("--")) {
      const l = long[a];
      if (!l) return usageError(ctx, name, `unrecognized option '${a}'`);
      flags.add(l);
    } else if (a.startsWith("-") && a !== "-") {
      for (const c of a.slice(1)) {
        if (!letters.includes(c)) return usageError(ctx, name, `invalid option -- '${c}'`);
        flags.add(c);
      }
    } else operands.push(a);
  }
  return { flags, operands };
}

/** perror-style message for a failed system call on a path. */
export function errnoText(e: unknown): string {
  const err = e as { text?: string; message?: string };
  return err.text ?? err.message ?? String(e);
}
