// Mount tables: one per mount namespace. A new mount namespace starts as a copy, so mounts
// made inside it (unshare --mount, a container's /proc) stay invisible outside.
import type { FileSystem, VNode } from "./vfs";

export type Propagation = "shared" | "private" | "slave";

export interface Mount {
  id: number;
  parentId: number;
  /** Absolute path where it is mounted. */
  mountpoint: string;
  fs: FileSystem;
  /** The node that appears at the mountpoint (fs.root, or a subtree for bind mounts). */
  rootNode: VNode;
  /** Path inside fs of rootNode ("/" unless a bind mount of a subdirectory). */
  rootPath: string;
  options: string;
  superOptions: string;
  propagation: Propagation;
  peerGroup?: number;
}

export class MountTable {
  mounts: Mount[] = [];

  /** The mount whose mountpoint is exactly `path` (the most recent one wins: it hides the others). */
  at(path: string): Mount | undefined {
    for (let i = this.mounts.length - 1; i >= 0; i--) {
      if (this.mounts[i]!.mountpoint === path) return this.mounts[i];
    }
    return undefined;
  }

  /** The mount that contains `path` (longest mountpoint prefix). */
  containing(path: string): Mount | undefined {
    let best: Mount | undefined;
    for (const m of this.mounts) {
      const mp = m.mountpoint;
      const inside = mp === "/" || path === mp || path.startsWith(mp + "/");
      if (inside && (!best || mp.length >= best.mountpoint.length)) best = m;
    }
    return best;
  }

  add(m: Mount): void {
    this.mounts.push(m);
  }

  /** Remove the top mount at path and everything mounted below it. */
  remove(path: string): Mount | undefined {
    const top = this.at(path);
    if (!top) return undefined;
    this.mounts = this.mounts.filter(
      (m) => m !== top && !(m.mountpoint.startsWith(path === "/" ? "/" : path + "/") && m.id > top.id),
    );
    return top;
  }

  /** A copy for a new mount namespace; each mount gets a new id as in the kernel. */
  clone(nextId: () => number): MountTable {
    const t = new MountTable();
    const idMap = new Map<number, number>();
    for (const m of this.mounts) idMap.set(m.id, nextId());
    t.mounts = this.mounts.map((m) => ({
      ...m,
      id: idMap.get(m.id)!,
      parentId: idMap.get(m.parentId) ?? m.parentId,
    }));
    return t;
  }
}
