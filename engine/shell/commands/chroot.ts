// chroot and pivot_root: change what a process sees as "/". Container runtimes use
// pivot_root (in a private mount namespace) because chroot can be escaped.
import type { Command } from "../command";
import { usageError } from "../command";
import type { KernelError } from "../../linux/process";
import { joinPath } from "../../linux/vfs";
import { execOrFail } from "./unshare";

export const chroot: Command = {
  name: "chroot",
  path: "/usr/sbin/chroot",
  summary: "run a command with a different root directory",
  usage: "Usage: chroot [OPTION]... NEWROOT [COMMAND [ARG]...]\nRun COMMAND with root directory set to NEWROOT.\n",
  run(ctx) {
    const [dir, ...cmd] = ctx.argv.slice(1);
    if (!dir) return usageError(ctx, "chroot", "missing operand", 125);
    try {
      const { node, path } = ctx.kernel.resolve(ctx.proc, ctx.abs(dir));
      if (node.type !== "dir") throw { text: "Not a directory" };
      ctx.proc.root = joinPath(ctx.proc.root, path);
      ctx.proc.cwd = "/";
    } catch (e) {
      ctx.err(`chroot: cannot change root directory to '${dir}': ${(e as KernelError).text ?? "error"}\n`);
      return 125;
    }
    return execOrFail(ctx, "chroot", ctx.proc, cmd.length ? cmd : [ctx.proc.env.get("SHELL") ?? "/bin/sh", "-i"]);
  },
};

export const pivotRoot: Command = {
  name: "pivot_root",
  path: "/usr/sbin/pivot_root",
  summary: "change the root mount of the current mount namespace",
  usage: "\nUsage:\n pivot_root [options] new_root put_old\n\nChange the root filesystem.\n",
  run(ctx) {
    const [newRoot, putOld] = ctx.argv.slice(1);
    if (!newRoot || !putOld) return usageError(ctx, "pivot_root", "bad usage");
    const abs = ctx.abs(newRoot);
    const old = ctx.abs(putOld);
    if (!old.startsWith(abs + "/")) {
      ctx.err(`pivot_root: failed to change root from \`${newRoot}' to \`${putOld}': Invalid argument\n`);
      return 1;
    }
    if (ctx.proc.ns.mnt.initial) {
      ctx.err(`pivot_root: failed to change root from \`${newRoot}' to \`${putOld}': Invalid argument\n`);
      return 1;
    }
    try {
      ctx.kernel.pivotRoot(ctx.proc, abs, old.slice(abs.length));
    } catch (e) {
      ctx.err(`pivot_root: failed to change root from \`${newRoot}' to \`${putOld}': ${(e as KernelError).text}\n`);
      return 1;
    }
    return 0;
  },
};
