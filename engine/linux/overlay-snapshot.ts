// Typed views of the host's overlay mounts for widgets and exercise checks: which layers a
// mount stacks, and for every path of the merged tree which layer serves it. Whiteouts and
// opaque directories of the upper layer are listed too, because they are what a learner's
// `rm` and `rmdir; mkdir` leave behind. Read-only: walking never copies anything up.
import type { OverlayEntrySnapshot, OverlayQuery, OverlaySnapshot } from "../api";
import type { Kernel } from "./kernel";
import { OverlayFs, isOpaque, isWhiteout } from "./overlayfs";
import type { LookupContext, VNode } from "./vfs";

/** Enough for every built-in image many times over; a bigger tree is cut and flagged. */
export const OVERLAY_ENTRY_LIMIT = 2_000;

const ctx = {} as LookupContext;

/**
 * Every overlay mount visible in any live mount namespace, once per filesystem (a mount
 * namespace cloned from another shares its overlays; the first namespace by inode wins).
 */
export function overlaySnapshots(kernel: Kernel, opts: OverlayQuery = {}): OverlaySnapshot[] {
  const seen = new Set<OverlayFs>();
  const out: OverlaySnapshot[] = [];
  const mntNamespaces = [...kernel.namespaces].filter((ns) => ns.alive && ns.kind === "mnt" && ns.mounts).sort((a, b) => a.inode - b.inode);
  for (const ns of mntNamespaces) {
    for (const m of ns.mounts!.mounts) {
      if (!(m.fs instanceof OverlayFs) || seen.has(m.fs)) continue;
      seen.add(m.fs);
      if (opts.mountpoint !== undefined && m.mountpoint !== opts.mountpoint) continue;
      if (opts.mntns !== undefined && ns.inode !== opts.mntns) continue;
      out.push(describe(m.fs, m.mountpoint, ns.inode, m.id, opts.entries ?? true));
    }
  }
  return out;
}

/** The option string as mount(2) got it: lowerdir=a:b,upperdir=u,workdir=w. */
function parseOptions(text: string): { lowerdirs: string[]; upperdir: string | null; workdir: string | null } {
  const kv = new Map<string, string>();
  for (const part of text.split(",")) {
    const i = part.indexOf("=");
    if (i > 0) kv.set(part.slice(0, i), part.slice(i + 1));
  }
  return { lowerdirs: (kv.get("lowerdir") ?? "").split(":").filter(Boolean), upperdir: kv.get("upperdir") ?? null, workdir: kv.get("workdir") ?? null };
}

export function describe(fs: OverlayFs, mountpoint: string, mntns: number, mountId: number, withEntries = true): OverlaySnapshot {
  const { lowerdirs, upperdir, workdir } = parseOptions(fs.opts.optionText);
  const entries: OverlayEntrySnapshot[] = [];
  let truncated = false;
  const roots: { index: number; node: VNode }[] = [...(fs.opts.upper ? [{ index: -1, node: fs.opts.upper }] : []), ...fs.opts.lowers.map((node, index) => ({ index, node }))];

  /** Layers holding a real (non-whiteout) entry at `parts`, upper first. */
  const presentIn = (parts: string[]): number[] =>
    roots
      .filter(({ node }) => {
        let n: VNode | undefined = node;
        for (const name of parts) n = n?.type === "dir" ? n.lookup?.(name, ctx) : undefined;
        return !!n && !isWhiteout(n);
      })
      .map((r) => r.index);

  const walk = (dir: VNode, parts: string[], upperDir: VNode | undefined): void => {
    const names = new Set(dir.list?.(ctx) ?? []);
    // Whiteouts in this directory of the upper layer: entries the merged view no longer has.
    for (const name of upperDir?.list?.(ctx) ?? []) {
      if (isWhiteout(upperDir!.lookup!(name, ctx))) names.add(name);
    }
    for (const name of [...names].sort()) {
      if (entries.length >= OVERLAY_ENTRY_LIMIT) {
        truncated = true;
        return;
      }
      const path = [...parts, name];
      const up = upperDir?.lookup?.(name, ctx);
      if (isWhiteout(up)) {
        entries.push({ path: path.join("/"), type: "chr", servedBy: -1, layers: presentIn(path), whiteout: true });
        continue;
      }
      const node = dir.lookup?.(name, ctx);
      if (!node) continue;
      const e: OverlayEntrySnapshot = { path: path.join("/"), type: node.type, servedBy: (node as { servedBy?: number }).servedBy ?? -1, layers: presentIn(path) };
      if (up && up.type === "dir" && isOpaque(up)) e.opaque = true;
      entries.push(e);
      if (node.type === "dir") walk(node, path, up?.type === "dir" ? up : undefined);
    }
  };
  if (withEntries) walk(fs.root, [], fs.opts.upper ?? undefined);
  return { mountpoint, mntns, mountId, readOnly: fs.readOnly, lowerdirs, upperdir, workdir, entries, truncated };
}
