// ctr: containerd's own command-line client. `ctr images pull`, `ctr run`, `ctr tasks ls` —
// the node-level view of what the kubelet asks containerd to do through the CRI.
import { containerdOf } from "../../k8s/runtime/containerd";
import { normaliseRef, shortDigest } from "../../k8s/runtime/image";
import { SIGNALS } from "../../linux/kernel";
import type { KernelError } from "../../linux/process";
import type { Program } from "../../linux/tasks";
import type { Command, CommandContext } from "../command";
import { parseSignal } from "../builtins";
import { humanSize } from "./fileops";

const USAGE = `NAME:
   ctr -
        __
  _____/ /______
 / ___/ __/ ___/
/ /__/ /_/ /
\\___/\\__/_/

containerd CLI

USAGE:
   ctr [global options] command [command options] [arguments...]

COMMANDS:
   containers, c, container  Manage containers
   images, image, i          Manage images
   run                       Run a container
   tasks, t, task            Manage tasks

GLOBAL OPTIONS:
   --namespace value, -n value  Namespace to use with commands (default: "default")
   --help, -h                   show help
`;

function fail(ctx: CommandContext, msg: string): number {
  ctx.err(`ctr: ${msg}\n`);
  return 1;
}

function table(rows: string[][]): string {
  const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(w[i]! + 4))).join("").trimEnd() + "\n").join("");
}

const progress = "|++++++++++++++++++++++++++++++++++++++|";

export const ctr: Command = {
  name: "ctr",
  path: "/usr/bin/ctr",
  summary: "containerd's client: images pull/ls, run, tasks ls/kill, containers ls/rm",
  usage: USAGE,
  run(ctx) {
    let args = ctx.argv.slice(1);
    let namespace = "default";
    while (args[0]?.startsWith("-")) {
      const a = args.shift()!;
      if (a === "-n" || a === "--namespace") namespace = args.shift() ?? "default";
      else if (a.startsWith("--namespace=")) namespace = a.slice(12);
      else return fail(ctx, `flag provided but not defined: ${a}`);
    }
    const d = containerdOf(ctx.kernel);
    const [group, sub, ...rest] = args;
    if (!group) {
      ctx.out(USAGE);
      return 0;
    }
    try {
      if (["images", "image", "i"].includes(group)) {
        if (sub === "pull") {
          const name = rest.find((r) => !r.startsWith("-"));
          if (!name) return fail(ctx, "please provide an image reference to pull");
          const { image, fetched } = d.pull(name);
          const ref = normaliseRef(name);
          const lines = [[`${ref}:`, "resolved", progress], [`manifest-sha256:${image.manifestDigest.slice(7)}:`, "done", progress], ...image.layers.map((l) => [`layer-sha256:${l.digest.slice(7)}:`, fetched.includes(l) ? "done" : "exists", progress]), [`config-sha256:${image.configDigest.slice(7)}:`, "done", progress]];
          const mb = fetched.reduce((s, l) => s + l.size * 0.42, 0) / 1048576;
          ctx.out(table(lines) + `elapsed: 1.4 s${" ".repeat(60)}total:  ${mb.toFixed(1)} M (${(mb / 1.4).toFixed(1)} MiB/s)\nunpacking linux/amd64 ${image.manifestDigest}...\ndone: ${(120 + fetched.length * 180).toFixed(3)}ms\n`);
          return 0;
        }
        if (sub === "ls" || sub === "list") {
          const q = rest.includes("-q") || rest.includes("--quiet");
          const imgs = [...d.images.values()];
          if (q) ctx.out(imgs.map((i) => i.ref + "\n").join(""));
          else ctx.out(table([["REF", "TYPE", "DIGEST", "SIZE", "PLATFORMS", "LABELS"], ...imgs.map((i) => [i.ref, "application/vnd.oci.image.manifest.v1+json", i.manifestDigest, humanSize(i.size).replace(/([KMG])$/, " $1iB"), "linux/amd64", "-"])]));
          return 0;
        }
        if (sub === "rm" || sub === "remove" || sub === "del" || sub === "delete") {
          for (const n of rest) if (d.removeImage(n)) ctx.out(`${normaliseRef(n)}\n`);
            else return fail(ctx, `image "${normaliseRef(n)}": not found`);
          return 0;
        }
        if (sub === "history") {
          const img = d.image(rest[0] ?? "");
          if (!img) return fail(ctx, `image "${normaliseRef(rest[0] ?? "")}": not found`);
          ctx.out(table([["LAYER", "SIZE", "CREATED BY"], ...[...img.layers].reverse().map((l) => [shortDigest(l.digest), humanSize(l.size), l.createdBy])]));
          return 0;
        }
        return fail(ctx, `No help topic for '${sub ?? ""}'`);
      }
      if (group === "run") return runCmd(ctx, [sub ?? "", ...rest].filter((x) => x !== ""), namespace);
      if (["tasks", "task", "t"].includes(group)) {
        if (sub === "ls" || sub === "list") {
          ctx.out(table([["TASK", "PID", "STATUS"], ...[...d.tasks.values()].map((t) => [t.id, String(t.init.pid), t.status])]));
          return 0;
        }
        if (sub === "kill") {
          let sig = SIGNALS.TERM!;
          const ids: string[] = [];
          for (let i = 0; i < rest.length; i++) {
            if (rest[i] === "-s" || rest[i] === "--signal") sig = parseSignal(rest[++i] ?? "") ?? sig;
            else ids.push(rest[i]!);
          }
          for (const id of ids) {
            const t = d.tasks.get(id);
            if (!t) return fail(ctx, `task ${id}: not found`);
            if (t.status !== "RUNNING") return fail(ctx, `process already finished: not found`);
            ctx.kernel.kill(t.init.pid, sig);
          }
          return 0;
        }
        if (sub === "rm" || sub === "delete" || sub === "del") {
          for (const id of rest.filter((r) => !r.startsWith("-"))) {
            if (rest.includes("-f") || rest.includes("--force")) {
              const t = d.tasks.get(id);
              if (t && t.status === "RUNNING") ctx.kernel.kill(t.init.pid, SIGNALS.KILL!);
            }
            d.deleteTask(id);
          }
          return 0;
        }
        if (sub === "ps") {
          const t = d.tasks.get(rest[0] ?? "");
          if (!t) return fail(ctx, `task ${rest[0] ?? ""}: not found`);
          const pids = [t.init, ...descendants(t.init)].filter((p) => p.alive);
          ctx.out(table([["PID", "INFO"], ...pids.map((p) => [String(p.pid), "-"])]));
          return 0;
        }
        return fail(ctx, `No help topic for '${sub ?? ""}'`);
      }
      if (["containers", "container", "c"].includes(group)) {
        if (sub === "ls" || sub === "list") {
          ctx.out(table([["CONTAINER", "IMAGE", "RUNTIME"], ...[...d.containers.values()].map((c) => [c.id, c.image.ref, "io.containerd.runc.v2"])]));
          return 0;
        }
        if (sub === "rm" || sub === "delete" || sub === "del") {
          for (const id of rest) d.deleteContainer(id);
          return 0;
        }
        if (sub === "info") {
          const c = d.containers.get(rest[0] ?? "");
          if (!c) return fail(ctx, `container "${rest[0] ?? ""}" in namespace "${namespace}": not found`);
          ctx.out(JSON.stringify({ ID: c.id, Image: c.image.ref, Runtime: { Name: "io.containerd.runc.v2" }, SnapshotKey: c.id, Snapshotter: "overlayfs", Spec: c.spec }, null, 4) + "\n");
          return 0;
        }
        return fail(ctx, `No help topic for '${sub ?? ""}'`);
      }
      return fail(ctx, `No help topic for '${group}'`);
    } catch (e) {
      return fail(ctx, (e as KernelError).text ?? (e as Error).message);
    }
  },
};

function descendants(p: import("../../linux/process").Process): import("../../linux/process").Process[] {
  const out: import("../../linux/process").Process[] = [];
  for (const c of p.children) out.push(c, ...descendants(c));
  return out;
}

/** ctr run [--rm] [-d] [-t] [--net-host] [--env K=V] IMAGE ID [COMMAND ARGS…] */
function runCmd(ctx: CommandContext, args: string[], namespace: string): number | Program {
  let rm = false;
  let detach = false;
  let hostNet = false;
  const env: string[] = [];
  const pos: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (pos.length >= 2) {
      pos.push(a);
      continue;
    }
    if (a === "--rm") rm = true;
    else if (a === "-d" || a === "--detach") detach = true;
    else if (a === "-t" || a === "--tty") continue;
    else if (a === "--net-host") hostNet = true;
    else if (a === "--env") env.push(args[++i] ?? "");
    else if (a.startsWith("-")) return fail(ctx, `flag provided but not defined: ${a}`);
    else pos.push(a);
  }
  if (pos.length < 2) return fail(ctx, "image ref and container id must be provided");
  const [imageName, id, ...cmd] = pos as [string, string, ...string[]];
  const d = containerdOf(ctx.kernel);
  try {
    d.createContainer(id, imageName, cmd.length ? cmd : null, { namespace, hostNetwork: hostNet, env });
    const io = { 0: ctx.proc.fds[0], 1: ctx.proc.fds[1], 2: ctx.proc.fds[2] };
    const task = d.startTask(id, io);
    if (detach) return 0;
    return (function* (): Program {
      const status = (yield { kind: "child", proc: task.init }) as number;
      if (rm) {
        d.deleteTask(id);
        d.deleteContainer(id);
      }
      return status;
    })();
  } catch (e) {
    return fail(ctx, (e as KernelError).text ?? (e as Error).message);
  }
}
