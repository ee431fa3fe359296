// runc: the OCI runtime's own command line. `runc spec` writes a config.json; `runc run -b
// BUNDLE ID` makes the container from it; list/state/ps/kill/delete inspect and end it.
import { defaultSpec, runcRun } from "../../k8s/runtime/runc";
import type { OciSpec } from "../../k8s/runtime/runc";
import { SIGNALS } from "../../linux/kernel";
import { KernelError } from "../../linux/process";
import type { Process } from "../../linux/process";
import type { Program } from "../../linux/tasks";
import type { Kernel } from "../../linux/kernel";
import type { Command, CommandContext } from "../command";
import { parseSignal } from "../builtins";

interface RuncContainer {
  id: string;
  bundle: string;
  init: Process;
  created: number;
}

const registries = new WeakMap<Kernel, Map<string, RuncContainer>>();
function state(k: Kernel): Map<string, RuncContainer> {
  let m = registries.get(k);
  if (!m) registries.set(k, (m = new Map()));
  return m;
}

const USAGE = `NAME:
   runc - Open Container Initiative runtime

USAGE:
   runc [global options] command [command options] [arguments...]

COMMANDS:
   delete      delete any resources held by the container often used with detached container
   kill        kill sends the specified signal (default: SIGTERM) to the container's init process
   list        lists containers started by runc with the given root
   ps          ps displays the processes running inside a container
   run         create and run a container
   spec        create a new specification file
   state       output the state of a container
`;

function fail(ctx: CommandContext, msg: string): number {
  ctx.err(`${msg}\n`);
  return 1;
}

function iso(ctx: CommandContext, t: number): string {
  return new Date(ctx.kernel.clock.epochMs() - ctx.kernel.clock.now() + t).toISOString().replace("Z", "000000Z");
}

export const runc: Command = {
  name: "runc",
  path: "/usr/sbin/runc",
  summary: "the OCI runtime: spec, run -b BUNDLE ID, list, state, ps, kill, delete",
  usage: USAGE,
  run(ctx) {
    let args = ctx.argv.slice(1);
    while (args[0] === "--root" || args[0]?.startsWith("--root=")) args = args[0] === "--root" ? args.slice(2) : args.slice(1);
    const [sub, ...rest] = args;
    const reg = state(ctx.kernel);
    const living = (id: string) => {
      const c = reg.get(id);
      if (!c) throw new KernelError("ENOENT", `container does not exist`);
      return c;
    };
    try {
      switch (sub) {
        case undefined:
          ctx.out(USAGE);
          return 0;
        case "spec": {
          const path = ctx.abs("config.json");
          const dir = ctx.kernel.resolve(ctx.proc, ctx.proc.cwd).node;
          if (dir.lookup?.("config.json", { proc: ctx.proc })) return fail(ctx, "File config.json exists. Remove it first");
          const node = dir.create!("config.json", "file", { proc: ctx.proc });
          node.write!(JSON.stringify(defaultSpec(), null, "\t") + "\n", false, { proc: ctx.proc });
          void path;
          return 0;
        }
        case "run":
        case "create": {
          let bundle = ctx.proc.cwd;
          let detach = false;
          const pos: string[] = [];
          for (let i = 0; i < rest.length; i++) {
            const a = rest[i]!;
            if (a === "-b" || a === "--bundle") bundle = ctx.abs(rest[++i] ?? ".");
            else if (a === "-d" || a === "--detach") detach = true;
            else pos.push(a);
          }
          const id = pos[0];
          if (!id) return fail(ctx, `runc: "${sub}" requires exactly 1 argument(s)`);
          if (reg.has(id) && reg.get(id)!.init.alive) return fail(ctx, `ERRO[0000] container with id exists: ${id}`);
          let spec: OciSpec;
          try {
            spec = JSON.parse(ctx.kernel.resolve(ctx.proc, `${bundle}/config.json`).node.read?.({ proc: ctx.proc }) ?? "");
          } catch (e) {
            if (e instanceof SyntaxError) return fail(ctx, `ERRO[0000] runc run failed: invalid character in config.json: ${e.message}`);
            return fail(ctx, "ERRO[0000] runc run failed: open config.json: no such file or directory");
          }
          const init = runcRun(ctx.kernel, { id, bundle, spec, parent: ctx.proc, io: { 0: ctx.proc.fds[0], 1: ctx.proc.fds[1], 2: ctx.proc.fds[2] } });
          reg.set(id, { id, bundle, init, created: ctx.kernel.clock.now() });
          if (detach) return 0;
          return (function* (): Program {
            const status = (yield { kind: "child", proc: init }) as number;
            reg.delete(id);
            return status;
          })();
        }
        case "list": {
          const rows = [["ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"]];
          for (const c of reg.values()) rows.push([c.id, String(c.init.alive ? c.init.pid : 0), c.init.alive ? "running" : "stopped", c.bundle, iso(ctx, c.created), "root"]);
          const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
          ctx.out(rows.map((r) => r.map((v, i) => (i === r.length - 1 ? v : v.padEnd(w[i]! + 3))).join("") + "\n").join(""));
          return 0;
        }
        case "state": {
          const c = living(rest[0] ?? "");
          ctx.out(JSON.stringify({ ociVersion: "1.0.2-dev", id: c.id, pid: c.init.alive ? c.init.pid : 0, status: c.init.alive ? "running" : "stopped", bundle: c.bundle, rootfs: `${c.bundle}/rootfs`, created: iso(ctx, c.created), owner: "" }, null, 2) + "\n");
          return 0;
        }
        case "ps": {
          const c = living(rest[0] ?? "");
          const procs = [c.init, ...[...ctx.kernel.processes.values()].filter((p) => p !== c.init && p.ns.pid === c.init.ns.pid)].filter((p) => p.alive);
          ctx.out("UID          PID    PPID  C STIME TTY          TIME CMD\n");
          for (const p of procs) ctx.out(`root    ${String(p.pid).padStart(8)}${String(p.ppid).padStart(8)}  0 09:00 ?        00:00:00 ${p.argv.join(" ")}\n`);
          return 0;
        }
        case "kill": {
          const c = living(rest[0] ?? "");
          const sig = rest[1] ? parseSignal(rest[1]) : SIGNALS.TERM;
          if (sig === undefined) return fail(ctx, `ERRO[0000] unknown signal "${rest[1]}"`);
          if (!c.init.alive) return fail(ctx, "ERRO[0000] container not running");
          ctx.kernel.kill(c.init.pid, sig);
          return 0;
        }
        case "delete": {
          const force = rest.includes("-f") || rest.includes("--force");
          const c = living(rest.find((r) => !r.startsWith("-")) ?? "");
          if (c.init.alive && !force) return fail(ctx, `ERRO[0000] cannot delete container ${c.id} that is not stopped: running`);
          if (c.init.alive) ctx.kernel.kill(c.init.pid, SIGNALS.KILL!);
          reg.delete(c.id);
          return 0;
        }
        default:
          return fail(ctx, `No help topic for '${sub}'`);
      }
    } catch (e) {
      return fail(ctx, `ERRO[0000] ${(e as KernelError).text ?? (e as Error).message}`);
    }
  },
};
