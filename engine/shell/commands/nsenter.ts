// nsenter(1): open /proc/PID/ns/* of a target and setns(2) into each, then fork (so a
// joined pid namespace applies to the program) and exec. This is what `kubectl exec` and
// `crictl exec` do underneath to get a shell inside a running container.
import type { NsKind } from "../../api";
import type { Namespace } from "../../linux/namespaces";
import { setns } from "../../linux/namespaces";
import { KernelError, clone } from "../../linux/process";
import type { Process } from "../../linux/process";
import { nsOfLink } from "../../linux/procfs";
import type { Program } from "../../linux/tasks";
import type { Command } from "../command";
import { usageError } from "../command";
import { OptError, getopt } from "../options";
import { readProc } from "./procview";
import { KIND_FLAGS, execOrFail } from "./unshare";

const USAGE = `
Usage:
 nsenter [options] [<program> [<argument>...]]

Run a program with namespaces of other processes.

Options:
 -a, --all              enter all namespaces
 -t, --target <pid>     target process to get namespaces from
 -m, --mount[=<file>]   enter mount namespace
 -u, --uts[=<file>]     enter UTS namespace (hostname etc)
 -i, --ipc[=<file>]     enter System V IPC namespace
 -n, --net[=<file>]     enter network namespace
 -p, --pid[=<file>]     enter pid namespace
 -C, --cgroup[=<file>]  enter cgroup namespace
 -U, --user[=<file>]    enter user namespace
 -T, --time[=<file>]    enter time namespace
 -r, --root[=<dir>]     set the root directory
 -w, --wd[=<dir>]       set the working directory
 -F, --no-fork          do not fork before exec'ing <program>

 -h, --help             display this help
 -V, --version          display version

For more details see nsenter(1).
`;

const LINK_NAME: Record<NsKind, string> = { mnt: "mnt", uts: "uts", ipc: "ipc", net: "net", pid: "pid", user: "user", cgroup: "cgroup", time: "time" };

export const nsenter: Command = {
  name: "nsenter",
  path: "/usr/bin/nsenter",
  summary: "run a program in the namespaces of another process",
  usage: USAGE,
  run(ctx) {
    let parsed;
    try {
      parsed = getopt(ctx.argv.slice(1), {
        short: { a: false, t: true, m: "optional", u: "optional", i: "optional", n: "optional", p: "optional", C: "optional", U: "optional", T: "optional", r: "optional", w: "optional", F: false, h: false, V: false },
        long: { all: false, target: true, mount: "optional", uts: "optional", ipc: "optional", net: "optional", pid: "optional", cgroup: "optional", user: "optional", time: "optional", root: "optional", wd: "optional", "no-fork": false, help: false, version: false },
        alias: { a: "all", t: "target", m: "mount", u: "uts", i: "ipc", n: "net", p: "pid", C: "cgroup", U: "user", T: "time", r: "root", w: "wd", F: "no-fork", h: "help", V: "version" },
        stopAtFirst: true,
      });
    } catch (e) {
      if (e instanceof OptError) return usageError(ctx, "nsenter", e.message);
      throw e;
    }
    const o = parsed.opts;
    if (o.has("help")) {
      ctx.out(USAGE.slice(1));
      return 0;
    }
    const k = ctx.kernel;
    let target: Process | undefined;
    const t = o.get("target");
    if (t !== undefined) {
      if (!/^\d+$/.test(String(t))) {
        ctx.err(`nsenter: failed to parse pid: '${t}'\n`);
        return 1;
      }
      target = readProc(ctx)?.byPid.get(Number(t))?.p;
      if (!target) {
        ctx.err(`nsenter: cannot open /proc/${t}/ns/${firstKind(o)}: No such file or directory\n`);
        return 1;
      }
    }
    const joins: Namespace[] = [];
    const all = o.has("all");
    for (const [opt, kind] of KIND_FLAGS) {
      const v = o.get(opt);
      if (v === undefined && !all) continue;
      if (typeof v === "string") {
        try {
          joins.push(k.nsFromPath(ctx.proc, ctx.abs(v)));
        } catch (e) {
          ctx.err(`nsenter: cannot open ${v}: ${(e as KernelError).text ?? "error"}\n`);
          return 1;
        }
        continue;
      }
      if (!target) {
        ctx.err(`nsenter: neither filename nor target pid supplied for ns/${LINK_NAME[kind]}\n`);
        return 1;
      }
      const ns = nsOfLink(target, kind);
      // --all skips namespaces the caller already shares (as util-linux does).
      if (all && v === undefined && (ns === ctx.proc.ns[kind] || (kind === "pid" && ns === ctx.proc.pidForChildren))) continue;
      joins.push(ns);
    }
    if (joins.length === 0 && !target) return usageError(ctx, "nsenter", "no namespace specified");
    // user first: it grants the rights to join the rest.
    joins.sort((a, b) => (a.kind === "user" ? -1 : b.kind === "user" ? 1 : 0));
    for (const ns of joins) setns(k, ctx.proc, ns);
    if (target && (o.has("mount") || all)) ctx.proc.cwd = "/";
    const wd = o.get("wd");
    if (typeof wd === "string") ctx.proc.cwd = wd;
    else if (wd === true && target) ctx.proc.cwd = target.cwd;

    const program = parsed.rest.length ? parsed.rest : [ctx.proc.env.get("SHELL") ?? "/bin/sh"];
    if (o.has("no-fork")) return execOrFail(ctx, "nsenter", ctx.proc, program);
    let child: Process;
    try {
      child = clone(k, ctx.proc);
    } catch (e) {
      ctx.err(`nsenter: fork failed: ${(e as KernelError).text}\n`);
      return 1;
    }
    k.sched.start(child, execOrFail(ctx, "nsenter", child, program));
    return (function* (): Program {
      return (yield { kind: "child", proc: child }) as number;
    })();
  },
};

function firstKind(o: Map<string, string | true>): string {
  for (const [opt, kind] of KIND_FLAGS) if (o.has(opt)) return LINK_NAME[kind];
  return "mnt";
}
