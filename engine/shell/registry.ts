// Every command the simulated hosts know, installed as binaries at their real paths.
import type { Kernel } from "../linux/kernel";
import type { Process } from "../linux/process";
import type { Program } from "../linux/tasks";
import { asProgram } from "../linux/tasks";
import { joinPath } from "../linux/vfs";
import type { Command, CommandContext } from "./command";
import { COMMANDS } from "./commands/index";

export function commandSummaries(): { name: string; summary: string }[] {
  return COMMANDS.filter((c) => !c.imageOnly).map((c) => ({ name: c.name, summary: c.summary })).sort((a, b) => (a.name < b.name ? -1 : 1));
}

export function commandNames(): string[] {
  return COMMANDS.filter((c) => !c.imageOnly).map((c) => c.name);
}

function* runCommand(kernel: Kernel, cmd: Command, proc: Process, argv: string[]): Program {
  const reader = proc.fds[0];
  if (cmd.readsStdin && !reader.ready()) yield { kind: "read", reader };
  const ctx: CommandContext = {
    kernel,
    proc,
    argv,
    stdin: cmd.readsStdin ? reader.readAll() : "",
    stdinIsTty: reader.kind === "tty",
    out: (t) => proc.fds[1].write(t),
    err: (t) => proc.fds[2].write(t),
    abs: (p) => joinPath(proc.cwd, p),
  };
  if (argv[1] === "--help") {
    ctx.out(cmd.usage.endsWith("\n") ? cmd.usage : cmd.usage + "\n");
    return 0;
  }
  return yield* asProgram(cmd.run(ctx));
}

/** Put every command on the host's disk as an executable file and teach the kernel its program. */
export function installCommands(kernel: Kernel, extra: Command[] = []): void {
  for (const cmd of [...COMMANDS, ...extra]) installCommand(kernel, cmd);
}

/** Put one more program on a host (a node's kubelet, kubectl, a CNI plugin). */
export function installCommand(kernel: Kernel, cmd: Command, path = cmd.path): void {
  kernel.programs.set(cmd.name, (proc, argv) => runCommand(kernel, cmd, proc, argv));
  if (!cmd.imageOnly) kernel.rootFs.put(path, `\x7fELF ${cmd.name}\n`, { mode: 0o755, program: cmd.name });
}
