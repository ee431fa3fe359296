// Starting programs: PATH lookup on the process's own mount namespace, fork + execve,
// and exec in place. This is what bash, unshare and nsenter all do underneath.
import type { Kernel } from "../linux/kernel";
import { KernelError, clone, execve } from "../linux/process";
import type { CloneOptions, Process } from "../linux/process";
import type { Program } from "../linux/tasks";
import { asProgram } from "../linux/tasks";
import type { VNode } from "../linux/vfs";

export const DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

export type Lookup = { ok: true; path: string; node: VNode } | { ok: false; why: "ENOENT" | "EACCES" | "EISDIR"; path: string };

/** Find `name` the way execvp does: a path if it has a slash, else each PATH directory in turn. */
export function findExecutable(kernel: Kernel, proc: Process, name: string): Lookup {
  const candidates = name.includes("/") ? [name] : (proc.env.get("PATH") ?? DEFAULT_PATH).split(":").map((d) => `${d}/${name}`);
  let denied: Lookup | null = null;
  for (const path of candidates) {
    const node = kernel.tryResolve(proc, path)?.node;
    if (!node) continue;
    if (node.type === "dir") {
      if (name.includes("/")) return { ok: false, why: "EISDIR", path };
      continue;
    }
    if ((node.mode & 0o111) === 0 || !node.program) {
      denied ??= { ok: false, why: "EACCES", path };
      continue;
    }
    return { ok: true, path, node };
  }
  return denied ?? { ok: false, why: "ENOENT", path: name };
}

/** execve(2) then run the new program in the same process (its task continues as that program). */
export function* execProgram(kernel: Kernel, proc: Process, argv: string[], found: VNode, filename?: string): Program {
  const fn = kernel.programs.get(found.program!);
  if (!fn) throw new KernelError("ENOEXEC", "Exec format error");
  execve(kernel, proc, argv, filename);
  return yield* asProgram(fn(proc, argv));
}

/** fork + execve: a child of `parent` running argv. Throws KernelError (e.g. ENOMEM in a dead pid namespace). */
export function spawn(
  kernel: Kernel,
  parent: Process,
  argv: string[],
  found: VNode,
  opts: CloneOptions & { prepare?: (child: Process) => void } = {},
): Process {
  const child = clone(kernel, parent, opts);
  opts.prepare?.(child);
  kernel.sched.start(child, execProgram(kernel, child, argv, found));
  return child;
}

/** The message execvp's caller prints, e.g. "unshare: failed to execute foo: No such file or directory". */
export function lookupErrorText(l: Lookup & { ok: false }): string {
  return l.why === "ENOENT" ? "No such file or directory" : l.why === "EISDIR" ? "Is a directory" : "Permission denied";
}
