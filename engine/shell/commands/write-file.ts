// Writing a whole file from a command (tee FILE, sed -i, awk's print > FILE): open(2) with
// O_CREAT and O_TRUNC or O_APPEND, then one write(2). Pseudo-files (cgroupfs, procfs) take the
// write as they would from `echo > file`, so `echo max | tee memory.max` works.
import type { CommandContext } from "../command";
import { KernelError } from "../../linux/process";
import { TreeNode } from "../../linux/vfs";

/** Throws KernelError with the errno text a tool puts after "FILE: ". */
export function writeFile(ctx: CommandContext, path: string, text: string, append = false): void {
  if (path === "/dev/null") return;
  if (path === "/dev/stdout") return ctx.out(text);
  if (path === "/dev/stderr") return ctx.err(text);
  const abs = ctx.abs(path);
  const pc = { proc: ctx.proc };
  let node;
  try {
    node = ctx.kernel.resolve(ctx.proc, abs).node;
  } catch (e) {
    if (!(e instanceof KernelError) || e.code !== "ENOENT") throw e;
    const dir = ctx.kernel.resolve(ctx.proc, abs.slice(0, abs.lastIndexOf("/")) || "/").node;
    if (dir.type !== "dir") throw new KernelError("ENOTDIR", "Not a directory");
    if (!dir.create) throw new KernelError("EACCES", "Permission denied");
    node = dir.create(abs.slice(abs.lastIndexOf("/") + 1), "file", pc);
  }
  if (node.type === "dir") throw new KernelError("EISDIR", "Is a directory");
  if (!node.write) throw new KernelError("EACCES", "Permission denied");
  // Truncating is all an empty write does, and a pseudo-file has nothing to truncate.
  if (text !== "" || node instanceof TreeNode) node.write(text, append, pc);
}
