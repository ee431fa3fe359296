// Read-only mounts. "ro" is a property of the mount, not of the files: the same tmpfs can be
// writable at its mountpoint on the node and read-only where a container bind-mounts it. So the
// path walk hands out, for every node reached through a read-only mount, a view of that node whose
// changing operations fail with EROFS, as the VFS's mnt_want_write() check makes them fail.
import { KernelError } from "./process";
import type { VNode } from "./vfs";
import type { Mount } from "./mounts";

const erofs = () => new KernelError("EROFS", "Read-only file system");

/** Operations that change a directory or a file. */
const CHANGES = new Set<PropertyKey>(["create", "remove", "symlink", "write"]);
/** Attributes that chmod, chown and touch change. */
const ATTRIBUTES = new Set<PropertyKey>(["mode", "uid", "gid", "mtime", "xattrs", "nlink"]);

const views = new WeakMap<VNode, VNode>();
const allViews = new WeakSet<VNode>();

/** Whether this node was reached through a read-only mount (open(2) for writing fails at once). */
export function isReadOnlyView(node: VNode): boolean {
  return allViews.has(node);
}

/** The answer for each mount's current options (every path walk asks; a remount changes them). */
const readOnly = new WeakMap<Mount, { options: string; ro: boolean }>();

/** Whether a mount's options make it read-only (the last of "ro"/"rw" wins, as mount(8) reads them). */
export function isReadOnlyMount(m: Mount): boolean {
  const known = readOnly.get(m);
  if (known && known.options === m.options) return known.ro;
  let ro = false;
  for (const o of m.options.split(",")) {
    if (o === "ro") ro = true;
    else if (o === "rw") ro = false;
  }
  readOnly.set(m, { options: m.options, ro });
  return ro;
}

/** The node as seen through a read-only mount (one view per node, so identity checks between views hold). */
export function readOnlyView(node: VNode): VNode {
  const known = views.get(node);
  if (known) return known;
  const view = new Proxy(node, {
    get(target, key) {
      if (CHANGES.has(key)) {
        return typeof (target as unknown as Record<PropertyKey, unknown>)[key] === "function"
          ? () => {
              throw erofs();
            }
          : undefined;
      }
      if (key === "lookup" && target.lookup) {
        return (name: string, ctx: Parameters<NonNullable<VNode["lookup"]>>[1]) => {
          const child = target.lookup!(name, ctx);
          return child && readOnlyView(child);
        };
      }
      const value = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
    set(target, key, value) {
      if (ATTRIBUTES.has(key)) throw erofs();
      return Reflect.set(target, key, value, target);
    },
  });
  views.set(node, view);
  allViews.add(view);
  return view;
}
