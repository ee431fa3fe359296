// procfs: every file is generated from live kernel state when read, seen from the pid
// namespace the proc filesystem was mounted for. That is why `unshare --pid --fork` without
// `--mount-proc` still shows the host's processes: /proc still belongs to the old namespace.
import { netOf } from "./net/registry";
import type { NsKind } from "../api";
import type { Kernel } from "./kernel";
import type { Mount } from "./mounts";
import type { Namespace } from "./namespaces";
import { KernelError } from "./process";
import type { Process } from "./process";
import { SynthNode, anonDev } from "./vfs";
import type { FileSystem, LookupContext, VNode } from "./vfs";

/** The order the kernel lists /proc/PID/ns entries in. */
export const NS_LINK_NAMES = ["cgroup", "ipc", "mnt", "net", "pid", "pid_for_children", "time", "time_for_children", "user", "uts"] as const;

const STATE_TEXT: Record<string, string> = { R: "R (running)", S: "S (sleeping)", Z: "Z (zombie)" };

export function nsOfLink(p: Process, name: string): Namespace {
  if (name === "pid_for_children") return p.pidForChildren;
  if (name === "time_for_children") return p.timeForChildren;
  return p.ns[name as NsKind];
}

/** One line of /proc/PID/mountinfo for mount m. */
export function mountinfoLine(m: Mount): string {
  const opt = m.propagation === "shared" ? ` shared:${m.peerGroup ?? 1}` : m.propagation === "slave" ? " master:1" : "";
  return `${m.id} ${m.parentId} ${m.fs.dev} ${m.rootPath} ${m.mountpoint} ${m.options}${opt} - ${m.fs.type} ${m.fs.source} ${m.superOptions}`;
}

/** One line of /proc/PID/mounts (the fstab-like view). */
export function mountsLine(m: Mount): string {
  return `${m.fs.source} ${m.mountpoint} ${m.fs.type} ${m.options} 0 0`;
}

export class ProcFs implements FileSystem {
  readonly type = "proc";
  readonly source = "proc";
  readonly dev = anonDev();
  readonly root: VNode;
  private readonly baseIno: number;

  constructor(
    private readonly kernel: Kernel,
    /** The pid namespace this proc instance shows. */
    readonly pidNs: Namespace,
  ) {
    this.baseIno = 1 + (pidNs.inode % 1000) * 1_000_000;
    this.root = this.dir(1, 0o555, {
      list: () => [...this.visiblePids().map(String), ...TOP_FILES].sort(procOrder),
      lookup: (name, ctx) => this.lookupTop(name, ctx),
    });
  }

  private visiblePids(): number[] {
    return [...this.pidNs.pids.keys()].filter((pid) => this.pidNs.pids.get(pid)!.alive).sort((a, b) => a - b);
  }

  private dir(ino: number, mode: number, impl: ConstructorParameters<typeof SynthNode>[3]): SynthNode {
    return new SynthNode("dir", this.baseIno + ino, mode, impl);
  }

  private file(ino: number, mode: number, read: (ctx: LookupContext) => string, write?: (d: string, a: boolean, ctx: LookupContext) => void): SynthNode {
    return new SynthNode("file", this.baseIno + ino, mode, write ? { read, write } : { read });
  }

  private lookupTop(name: string, ctx: LookupContext): VNode | undefined {
    if (/^\d+$/.test(name)) {
      const p = this.pidNs.pids.get(Number(name));
      return p && p.alive ? this.pidDir(p) : undefined;
    }
    switch (name) {
      case "self": {
        return new SynthNode("symlink", this.baseIno + 2, 0o777, {
          readlink: (c) => String(c.proc.pidIn(this.pidNs) ?? 0),
        });
      }
      case "mounts":
        return new SynthNode("symlink", this.baseIno + 3, 0o777, { readlink: () => "self/mounts" });
      case "uptime":
        return this.file(4, 0o444, () => {
          const s = this.kernel.clock.now() / 1000 + 3_600;
          return `${s.toFixed(2)} ${(s * 1.9).toFixed(2)}\n`;
        });
      case "version":
        return this.file(5, 0o444, () => "Linux version 6.12.48-kijl (root@build) (gcc (Debian 12.2.0-14) 12.2.0) #1 SMP PREEMPT_DYNAMIC\n");
      case "loadavg":
        return this.file(6, 0o444, () => `0.00 0.01 0.05 1/${this.visiblePids().length} ${this.pidNs.nextPid - 1}\n`);
      case "sys":
        return this.sysDir(ctx);
      default:
        return undefined;
    }
  }

  private sysDir(_ctx: LookupContext): VNode {
    const hostnameFile = this.file(
      20,
      0o644,
      (c) => `${c.proc.ns.uts.hostname}\n`,
      (d, _a, c) => {
        c.proc.ns.uts.hostname = d.trim().slice(0, 64);
      },
    );
    const kernelDir = this.dir(11, 0o555, {
      list: () => ["hostname", "ostype", "osrelease"],
      lookup: (n) =>
        n === "hostname" ? hostnameFile : n === "ostype" ? this.file(21, 0o444, () => "Linux\n") : n === "osrelease" ? this.file(22, 0o444, () => "6.12.48-kijl\n") : undefined,
    });
    return this.dir(10, 0o555, { list: () => ["kernel", "net"], lookup: (n) => (n === "kernel" ? kernelDir : n === "net" ? this.sysNetDir(_ctx) : undefined) });
  }

  /** /proc/sys/net: the per-network-namespace sysctls (net.ipv4.ip_forward, bridge-nf-call-iptables). */
  private sysNetDir(_ctx: LookupContext): VNode {
    const knob = (ino: number, key: string) =>
      this.file(ino, 0o644, (c) => `${netOf(this.kernel, c.proc.ns.net).sysctl.get(key)}\n`, (d, _a, c) => {
        const v = d.trim();
        if (!/^[01]$/.test(v)) throw new KernelError("EINVAL", "Invalid argument");
        netOf(this.kernel, c.proc.ns.net).setSysctl(key, v);
      });
    const ipv4 = this.dir(31, 0o555, { list: () => ["ip_forward"], lookup: (n) => (n === "ip_forward" ? knob(32, "net.ipv4.ip_forward") : undefined) });
    const bridge = this.dir(33, 0o555, { list: () => ["bridge-nf-call-iptables"], lookup: (n) => (n === "bridge-nf-call-iptables" ? knob(34, "net.bridge.bridge-nf-call-iptables") : undefined) });
    return this.dir(30, 0o555, { list: () => ["bridge", "ipv4"], lookup: (n) => (n === "ipv4" ? ipv4 : n === "bridge" ? bridge : undefined) });
  }

  private pidDir(p: Process): VNode {
    const base = 1000 + p.pid * 64;
    const files: Record<string, () => VNode> = {
      cmdline: () => this.file(base + 1, 0o444, () => (p.argv.length ? p.argv.join("\0") + "\0" : "")),
      comm: () => this.file(base + 2, 0o644, () => `${p.comm}\n`),
      status: () => this.file(base + 3, 0o444, () => this.status(p)),
      cgroup: () => this.file(base + 4, 0o444, (c) => `0::${relCgroup(p.cgroup, c.proc.ns.cgroup.cgroupRoot)}\n`),
      mounts: () => this.file(base + 5, 0o444, () => p.ns.mnt.mounts!.mounts.map((m) => mountsLine(m) + "\n").join("")),
      mountinfo: () => this.file(base + 6, 0o444, () => p.ns.mnt.mounts!.mounts.map((m) => mountinfoLine(m) + "\n").join("")),
      uid_map: () => this.file(base + 7, 0o644, () => fmtIdMap(p.ns.user.uidMap)),
      gid_map: () => this.file(base + 8, 0o644, () => fmtIdMap(p.ns.user.gidMap)),
      oom_score_adj: () =>
        this.file(
          base + 9,
          0o644,
          () => `${p.oomScoreAdj}\n`,
          (d) => {
            const v = Number(d.trim());
            if (!Number.isInteger(v) || v < -1000 || v > 1000) throw new KernelError("EINVAL", "Invalid argument");
            p.oomScoreAdj = v;
          },
        ),
      oom_score: () => this.file(base + 30, 0o444, () => `${this.kernel.memory.oomScore(p)}\n`),
      environ: () => this.file(base + 10, 0o400, () => [...p.env].map(([k, v]) => `${k}=${v}\0`).join("")),
      ns: () =>
        this.dir(base + 11, 0o511, {
          list: () => [...NS_LINK_NAMES],
          lookup: (n) => {
            if (!(NS_LINK_NAMES as readonly string[]).includes(n)) return undefined;
            const link = new SynthNode("symlink", base + 12 + NS_LINK_NAMES.indexOf(n as never), 0o777, {
              readlink: () => nsOfLink(p, n).link,
              follow: () => {
                const ns = nsOfLink(p, n);
                const f = new SynthNode("file", ns.inode, 0o444, { read: () => "" });
                f.nsRef = ns;
                return f;
              },
            });
            link.nsRef = nsOfLink(p, n);
            return link;
          },
        }),
    };
    return this.dir(base, 0o555, {
      list: () => Object.keys(files).sort(),
      lookup: (n) => files[n]?.(),
    });
  }

  private status(p: Process): string {
    const me = p.pidIn(this.pidNs) ?? 0;
    const ppid = p.parent ? (p.parent.pidIn(this.pidNs) ?? 0) : 0;
    const chain = p.nspid.slice(this.pidNs.level).join("\t");
    const uidText = ` ${p.uid}\t${p.uid}\t${p.uid}\t${p.uid}`;
    return [
      `Name:\t${p.comm}`,
      `Umask:\t0022`,
      `State:\t${STATE_TEXT[p.state] ?? p.state}`,
      `Tgid:\t${me}`,
      `Ngid:\t0`,
      `Pid:\t${me}`,
      `PPid:\t${ppid}`,
      `TracerPid:\t0`,
      `Uid:\t${uidText.trim()}`,
      `Gid:\t${p.gid}\t${p.gid}\t${p.gid}\t${p.gid}`,
      `FDSize:\t64`,
      `Groups:\t0 `,
      `NStgid:\t${chain}`,
      `NSpid:\t${chain}`,
      `NSpgid:\t${chain}`,
      `NSsid:\t${chain}`,
      `VmPeak:\t${String(p.vszKb).padStart(8)} kB`,
      `VmSize:\t${String(p.vszKb).padStart(8)} kB`,
      `VmRSS:\t${String(p.rssKb).padStart(8)} kB`,
      `Threads:\t1`,
      `Cpus_allowed_list:\t0-1`,
      `voluntary_ctxt_switches:\t1`,
      `nonvoluntary_ctxt_switches:\t0`,
      "",
    ].join("\n");
  }
}

const TOP_FILES = ["self", "mounts", "uptime", "version", "loadavg", "sys"];

function procOrder(a: string, b: string): number {
  const na = /^\d+$/.test(a);
  const nb = /^\d+$/.test(b);
  if (na && nb) return Number(a) - Number(b);
  if (na !== nb) return na ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function fmtIdMap(map: [number, number, number][]): string {
  return map.map(([a, b, c]) => `${String(a).padStart(10)} ${String(b).padStart(10)} ${String(c).padStart(10)}\n`).join("");
}

/** A cgroup path as seen from inside a cgroup namespace rooted at `root`. */
export function relCgroup(path: string, root: string): string {
  if (root === "/") return path;
  if (path === root) return "/";
  if (path.startsWith(root + "/")) return path.slice(root.length);
  // Outside the namespace root: the kernel shows it relative with ../ components.
  const up = root.split("/").filter(Boolean).length;
  return "/" + "../".repeat(up) + path.replace(/^\//, "");
}
