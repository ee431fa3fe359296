// sh / bash: run a script from -c, a file or a pipe — or, on a terminal, become an
// interactive shell that takes over the session until `exit`.
import type { Program } from "../../linux/tasks";
import type { Command } from "../command";
import { usageError } from "../command";
import { ShellState, runSimple, runSource } from "../interpreter";
import { BUILTINS } from "../builtins";
import { parse } from "../parser";
import { isSimple } from "../ast";
import { sessionOf } from "../session";

function shell(name: "sh" | "bash", path: string): Command {
  return {
    name,
    path,
    summary: name === "bash" ? "the GNU Bourne-Again SHell (-c to run a command string)" : "the POSIX shell (-c to run a command string)",
    usage: `Usage:\t${name} [option] ...\n\t${name} [option] script-file ...\nShell options:\n\t-c command_string\trun the commands in the string\n\t-i\t\t\tinteractive\n`,
    readsStdin: false,
    run(ctx) {
      const args = ctx.argv.slice(1);
      const flavour = name;
      if (args[0] === "-c") {
        if (args.length < 2) return usageError(ctx, name, "-c: option requires an argument", 2);
        const sh = new ShellState(ctx.kernel, ctx.proc, flavour, false);
        sh.positional = args.slice(3);
        return runScriptOrExec(sh, args[1]!, ctx.proc.fds);
      }
      if (args[0] && !args[0].startsWith("-")) {
        let text: string;
        try {
          const { node } = ctx.kernel.resolve(ctx.proc, ctx.abs(args[0]));
          text = node.read?.({ proc: ctx.proc }) ?? "";
        } catch {
          ctx.err(`${name}: ${args[0]}: No such file or directory\n`);
          return 127;
        }
        const sh = new ShellState(ctx.kernel, ctx.proc, flavour, false);
        sh.positional = args.slice(1);
        return runSource(sh, text, ctx.proc.fds);
      }
      const session = sessionOf(ctx.proc.fds[0]);
      if (session) {
        // On a terminal: an interactive shell. It waits until `exit` resumes it with a status.
        const sh = new ShellState(ctx.kernel, ctx.proc, "bash", true);
        sh.history = session.history;
        const task = ctx.kernel.sched.tasksOf(ctx.proc)[0] ?? null;
        session.attach(sh, task);
        return (function* (): Program {
          const status = (yield { kind: "interactive" }) as number;
          return status;
        })();
      }
      const reader = ctx.proc.fds[0];
      return (function* (): Program {
        if (!reader.ready()) yield { kind: "read", reader };
        const sh = new ShellState(ctx.kernel, ctx.proc, flavour, false);
        return yield* runSource(sh, reader.readAll(), ctx.proc.fds);
      })();
    },
  };
}

/** Like bash and dash, `sh -c 'one command'` execs that command in place instead of forking. */
function runScriptOrExec(sh: ShellState, src: string, io: ShellState["proc"]["fds"]): Program {
  let script;
  try {
    script = parse(src);
  } catch {
    return runSource(sh, src, io);
  }
  const only = script.length === 1 ? script[0]! : null;
  const first0 = only && !only.background && only.andOr.rest.length === 0 && only.andOr.first.cmds.length === 1 && !only.andOr.first.negate ? only.andOr.first.cmds[0]! : null;
  const cmd = first0 && isSimple(first0) ? first0 : null;
  const first = cmd?.words[0];
  const literalName = first && first.every((p) => p.t === "lit") ? first.map((p) => (p.t === "lit" ? p.v : "")).join("") : null;
  if (cmd && literalName && !BUILTINS.has(literalName)) return runSimple(sh, cmd, io, true);
  return runSource(sh, src, io);
}

export const sh = shell("sh", "/usr/bin/sh");
export const bash = shell("bash", "/usr/bin/bash");
