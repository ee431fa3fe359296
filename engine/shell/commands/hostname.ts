import type { Command } from "../command";
import { usageError } from "../command";
import type { Namespace } from "../../linux/namespaces";
import { uidInOwnNs } from "./procview";

function ownsOrAncestor(userNs: Namespace, owner: Namespace | null): boolean {
  for (let ns: Namespace | null = owner; ns; ns = ns.parent) if (ns === userNs) return true;
  return false;
}

/** hostname: print or set the UTS namespace's hostname (sethostname(2)). */
export const hostname: Command = {
  name: "hostname",
  path: "/usr/bin/hostname",
  summary: "show or set the system's host name (per UTS namespace)",
  usage: "Usage: hostname [-b] {hostname|-F file}         set host name (from file)\n       hostname [-a|-A|-d|-f|-i|-I|-s|-y]       display formatted name\n       hostname                                display host name\n",
  run(ctx) {
    const args = ctx.argv.slice(1).filter((a) => a !== "-b");
    const uts = ctx.proc.ns.uts;
    if (args.length === 0 || args[0] === "-s" || args[0] === "-f") {
      ctx.out(`${args[0] === "-s" ? uts.hostname.split(".")[0] : uts.hostname}\n`);
      return 0;
    }
    if (args[0]!.startsWith("-")) return usageError(ctx, "hostname", `invalid option -- '${args[0]!.slice(1, 2)}'`);
    const name = args[0]!;
    // sethostname(2) needs CAP_SYS_ADMIN in the user namespace that owns the UTS namespace.
    if (uidInOwnNs(ctx.proc) !== 0 || !ownsOrAncestor(ctx.proc.ns.user, uts.owner)) {
      ctx.err("hostname: you must be root to change the host name\n");
      return 1;
    }
    if (name.length > 64 || !/^[A-Za-z0-9][A-Za-z0-9.-]*$/.test(name)) {
      ctx.err("hostname: the specified hostname is invalid\n");
      return 1;
    }
    uts.hostname = name;
    ctx.kernel.emit({ type: "uts.sethostname", inode: uts.inode, hostname: name });
    return 0;
  },
};

export const uname: Command = {
  name: "uname",
  path: "/usr/bin/uname",
  summary: "print system information (-n: the UTS namespace's node name)",
  usage: "Usage: uname [OPTION]...\nPrint certain system information.  With no OPTION, same as -s.\n\n  -a, --all                print all information\n  -s, --kernel-name        print the kernel name\n  -n, --nodename           print the network node hostname\n  -r, --kernel-release     print the kernel release\n  -m, --machine            print the machine hardware name\n",
  run(ctx) {
    const a = ctx.argv.slice(1);
    const host = ctx.proc.ns.uts.hostname;
    const parts: string[] = [];
    const all = a.includes("-a") || a.includes("--all");
    if (a.length === 0 || all || a.includes("-s")) parts.push("Linux");
    if (all || a.includes("-n") || a.includes("--nodename")) parts.push(host);
    if (all || a.includes("-r")) parts.push("6.12.48-kijl");
    if (all) parts.push("#1 SMP PREEMPT_DYNAMIC");
    if (all || a.includes("-m")) parts.push("x86_64");
    if (all) parts.push("GNU/Linux");
    const bad = a.find((x) => !["-a", "--all", "-s", "-n", "--nodename", "-r", "-m"].includes(x));
    if (bad) return usageError(ctx, "uname", bad.startsWith("--") ? `unrecognized option '${bad}'` : `invalid option -- '${bad.slice(1, 2)}'`);
    ctx.out(parts.join(" ") + "\n");
    return 0;
  },
};
