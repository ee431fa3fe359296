// mount, umount and findmnt over the caller's mount namespace.
import type { Command, CommandContext } from "../command";
import { usageError } from "../command";
import { KernelError } from "../../linux/process";
import { ProcFs, mountsLine } from "../../linux/procfs";
import type { Mount } from "../../linux/mounts";
import { TreeFs } from "../../linux/vfs";
import { OverlayFs } from "../../linux/overlayfs";
import type { FileSystem } from "../../linux/vfs";
import { OptError, getopt } from "../options";

function table(ctx: CommandContext) {
  return ctx.proc.ns.mnt.mounts!;
}

/** Make a filesystem of `type` the way mount(2) would for the engine's supported types. */
function makeFs(ctx: CommandContext, type: string, source: string): FileSystem | null {
  const now = () => ctx.kernel.clock.now();
  if (type === "proc") return new ProcFs(ctx.kernel, ctx.proc.ns.pid);
  if (type === "tmpfs") return new TreeFs("tmpfs", source, now);
  if (type === "sysfs") return new TreeFs("sysfs", source, now);
  return null;
}

export const mount: Command = {
  name: "mount",
  path: "/usr/bin/mount",
  summary: "list mounts, or mount a filesystem (-t proc|tmpfs, --bind)",
  usage: "Usage:\n mount [-lhV]\n mount -a [options]\n mount [options] [--source] <source> | [--target] <directory>\n mount [options] <source> <directory>\n mount <operation> <mountpoint> [<target>]\n\nOptions:\n -t, --types <list>      limit the set of filesystem types\n -o, --options <list>    comma-separated list of mount options\n -r, --read-only         mount the filesystem read-only (same as -o ro)\n -w, --rw, --read-write  mount the filesystem read-write (default)\n     --bind              mount a subtree somewhere else (same as -o bind)\n     --make-private      mark a subtree as private\n     --make-shared       mark a subtree as shared\n",
  run(ctx) {
    let p;
    try {
      p = getopt(ctx.argv.slice(1), {
        short: { t: true, o: true, B: false, l: false, h: false, n: false, v: false, r: false, w: false },
        long: { types: true, options: true, bind: false, rbind: false, "read-only": false, rw: false, "read-write": false, "make-private": false, "make-rprivate": false, "make-shared": false, "make-rshared": false, "make-slave": false, help: false },
        alias: { t: "types", o: "options", B: "bind", r: "read-only", w: "rw", "read-write": "rw" },
      });
    } catch (e) {
      if (e instanceof OptError) return usageError(ctx, "mount", e.message);
      throw e;
    }
    const o = p.opts;
    const t = table(ctx);
    const propOp = ["make-private", "make-rprivate", "make-shared", "make-rshared", "make-slave"].find((x) => o.has(x));
    if (propOp) {
      const target = p.rest[0] ?? "/";
      const abs = ctx.abs(target);
      const m = t.at(abs);
      if (!m) {
        ctx.err(`mount: ${target}: not mount point or bad option.\n`);
        return 32;
      }
      const mode = propOp.includes("private") ? "private" : propOp.includes("shared") ? "shared" : "slave";
      const affected = propOp.startsWith("make-r") ? t.mounts.filter((x) => x.mountpoint === abs || abs === "/" || x.mountpoint.startsWith(abs + "/")) : [m];
      for (const x of affected) x.propagation = mode;
      return 0;
    }
    if (p.rest.length === 0) {
      const types = o.get("types");
      for (const m of t.mounts) if (!types || String(types).split(",").includes(m.fs.type)) ctx.out(`${m.fs.source} on ${m.mountpoint} type ${m.fs.type} (${m.options}${m.fs.extraOptions ? "," + m.fs.extraOptions : ""})\n`);
      return 0;
    }
    if (ctx.proc.uid !== 0) {
      ctx.err("mount: only root can do that\n");
      return 1;
    }
    const [source, target] = p.rest.length === 1 ? [p.rest[0]!, p.rest[0]!] : [p.rest[0]!, p.rest[1]!];
    const abs = ctx.abs(target!);
    try {
      const { node } = ctx.kernel.resolve(ctx.proc, abs);
      if (node.type !== "dir" && !o.has("bind")) throw new KernelError("ENOTDIR", "Not a directory");
    } catch (e) {
      ctx.err(`mount: ${target}: mount point does not exist.\n       dmesg(1) may have more information after failed mount system call.\n`);
      void e;
      return 32;
    }
    const parent = t.containing(abs);
    const opts = String(o.get("options") ?? "");
    // ro/rw: -r and -w, or the last of "ro"/"rw" in -o (mount(8) applies them in order).
    let mode: "ro" | "rw" | undefined = o.has("read-only") ? "ro" : o.has("rw") ? "rw" : undefined;
    for (const x of opts.split(",")) if (x === "ro" || x === "rw") mode = x;
    if (opts.split(",").includes("remount")) {
      // mount -o remount,ro /x (with or without bind): the same mount, new flags.
      const m = t.at(abs);
      if (!m) {
        ctx.err(`mount: ${target}: mount point not mounted or bad option.
       dmesg(1) may have more information after failed mount system call.
`);
        return 32;
      }
      if (mode) m.options = withMode(m.options, mode);
      return 0;
    }
    if (o.has("bind") || opts.split(",").includes("bind")) {
      let src;
      try {
        src = ctx.kernel.resolve(ctx.proc, ctx.abs(source!));
      } catch {
        ctx.err(`mount: ${target}: special device ${source} does not exist.\n`);
        return 32;
      }
      const from = t.containing(src.path)!;
      // A bind mount shares its source's filesystem; -o ro makes this mount of it read-only
      // (util-linux remounts the new bind mount with MS_RDONLY).
      const options = mode ? withMode(from.options, mode) : from.options;
      const m: Mount = { ...from, id: ctx.kernel.newMountId(), parentId: parent?.id ?? 1, mountpoint: abs, rootNode: src.node, rootPath: src.path.slice(from.mountpoint === "/" ? 0 : from.mountpoint.length) || "/", options, propagation: parent?.propagation ?? "private" };
      t.add(m);
      ctx.kernel.emit({ type: "mount", mntns: ctx.proc.ns.mnt.inode, target: abs, fstype: m.fs.type });
      return 0;
    }
    const type = String(o.get("types") ?? "");
    if (type === "overlay") return mountOverlay(ctx, target!, abs, opts, parent?.id ?? 1);
    if (!type) {
      ctx.err(`mount: ${target}: can't find in /etc/fstab.\n`);
      return 1;
    }
    const fs = makeFs(ctx, type, source!);
    if (!fs) {
      ctx.err(`mount: ${target}: unknown filesystem type '${type}'.\n       dmesg(1) may have more information after failed mount system call.\n`);
      return 32;
    }
    const base = type === "proc" ? "rw,nosuid,nodev,noexec,relatime" : "rw,relatime";
    ctx.kernel.mountFs(t, fs, abs, parent?.id ?? 1, mode ? withMode(base, mode) : base, parent?.propagation === "shared" ? "shared" : "private");
    return 0;
  },
};

/** Mount options with their ro/rw flag set to `mode` (first, where /proc/self/mountinfo puts it). */
function withMode(options: string, mode: "ro" | "rw"): string {
  return [mode, ...options.split(",").filter((x) => x && x !== "ro" && x !== "rw")].join(",");
}

/** mount -t overlay overlay -o lowerdir=a:b,upperdir=u,workdir=w merged */
function mountOverlay(ctx: CommandContext, target: string, abs: string, opts: string, parentId: number): number {
  const kv = new Map<string, string>();
  for (const part of opts.split(",")) {
    const i = part.indexOf("=");
    if (i > 0) kv.set(part.slice(0, i), part.slice(i + 1));
  }
  const fail = (why: string) => {
    ctx.kernel.log(`overlayfs: ${why}`);
    ctx.err(`mount: ${target}: wrong fs type, bad option, bad superblock on overlay, missing codepage or helper program, or other error.\n       dmesg(1) may have more information after failed mount system call.\n`);
    return 32;
  };
  const lowerdir = kv.get("lowerdir");
  if (!lowerdir) return fail("missing 'lowerdir'");
  const upperdir = kv.get("upperdir");
  const workdir = kv.get("workdir");
  if (upperdir && !workdir) return fail("missing 'workdir'");
  const dirNode = (p: string) => {
    const n = ctx.kernel.resolve(ctx.proc, ctx.abs(p)).node;
    if (n.type !== "dir") throw new KernelError("ENOTDIR", "Not a directory");
    return n;
  };
  let lowers, upper = null, work = null;
  try {
    lowers = lowerdir.split(":").map(dirNode);
    if (upperdir) upper = dirNode(upperdir);
    if (workdir) work = dirNode(workdir);
  } catch {
    ctx.err(`mount: ${target}: special device overlay does not exist.\n       dmesg(1) may have more information after failed mount system call.\n`);
    return 32;
  }
  const optionText = [`lowerdir=${lowerdir}`, ...(upperdir ? [`upperdir=${upperdir}`, `workdir=${workdir}`] : []), "uuid=on"].join(",");
  const fs = new OverlayFs({ lowers, upper, work, optionText, now: () => ctx.kernel.clock.now() });
  const m = ctx.kernel.mountFs(ctx.proc.ns.mnt.mounts!, fs, abs, parentId, `${upper ? "rw" : "ro"},relatime`, "private");
  m.superOptions = `${upper ? "rw" : "ro"},${optionText}`;
  return 0;
}

export const umount: Command = {
  name: "umount",
  path: "/usr/bin/umount",
  summary: "unmount a filesystem",
  usage: "Usage:\n umount [-hV]\n umount -a [options]\n umount [options] <source> | <directory>\n\n -l, --lazy              detach the filesystem now, clean up things later\n",
  run(ctx) {
    const targets = ctx.argv.slice(1).filter((a) => !a.startsWith("-"));
    if (!targets.length) return usageError(ctx, "umount", "bad usage");
    let status = 0;
    for (const tg of targets) {
      const abs = ctx.abs(tg);
      const m = table(ctx).remove(abs);
      if (!m) {
        ctx.err(`umount: ${tg}: not mounted.\n`);
        status = 32;
        continue;
      }
      ctx.kernel.emit({ type: "umount", mntns: ctx.proc.ns.mnt.inode, target: abs });
    }
    return status;
  },
};

const FINDMNT_COLS: Record<string, (m: Mount) => string> = {
  TARGET: (m) => m.mountpoint,
  SOURCE: (m) => (m.rootPath !== "/" ? `${m.fs.source}[${m.rootPath}]` : m.fs.source),
  FSTYPE: (m) => m.fs.type,
  OPTIONS: (m) => m.options + (m.fs.extraOptions ? `,${m.fs.extraOptions}` : ""),
  PROPAGATION: (m) => m.propagation,
  ID: (m) => String(m.id),
  "MAJ:MIN": (m) => m.fs.dev,
};

export const findmnt: Command = {
  name: "findmnt",
  path: "/usr/bin/findmnt",
  summary: "find a filesystem / show the mount tree (-n -o COLS TARGET)",
  usage: "Usage:\n findmnt [options]\n findmnt [options] <device> | <mountpoint>\n\nOptions:\n -n, --noheadings       don't print column headings\n -o, --output <list>    the output columns to be shown\n -t, --types <list>     limit the set of filesystems by FS types\n -l, --list             use list format output\n",
  run(ctx) {
    let p;
    try {
      p = getopt(ctx.argv.slice(1), {
        short: { n: false, o: true, t: true, l: false, r: false },
        long: { noheadings: false, output: true, types: true, list: false, raw: false, target: true, mountpoint: true },
        alias: { n: "noheadings", o: "output", t: "types", l: "list", r: "raw" },
      });
    } catch (e) {
      if (e instanceof OptError) return usageError(ctx, "findmnt", e.message);
      throw e;
    }
    const o = p.opts;
    const cols = String(o.get("output") ?? "TARGET,SOURCE,FSTYPE,OPTIONS").toUpperCase().split(",");
    for (const c of cols) {
      if (!FINDMNT_COLS[c]) {
        ctx.err(`findmnt: unknown column: ${c}\n`);
        return 1;
      }
    }
    let mounts = table(ctx).mounts;
    const types = o.get("types");
    if (types) mounts = mounts.filter((m) => String(types).split(",").includes(m.fs.type));
    const target = p.rest[0] ?? (o.get("target") as string | undefined) ?? (o.get("mountpoint") as string | undefined);
    if (target) {
      const abs = ctx.abs(target);
      const m = table(ctx).at(abs);
      mounts = m && mounts.includes(m) ? [m] : [];
      if (!mounts.length) return 1;
    }
    const rows = mounts.map((m) => cols.map((c) => FINDMNT_COLS[c]!(m)));
    const widths = cols.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i]!.length)));
    const out: string[] = [];
    const fmt = (r: string[]) => r.map((v, i) => (i === r.length - 1 ? v : v.padEnd(widths[i]!))).join(" ").replace(/\s+$/, "");
    if (!o.has("noheadings")) out.push(fmt(cols));
    for (const r of rows) out.push(fmt(r));
    ctx.out(out.map((l) => l + "\n").join(""));
    return 0;
  },
};

export { mountsLine };
