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
  /** The machine under the host. */
  machine: { cpus: number; memory: number };
  /** The cgroup v2 tree, parents before children (the root first). */
  cgroups: CgroupSnapshot[];
}

/** One cgroup v2 directory, as its interface files would show it (numbers already parsed). */
export interface CgroupSnapshot {
  /** "/" for the root, "/demo", "/kubepods.slice/…". */
  path: string;
  /** cgroup.controllers: what the parent enabled for it. */
  controllers: string[];
  /** cgroup.subtree_control. */
  subtreeControl: string[];
  /** Host PIDs in cgroup.procs (this cgroup only). */
  procs: number[];
  populated: boolean;
  frozen: boolean;
  cpu: {
    weight: number;
    /** cpu.max: quota in µs per period, null = "max". */
    max: { quota: number | null; period: number };
    usageUsec: number;
    nrPeriods: number;
    nrThrottled: number;
    throttledUsec: number;
    /** CPU use over the last completed second, 100 = one whole CPU. */
    recentCpuPercent: number;
  };
  memory: {
    current: number;
    /** memory.max / memory.high in bytes, null = "max". */
    max: number | null;
    high: number | null;
    peak: number;
    events: { low: number; high: number; max: number; oom: number; oom_kill: number; oom_group_kill: number };
  };
  pids: { current: number; max: number | null };
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

/** Which overlay mounts `host.overlays()` describes, and how much of them. */
export interface OverlayQuery {
  /** Only the mount at this path (as its mount namespace sees it). */
  mountpoint?: string;
  /** Only mounts found in this mount namespace. */
  mntns?: number;
  /** Walk the merged tree (default true); false lists the mounts with `entries: []`, cheaply. */
  entries?: boolean;
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

// ---- networking (host.network(), host.tracePacket()) ----

/** An IPv4 address on a link, as `ip addr` prints it. */
export interface NetAddrSnapshot {
  /** "10.0.0.2" */
  ip: string;
  prefix: number;
  /** "10.0.0.2/24" */
  cidr: string;
  scope: "host" | "global" | "link";
}

/** One network device (struct net_device) in a network namespace. */
export interface NetLinkSnapshot {
  /** ifindex, unique within its namespace. */
  index: number;
  name: string;
  kind: "loopback" | "ether" | "veth" | "bridge";
  /** Administrative state (IFF_UP: `ip link set DEV up`). */
  up: boolean;
  /** Lower layer up (LOWER_UP): a veth needs both ends up, a bridge a port with carrier. */
  carrier: boolean;
  /** What `ip link` prints after "state". */
  operstate: "UP" | "DOWN" | "UNKNOWN";
  mac: string;
  mtu: number;
  /** The bridge this device is a port of (a device in the same namespace), or null. */
  master: string | null;
  /** veth only: where the other end is. */
  peer: { netns: number; netnsName: string | null; name: string; index: number } | null;
  /** bridge only: its ports, in ifindex order. */
  ports?: string[];
  /** bridge only: the forwarding database (learned MACs, and each port's own as local). */
  fdb?: { mac: string; port: string; local: boolean }[];
  /** A physical NIC cabled to the hosts' wire. */
  wired: boolean;
  addrs: NetAddrSnapshot[];
  rx: { packets: number; bytes: number };
  tx: { packets: number; bytes: number };
}

/** One route of the main table, in `ip route` order. */
export interface NetRouteSnapshot {
  /** "default", "10.0.0.0/24" or a host address "10.0.0.7". */
  dst: string;
  via: string | null;
  dev: string;
  proto: "kernel" | "boot" | "static";
  scope: "link" | "global" | "host";
  src: string | null;
  metric: number;
  /** The device has no carrier: `ip route` appends "linkdown" and the route is not used. */
  linkdown: boolean;
  /** The line `ip route show` prints (without the trailing space). */
  text: string;
}

/** One network namespace: its devices, its routing table, and who lives in it. */
export interface NetnsSnapshot {
  inode: number;
  /** The name it is pinned under in /run/netns (`ip netns add NAME`), or null. */
  name: string | null;
  /** The host's initial network namespace. */
  initial: boolean;
  /** Processes in it, by host PID. */
  processes: { pid: number; comm: string }[];
  links: NetLinkSnapshot[];
  routes: NetRouteSnapshot[];
  /** net.ipv4.ip_forward */
  ipForward: boolean;
  /** net.bridge.bridge-nf-call-iptables: bridged packets pass through iptables. */
  bridgeNfCallIptables: boolean;
}

/** Every network namespace of a host: the host's first, then the rest by inode. */
export interface NetSnapshot {
  host: string;
  time: number;
  namespaces: NetnsSnapshot[];
}

/** What `host.tracePacket()` sends. */
export interface TracePacketOptions {
  /** Where the packet starts: a network namespace's inode, its /run/netns name, or "host". */
  from: number | string;
  proto: "icmp" | "tcp" | "udp";
  /** Destination IPv4 address. */
  dst: string;
  /** Destination port for tcp and udp (default 80). */
  dport?: number;
}

/** Where a step happened: host, namespace inode and its /run/netns name (null if unnamed; "host" is initial). */
export interface TracePlace {
  host: string;
  netns: number;
  netnsName: string | null;
  /** The host's initial network namespace. */
  initial: boolean;
}

/** One packet of the exchange: the request, its reply, or an error or reset the stack answered with. */
export interface TracedPacket {
  /** "10.0.0.2 > 10.0.0.3 icmp type 8 code 0" (or "a:port > b:port tcp"). */
  summary: string;
  role: "request" | "reply" | "error";
  /** Index of its first step in `steps`. */
  firstStep: number;
}

/** One step of a packet's walk, in the order the kernel took it. */
export type PacketTraceStep = { packet: number } & (
  | { kind: "send"; at: TracePlace; summary: string }
  | { kind: "hop"; at: TracePlace; dev: string; dir: "in" | "out"; summary: string }
  | { kind: "route"; at: TracePlace; result: string }
  | {
      kind: "chain";
      at: TracePlace;
      table: "raw" | "mangle" | "nat" | "filter";
      chain: string;
      /** The netfilter hook the packet is at (PREROUTING, INPUT, FORWARD, OUTPUT, POSTROUTING). */
      hook: string;
      /** Every rule of the chain as iptables-save prints it ("-A FORWARD -s 10.0.0.0/24 -j ACCEPT"). */
      rules: string[];
      /** The built-in chain's policy; null for a user chain. */
      policy: string | null;
    }
  | { kind: "rule"; at: TracePlace; table: string; chain: string; /** 1-based position in the chain. */ num: number; rule: string; matched: boolean }
  | { kind: "verdict"; at: TracePlace; table: string; chain: string; verdict: string; /** No rule decided: the chain's policy did. */ policy: boolean }
  | { kind: "nat"; at: TracePlace; what: "DNAT" | "SNAT" | "un-NAT"; before: string; after: string }
  | { kind: "bridge"; at: TracePlace; bridge: string; port: string; action: "forward" | "flood" | "local" | "drop" }
  | { kind: "deliver"; at: TracePlace; summary: string }
  | { kind: "drop"; at: TracePlace; reason: string }
);

/** The recorded walk of one packet and whatever came back. */
export interface PacketTraceSnapshot {
  request: { from: TracePlace; proto: "icmp" | "tcp" | "udp"; dst: string; dport: number | null };
  /** How it ended, from the sender's point of view. */
  outcome: "reply" | "error" | "reset" | "no-reply" | "unreachable" | "rejected-locally";
  /** One sentence: "echo reply from 10.0.0.3", "dropped by filter FORWARD policy DROP in node". */
  summary: string;
  packets: TracedPacket[];
  steps: PacketTraceStep[];
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
  | { type: "reset"; time: number; host: string }
  /** An API object was stored or deleted (the cluster's event stream for widgets). */
  | { type: "k8s.object"; time: number; host: string; verb: "ADDED" | "MODIFIED" | "DELETED"; kind: string; namespace: string; name: string }
  /** The kubelet ran a probe (every run, not only the ones that change a result). host: the node. */
  | { type: "k8s.probe"; time: number; host: string; namespace: string; pod: string; container: string; probe: "Liveness" | "Readiness" | "Startup"; result: "Success" | "Failure" | "Unknown"; output: string }
  | { type: "cgroup.create"; time: number; host: string; path: string }
  | { type: "cgroup.remove"; time: number; host: string; path: string }
  /** A cgroup ran out of its cpu.max quota in the period that just ended (at most one per cgroup per period). */
  | { type: "cgroup.throttle"; time: number; host: string; path: string; nrThrottled: number; throttledUsec: number }
  /** The OOM killer killed `pid`; `cgroup` is the victim's cgroup, `memcg` the one whose memory.max was hit. */
  | { type: "oom.kill"; time: number; host: string; pid: number; comm: string; cgroup: string; memcg: string }
  // ---- the path of a request through Kubernetes (seed 002's walkthrough), one event per step ----
  /** kubectl started a request (emitted on the host kubectl runs on, before it talks to the API server). */
  | { type: "k8s.kubectl"; time: number; host: string; argv: string[] }
  /** The API server admitted (decoded, defaulted, validated) a write and etcd stored it under `key` at `revision`. */
  | { type: "k8s.api"; time: number; host: string; verb: "create" | "update" | "delete"; subresource?: "status"; /** Set when the client is known: kubectl's User-Agent for the requests it sends. */ userAgent?: string; kind: string; namespace: string; name: string; /** The REST path an HTTP client would use: /apis/apps/v1/namespaces/default/deployments/web */ path: string; key: string; revision: number }
  /** A controller of kube-controller-manager acted (the Event it records: ScalingReplicaSet, SuccessfulCreate, …). */
  | { type: "k8s.controller"; time: number; host: string; controller: string; reason: string; kind: string; namespace: string; name: string; message: string }
  /** kube-scheduler decided for a pod ("ns/name"): bound to `node` with the winner's total score, or left Pending (`node` null, `message` says why). */
  | { type: "k8s.schedule"; time: number; host: string; pod: string; node: string | null; score: number | null; candidates: { node: string; feasible: boolean; score: number }[]; message?: string }
  /** The kubelet of `host` acted for a pod ("ns/name"): its sandbox (pause) started, CNI ADD gave it an address, a container started. */
  | { type: "k8s.kubelet"; time: number; host: string; pod: string; step: "sandbox"; sandboxId: string; pid: number }
  | { type: "k8s.kubelet"; time: number; host: string; pod: string; step: "network"; ip: string; veth: string }
  | { type: "k8s.kubelet"; time: number; host: string; pod: string; step: "container"; container: string; containerId: string; pid: number }
  /** containerd mounted a container's overlay rootfs, started its shim, and runc started its process. */
  | { type: "k8s.runtime"; time: number; host: string; id: string; image: string; rootfs: string; shimPid: number; pid: number };

export type EngineEventType = EngineEvent["type"];
