// rmdir (coreutils): remove empty directories. In cgroupfs this is how a cgroup goes away —
// and why a cgroup that still has processes or children answers "Device or resource busy".
import type { KernelError } from "../../linux/process";
import type { VNode } from "../../linux/vfs";
import type { Command } from "../command";
import { usageError } from "../command";

export const rmdir: Command = {
  name: "rmdir",
  path: "/usr/bin/rmdir",
  summary: "remove empty directories (and cgroups)",
  usage: "Usage: rmdir [OPTION]... DIRECTORY...\nRemove the DIRECTORY(ies), if they are empty.\n\n  -p, --parents   remove DIRECTORY and its ancestors; e.g., 'rmdir -p a/b' is\n                    similar to 'rmdir a/b a'\n  -v, --verbose   output a diagnostic for every directory processed\n",
  run(ctx) {
    const args = ctx.argv.slice(1);
    const opts = args.filter((a) => a.startsWith("-") && a !== "-");
    const bad = opts.find((a) => !["-p", "--parents", "-v", "--verbose"].includes(a));
    if (bad) return usageError(ctx, "rmdir", bad.startsWith("--") ? `unrecognized option '${bad}'` : `invalid option -- '${bad.slice(1, 2)}'`);
    const parents = opts.includes("-p") || opts.includes("--parents");
    const verbose = opts.includes("-v") || opts.includes("--verbose");
    const dirs = args.filter((a) => !a.startsWith("-") || a === "-");
    if (!dirs.length) return usageError(ctx, "rmdir", "missing operand");
    let status = 0;
    const removeOne = (d: string): boolean => {
      const abs = ctx.abs(d);
      const ctxL = { proc: ctx.proc };
      try {
        const { node } = ctx.kernel.resolve(ctx.proc, abs, false);
        if (node.type !== "dir") throw { text: "Not a directory" };
        const parent = ctx.kernel.resolve(ctx.proc, abs.slice(0, abs.lastIndexOf("/")) || "/").node as VNode & { rmdir?: (n: string, c: typeof ctxL) => void };
        const name = abs.slice(abs.lastIndexOf("/") + 1);
        if (parent.rmdir) parent.rmdir(name, ctxL);
        else {
          // Plain filesystems: only an empty directory goes (cgroupfs decides for itself above).
          if ((node.list?.(ctxL) ?? []).length > 0) throw { text: "Directory not empty" };
          if (!parent.remove) throw { text: "Permission denied" };
          parent.remove(name, ctxL);
        }
        if (verbose) ctx.out(`rmdir: removing directory, '${d}'\n`);
        return true;
      } catch (e) {
        ctx.err(`rmdir: failed to remove '${d}': ${(e as KernelError).text ?? (e as Error).message}\n`);
        status = 1;
        return false;
      }
    };
    for (const d of dirs) {
      if (!removeOne(d) || !parents) continue;
      let cur = d.replace(/\/+$/, "");
      while (cur.includes("/")) {
        cur = cur.slice(0, cur.lastIndexOf("/"));
        if (!cur || !removeOne(cur)) break;
      }
    }
    return status;
  },
};
