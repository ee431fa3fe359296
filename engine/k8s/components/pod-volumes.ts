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
    for (const [file, content] of Object.entries(v.files)) kernel.writeFile(kubelet, `${dir}/${file}`, content);
    out.set(v.volume, dir);
  }
  return out;
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
