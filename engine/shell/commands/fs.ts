// File tools: ls, readlink, mkdir, touch, rm, stat — on the host's VFS, through the
// caller's mount namespace (so /proc and mounts made by unshare look as they should).
import type { Command, CommandContext } from "../command";
import { usageError } from "../command";
import { KernelError } from "../../linux/process";
import type { VNode } from "../../linux/vfs";
import { joinPath } from "../../linux/vfs";
import { userName } from "./procview";
import { eachOperand, errText } from "./operands";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

export function modeString(n: VNode): string {
  const t = n.type === "dir" ? "d" : n.type === "symlink" ? "l" : n.type === "chr" ? "c" : "-";
  const m = n.mode;
  const bits = "rwxrwxrwx".split("").map((c, i) => (m & (1 << (8 - i)) ? c : "-"));
  if (m & 0o1000) bits[8] = bits[8] === "x" ? "t" : "T";
  return t + bits.join("");
}

function lsDate(ctx: CommandContext, n: VNode): string {
  const d = new Date(ctx.kernel.clock.epochMs() - ctx.kernel.clock.now() + n.mtime);
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ${String(d.getUTCHours()).padStart(2, "0")}:${String(d.getUTCMinutes()).padStart(2, "0")}`;
}

function fsErr(ctx: CommandContext, tool: string, what: string, path: string, e: unknown): number {
  ctx.err(`${tool}: ${what} '${path}': ${errText(e)}\n`);
  return tool === "ls" ? 2 : 1;
}

export const ls: Command = {
  name: "ls",
  path: "/usr/bin/ls",
  summary: "list directory contents (-l -a -i -1 -d)",
  usage: "Usage: ls [OPTION]... [FILE]...\nList information about the FILEs (the current directory by default).\n\n  -a, --all                  do not ignore entries starting with .\n  -d, --directory            list directories themselves, not their contents\n  -i, --inode                print the index number of each file\n  -l                         use a long listing format\n  -1                         list one file per line\n",
  run(ctx) {
    const flags = new Set<string>();
    const paths: string[] = [];
    for (const a of ctx.argv.slice(1)) {
      if (a === "--all") flags.add("a");
      else if (a === "--inode") flags.add("i");
      else if (a === "--directory") flags.add("d");
      else if (a.startsWith("--")) return usageError(ctx, "ls", `unrecognized option '${a}'`, 2);
      else if (a.startsWith("-") && a.length > 1) {
        for (const c of a.slice(1)) {
          if (!"laAid1hFR".includes(c)) return usageError(ctx, "ls", `invalid option -- '${c}'`, 2);
          flags.add(c);
        }
      } else paths.push(a);
    }
    if (paths.length === 0) paths.push(".");
    let status = 0;
    const long = flags.has("l");
    const groups: { title: string; items: { name: string; node: VNode; target?: string }[]; total: boolean }[] = [];
    const files: { name: string; node: VNode; target?: string }[] = [];
    for (const p of paths) {
      let node: VNode;
      try {
        node = ctx.kernel.resolve(ctx.proc, ctx.abs(p), !long || p.endsWith("/")).node;
        if (node.type === "symlink" && !long) node = ctx.kernel.resolve(ctx.proc, ctx.abs(p)).node;
      } catch (e) {
        ctx.err(`ls: cannot access '${p}': ${errText(e)}\n`);
        status = 2;
        continue;
      }
      if (node.type !== "dir" || flags.has("d")) {
        files.push({ name: p, node, target: node.type === "symlink" ? node.readlink?.({ proc: ctx.proc }) : undefined });
        continue;
      }
      const items: { name: string; node: VNode; target?: string }[] = [];
      const names = node.list?.({ proc: ctx.proc }) ?? [];
      if (flags.has("a")) {
        items.push({ name: ".", node });
        let parentNode = node;
        try {
          parentNode = ctx.kernel.resolve(ctx.proc, joinPath(ctx.abs(p), "..")).node;
        } catch {
          /* root: .. is itself */
        }
        items.push({ name: "..", node: parentNode });
      }
      for (const name of names) {
        if (name.startsWith(".") && !flags.has("a") && !flags.has("A")) continue;
        const child = node.lookup?.(name, { proc: ctx.proc });
        if (!child) continue;
        items.push({ name, node: child, target: child.type === "symlink" ? child.readlink?.({ proc: ctx.proc }) : undefined });
      }
      groups.push({ title: p, items, total: true });
    }
    const render = (items: { name: string; node: VNode; target?: string }[], total: boolean) => {
      if (!long) {
        const sep = flags.has("1") || ctx.proc.fds[1].kind !== "tty" ? "\n" : "  ";
        const parts = items.map((i) => (flags.has("i") ? `${i.node.ino} ` : "") + quoteName(i.name));
        if (parts.length) ctx.out(parts.join(sep) + "\n");
        return;
      }
      const rows = items.map((i) => [
        ...(flags.has("i") ? [String(i.node.ino)] : []),
        modeString(i.node),
        String(i.node.nlink ?? 1),
        userName(i.node.uid),
        userName(i.node.gid) === "nobody" ? "nogroup" : userName(i.node.gid),
        i.node.type === "chr" ? `${i.node.rdev?.[0] ?? 0}, ${i.node.rdev?.[1] ?? 0}` : String(i.node.size()),
        lsDate(ctx, i.node),
        quoteName(i.name) + (i.target !== undefined ? ` -> ${quoteName(i.target)}` : ""),
      ]);
      if (total) {
        const blocks = items.reduce((s, i) => s + (i.node.type === "file" ? Math.ceil(i.node.size() / 4096) * 4 : i.node.type === "dir" && i.node.size() > 0 ? 4 : 0), 0);
        ctx.out(`total ${blocks}\n`);
      }
      const n = rows[0]?.length ?? 0;
      const widths = Array.from({ length: n }, (_, c) => Math.max(...rows.map((r) => r[c]!.length)));
      const rightCols = new Set(flags.has("i") ? [0, 2, 5] : [1, 4]);
      for (const r of rows) ctx.out(r.map((v, c) => (c === n - 1 ? v : rightCols.has(c) ? v.padStart(widths[c]!) : v.padEnd(widths[c]!))).join(" ") + "\n");
    };
    if (files.length) render(files, false);
    groups.forEach((g, i) => {
      if (paths.length > 1) ctx.out(`${files.length || i ? "\n" : ""}${g.title}:\n`);
      render(g.items, g.total);
    });
    return status;
  },
};

/** ls quotes names with spaces or special characters the way GNU ls does on a terminal. */
function quoteName(s: string): string {
  return /[\s:[\]'"$]/.test(s) && !/^[\w./-]+$/.test(s) ? `'${s}'` : s;
}

export const readlink: Command = {
  name: "readlink",
  path: "/usr/bin/readlink",
  summary: "print where a symbolic link points (e.g. /proc/self/ns/uts)",
  usage: "Usage: readlink [OPTION]... FILE...\nPrint value of a symbolic link or canonical file name\n\n  -f, --canonicalize            canonicalize by following every symlink\n  -n, --no-newline              do not output the trailing delimiter\n",
  run(ctx) {
    const args = ctx.argv.slice(1);
    const canon = args.includes("-f") || args.includes("-e") || args.includes("-m");
    const noNl = args.includes("-n");
    const files = args.filter((a) => !a.startsWith("-"));
    const bad = args.find((a) => a.startsWith("-") && !["-f", "-e", "-m", "-n"].includes(a));
    if (bad) return usageError(ctx, "readlink", bad.startsWith("--") ? `unrecognized option '${bad}'` : `invalid option -- '${bad.slice(1, 2)}'`);
    if (files.length === 0) return usageError(ctx, "readlink", "missing operand");
    let status = 0;
    for (const f of files) {
      try {
        if (canon) {
          ctx.out(ctx.kernel.resolve(ctx.proc, ctx.abs(f)).path + (noNl ? "" : "\n"));
          continue;
        }
        const { node } = ctx.kernel.resolve(ctx.proc, ctx.abs(f), false);
        if (node.type !== "symlink" || !node.readlink) {
          status = 1;
          continue;
        }
        ctx.out(node.readlink({ proc: ctx.proc }) + (noNl ? "" : "\n"));
      } catch {
        status = 1;
      }
    }
    return status;
  },
};

function mkParents(ctx: CommandContext, abs: string, parents: boolean): void {
  const parts = abs.split("/").filter(Boolean);
  let cur = "";
  for (let i = 0; i < parts.length; i++) {
    const next = `${cur}/${parts[i]}`;
    let exists: VNode | undefined;
    try {
      exists = ctx.kernel.resolve(ctx.proc, next).node;
    } catch {
      exists = undefined;
    }
    const last = i === parts.length - 1;
    if (exists) {
      if (last && !parents) throw new KernelError("EEXIST", "File exists");
      if (exists.type !== "dir") throw new KernelError("ENOTDIR", "Not a directory");
    } else {
      if (!last && !parents) throw new KernelError("ENOENT", "No such file or directory");
      const dir = ctx.kernel.resolve(ctx.proc, cur || "/").node;
      if (!dir.create) throw new KernelError("EACCES", "Permission denied");
      dir.create(parts[i]!, "dir", { proc: ctx.proc });
    }
    cur = next;
  }
}

export const mkdir: Command = {
  name: "mkdir",
  path: "/usr/bin/mkdir",
  summary: "make directories (-p)",
  usage: "Usage: mkdir [OPTION]... DIRECTORY...\nCreate the DIRECTORY(ies), if they do not already exist.\n\n  -p, --parents     no error if existing, make parent directories as needed\n",
  run(ctx) {
    const args = ctx.argv.slice(1);
    const parents = args.includes("-p") || args.includes("--parents");
    const dirs = args.filter((a) => !a.startsWith("-"));
    const bad = args.find((a) => a.startsWith("-") && a !== "-p" && a !== "--parents");
    if (bad) return usageError(ctx, "mkdir", bad.startsWith("--") ? `unrecognized option '${bad}'` : `invalid option -- '${bad.slice(1, 2)}'`);
    if (!dirs.length) return usageError(ctx, "mkdir", "missing operand");
    return eachOperand(ctx, dirs, (d) => mkParents(ctx, ctx.abs(d), parents), (d, e) => `mkdir: cannot create directory '${d}': ${errText(e)}\n`);
  },
};

export const touch: Command = {
  name: "touch",
  path: "/usr/bin/touch",
  summary: "create empty files or update their times",
  usage: "Usage: touch [OPTION]... FILE...\nUpdate the access and modification times of each FILE to the current time.\n\nA FILE argument that does not exist is created empty.\n",
  run(ctx) {
    const files = ctx.argv.slice(1).filter((a) => !a.startsWith("-"));
    if (!files.length) return usageError(ctx, "touch", "missing file operand");
    return eachOperand(
      ctx,
      files,
      (f) => {
        const abs = ctx.abs(f);
        try {
          const { node } = ctx.kernel.resolve(ctx.proc, abs);
          node.mtime = ctx.kernel.clock.now();
        } catch {
          // A missing file is created empty, in the directory that would hold it.
          const dir = ctx.kernel.resolve(ctx.proc, abs.slice(0, abs.lastIndexOf("/")) || "/").node;
          if (!dir.create) throw new KernelError("EACCES", "Permission denied");
          dir.create(abs.slice(abs.lastIndexOf("/") + 1), "file", { proc: ctx.proc });
        }
      },
      (f, e) => `touch: cannot touch '${f}': ${(e as KernelError).text ?? "No such file or directory"}\n`,
    );
  },
};

export const rm: Command = {
  name: "rm",
  path: "/usr/bin/rm",
  summary: "remove files or directories (-r -f)",
  usage: "Usage: rm [OPTION]... [FILE]...\nRemove (unlink) the FILE(s).\n\n  -f, --force           ignore nonexistent files and arguments, never prompt\n  -r, -R, --recursive   remove directories and their contents recursively\n",
  run(ctx) {
    const args = ctx.argv.slice(1);
    const flags = args.filter((a) => a.startsWith("-")).join("");
    const force = flags.includes("f");
    const recursive = /r|R|recursive/.test(flags);
    const files = args.filter((a) => !a.startsWith("-"));
    if (!files.length && !force) return usageError(ctx, "rm", "missing operand");
    return eachOperand(
      ctx,
      files,
      (f) => {
        const abs = ctx.abs(f);
        const { node } = ctx.kernel.resolve(ctx.proc, abs, false);
        if (node.type === "dir" && !recursive) {
          ctx.err(`rm: cannot remove '${f}': Is a directory\n`);
          return 1;
        }
        const dir = ctx.kernel.resolve(ctx.proc, abs.slice(0, abs.lastIndexOf("/")) || "/").node;
        if (!dir.remove) throw new KernelError("EACCES", "Permission denied");
        dir.remove(abs.slice(abs.lastIndexOf("/") + 1), { proc: ctx.proc });
      },
      // rm -f says nothing about a file that is not there.
      (f, e) => (force && (e as KernelError).code === "ENOENT" ? null : `rm: cannot remove '${f}': ${errText(e)}\n`),
    );
  },
};

export const stat: Command = {
  name: "stat",
  path: "/usr/bin/stat",
  summary: "display file status (-L follows links, -c FORMAT)",
  usage: "Usage: stat [OPTION]... FILE...\nDisplay file or file system status.\n\n  -L, --dereference     follow links\n  -c  --format=FORMAT   use the specified FORMAT instead of the default\n",
  run(ctx) {
    const args = ctx.argv.slice(1);
    let follow = false;
    let format: string | undefined;
    const files: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a === "-L" || a === "--dereference") follow = true;
      else if (a === "-c") format = args[++i];
      else if (a.startsWith("--format=")) format = a.slice(9);
      else if (a.startsWith("-")) return usageError(ctx, "stat", `invalid option -- '${a.slice(1, 2)}'`);
      else files.push(a);
    }
    if (!files.length) return usageError(ctx, "stat", "missing operand");
    let status = 0;
    for (const f of files) {
      let node: VNode;
      try {
        node = ctx.kernel.resolve(ctx.proc, ctx.abs(f), follow).node;
      } catch (e) {
        ctx.err(`stat: cannot statx '${f}': ${(e as KernelError).text ?? "error"}\n`);
        status = 1;
        continue;
      }
      const type = node.type === "dir" ? "directory" : node.type === "symlink" ? "symbolic link" : node.type === "chr" ? "character special file" : node.size() ? "regular file" : "regular empty file";
      if (format !== undefined) {
        ctx.out(
          format.replace(/%([insFaAUGhtT])/g, (_m, c: string) =>
            c === "i" ? String(node.ino) : c === "n" ? f : c === "s" ? String(node.size()) : c === "F" ? type : c === "a" ? (node.mode & 0o7777).toString(8) : c === "A" ? modeString(node) : c === "U" ? userName(node.uid) : c === "G" ? userName(node.gid) : c === "h" ? String(node.nlink ?? 1) : c === "t" ? (node.rdev?.[0] ?? 0).toString(16) : c === "T" ? (node.rdev?.[1] ?? 0).toString(16) : "",
          ) + "\n",
        );
        continue;
      }
      const target = node.type === "symlink" ? ` -> ${node.readlink?.({ proc: ctx.proc })}` : "";
      ctx.out(
        `  File: ${f}${target}\n  Size: ${String(node.size()).padEnd(15)} Blocks: ${String(Math.ceil(node.size() / 512)).padEnd(10)} IO Block: 4096   ${type}\n` +
          `Device: ${node.rdev ? "0,0" : "fe01h/65025d"}\tInode: ${String(node.ino).padEnd(11)} Links: ${node.nlink ?? 1}\n` +
          `Access: (0${(node.mode & 0o7777).toString(8).padStart(3, "0")}/${modeString(node)})  Uid: (${String(node.uid).padStart(5)}/${userName(node.uid).padStart(8)})   Gid: (${String(node.gid).padStart(5)}/${userName(node.gid).padStart(8)})\n`,
      );
    }
    return status;
  },
};
