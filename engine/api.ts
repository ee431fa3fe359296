// The engine's public types: the contract that exercises, tests and widgets use.
// Widgets read these snapshots and events; they never parse terminal text.

/** What a command line returns, as DESIGN.md promises: `host.sh(line) → { stdout, stderr, exitCode }`. */
export interface ShResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface ShOptions {
  /** Standard input for the line (for `kubectl apply -f -`, `iptables-restore`, `cat`). */
  stdin?: string;
}

/** The eight Linux namespace kinds, named as in /proc/PID/ns. */
export type NsKind = "mnt" | "uts" | "ipc" | "pid" | "net" | "user" | "cgroup" | "time";
export const NS_KINDS: readonly NsKind[] = ["cgroup", "ipc", "mnt", "net", "pid", "time", "user", "uts"];

export type ProcState = "R" | "S" | "Z";

export interface ProcessSnapshot {
  /** PID in the host's initial pid namespace. */
  pid: number;
  ppid: number;
  comm: string;
  argv: string[];
  uid: number;
  state: ProcState;
  /** PIDs from the outermost (host) pid namespace to the process's own: NSpid in /proc/PID/status. */
  nspid: number[];
  /** Inode number of each namespace the process is in. */
  ns: Record<NsKind, number>;
  /** cgroup v2 path, e.g. "/" or "/kubepods.slice/…". */
  cgroup: string;
}

export interface NamespaceSnapshot {
  kind: NsKind;
  inode: number;
  /** For pid and user namespaces: the parent namespace's inode (null for the initial one). */
  parent: number | null;
  /** True for the host's initial namespaces. */
  initial: boolean;
  /** Host PIDs of processes in it. */
  pids: number[];
  /** UTS namespaces only: the hostname set in it. */
  hostname?: string;
}

export interface HostSnapshot {
  name: string;
  /** Virtual time in milliseconds since the world started. */
  time: number;
  processes: ProcessSnapshot[];
  namespaces: NamespaceSnapshot[];
  /** Host PID of the process the interactive shell session is running as. */
  shellPid: number;
}

/** One path of an overlay mount's merged tree (or a whiteout hiding one). */
export interface OverlayEntrySnapshot {
  /** Relative to the mountpoint, without a leading slash: "etc/hostname". */
  path: string;
  type: "dir" | "file" | "symlink" | "chr";
  /** The layer the merged view takes this entry from: -1 = upperdir, N = lowerdirs[N] (0 = leftmost, the top lower). */
  servedBy: number;
  /** Every layer that holds a real entry at this path (upper = -1 first, then lowers in order); the first serves it, the rest are hidden below. */
  layers: number[];
  /** A whiteout (0/0 character device) in upperdir: the path is deleted from the merged view; `layers` lists the lowers it hides. */
  whiteout?: boolean;
  /** A directory in upperdir with trusted.overlay.opaque="y": the lowers' directories at this path are hidden. */
  opaque?: boolean;
}

/** One overlay mount, as `findmnt -t overlay` shows it plus what serves each path. */
export interface OverlaySnapshot {
  /** Where it is mounted, as seen in `mntns` ("/" for a container root after pivot_root). */
  mountpoint: string;
  /** Inode of the mount namespace it was found in (the first, when several share it). */
  mntns: number;
  mountId: number;
  /** No upperdir: the merged view cannot be written. */
  readOnly: boolean;
  /** As given in the mount options (relative paths stay relative), leftmost = top. */
  lowerdirs: string[];
  upperdir: string | null;
  workdir: string | null;
  /** Depth-first, names sorted within each directory; whiteouts included and flagged. */
  entries: OverlayEntrySnapshot[];
  /** True when the tree was larger than the snapshot limit and `entries` was cut. */
  truncated: boolean;
}

/** Events every part of the engine emits; widgets subscribe to them. */
export type EngineEvent =
  | { type: "process.start"; time: number; host: string; pid: number; ppid: number; comm: string }
  | { type: "process.exec"; time: number; host: string; pid: number; comm: string; argv: string[] }
  | { type: "process.exit"; time: number; host: string; pid: number; comm: string; status: number; signal?: string }
  | { type: "ns.create"; time: number; host: string; kind: NsKind; inode: number; pid: number }
  | { type: "ns.destroy"; time: number; host: string; kind: NsKind; inode: number }
  | { type: "ns.enter"; time: number; host: string; kind: NsKind; inode: number; pid: number }
  | { type: "uts.sethostname"; time: number; host: string; inode: number; hostname: string }
  | { type: "mount"; time: number; host: string; mntns: number; target: string; fstype: string }
  | { type: "umount"; time: number; host: string; mntns: number; target: string }
  | { type: "shell.command"; time: number; host: string; line: string; exitCode: number }
  | { type: "reset"; time: number; host: string };

export type EngineEventType = EngineEvent["type"];
