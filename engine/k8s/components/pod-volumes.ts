// The kubelet's side of configMap and secret volumes, with the node's ordinary system calls:
// each volume is a directory under /var/lib/kubelet/pods/<uid>/volumes/kubernetes.io~<plugin>/,
// holding one file per key. A secret volume's directory is a tmpfs mount first, so secret values
// live in memory and never touch the node's disk. The container gets the directory as a
// read-only bind mount at its volumeMount's path.
import type { Kernel } from "../../linux/kernel";
import type { Process } from "../../linux/process";
import { TreeFs } from "../../linux/vfs";
import type { VolumeFiles } from "../api/config-sources";
import type { Container, Pod } from "../api/types";

export function podVolumeDir(uid: string, v: VolumeFiles): string {
  return `/var/lib/kubelet/pods/${uid}/volumes/kubernetes.io~${v.medium === "tmpfs" ? "secret" : "configmap"}/${v.volume}`;
}

/** Create (or refresh) the volume directories on the node; returns volume name → host path. */
export function setUpVolumes(kernel: Kernel, kubelet: Process, pod: Pod, volumes: VolumeFiles[]): Map<string, string> {
  const table = kubelet.ns.mnt.mounts!;
  const out = new Map<string, string>();
  for (const v of volumes) {
    const dir = podVolumeDir(pod.metadata.uid!, v);
    kernel.mkdirp(kubelet, dir);
    if (v.medium === "tmpfs" && table.at(dir)?.fs.type !== "tmpfs") {
      kernel.mountFs(table, new TreeFs("tmpfs", "tmpfs", () => kernel.clock.now()), dir, table.containing(dir)!.id, "rw,relatime", "private");
    }
    writeAtomically(kernel, kubelet, dir, v.files);
    out.set(v.volume, dir);
  }
  return out;
}

/**
 * The kubelet's AtomicWriter: the payload goes into a fresh hidden directory named after the
 * time (..2006_01_02_15_04_05.N), `..data` is switched to it in one step, and each key is a
 * symlink through `..data` (password -> ..data/password). A reader therefore sees the old
 * files or the new ones, never a mix. An unchanged payload writes nothing. Returns whether the
 * files changed.
 */
export function writeAtomically(kernel: Kernel, kubelet: Process, dir: string, files: Record<string, string>): boolean {
  const ctx = { proc: kubelet };
  const root = kernel.resolve(kubelet, dir).node;
  const current = root.lookup?.("..data", ctx)?.readlink?.(ctx);
  if (current !== undefined && samePayload(kernel, kubelet, `${dir}/${current}`, files)) return false;
  const stamp = new Date(kernel.clock.epochMs()).toISOString().replace(/[-:T]/g, "_").replace(/\.\d+Z$/, "");
  const tsDir = `..${stamp}.${suffix(`${dir}/${stamp}/${current ?? ""}`)}`;
  for (const [file, content] of Object.entries(files)) kernel.writeFile(kubelet, `${dir}/${tsDir}/${file}`, content);
  // ..data_tmp is renamed over ..data in the real writer: the switch is one step either way.
  root.remove?.("..data", ctx);
  root.symlink?.("..data", tsDir, ctx);
  const keys = new Set(Object.keys(files));
  for (const name of root.list?.(ctx) ?? []) {
    if (name.startsWith("..")) continue;
    if (!keys.has(name)) root.remove?.(name, ctx); // a key the source no longer has
  }
  for (const key of keys) if (!root.lookup?.(key, ctx)) root.symlink?.(key, `..data/${key}`, ctx);
  if (current !== undefined) root.remove?.(current, ctx); // the old payload directory
  return true;
}

/** Whether the payload directory holds exactly these files. */
function samePayload(kernel: Kernel, kubelet: Process, tsDir: string, files: Record<string, string>): boolean {
  const ctx = { proc: kubelet };
  let node;
  try {
    node = kernel.resolve(kubelet, tsDir).node;
  } catch {
    return false;
  }
  const names = node.list?.(ctx) ?? [];
  if (names.length !== Object.keys(files).length) return false;
  return names.every((n) => n in files && node.lookup?.(n, ctx)?.read?.(ctx) === files[n]);
}

/** os.MkdirTemp's random suffix, made deterministic: a 32-bit FNV-1a hash of what names the write. */
function suffix(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** The OCI bind mounts for a container's volumeMounts of those volumes (read-only, as the kubelet mounts them). */
export function volumeMounts(c: Container, dirs: Map<string, string>): { destination: string; type: string; source: string; options: string[] }[] {
  return (c.volumeMounts ?? []).filter((vm) => dirs.has(vm.name)).map((vm) => ({ destination: vm.mountPath, type: "bind", source: dirs.get(vm.name)!, options: ["rbind", "ro"] }));
}

/** Unmount the pod's secret tmpfs volumes: their contents vanish with the pod. */
export function tearDownVolumes(kubelet: Process, uid: string): void {
  const table = kubelet.ns.mnt.mounts!;
  const prefix = `/var/lib/kubelet/pods/${uid}/volumes/`;
  for (const m of [...table.mounts].reverse()) if (m.mountpoint.startsWith(prefix)) table.remove(m.mountpoint);
}
