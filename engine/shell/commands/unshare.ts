// unshare(1): call unshare(2) for the requested kinds, optionally fork (needed for --pid: the
// caller itself never moves into a new pid namespace, only its children do), mount a fresh
// /proc for the new pid namespace, then exec the program.
import type { NsKind } from "../../api";
import type { Namespace, NsFlags } from "../../linux/namespaces";
import { unshare as unshareSyscall } from "../../linux/namespaces";
import { KernelError, clone } from "../../linux/process";
import type { Process } from "../../linux/process";
import { ProcFs } from "../../linux/procfs";
import type { Program } from "../../linux/tasks";
import type { Command, CommandContext } from "../command";
import { usageError } from "../command";
import { execProgram, findExecutable, lookupErrorText } from "../exec";
import { OptError, getopt } from "../options";

const USAGE = `
Usage:
 unshare [options] [<program> [<argument>...]]

Run a program with some namespaces unshared from the parent.

Options:
 -m, --mount[=<file>]      unshare mounts namespace
 -u, --uts[=<file>]        unshare UTS namespace (hostname etc)
 -i, --ipc[=<file>]        unshare System V IPC namespace
 -n, --net[=<file>]        unshare network namespace
 -p, --pid[=<file>]        unshare pid namespace
 -U, --user[=<file>]       unshare user namespace
 -C, --cgroup[=<file>]     unshare cgroup namespace
 -T, --time[=<file>]       unshare time namespace

 -f, --fork                fork before launching <program>
 -r, --map-root-user       map current user to root (implies --user)
 -c, --map-current-user    map current user to itself (implies --user)
 --mount-proc[=<dir>]      mount proc filesystem first (implies --mount)
 --propagation slave|shared|private|unchanged
                           modify mount propagation in mount namespace
 --kill-child[=<signame>]  when dying, kill the forked child (implies --fork)

 -h, --help                display this help
 -V, --version             display version

For more details see unshare(1).
`;

export const KIND_FLAGS: [string, NsKind][] = [
  ["mount", "mnt"],
  ["uts", "uts"],
  ["ipc", "ipc"],
  ["net", "net"],
  ["pid", "pid"],
  ["user", "user"],
  ["cgroup", "cgroup"],
  ["time", "time"],
];

/** Run argv in `proc` (exec in place); on failure print the util-linux style error. */
export function* execOrFail(ctx: CommandContext, tool: string, proc: Process, argv: string[]): Program {
  const found = findExecutable(ctx.kernel, proc, argv[0]!);
  if (!found.ok) {
    proc.fds[2].write(`${tool}: failed to execute ${argv[0]}: ${lookupErrorText(found)}\n`);
    return found.why === "ENOENT" ? 127 : 126;
  }
  return yield* execProgram(ctx.kernel, proc, argv, found.node);
}

export const unshare: Command = {
  name: "unshare",
  path: "/usr/bin/unshare",
  summary: "run a program with some namespaces unshared from the parent",
  usage: USAGE,
  run(ctx) {
    let parsed;
    try {
      parsed = getopt(ctx.argv.slice(1), {
        short: { m: "optional", u: "optional", i: "optional", n: "optional", p: "optional", U: "optional", C: "optional", T: "optional", f: false, r: false, c: false, h: false, V: false },
        long: { mount: "optional", uts: "optional", ipc: "optional", net: "optional", pid: "optional", user: "optional", cgroup: "optional", time: "optional", fork: false, "map-root-user": false, "map-current-user": false, "mount-proc": "optional", propagation: true, "kill-child": "optional", help: false, version: false },
        alias: { m: "mount", u: "uts", i: "ipc", n: "net", p: "pid", U: "user", C: "cgroup", T: "time", f: "fork", r: "map-root-user", c: "map-current-user", h: "help", V: "version" },
        stopAtFirst: true,
      });
    } catch (e) {
      if (e instanceof OptError) return usageError(ctx, "unshare", e.message);
      throw e;
    }
    const o = parsed.opts;
    if (o.has("help")) {
      ctx.out(USAGE.slice(1));
      return 0;
    }
    if (o.has("version")) {
      ctx.out("unshare from util-linux 2.38.1\n");
      return 0;
    }
    const flags: NsFlags = {};
    for (const [opt, kind] of KIND_FLAGS) if (o.has(opt)) flags[kind] = true;
    if (o.has("mount-proc")) flags.mnt = true;
    if (o.has("map-root-user") || o.has("map-current-user")) flags.user = true;
    const fork = o.has("fork") || o.has("kill-child");
    const propagation = o.get("propagation");
    if (propagation !== undefined && !["slave", "shared", "private", "unchanged"].includes(String(propagation))) {
      ctx.err(`unshare: unsupported propagation mode: ${propagation}\n`);
      return 1;
    }
    if (ctx.proc.uid !== 0 && !flags.user && Object.keys(flags).length) {
      ctx.err("unshare: unshare failed: Operation not permitted\n");
      return 1;
    }

    const k = ctx.kernel;
    const me = ctx.proc;
    unshareSyscall(k, me, flags);
    if (flags.mnt && propagation !== undefined && propagation !== "private" && propagation !== "unchanged") {
      for (const m of me.ns.mnt.mounts!.mounts) m.propagation = propagation as "shared" | "slave";
    }
    if (flags.user) {
      const userNs = me.ns.user;
      if (o.has("map-root-user")) writeIdMaps(userNs, 0, me.uid);
      if (o.has("map-current-user")) writeIdMaps(userNs, me.uid, me.uid);
    }
    const program = parsed.rest.length ? parsed.rest : [me.env.get("SHELL") ?? "/bin/sh"];
    const procDir = o.get("mount-proc");
    const mountProc = (p: Process) => {
      if (procDir === undefined) return;
      const dir = procDir === true ? "/proc" : String(procDir);
      const table = p.ns.mnt.mounts!;
      const parent = table.containing(dir);
      k.mountFs(table, new ProcFs(k, p.ns.pid), dir, parent?.id ?? 1, "rw,nosuid,nodev,noexec,relatime", "private");
    };

    if (!fork) {
      mountProc(me);
      return execOrFail(ctx, "unshare", me, program);
    }
    let child: Process;
    try {
      child = clone(k, me);
    } catch (e) {
      ctx.err(`unshare: fork failed: ${(e as KernelError).text}\n`);
      return 1;
    }
    mountProc(child);
    k.sched.start(child, execOrFail(ctx, "unshare", child, program));
    return (function* (): Program {
      const status = (yield { kind: "child", proc: child }) as number;
      return status;
    })();
  },
};

/** Write /proc/PID/uid_map and gid_map ("inside outside 1"), as --map-root-user does. */
export function writeIdMaps(ns: Namespace, inside: number, outside: number): void {
  ns.uidMap = [[inside, outside, 1]];
  ns.gidMap = [[inside, outside, 1]];
}

export { KernelError };
