// Named network namespaces, the iproute2 way: `ip netns add NAME` unshares a new network
// namespace and pins it with a bind mount of its nsfs file on /run/netns/NAME, so it lives
// on with no process in it. `ip netns delete` unmounts (and the namespace dies if unused).
import type { Kernel } from "../kernel";
import type { Namespace } from "../namespaces";
import { KernelError } from "../process";
import type { Process } from "../process";
import { SynthNode, TreeNode } from "../vfs";
import type { FileSystem } from "../vfs";

const DIR = "/run/netns";

function nsfs(ns: Namespace): FileSystem {
  const root = new SynthNode("file", ns.inode, 0o444, { read: () => "" });
  root.nsRef = ns;
  return { type: "nsfs", source: "nsfs", root, dev: "0:4" };
}

/** Names in /run/netns, newest first (the order a tmpfs readdir returns). */
export function netnsNames(kernel: Kernel, proc: Process): string[] {
  try {
    const { node } = kernel.resolve(proc, DIR);
    return (node.list?.({ proc }) ?? []).slice().reverse();
  } catch {
    return [];
  }
}

export function netnsByName(kernel: Kernel, proc: Process, name: string): Namespace | null {
  if (name.includes("/")) return null;
  try {
    const ns = kernel.nsFromPath(proc, `${DIR}/${name}`);
    return ns.kind === "net" ? ns : null;
  } catch {
    return null;
  }
}

/** The name under /run/netns that pins `ns`, as `ip link` prints in link-netns. */
export function netnsName(proc: Process, ns: Namespace): string | null {
  for (const m of proc.ns.mnt.mounts!.mounts) {
    if (m.fs.type === "nsfs" && m.rootNode.nsRef === ns && m.mountpoint.startsWith(DIR + "/")) return m.mountpoint.slice(DIR.length + 1);
  }
  return null;
}

export function addNetns(kernel: Kernel, proc: Process, name: string): Namespace {
  const { node: dir } = kernel.resolve(proc, DIR);
  if (dir.lookup?.(name, { proc })) throw new KernelError("EEXIST", "File exists");
  dir.create!(name, "file", { proc });
  const ns = kernel.createNamespace("net", proc, proc.ns.net);
  ns.refs++;
  const table = proc.ns.mnt.mounts!;
  const parent = table.containing(DIR);
  const fs = nsfs(ns);
  table.add({ id: kernel.newMountId(), parentId: parent?.id ?? 1, mountpoint: `${DIR}/${name}`, fs, rootNode: fs.root, rootPath: `net:[${ns.inode}]`, options: "rw", superOptions: "rw", propagation: "shared", peerGroup: 1 });
  kernel.emit({ type: "mount", mntns: proc.ns.mnt.inode, target: `${DIR}/${name}`, fstype: "nsfs" });
  return ns;
}

export function delNetns(kernel: Kernel, proc: Process, name: string): void {
  const ns = netnsByName(kernel, proc, name);
  const { node: dir } = kernel.resolve(proc, DIR);
  if (!dir.lookup?.(name, { proc })) throw new KernelError("ENOENT", "No such file or directory");
  const path = `${DIR}/${name}`;
  const table = proc.ns.mnt.mounts!;
  if (table.at(path)) {
    table.remove(path);
    kernel.emit({ type: "umount", mntns: proc.ns.mnt.inode, target: path });
  }
  if (dir instanceof TreeNode) dir.children.delete(name);
  else dir.remove?.(name, { proc });
  if (ns) kernel.release(ns);
}
