// containerd, reduced to what a node does with it: pull images into a content store and
// unpack each layer once into an overlayfs snapshot; prepare a container's rootfs as an
// overlay mount (image layers as lowerdirs, a fresh upper); start it through a shim and runc.
import type { Kernel } from "../../linux/kernel";
import { KernelError, clone, execve } from "../../linux/process";
import type { Process } from "../../linux/process";
import { OverlayFs } from "../../linux/overlayfs";
import type { TreeNode, VNode } from "../../linux/vfs";
import type { Io } from "../../shell/interpreter";
import type { Image, Layer } from "./image";
import { findImage, IMAGES } from "./registry";
import { normaliseRef } from "./image";
import type { OciSpec } from "./runc";
import { defaultSpec, runcRun } from "./runc";

export const CONTENT_DIR = "/var/lib/containerd/io.containerd.content.v1.content/blobs/sha256";
export const SNAPSHOT_DIR = "/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots";
export const TASK_DIR = "/run/containerd/io.containerd.runtime.v2.task";

export interface Container {
  id: string;
  namespace: string;
  image: Image;
  spec: OciSpec;
  /** The writable snapshot (upper + work) for this container. */
  snapshot: number;
  rootfs: string;
  labels: Record<string, string>;
  /** The CRI's ContainerMetadata.attempt: which restart of the pod's container this is. */
  attempt: number;
}

export interface Task {
  id: string;
  shim: Process;
  init: Process;
  status: "RUNNING" | "STOPPED";
  exitStatus: number | null;
}

export class Containerd {
  readonly images = new Map<string, Image>();
  /** layer digest → snapshot number holding its unpacked files */
  readonly layerSnapshots = new Map<string, number>();
  readonly containers = new Map<string, Container>();
  readonly tasks = new Map<string, Task>();
  private nextSnapshot = 1;

  constructor(
    readonly kernel: Kernel,
    /** The containerd daemon process (the runtime acts on the host as it). */
    readonly daemon: Process,
  ) {}

  /** Resolve, fetch and unpack an image; layers already present are skipped. Returns the layers fetched. */
  pull(name: string): { image: Image; fetched: Layer[] } {
    const ref = normaliseRef(name);
    const img = findImage(ref);
    if (!img) throw new KernelError("ENOENT", `failed to resolve reference "${ref}": ${ref}: not found`);
    const fetched: Layer[] = [];
    for (const l of img.layers) {
      if (this.layerSnapshots.has(l.digest)) continue;
      fetched.push(l);
      const blob = this.kernel.rootFs.put(`${CONTENT_DIR}/${l.digest.slice(7)}`, `layer ${l.digest}\n`);
      blob.apparentSize = Math.round(l.size * 0.42);
      const n = this.nextSnapshot++;
      this.unpack(l, `${SNAPSHOT_DIR}/${n}/fs`);
      this.layerSnapshots.set(l.digest, n);
    }
    this.kernel.rootFs.put(`${CONTENT_DIR}/${img.manifestDigest.slice(7)}`, JSON.stringify({ layers: img.layers.map((l) => l.digest) }));
    this.kernel.rootFs.put(`${CONTENT_DIR}/${img.configDigest.slice(7)}`, JSON.stringify(img.config));
    this.images.set(ref, img);
    return { image: img, fetched };
  }

  /** Write a layer's files into a snapshot directory on the host's disk. */
  private unpack(l: Layer, dir: string): void {
    const fs = this.kernel.rootFs;
    fs.put(dir, null);
    for (const [path, e] of l.files) {
      const target = `${dir}${path}`;
      if (e.kind === "dir") fs.put(target, null, { mode: e.mode ?? 0o755 });
      else if (e.kind === "symlink") fs.put(target, null, { symlink: e.target });
      else if (e.kind === "file") {
        const n = fs.put(target, e.content, { mode: e.mode ?? 0o644, program: e.program });
        if (e.size) n.apparentSize = e.size;
      } else {
        const n = fs.put(target, "");
        n.type = "chr";
        n.mode = 0;
        n.rdev = [0, 0];
      }
    }
  }

  image(name: string): Image | undefined {
    return this.images.get(normaliseRef(name));
  }

  removeImage(name: string): boolean {
    return this.images.delete(normaliseRef(name));
  }

  /** Create a container: a fresh snapshot (upper + work) on top of the image's layer snapshots. */
  createContainer(
    id: string,
    imageName: string,
    args: string[] | null,
    opts: {
      namespace?: string;
      hostNetwork?: boolean;
      env?: string[];
      labels?: Record<string, string>;
      cgroupsPath?: string;
      hostname?: string;
      /** Join existing namespaces by path (a pod's containers join its sandbox's net, ipc and uts). */
      joinNamespaces?: Partial<Record<"network" | "ipc" | "uts" | "pid", string>>;
      workingDir?: string;
      oomScoreAdj?: number;
      /** Extra OCI mounts (the kubelet's volume bind mounts and /etc/resolv.conf, /etc/hosts from the sandbox directory). */
      mounts?: NonNullable<ReturnType<typeof defaultSpec>["mounts"]>;
      /** The container's cgroup limits (the CRI's LinuxContainerResources), written by runc. */
      resources?: import("./runc").OciSpec["linux"]["resources"];
      /** The kubelet's restart count for this container (crictl's ATTEMPT). */
      attempt?: number;
    } = {},
  ): Container {
    const img = this.image(imageName);
    if (!img) throw new KernelError("ENOENT", `image "${normaliseRef(imageName)}": not found`);
    if (this.containers.has(id)) throw new KernelError("EEXIST", `container "${id}" in namespace "${opts.namespace ?? "default"}": already exists`);
    const ns = opts.namespace ?? "default";
    const snapshot = this.nextSnapshot++;
    const fs = this.kernel.rootFs;
    fs.put(`${SNAPSHOT_DIR}/${snapshot}/fs`, null);
    fs.put(`${SNAPSHOT_DIR}/${snapshot}/work`, null, { mode: 0o700 });
    const spec = defaultSpec();
    const cfg = img.config;
    spec.process.args = args && args.length ? args : [...(cfg.Entrypoint ?? []), ...(cfg.Cmd ?? [])];
    spec.process.env = [...cfg.Env, ...(opts.env ?? [])];
    spec.process.cwd = cfg.WorkingDir || "/";
    spec.process.terminal = false;
    spec.hostname = opts.hostname ?? id;
    if (opts.workingDir) spec.process.cwd = opts.workingDir;
    if (opts.oomScoreAdj !== undefined) spec.linux.oomScoreAdj = opts.oomScoreAdj;
    if (opts.mounts?.length) spec.mounts = [...(spec.mounts ?? []), ...opts.mounts];
    if (opts.resources) spec.linux.resources = opts.resources;
    for (const [type, path] of Object.entries(opts.joinNamespaces ?? {})) {
      spec.linux.namespaces = spec.linux.namespaces.map((n) => (n.type === type ? { type, path } : n));
      if (type === "uts") delete spec.hostname;
    }
    spec.root = { path: "rootfs" };
    if (opts.hostNetwork) spec.linux.namespaces = spec.linux.namespaces.filter((n) => n.type !== "network");
    spec.linux.cgroupsPath = opts.cgroupsPath ?? `/${ns}/${id}`;
    const c: Container = { id, namespace: ns, image: img, spec, snapshot, rootfs: `${TASK_DIR}/${ns}/${id}/rootfs`, labels: opts.labels ?? {}, attempt: opts.attempt ?? 0 };
    this.containers.set(id, c);
    return c;
  }

  /** Mount the container's overlay rootfs on the host, start a shim, and have runc start the process. */
  startTask(id: string, io: Io, onExit?: (status: number) => void): Task {
    const c = this.containers.get(id);
    if (!c) throw new KernelError("ENOENT", `container "${id}" in namespace "default": not found`);
    if (this.tasks.get(id)?.status === "RUNNING") throw new KernelError("EEXIST", `task ${id}: already exists`);
    const k = this.kernel;
    const bundle = `${TASK_DIR}/${c.namespace}/${id}`;
    k.mkdirp(this.daemon, `${bundle}/rootfs`);
    k.writeFile(this.daemon, `${bundle}/config.json`, JSON.stringify(c.spec, null, 2) + "\n");
    const lowers: VNode[] = [...c.image.layers].reverse().map((l) => k.resolve(this.daemon, `${SNAPSHOT_DIR}/${this.layerSnapshots.get(l.digest)}/fs`).node);
    const upper = k.resolve(this.daemon, `${SNAPSHOT_DIR}/${c.snapshot}/fs`).node;
    const work = k.resolve(this.daemon, `${SNAPSHOT_DIR}/${c.snapshot}/work`).node;
    const lowerText = [...c.image.layers].reverse().map((l) => `${SNAPSHOT_DIR}/${this.layerSnapshots.get(l.digest)}/fs`).join(":");
    const optionText = `lowerdir=${lowerText},upperdir=${SNAPSHOT_DIR}/${c.snapshot}/fs,workdir=${SNAPSHOT_DIR}/${c.snapshot}/work,uuid=on`;
    const table = this.daemon.ns.mnt.mounts!;
    const existing = table.at(c.rootfs);
    if (!existing || existing.fs.type !== "overlay") {
      const m = k.mountFs(table, new OverlayFs({ lowers, upper, work, optionText, now: () => k.clock.now() }), c.rootfs, table.containing(c.rootfs)!.id, "rw,relatime", "shared");
      m.superOptions = `rw,${optionText}`;
    }
    // The shim is re-parented to init; it stays as the container's parent and reaper.
    const init = k.processes.get(1)!;
    const shim = clone(k, init, { fds: { 0: io[0], 1: io[1], 2: io[2] } });
    execve(k, shim, ["/usr/bin/containerd-shim-runc-v2", "-namespace", c.namespace, "-id", id, "-address", "/run/containerd/containerd.sock"]);
    shim.cwd = bundle;
    let proc: Process;
    try {
      proc = runcRun(k, { id, bundle, spec: c.spec, parent: shim, io });
    } catch (e) {
      k.exitProcess(shim, 1);
      throw e;
    }
    const task: Task = { id, shim, init: proc, status: "RUNNING", exitStatus: null };
    this.tasks.set(id, task);
    k.emit({ type: "k8s.runtime", id, image: c.image.ref, rootfs: c.rootfs, shimPid: shim.pid, pid: proc.pid });
    k.sched.start(
      shim,
      (function* () {
        const status = (yield { kind: "child", proc }) as number;
        task.status = "STOPPED";
        task.exitStatus = status;
        onExit?.(status);
        // The shim stays until the task is deleted, as the real one does.
        yield { kind: "forever" };
        return 0;
      })(),
    );
    k.sched.runReady();
    return task;
  }

  /** Delete a stopped task: unmount its rootfs. */
  deleteTask(id: string): number {
    const t = this.tasks.get(id);
    if (!t) throw new KernelError("ENOENT", `task ${id} not found`);
    if (t.status === "RUNNING") throw new KernelError("EBUSY", `task must be stopped before deletion: running: failed precondition`);
    const c = this.containers.get(id)!;
    this.daemon.ns.mnt.mounts!.remove(c.rootfs);
    this.kernel.exitProcess(t.shim, 0);
    this.tasks.delete(id);
    return t.exitStatus ?? 0;
  }

  /** Delete a container and its writable snapshot: everything it wrote is gone. */
  deleteContainer(id: string): void {
    const c = this.containers.get(id);
    if (!c) throw new KernelError("ENOENT", `container "${id}" in namespace "default": not found`);
    if (this.tasks.has(id)) throw new KernelError("EBUSY", `cannot delete a non stopped container: {running 0 0001-01-01 00:00:00 +0000 UTC}`);
    const dir = this.kernel.resolve(this.daemon, SNAPSHOT_DIR).node as TreeNode;
    dir.children.delete(String(c.snapshot));
    const tasks = this.kernel.resolve(this.daemon, `${TASK_DIR}/${c.namespace}`).node;
    tasks.remove?.(id, { proc: this.daemon });
    this.containers.delete(id);
  }
}

const daemons = new WeakMap<Kernel, Containerd>();

/** The host's containerd if something (the kubelet, ctr) already uses it; starts nothing (for snapshots). */
export function containerdIfStarted(kernel: Kernel): Containerd | undefined {
  return daemons.get(kernel);
}

/** The host's containerd (started on first use, as the containerd.service unit would be). */
export function containerdOf(kernel: Kernel): Containerd {
  let c = daemons.get(kernel);
  if (!c) {
    const init = kernel.processes.get(1)!;
    const proc = [...kernel.processes.values()].find((p) => p.comm === "containerd") ?? startDaemon(kernel, init);
    c = new Containerd(kernel, proc);
    daemons.set(kernel, c);
  }
  return c;
}

function startDaemon(kernel: Kernel, init: Process): Process {
  const p = clone(kernel, init);
  execve(kernel, p, ["/usr/bin/containerd"]);
  p.cwd = "/";
  kernel.sched.start(p, (function* () { yield { kind: "forever" } as const; return 0; })());
  return p;
}

export { IMAGES };
