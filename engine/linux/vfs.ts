// The virtual file system: inodes, and filesystems that hand them out. Regular filesystems
// (the root disk, tmpfs) keep real inode trees; procfs builds its nodes on demand from the
// kernel's live state, which is why /proc always tells the truth.
import { KernelError } from "./process";
import type { Process } from "./process";

export type NodeType = "dir" | "file" | "symlink" | "chr";

/** Who is looking: /proc/self, permission checks and pid-namespace views depend on it. */
export interface LookupContext {
  proc: Process;
}

export interface VNode {
  readonly type: NodeType;
  readonly ino: number;
  mode: number;
  uid: number;
  gid: number;
  /** Virtual ms of the last change. */
  mtime: number;
  size(): number;
  /** Directory: names of entries (without . and ..). */
  list?(ctx: LookupContext): string[];
  lookup?(name: string, ctx: LookupContext): VNode | undefined;
  create?(name: string, type: "dir" | "file", ctx: LookupContext): VNode;
  remove?(name: string, ctx: LookupContext): void;
  /** symlink(2): make NAME in this directory point at target. */
  symlink?(name: string, target: string, ctx: LookupContext): VNode;
  /** Symlink target. */
  readlink?(ctx: LookupContext): string;
  read?(ctx: LookupContext): string;
  write?(data: string, append: boolean, ctx: LookupContext): void;
  /** Executable program registered with the kernel (what execve would run). */
  program?: string;
  /** Namespace file (/proc/PID/ns/KIND, /run/netns/NAME): the namespace it pins. */
  nsRef?: unknown;
  /** "Magic" links such as /proc/PID/ns/net: following them yields a node, not a path. */
  follow?(ctx: LookupContext): VNode;
  /** Character devices: major, minor (whiteouts are 0, 0). */
  rdev?: [number, number];
  xattrs?: Map<string, string>;
  nlink?: number;
}

let nextIno = 100_000;
/** Inode numbers for tree-backed files; deterministic because creation order is. */
export function allocIno(): number {
  return nextIno++;
}
/**
 * A machine boots with fresh inode and anonymous-device numbering, so a lab built again (Reset
 * lab, or a second test in the same worker) numbers its files and mounts exactly as the first did.
 */
export function resetInoCounter(): void {
  nextIno = 100_000;
  nextAnonDev = FIRST_ANON_DEV;
}

/** A node of a tree-backed filesystem (the root disk, tmpfs). */
export class TreeNode implements VNode {
  readonly ino: number;
  mode: number;
  uid = 0;
  gid = 0;
  mtime: number;
  data = "";
  target = "";
  readonly children = new Map<string, TreeNode>();
  program?: string;
  nsRef?: unknown;
  rdev?: [number, number];
  xattrs?: Map<string, string>;

  constructor(
    public type: NodeType,
    mode: number,
    private readonly now: () => number,
    ino?: number,
  ) {
    this.ino = ino ?? allocIno();
    this.mode = mode;
    this.mtime = now();
  }

  /** Size a binary really has on disk (its content here is only a stub). */
  apparentSize?: number;

  size(): number {
    if (this.type === "file") return this.apparentSize ?? new TextEncoder().encode(this.data).length;
    if (this.type === "symlink") return this.target.length;
    if (this.type === "dir") return 4096;
    return 0;
  }

  /** Extra hard links (whiteouts share one inode with the workdir). */
  linkCount = 1;

  get nlink(): number {
    if (this.type !== "dir") return this.linkCount;
    let n = 2;
    for (const c of this.children.values()) if (c.type === "dir") n++;
    return n;
  }

  list(): string[] {
    return [...this.children.keys()].sort();
  }

  lookup(name: string): VNode | undefined {
    return this.children.get(name);
  }

  create(name: string, type: "dir" | "file"): VNode {
    const node = new TreeNode(type, type === "dir" ? 0o755 : 0o644, this.now);
    this.children.set(name, node);
    this.mtime = this.now();
    return node;
  }

  remove(name: string): void {
    this.children.delete(name);
    this.mtime = this.now();
  }

  symlink(name: string, target: string): VNode {
    const node = new TreeNode("symlink", 0o777, this.now);
    node.target = target;
    this.children.set(name, node);
    this.mtime = this.now();
    return node;
  }

  readlink(): string {
    return this.target;
  }

  read(): string {
    return this.data;
  }

  write(data: string, append: boolean): void {
    this.data = append ? this.data + data : data;
    this.mtime = this.now();
  }
}

/** A filesystem instance (a superblock): what a mount points at. */
export interface FileSystem {
  readonly type: string;
  /** Device or source name shown by mount/findmnt ("/dev/vda1", "proc", "tmpfs"). */
  readonly source: string;
  readonly root: VNode;
  /** Device number shown in mountinfo ("0:22"). */
  readonly dev: string;
  /** Filesystem-specific mount options appended to the generic ones (overlay's lowerdir=…). */
  readonly extraOptions?: string;
}

const FIRST_ANON_DEV = 22;
let nextAnonDev = FIRST_ANON_DEV;
export function anonDev(): string {
  return `0:${nextAnonDev++}`;
}

/** A tree-backed filesystem (the root disk, tmpfs). */
export class TreeFs implements FileSystem {
  readonly root: TreeNode;
  readonly dev: string;
  constructor(
    readonly type: string,
    readonly source: string,
    readonly now: () => number,
    dev?: string,
  ) {
    this.root = new TreeNode("dir", 0o755, now);
    this.dev = dev ?? anonDev();
  }

  /** Create a path (and parents) for seeding images and boot trees. */
  put(path: string, content: string | null, opts: { mode?: number; program?: string; symlink?: string } = {}): TreeNode {
    const parts = path.split("/").filter(Boolean);
    let dir = this.root;
    for (let i = 0; i < parts.length - 1; i++) {
      const name = parts[i]!;
      let next = dir.children.get(name);
      if (!next) {
        next = new TreeNode("dir", 0o755, this.now);
        dir.children.set(name, next);
      }
      dir = next;
    }
    const name = parts[parts.length - 1]!;
    let node: TreeNode;
    if (opts.symlink !== undefined) {
      node = new TreeNode("symlink", 0o777, this.now);
      node.target = opts.symlink;
    } else if (content === null) {
      node = dir.children.get(name) ?? new TreeNode("dir", opts.mode ?? 0o755, this.now);
    } else {
      node = new TreeNode("file", opts.mode ?? 0o644, this.now);
      node.data = content;
    }
    if (opts.program) node.program = opts.program;
    dir.children.set(name, node);
    return node;
  }
}

/** A read-only synthetic node (procfs, sysfs): content comes from a function. */
export class SynthNode implements VNode {
  mtime = 0;
  uid = 0;
  gid = 0;
  nsRef?: unknown;
  constructor(
    readonly type: NodeType,
    readonly ino: number,
    public mode: number,
    private readonly impl: {
      list?: (ctx: LookupContext) => string[];
      lookup?: (name: string, ctx: LookupContext) => VNode | undefined;
      read?: (ctx: LookupContext) => string;
      write?: (data: string, append: boolean, ctx: LookupContext) => void;
      readlink?: (ctx: LookupContext) => string;
      follow?: (ctx: LookupContext) => VNode;
    },
  ) {
    if (impl.follow) this.follow = impl.follow;
    if (impl.list) this.list = impl.list;
    if (impl.lookup) this.lookup = impl.lookup;
    if (impl.read) this.read = impl.read;
    if (impl.write) this.write = impl.write;
    if (impl.readlink) this.readlink = impl.readlink;
  }
  list?: (ctx: LookupContext) => string[];
  lookup?: (name: string, ctx: LookupContext) => VNode | undefined;
  read?: (ctx: LookupContext) => string;
  write?: (data: string, append: boolean, ctx: LookupContext) => void;
  readlink?: (ctx: LookupContext) => string;
  follow?: (ctx: LookupContext) => VNode;
  size(): number {
    return 0;
  }
}

export function enoent(): KernelError {
  return new KernelError("ENOENT", "No such file or directory");
}

/** Split and normalise an absolute path ("/a/./b/../c" → ["a", "c"]). */
export function pathParts(path: string): string[] {
  const out: string[] = [];
  for (const p of path.split("/")) {
    if (p === "" || p === ".") continue;
    if (p === "..") out.pop();
    else out.push(p);
  }
  return out;
}

export function joinPath(cwd: string, path: string): string {
  const abs = path.startsWith("/") ? path : `${cwd}/${path}`;
  return "/" + pathParts(abs).join("/");
}
