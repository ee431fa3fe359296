// runc: turn an OCI bundle (config.json + rootfs) into a running process. Every step is an
// ordinary system call on the host: clone with CLONE_NEW* flags, mount the rootfs and /proc,
// pivot_root, sethostname, join a cgroup by writing cgroup.procs, execve. That is a container.
import type { NsKind } from "../../api";
import type { Kernel } from "../../linux/kernel";
import type { Io } from "../../shell/interpreter";
import { setns } from "../../linux/namespaces";
import type { NsFlags } from "../../linux/namespaces";
import { KernelError, clone } from "../../linux/process";
import type { Process } from "../../linux/process";
import { ProcFs } from "../../linux/procfs";
import { TreeFs, joinPath } from "../../linux/vfs";
import { execProgram, findExecutable, lookupErrorText } from "../../shell/exec";
import type { Program } from "../../linux/tasks";
import { cpuMaxFromQuota, memoryLimitToMax, runcSharesToWeight } from "../resources";

export interface OciSpec {
  ociVersion: string;
  process: { terminal?: boolean; user?: { uid: number; gid: number }; args: string[]; env: string[]; cwd: string };
  root: { path: string; readonly?: boolean };
  hostname?: string;
  mounts?: { destination: string; type: string; source: string; options?: string[] }[];
  linux: {
    namespaces: { type: string; path?: string }[];
    cgroupsPath?: string;
    resources?: { memory?: { limit?: number }; cpu?: { shares?: number; quota?: number; period?: number }; pids?: { limit?: number } };
    oomScoreAdj?: number;
  };
}

/** The OCI runtime-spec names of the namespaces. */
const OCI_NS: Record<string, NsKind> = { pid: "pid", network: "net", ipc: "ipc", uts: "uts", mount: "mnt", cgroup: "cgroup", user: "user", time: "time" };

/** What `runc spec` writes: a sh in new pid, net, ipc, uts and mount namespaces. */
export function defaultSpec(): OciSpec {
  return {
    ociVersion: "1.0.2-dev",
    process: { terminal: true, user: { uid: 0, gid: 0 }, args: ["sh"], env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"], cwd: "/" },
    root: { path: "rootfs", readonly: true },
    hostname: "runc",
    mounts: [
      { destination: "/proc", type: "proc", source: "proc" },
      { destination: "/dev", type: "tmpfs", source: "tmpfs", options: ["nosuid", "strictatime", "mode=755", "size=65536k"] },
      { destination: "/sys", type: "sysfs", source: "sysfs", options: ["nosuid", "noexec", "nodev", "ro"] },
    ],
    linux: { namespaces: [{ type: "pid" }, { type: "network" }, { type: "ipc" }, { type: "uts" }, { type: "mount" }, { type: "cgroup" }] },
  };
}

/** Put a process into a cgroup the way runc does: mkdir the cgroup directory and write the pid to cgroup.procs. */
export function joinCgroup(kernel: Kernel, writer: Process, target: Process, path: string): void {
  const dir = joinPath("/sys/fs/cgroup", path);
  const ctx = { proc: writer };
  try {
    let cur = "/sys/fs/cgroup";
    for (const part of path.split("/").filter(Boolean)) {
      const parent = kernel.resolve(writer, cur).node;
      cur = `${cur}/${part}`;
      if (!parent.lookup?.(part, ctx)) parent.create?.(part, "dir", ctx);
    }
    const procs = kernel.resolve(writer, `${dir}/cgroup.procs`).node;
    if (!procs.write) throw new KernelError("EACCES", "Permission denied");
    procs.write(String(target.pidIn(writer.ns.pid) ?? target.pid), true, ctx);
  } catch {
    // The write was refused (e.g. EBUSY by the no-internal-processes rule): place it the way
    // systemd's cgroup driver would, creating the scope's parents.
    kernel.cgroups.place(target, path.startsWith("/") ? path : `/${path}`);
  }
}

/**
 * The spec's linux.resources as cgroup v2 files in the container's cgroup, as runc's cgroup
 * manager writes them: cpu.weight from the shares (runc's mapping), cpu.max from quota and
 * period, memory.max from the limit. Unset values leave the file at its default.
 */
export function writeResources(kernel: Kernel, writer: Process, path: string, r: NonNullable<OciSpec["linux"]["resources"]>): void {
  const files: [string, string][] = [];
  const shares = r.cpu?.shares ?? 0;
  if (shares > 0) files.push(["cpu.weight", String(runcSharesToWeight(shares))]);
  const quota = r.cpu?.quota ?? 0;
  if (quota !== 0) files.push(["cpu.max", cpuMaxFromQuota(quota, r.cpu?.period || 100_000)]);
  const mem = memoryLimitToMax(r.memory?.limit ?? 0);
  if (mem !== null) files.push(["memory.max", mem]);
  if (r.pids?.limit) files.push(["pids.max", r.pids.limit > 0 ? String(r.pids.limit) : "max"]);
  for (const [file, value] of files) {
    const node = kernel.resolve(writer, `/sys/fs/cgroup/${path.replace(/^\/+/, "")}/${file}`).node;
    if (!node.write) throw new KernelError("EACCES", "Permission denied");
    node.write(value, false, { proc: writer });
  }
}

export interface RuncCreate {
  id: string;
  bundle: string;
  spec: OciSpec;
  /** runc itself (the process that clones the container). */
  parent: Process;
  io: Io;
}

/** Create and start the container's init process; returns it (already running its program). */
export function runcRun(kernel: Kernel, c: RuncCreate): Process {
  const spec = c.spec;
  const flags: NsFlags = {};
  const joins: { kind: NsKind; path: string }[] = [];
  for (const ns of spec.linux.namespaces) {
    const kind = OCI_NS[ns.type];
    if (!kind) throw new KernelError("EINVAL", `unknown namespace type ${ns.type}`);
    if (ns.path) joins.push({ kind, path: ns.path });
    else flags[kind] = true;
  }
  // Namespaces given by path (a pod's pause container) are joined by the container's own
  // process ("runc init" calls setns), so the shim stays in the host's namespaces. A PID or time
  // namespace only applies to children, so for those the parent joins before the clone.
  const targets = joins.map((j) => kernel.nsFromPath(c.parent, j.path));
  for (const ns of targets) if (ns.kind === "pid" || ns.kind === "time") setns(kernel, c.parent, ns);
  const child = clone(kernel, c.parent, { flags, fds: { 0: c.io[0], 1: c.io[1], 2: c.io[2] } });
  try {
    for (const ns of targets) if (ns.kind !== "pid" && ns.kind !== "time") setns(kernel, child, ns);
    setupContainer(kernel, c, child, flags);
  } catch (e) {
    kernel.exitProcess(child, 1);
    throw e;
  }
  kernel.sched.start(child, execInContainer(kernel, child, spec.process.args));
  return child;
}

/** Inside the new namespaces, before exec: cgroup, rootfs, mounts, pivot_root, hostname. */
function setupContainer(kernel: Kernel, c: RuncCreate, child: Process, flags: NsFlags): void {
  const spec = c.spec;
  if (spec.linux.cgroupsPath) {
    joinCgroup(kernel, c.parent, child, spec.linux.cgroupsPath);
    if (spec.linux.resources) writeResources(kernel, c.parent, spec.linux.cgroupsPath, spec.linux.resources);
  }
  if (spec.linux.oomScoreAdj !== undefined) child.oomScoreAdj = spec.linux.oomScoreAdj;

  const rootfs = spec.root.path.startsWith("/") ? spec.root.path : joinPath(c.bundle, spec.root.path);
  const table = child.ns.mnt.mounts!;
  // runc bind-mounts the rootfs onto itself so it is a mount point pivot_root accepts.
  const { node: rootNode } = kernel.resolve(child, rootfs);
  const host = table.containing(rootfs)!;
  if (host.mountpoint !== rootfs) table.add({ ...host, id: kernel.newMountId(), parentId: host.id, mountpoint: rootfs, rootNode, rootPath: rootfs, propagation: "private" });
  for (const m of spec.mounts ?? []) {
    const target = joinPath(rootfs, m.destination.replace(/^\/+/, ""));
    if (m.type === "bind") {
      bindMount(kernel, child, m.source, target, (m.options ?? []).includes("ro"));
      continue;
    }
    // the image has no such directory: runc would mkdir it; skipping keeps the image unchanged
    if (!kernel.tryResolve(child, target)) continue;
    const now = () => kernel.clock.now();
    const fs = m.type === "proc" ? new ProcFs(kernel, child.ns.pid) : new TreeFs(m.type, m.source, now);
    if (m.type === "tmpfs" && m.destination === "/dev") for (const d of ["null", "zero", "random", "urandom", "tty"]) (fs as TreeFs).put(`/${d}`, "", { mode: 0o666 });
    // A mount is rw unless its OCI options say ro (the default spec's /sys does).
    const flags = (m.options ?? []).filter((o) => !o.includes("=") && o !== "ro" && o !== "rw");
    const mode = (m.options ?? []).includes("ro") ? "ro" : "rw";
    kernel.mountFs(table, fs, target, host.id, m.type === "proc" ? "rw,nosuid,nodev,noexec,relatime" : `${mode},${flags.join(",") || "relatime"}`, "private");
  }
  kernel.pivotRoot(child, rootfs);
  if (spec.hostname && flags.uts) child.ns.uts.hostname = spec.hostname;
  child.env = new Map(spec.process.env.map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));
  child.cwd = spec.process.cwd || "/";
  child.uid = spec.process.user?.uid ?? 0;
}

/** A bind mount as runc makes one: a missing mount point is created (a file for a file source), then the host path shows there. */
function bindMount(kernel: Kernel, child: Process, source: string, target: string, readOnly: boolean): void {
  const table = child.ns.mnt.mounts!;
  const src = kernel.tryResolve(child, source);
  if (!src) return; // no such source: runc fails the container; the engine leaves the file out instead
  if (!kernel.tryResolve(child, target)) {
    kernel.mkdirp(child, target.slice(0, target.lastIndexOf("/")) || "/");
    if (src.node.type === "dir") kernel.mkdirp(child, target);
    else kernel.writeFile(child, target, "");
  }
  const from = table.containing(src.path)!;
  const parent = table.containing(target)!;
  const rootPath = src.path.slice(from.mountpoint === "/" ? 0 : from.mountpoint.length) || "/";
  table.add({ ...from, id: kernel.newMountId(), parentId: parent.id, mountpoint: target, rootNode: src.node, rootPath, options: readOnly ? from.options.replace(/^rw\b/, "ro") : from.options, propagation: "private" });
}

function* execInContainer(kernel: Kernel, proc: Process, args: string[]): Program {
  const found = findExecutable(kernel, proc, args[0] ?? "sh");
  if (!found.ok) {
    proc.fds[2].write(`runc run failed: unable to start container process: exec: "${args[0]}": ${found.why === "ENOENT" ? "executable file not found in $PATH" : lookupErrorText(found)}\n`);
    return 127;
  }
  return yield* execProgram(kernel, proc, args, found.node);
}
