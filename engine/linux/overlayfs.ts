// overlayfs as the kernel implements it: a merged view of an upper (writable) directory over
// lower (read-only) directories. Lookups go upper first, then lowers left to right; the first
// write copies a lower file up whole; deleting a lower file leaves a whiteout (a 0/0 character
// device) in upper; a directory deleted and made again becomes opaque. Lowers never change.
import { KernelError } from "./process";
import { TreeNode, anonDev } from "./vfs";
import type { FileSystem, LookupContext, NodeType, VNode } from "./vfs";

/** A whiteout: character device 0/0 named like the deleted entry. */
export function isWhiteout(n: VNode | undefined): boolean {
  return !!n && n.type === "chr" && n.rdev?.[0] === 0 && n.rdev?.[1] === 0;
}

/** trusted.overlay.opaque="y" hides every lower directory below this one. */
export function isOpaque(n: VNode): boolean {
  return n.xattrs?.get("trusted.overlay.opaque") === "y";
}

export interface OverlayOptions {
  lowers: VNode[];
  upper: VNode | null;
  work: VNode | null;
  /** The option string shown by findmnt/mountinfo, as given (lowerdir=a:b,upperdir=u,workdir=w). */
  optionText: string;
  now: () => number;
}

export class OverlayFs implements FileSystem {
  readonly type = "overlay";
  readonly source = "overlay";
  readonly dev = anonDev();
  readonly root: VNode;
  readonly readOnly: boolean;
  readonly extraOptions: string;
  /** Stable inode numbers for merged entries (overlay's xino maps them; we just keep them stable). */
  private readonly inos = new Map<string, number>();
  private nextIno = 1;

  constructor(readonly opts: OverlayOptions) {
    this.readOnly = !opts.upper;
    this.extraOptions = opts.optionText;
    if (opts.upper && opts.work && !opts.work.lookup?.("work", ctxless)) opts.work.create?.("work", "dir", ctxless);
    this.root = new OverlayNode(this, [], layersAt(opts, []));
  }

  inoFor(path: string[]): number {
    const key = path.join("/");
    let ino = this.inos.get(key);
    if (ino === undefined) this.inos.set(key, (ino = this.nextIno++ + (path.length === 0 ? 0 : 1000)));
    return ino;
  }
}

const ctxless = {} as LookupContext;

/** One layer's node at a path, with its layer index (0 = upper when there is one). */
interface LayerEntry {
  node: VNode;
  upper: boolean;
  /** -1 for upper, else the lowerdir's position (0 = leftmost). */
  index: number;
}

/** The layer nodes that make up the directory at `path` (stops at whiteouts, non-dirs and opaque dirs). */
function layersAt(o: OverlayOptions, path: string[]): LayerEntry[] {
  const layers: LayerEntry[] = [];
  const roots: LayerEntry[] = [...(o.upper ? [{ node: o.upper, upper: true, index: -1 }] : []), ...o.lowers.map((node, index) => ({ node, upper: false, index }))];
  for (const root of roots) {
    let n: VNode | undefined = root.node;
    for (const name of path) {
      n = n?.type === "dir" ? n.lookup?.(name, ctxless) : undefined;
      if (!n) break;
    }
    if (!n) continue;
    if (isWhiteout(n)) break;
    if (n.type !== "dir") {
      if (layers.length === 0) layers.push({ node: n, upper: root.upper, index: root.index });
      break;
    }
    if (layers.length && layers[0]!.node.type !== "dir") break;
    layers.push({ node: n, upper: root.upper, index: root.index });
    if (isOpaque(n)) break;
  }
  return layers;
}

class OverlayNode implements VNode {
  constructor(
    private readonly fs: OverlayFs,
    private readonly path: string[],
    private layers: LayerEntry[],
  ) {}

  private get top(): VNode {
    return this.layers[0]!.node;
  }
  get type(): NodeType {
    return this.top.type;
  }
  get ino(): number {
    return this.fs.inoFor(this.path);
  }
  get mode(): number {
    return this.top.mode;
  }
  set mode(m: number) {
    this.copyUp().mode = m;
  }
  get uid(): number {
    return this.top.uid;
  }
  set uid(v: number) {
    this.copyUp().uid = v;
  }
  get gid(): number {
    return this.top.gid;
  }
  set gid(v: number) {
    this.copyUp().gid = v;
  }
  get mtime(): number {
    return this.top.mtime;
  }
  set mtime(v: number) {
    this.copyUp().mtime = v;
  }
  get program(): string | undefined {
    return this.top.program;
  }
  get rdev(): [number, number] | undefined {
    return this.top.rdev;
  }
  get xattrs(): Map<string, string> | undefined {
    return this.top.xattrs;
  }
  get nlink(): number {
    // The merged root reports 1 link, as overlayfs does for merged directories.
    return this.type === "dir" ? 1 : (this.top.nlink ?? 1);
  }
  /** Which layer serves this entry: -1 = upper, else the lowerdir index (for widgets and lessons). */
  get servedBy(): number {
    return this.layers[0]!.index;
  }
  size(): number {
    return this.top.size();
  }

  list(): string[] {
    const names = new Set<string>();
    const hidden = new Set<string>();
    for (const l of this.layers) {
      for (const n of l.node.list?.(ctxless) ?? []) {
        if (names.has(n) || hidden.has(n)) continue;
        if (isWhiteout(l.node.lookup?.(n, ctxless))) hidden.add(n);
        else names.add(n);
      }
    }
    if (this.path.length === 0 && this.fs.opts.upper) names.delete("work");
    return [...names].sort();
  }

  lookup(name: string): VNode | undefined {
    const path = [...this.path, name];
    const layers = layersAt(this.fs.opts, path);
    return layers.length ? new OverlayNode(this.fs, path, layers) : undefined;
  }

  read(ctx: LookupContext): string {
    return this.top.read?.(ctx) ?? "";
  }

  readlink(ctx: LookupContext): string {
    return this.top.readlink?.(ctx) ?? "";
  }

  write(data: string, append: boolean, ctx: LookupContext): void {
    const up = this.copyUp();
    up.write!(data, append, ctx);
  }

  create(name: string, type: "dir" | "file", ctx: LookupContext): VNode {
    const dir = this.copyUp();
    const existing = dir.lookup?.(name, ctx);
    const overWhiteout = isWhiteout(existing);
    if (existing && !overWhiteout) throw new KernelError("EEXIST", "File exists");
    if (overWhiteout) dir.remove!(name, ctx);
    const node = dir.create!(name, type, ctx);
    // mkdir over a whiteout: the new directory must not show the old lower contents.
    if (overWhiteout && type === "dir") setXattr(node, "trusted.overlay.opaque", "y");
    const path = [...this.path, name];
    return new OverlayNode(this.fs, path, layersAt(this.fs.opts, path));
  }

  symlink(name: string, target: string, ctx: LookupContext): VNode {
    const dir = this.copyUp();
    const existing = dir.lookup?.(name, ctx);
    if (existing && !isWhiteout(existing)) throw new KernelError("EEXIST", "File exists");
    if (existing) dir.remove!(name, ctx);
    dir.symlink!(name, target, ctx);
    const path = [...this.path, name];
    return new OverlayNode(this.fs, path, layersAt(this.fs.opts, path));
  }

  remove(name: string, ctx: LookupContext): void {
    this.ensureWritable();
    const path = [...this.path, name];
    const target = layersAt(this.fs.opts, path);
    if (!target.length) throw new KernelError("ENOENT", "No such file or directory");
    const inLower = target.some((l) => !l.upper) || lowerHas(this.fs.opts, path);
    const dir = this.copyUp();
    if (dir.lookup?.(name, ctx)) dir.remove!(name, ctx);
    if (inLower) {
      const wh = dir.create!(name, "file", ctx) as TreeNode;
      makeWhiteout(wh);
    }
  }

  /** Copy this entry (and its parent directories) into the upper layer; returns the upper node. */
  copyUp(): VNode {
    this.ensureWritable();
    const o = this.fs.opts;
    if (this.layers[0]!.upper) return this.layers[0]!.node;
    let dir = o.upper!;
    for (let i = 0; i < this.path.length; i++) {
      const name = this.path[i]!;
      const last = i === this.path.length - 1;
      let next = dir.lookup?.(name, ctxless);
      if (!next || isWhiteout(next)) {
        const src = layersAt(o, this.path.slice(0, i + 1))[0]!.node;
        if (next) dir.remove!(name, ctxless);
        next = dir.create!(name, src.type === "dir" ? "dir" : "file", ctxless);
        next.mode = src.mode;
        next.uid = src.uid;
        next.gid = src.gid;
        if (src.type === "file") next.write!(src.read?.(ctxless) ?? "", false, ctxless);
        if (last && src.type === "file") setXattr(next, "trusted.overlay.origin", originOf(src));
      }
      if (!last) dir = next;
      else {
        this.layers = [{ node: next, upper: true, index: -1 }, ...this.layers.filter((l) => !l.upper)];
        return next;
      }
    }
    return o.upper!;
  }

  private ensureWritable(): void {
    if (this.fs.readOnly) throw new KernelError("EROFS", "Read-only file system");
  }

  /** rename(2) inside the overlay: a directory that exists in a lower layer cannot be renamed without redirect_dir. */
  renameCheck(): void {
    if (this.type === "dir" && (this.layers.some((l) => !l.upper) || lowerHas(this.fs.opts, this.path))) {
      throw new KernelError("EXDEV", "Invalid cross-device link");
    }
  }
}

function lowerHas(o: OverlayOptions, path: string[]): boolean {
  return o.lowers.some((root) => {
    let n: VNode | undefined = root;
    for (const name of path) n = n?.type === "dir" ? n.lookup?.(name, ctxless) : undefined;
    return !!n && !isWhiteout(n);
  });
}

function setXattr(n: VNode, key: string, value: string): void {
  if (n instanceof TreeNode) (n.xattrs ??= new Map()).set(key, value);
}

function makeWhiteout(n: TreeNode): void {
  // A TreeNode created as a file becomes the 0/0 character device (mode c---------).
  n.type = "chr";
  n.mode = 0;
  n.rdev = [0, 0];
  // The kernel hard-links every whiteout to one shared inode in workdir, hence 2 links.
  n.linkCount = 2;
}

/** The file handle overlay stores in trusted.overlay.origin (encoded lower inode; stable, not real). */
function originOf(src: VNode): string {
  return "0x00fb1d0001" + src.ino.toString(16).padStart(40, "0");
}
