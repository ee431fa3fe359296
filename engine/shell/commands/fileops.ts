// Copying, moving and inspecting files: cp, mv, chmod, getfattr, setfattr, find, tree, du, df.
import type { Command, CommandContext } from "../command";
import { usageError } from "../command";
import { KernelError } from "../../linux/process";
import type { VNode } from "../../linux/vfs";
import { modeString } from "./fs";
import { eachOperand, errText } from "./operands";

type Ctx = CommandContext;

function lookup(ctx: Ctx, path: string, follow = true): VNode {
  return ctx.kernel.resolve(ctx.proc, ctx.abs(path), follow).node;
}

function parentAndName(ctx: Ctx, path: string): { dir: VNode; name: string } {
  const abs = ctx.abs(path);
  const i = abs.lastIndexOf("/");
  return { dir: lookup(ctx, abs.slice(0, i) || "/"), name: abs.slice(i + 1) };
}

/** Copy a node to path (recursively for directories), as cp -a would. */
function copyTree(ctx: Ctx, src: VNode, dest: string): void {
  const { dir, name } = parentAndName(ctx, dest);
  if (!dir.create) throw new KernelError("EACCES", "Permission denied");
  const existing = dir.lookup?.(name, { proc: ctx.proc });
  if (src.type === "symlink") {
    // cp -r copies symbolic links as links (-P is the default when recursing).
    if (existing) dir.remove?.(name, { proc: ctx.proc });
    if (!dir.symlink) throw new KernelError("EPERM", "Operation not permitted");
    dir.symlink(name, src.readlink?.({ proc: ctx.proc }) ?? "", { proc: ctx.proc });
    return;
  }
  const made = existing && existing.type === src.type ? existing : dir.create(name, src.type === "dir" ? "dir" : "file", { proc: ctx.proc });
  if (src.program) made.program = src.program;
  made.mode = src.mode;
  if (src.type === "file") made.write?.(src.read?.({ proc: ctx.proc }) ?? "", false, { proc: ctx.proc });
  if (src.type === "dir") for (const child of src.list?.({ proc: ctx.proc }) ?? []) copyTree(ctx, src.lookup!(child, { proc: ctx.proc })!, `${dest}/${child}`);
}

function removeTree(ctx: Ctx, path: string): void {
  const node = lookup(ctx, path, false);
  if (node.type === "dir") for (const child of node.list?.({ proc: ctx.proc }) ?? []) removeTree(ctx, `${ctx.abs(path)}/${child}`);
  const { dir, name } = parentAndName(ctx, path);
  dir.remove!(name, { proc: ctx.proc });
}

export const cp: Command = {
  name: "cp",
  path: "/usr/bin/cp",
  summary: "copy files and directories (-r)",
  usage: "Usage: cp [OPTION]... SOURCE DEST\n  or:  cp [OPTION]... SOURCE... DIRECTORY\nCopy SOURCE to DEST, or multiple SOURCE(s) to DIRECTORY.\n\n  -a, --archive                same as -dR --preserve=all\n  -r, -R, --recursive          copy directories recursively\n",
  run(ctx) {
    const args = ctx.argv.slice(1);
    const recursive = args.some((a) => /^-[a-zA-Z]*[raR]/.test(a) || a === "--recursive" || a === "--archive");
    const files = args.filter((a) => !a.startsWith("-"));
    if (files.length < 2) return usageError(ctx, "cp", files.length ? `missing destination file operand after '${files[0]}'` : "missing file operand");
    const dest = files.pop()!;
    let destIsDir = false;
    try {
      destIsDir = lookup(ctx, dest).type === "dir";
    } catch {
      destIsDir = false;
    }
    return eachOperand(
      ctx,
      files,
      (f) => {
        const src = lookup(ctx, f, !recursive);
        if (src.type === "dir" && !recursive) {
          ctx.err(`cp: -r not specified; omitting directory '${f}'\n`);
          return 1;
        }
        copyTree(ctx, src, destIsDir ? `${ctx.abs(dest)}/${f.split("/").filter(Boolean).pop()}` : dest);
      },
      (f, e) => `cp: cannot stat '${f}': ${errText(e)}\n`,
    );
  },
};

export const ln: Command = {
  name: "ln",
  path: "/usr/bin/ln",
  summary: "make links between files (-s for symbolic links)",
  usage: "Usage: ln [OPTION]... [-T] TARGET LINK_NAME\nCreate a link to TARGET with the name LINK_NAME.\n\n  -s, --symbolic              make symbolic links instead of hard links\n  -f, --force                 remove existing destination files\n",
  run(ctx) {
    const args = ctx.argv.slice(1);
    const flags = args.filter((a) => a.startsWith("-")).join("");
    const [target, link] = args.filter((a) => !a.startsWith("-"));
    if (!target || !link) return usageError(ctx, "ln", target ? `missing destination file operand after '${target}'` : "missing file operand");
    if (!flags.includes("s")) {
      ctx.err("ln: hard links are not supported in this simulation; use ln -s\n");
      return 1;
    }
    try {
      const { dir, name } = parentAndName(ctx, link);
      if (dir.lookup?.(name, { proc: ctx.proc })) {
        if (!flags.includes("f")) throw new KernelError("EEXIST", "File exists");
        dir.remove?.(name, { proc: ctx.proc });
      }
      if (!dir.symlink) throw new KernelError("EPERM", "Operation not permitted");
      dir.symlink(name, target, { proc: ctx.proc });
      return 0;
    } catch (e) {
      ctx.err(`ln: failed to create symbolic link '${link}': ${errText(e)}\n`);
      return 1;
    }
  },
};

export const mv: Command = {
  name: "mv",
  path: "/usr/bin/mv",
  summary: "move (rename) files; falls back to copy+delete across filesystems (EXDEV)",
  usage: "Usage: mv [OPTION]... SOURCE DEST\n  or:  mv [OPTION]... SOURCE... DIRECTORY\nRename SOURCE to DEST, or move SOURCE(s) to DIRECTORY.\n",
  run(ctx) {
    const files = ctx.argv.slice(1).filter((a) => !a.startsWith("-"));
    if (files.length < 2) return usageError(ctx, "mv", files.length ? `missing destination file operand after '${files[0]}'` : "missing file operand");
    const dest = files.pop()!;
    return eachOperand(
      ctx,
      files,
      (f) => {
        const src = lookup(ctx, f, false) as VNode & { renameCheck?: () => void };
        let target = dest;
        try {
          if (lookup(ctx, dest).type === "dir") target = `${ctx.abs(dest)}/${f.split("/").filter(Boolean).pop()}`;
        } catch {
          /* dest does not exist: rename to it */
        }
        // rename(2) first; overlayfs refuses lower directories with EXDEV and mv copies instead,
        // exactly as coreutils does. Either way the result is copy + unlink of the source.
        try {
          src.renameCheck?.();
        } catch (e) {
          if ((e as KernelError).code !== "EXDEV") throw e;
        }
        copyTree(ctx, src, target);
        removeTree(ctx, f);
      },
      (f, e) => `mv: cannot move '${f}' to '${dest}': ${errText(e)}\n`,
    );
  },
};

export const chmod: Command = {
  name: "chmod",
  path: "/usr/bin/chmod",
  summary: "change file mode bits (octal or u+x style)",
  usage: "Usage: chmod [OPTION]... MODE[,MODE]... FILE...\n  or:  chmod [OPTION]... OCTAL-MODE FILE...\nChange the mode of each FILE to MODE.\n",
  run(ctx) {
    const [mode, ...files] = ctx.argv.slice(1).filter((a) => a !== "-R");
    if (!mode || !files.length) return usageError(ctx, "chmod", mode ? `missing operand after '${mode}'` : "missing operand");
    let status = 0;
    for (const f of files) {
      try {
        const n = lookup(ctx, f);
        const next = applyMode(n.mode, mode);
        if (next === null) {
          ctx.err(`chmod: invalid mode: '${mode}'\nTry 'chmod --help' for more information.\n`);
          return 1;
        }
        n.mode = next;
      } catch (e) {
        ctx.err(`chmod: cannot access '${f}': ${errText(e)}\n`);
        status = 1;
      }
    }
    return status;
  },
};

/** Octal (640) or symbolic (u+x, go-w, a=r) mode changes. */
export function applyMode(cur: number, spec: string): number | null {
  if (/^[0-7]{1,4}$/.test(spec)) return parseInt(spec, 8);
  let m = cur;
  for (const part of spec.split(",")) {
    const r = /^([ugoa]*)([+\-=])([rwxXst]*)$/.exec(part);
    if (!r) return null;
    const who = r[1] || "a";
    let bits = 0;
    for (const p of r[3]!) bits |= p === "r" ? 0o444 : p === "w" ? 0o222 : p === "x" || p === "X" ? 0o111 : 0;
    let mask = 0;
    if (who.includes("u") || who.includes("a")) mask |= 0o700;
    if (who.includes("g") || who.includes("a")) mask |= 0o070;
    if (who.includes("o") || who.includes("a")) mask |= 0o007;
    bits &= mask;
    if (r[2] === "+") m |= bits;
    else if (r[2] === "-") m &= ~bits;
    else m = (m & ~mask) | bits;
  }
  return m;
}

export const getfattr: Command = {
  name: "getfattr",
  path: "/usr/bin/getfattr",
  summary: "get extended attributes (-d -m - -n NAME --only-values)",
  usage: "getfattr 2.5.1 -- get extended attributes\nUsage: getfattr [-hRLP] [-n name|-d] [-e en] [-m pattern] path...\n",
  run(ctx) {
    const args = ctx.argv.slice(1);
    let name: string | undefined;
    let onlyValues = false;
    let hex = false;
    const files: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a === "-n") name = args[++i];
      else if (a === "-m" || a === "-e") {
        if (a === "-e") hex = args[i + 1] === "hex";
        i++;
      } else if (a === "--only-values") onlyValues = true;
      else if (a === "-d" || a === "--dump") continue;
      else if (a.startsWith("-")) return usageError(ctx, "getfattr", `invalid option -- '${a.slice(1, 2)}'`);
      else files.push(a);
    }
    let status = 0;
    for (const f of files) {
      let n: VNode;
      try {
        n = lookup(ctx, f, false);
      } catch (e) {
        ctx.err(`getfattr: ${f}: ${errText(e)}\n`);
        status = 1;
        continue;
      }
      const attrs = [...(n.xattrs ?? new Map<string, string>())].filter(([k]) => !name || k === name);
      if (name && !attrs.length) {
        ctx.err(`${f}: ${name}: No such attribute\n`);
        status = 1;
        continue;
      }
      if (onlyValues) {
        ctx.out(attrs.map(([, v]) => v).join(""));
        continue;
      }
      if (!attrs.length) continue;
      ctx.out(`# file: ${f.replace(/^\//, "")}\n` + attrs.map(([k, v]) => `${k}=${hex || v.startsWith("0x") ? v : `"${v}"`}\n`).join("") + "\n");
    }
    return status;
  },
};

export const setfattr: Command = {
  name: "setfattr",
  path: "/usr/bin/setfattr",
  summary: "set extended attributes (-n NAME -v VALUE)",
  usage: "setfattr 2.5.1 -- set extended attributes\nUsage: setfattr {-n name} [-v value] [-h] file...\n",
  run(ctx) {
    const args = ctx.argv.slice(1);
    const name = args[args.indexOf("-n") + 1];
    const value = args.includes("-v") ? args[args.indexOf("-v") + 1]! : "";
    const files = args.filter((a, i) => !a.startsWith("-") && args[i - 1] !== "-n" && args[i - 1] !== "-v");
    if (!name || !files.length) return usageError(ctx, "setfattr", "missing operand");
    for (const f of files) {
      try {
        const n = lookup(ctx, f) as VNode & { xattrs?: Map<string, string> };
        (n.xattrs ??= new Map()).set(name, value.replace(/^"|"$/g, ""));
      } catch (e) {
        ctx.err(`setfattr: ${f}: ${errText(e)}\n`);
        return 1;
      }
    }
    return 0;
  },
};

function walk(ctx: Ctx, node: VNode, path: string, visit: (n: VNode, p: string, depth: number) => void, depth = 0): void {
  visit(node, path, depth);
  if (node.type !== "dir") return;
  for (const name of node.list?.({ proc: ctx.proc }) ?? []) {
    const child = node.lookup?.(name, { proc: ctx.proc });
    if (child) walk(ctx, child, path === "/" ? `/${name}` : `${path}/${name}`, visit, depth + 1);
  }
}

export const find: Command = {
  name: "find",
  path: "/usr/bin/find",
  summary: "search for files (-name PATTERN, -type f|d|c|l)",
  usage: "Usage: find [path...] [expression]\n\n  -name PATTERN   base of file name matches shell PATTERN\n  -type [fdcl]    file is of type\n  -maxdepth N\n",
  run(ctx) {
    const args = ctx.argv.slice(1);
    const paths: string[] = [];
    let i = 0;
    while (i < args.length && !args[i]!.startsWith("-")) paths.push(args[i++]!);
    if (!paths.length) paths.push(".");
    let name: RegExp | null = null;
    let type: string | null = null;
    let maxdepth = Infinity;
    for (; i < args.length; i++) {
      const a = args[i]!;
      if (a === "-name") name = new RegExp("^" + (args[++i] ?? "").replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".") + "$");
      else if (a === "-type") type = args[++i] ?? null;
      else if (a === "-maxdepth") maxdepth = Number(args[++i]);
      else if (a === "-print") continue;
      else {
        ctx.err(`find: unknown predicate \`${a}'\n`);
        return 1;
      }
    }
    const code: Record<string, string> = { dir: "d", file: "f", chr: "c", symlink: "l" };
    let status = 0;
    for (const p of paths) {
      let node: VNode;
      try {
        node = lookup(ctx, p, false);
      } catch (e) {
        ctx.err(`find: '${p}': ${errText(e)}\n`);
        status = 1;
        continue;
      }
      walk(ctx, node, p, (n, path, depth) => {
        if (depth > maxdepth) return;
        if (type && code[n.type] !== type) return;
        if (name && !name.test(path.split("/").pop() ?? "")) return;
        ctx.out(path + "\n");
      });
    }
    return status;
  },
};

export const tree: Command = {
  name: "tree",
  path: "/usr/bin/tree",
  summary: "list a directory as a tree",
  usage: "usage: tree [-a] [-L level] [<directory list>]\n",
  run(ctx) {
    const args = ctx.argv.slice(1);
    const all = args.includes("-a");
    const level = args.includes("-L") ? Number(args[args.indexOf("-L") + 1]) : Infinity;
    const paths = args.filter((a, i) => !a.startsWith("-") && args[i - 1] !== "-L");
    if (!paths.length) paths.push(".");
    let dirs = 0;
    let files = 0;
    for (const p of paths) {
      let root: VNode;
      try {
        root = lookup(ctx, p);
      } catch {
        ctx.out(`${p}  [error opening dir]\n`);
        continue;
      }
      ctx.out(`${p}\n`);
      const rec = (n: VNode, prefix: string, depth: number) => {
        if (depth >= level) return;
        const names = (n.list?.({ proc: ctx.proc }) ?? []).filter((x) => all || !x.startsWith("."));
        names.forEach((name, i) => {
          const child = n.lookup?.(name, { proc: ctx.proc });
          if (!child) return;
          const last = i === names.length - 1;
          const extra = child.type === "symlink" ? ` -> ${child.readlink?.({ proc: ctx.proc })}` : "";
          ctx.out(`${prefix}${last ? "└── " : "├── "}${name}${extra}\n`);
          if (child.type === "dir") {
            dirs++;
            rec(child, prefix + (last ? "    " : "│   "), depth + 1);
          } else files++;
        });
      };
      rec(root, "", 0);
    }
    ctx.out(`\n${dirs} director${dirs === 1 ? "y" : "ies"}, ${files} file${files === 1 ? "" : "s"}\n`);
    return 0;
  },
};

/** Disk usage counts each inode once, so layers shared between images cost nothing extra. */
export const du: Command = {
  name: "du",
  path: "/usr/bin/du",
  summary: "estimate file space usage (-s -h); shared inodes count once",
  usage: "Usage: du [OPTION]... [FILE]...\nSummarize device usage of the set of FILEs, recursively for directories.\n\n  -s, --summarize       display only a total for each argument\n  -h, --human-readable  print sizes in human readable format (e.g., 1K 234M 2G)\n",
  run(ctx) {
    const args = ctx.argv.slice(1);
    const summarize = args.some((a) => /^-[a-z]*s/.test(a));
    const human = args.some((a) => /^-[a-z]*h/.test(a));
    const paths = args.filter((a) => !a.startsWith("-"));
    if (!paths.length) paths.push(".");
    const seen = new Set<number>();
    const fmt = (kb: number) => (human ? humanSize(kb * 1024) : String(kb));
    for (const p of paths) {
      let node: VNode;
      try {
        node = lookup(ctx, p);
      } catch (e) {
        ctx.err(`du: cannot access '${p}': ${errText(e)}\n`);
        continue;
      }
      const sizeOf = (n: VNode, path: string): number => {
        if (seen.has(n.ino)) return 0;
        seen.add(n.ino);
        let kb = n.type === "dir" ? 4 : Math.ceil(n.size() / 4096) * 4;
        if (n.type === "dir") {
          for (const name of n.list?.({ proc: ctx.proc }) ?? []) {
            const c = n.lookup?.(name, { proc: ctx.proc });
            if (c) kb += sizeOf(c, `${path}/${name}`);
          }
          if (!summarize) ctx.out(`${fmt(kb)}\t${path}\n`);
        }
        return kb;
      };
      const total = sizeOf(node, p);
      if (summarize || node.type !== "dir") ctx.out(`${fmt(total)}\t${p}\n`);
    }
    return 0;
  },
};

export function humanSize(bytes: number): string {
  const units = ["", "K", "M", "G", "T"];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? String(v) : `${v < 10 ? Math.ceil(v * 10) / 10 : Math.ceil(v)}${units[i]}`;
}

export const df: Command = {
  name: "df",
  path: "/usr/bin/df",
  summary: "report file system space usage (-h)",
  usage: "Usage: df [OPTION]... [FILE]...\nShow information about the file system on which each FILE resides,\nor all file systems by default.\n\n  -h, --human-readable  print sizes in powers of 1024 (e.g., 1023M)\n",
  run(ctx) {
    const human = ctx.argv.includes("-h");
    const rows = ctx.proc.ns.mnt.mounts!.mounts.filter((m) => !["proc", "sysfs", "cgroup2", "nsfs"].includes(m.fs.type));
    const size = (m: (typeof rows)[number]) => (m.fs.type === "ext4" ? 30_832_548 : m.fs.type === "overlay" ? 30_832_548 : 2_462_572);
    const used = (m: (typeof rows)[number]) => (m.fs.type === "ext4" || m.fs.type === "overlay" ? 4_213_772 : 1_024);
    const f = (kb: number) => (human ? humanSize(kb * 1024) : String(kb));
    const lines = [[human ? "Filesystem" : "Filesystem", human ? "Size" : "1K-blocks", "Used", human ? "Avail" : "Available", "Use%", "Mounted on"]];
    for (const m of rows) lines.push([m.fs.source, f(size(m)), f(used(m)), f(size(m) - used(m)), `${Math.ceil((used(m) / size(m)) * 100)}%`, m.mountpoint]);
    const w = lines[0]!.map((_, c) => Math.max(...lines.map((l) => l[c]!.length)));
    ctx.out(lines.map((l) => l.map((v, c) => (c === 0 || c === 5 ? v.padEnd(w[c]!) : v.padStart(w[c]!))).join(" ").trimEnd() + "\n").join(""));
    return 0;
  },
};

export { modeString };
