// timeout (GNU coreutils): run a command and signal it if it is still running after DURATION
// of virtual time. The way to bound a command that would otherwise wait for Ctrl-C
// (`timeout 30 kubectl get pods -w`, `timeout 5 tcpdump -i cni0`).
import type { Program } from "../../linux/tasks";
import { SIGNALS } from "../../linux/kernel";
import type { Command } from "../command";
import { usageError } from "../command";
import { findExecutable, lookupErrorText, spawn } from "../exec";
import { parseDuration } from "./misc";

function signalNumber(name: string): number | undefined {
  if (/^\d+$/.test(name)) return Number(name);
  return SIGNALS[name.toUpperCase().replace(/^SIG/, "")];
}

/** timeout's own failure (bad usage), as GNU coreutils' EXIT_CANCELED. */
const CANCELED = 125;
/** What timeout exits with when it had to send the signal (unless --preserve-status). */
const TIMED_OUT = 124;

export const timeout: Command = {
  name: "timeout",
  path: "/usr/bin/timeout",
  summary: "run a command with a time limit in virtual time (exit 124 when it was stopped)",
  usage:
    "Usage: timeout [OPTION] DURATION COMMAND [ARG]...\n  or:  timeout [OPTION]\nStart COMMAND, and kill it if still running after DURATION.\n\n" +
    "  -k, --kill-after=DURATION\n                   also send a KILL signal if COMMAND is still running\n                   this long after the initial signal was sent\n" +
    "      --preserve-status\n                   exit with the same status as COMMAND, even when the\n                     command times out\n" +
    "  -s, --signal=SIGNAL\n                   specify the signal to be sent on timeout;\n                     SIGNAL may be a name like 'HUP' or a number;\n                     see 'kill -l' for a list of signals\n" +
    "\nIf the command times out, and --preserve-status is not set, then exit with\nstatus 124.\n",
  run(ctx) {
    const args = ctx.argv.slice(1);
    let sig = SIGNALS.TERM!;
    let killAfter: number | null = null;
    let preserve = false;
    let i = 0;
    // Options come before DURATION; everything from COMMAND on belongs to the command.
    for (; i < args.length && args[i]!.startsWith("-") && args[i] !== "-"; i++) {
      const a = args[i]!;
      const [flag, inline] = a.startsWith("--") && a.includes("=") ? [a.slice(0, a.indexOf("=")), a.slice(a.indexOf("=") + 1)] : [a, undefined];
      if (flag === "--") {
        i++;
        break;
      }
      if (flag === "--preserve-status") preserve = true;
      else if (flag === "-s" || flag === "--signal") {
        const v = inline ?? args[++i];
        const n = v === undefined ? undefined : signalNumber(v);
        if (n === undefined) return usageError(ctx, "timeout", v === undefined ? `option requires an argument -- 's'` : `${v}: invalid signal`, CANCELED);
        sig = n;
      } else if (flag === "-k" || flag === "--kill-after") {
        const v = inline ?? args[++i];
        const ms = v === undefined ? null : parseDuration(v);
        if (ms === null) return usageError(ctx, "timeout", v === undefined ? `option requires an argument -- 'k'` : `invalid time interval '${v}'`, CANCELED);
        killAfter = ms;
      } else return usageError(ctx, "timeout", a.startsWith("--") ? `unrecognized option '${a}'` : `invalid option -- '${a.slice(1, 2)}'`, CANCELED);
    }
    const [duration, ...command] = args.slice(i);
    if (duration === undefined) return usageError(ctx, "timeout", "missing operand", CANCELED);
    const limit = parseDuration(duration);
    if (limit === null) return usageError(ctx, "timeout", `invalid time interval '${duration}'`, CANCELED);
    if (!command.length) return usageError(ctx, "timeout", `missing operand after '${duration}'`, CANCELED);

    const k = ctx.kernel;
    const found = findExecutable(k, ctx.proc, command[0]!);
    if (!found.ok) {
      ctx.err(`timeout: failed to run command '${command[0]}': ${lookupErrorText(found)}\n`);
      return found.why === "ENOENT" ? 127 : 126;
    }
    const child = spawn(k, ctx.proc, command, found.node);
    let fired = false;
    const alive = () => k.processes.get(child.pid) === child;
    const cancels: (() => void)[] = [];
    if (limit > 0) {
      cancels.push(
        k.clock.at(k.clock.now() + limit, () => {
          if (!alive()) return;
          fired = true;
          k.kill(child.pid, sig);
          if (killAfter !== null) cancels.push(k.clock.at(k.clock.now() + killAfter, () => void (alive() && k.kill(child.pid, SIGNALS.KILL!))));
        }),
      );
    }
    return (function* (): Program {
      const status = (yield { kind: "child", proc: child }) as number;
      for (const cancel of cancels) cancel();
      return fired && !preserve ? TIMED_OUT : status;
    })();
  },
};
