// cgroupfs: the cgroup2 filesystem at /sys/fs/cgroup. A directory is a cgroup; its files are
// the interface of the core and of each controller its parent enabled. Reads format live kernel
// state; writes are parsed exactly as the kernel parses them and fail with the kernel's errno.
import type { Cgroup, CgroupHierarchy, Controller } from "./cgroup";
import { CONTROLLERS } from "./cgroup";
import { formatCpuMax, formatCpuStat, niceToWeight, parseCpuMax, parseCpuWeight, weightToNice } from "./cgroup-cpu";
import { formatLimit, formatMemoryEvents, formatMemoryStat, parseMemoryLimit } from "./cgroup-memory";
import type { Kernel } from "./kernel";
import { KernelError } from "./process";
import { SynthNode, anonDev } from "./vfs";
import type { FileSystem, LookupContext, VNode } from "./vfs";

interface CgFile {
  mode: number;
  read?: (cg: Cgroup, ctx: LookupContext) => string;
  write?: (cg: Cgroup, text: string, ctx: LookupContext) => void;
}

const PRESSURE = "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n";

function einval(): KernelError {
  return new KernelError("EINVAL", "Invalid argument");
}

/** kstrtoint-style: an integer, optional sign and trailing newline, nothing else. */
function parseInt10(text: string): number {
  const t = text.trim();
  if (!/^[-+]?\d+$/.test(t)) throw einval();
  return Number(t);
}

/** "max" or a non-negative integer (cgroup.max.depth, pids.max …). */
function parseMaxOrInt(text: string): number | null {
  const t = text.trim();
  if (t === "max") return null;
  if (!/^\d+$/.test(t)) throw einval();
  return Number(t);
}

export class CgroupFs implements FileSystem {
  readonly type = "cgroup2";
  readonly source = "cgroup2";
  readonly dev = anonDev();
  readonly extraOptions = "nsdelegate,memory_recursiveprot";
  readonly root: VNode;
  private readonly files: Record<string, CgFile>;
  private readonly dirs = new WeakMap<Cgroup, VNode>();

  constructor(
    private readonly kernel: Kernel,
    private readonly tree: CgroupHierarchy,
  ) {
    this.files = this.interfaceFiles();
    this.root = this.dirNode(tree.root);
  }

  /** The files a cgroup directory holds, in `ls` order (sorted), as a real kernel shows them. */
  fileNames(cg: Cgroup): string[] {
    const names: string[] = [];
    const core = cg.isRoot
      ? ["cgroup.controllers", "cgroup.max.depth", "cgroup.max.descendants", "cgroup.pressure", "cgroup.procs", "cgroup.stat", "cgroup.subtree_control", "cgroup.threads", "cpu.pressure", "cpu.stat", "cpu.stat.local", "io.pressure", "memory.numa_stat", "memory.pressure", "memory.reclaim", "memory.stat"]
      : ["cgroup.controllers", "cgroup.events", "cgroup.freeze", "cgroup.kill", "cgroup.max.depth", "cgroup.max.descendants", "cgroup.pressure", "cgroup.procs", "cgroup.stat", "cgroup.stat.local", "cgroup.subtree_control", "cgroup.threads", "cgroup.type", "cpu.pressure", "cpu.stat", "cpu.stat.local", "io.pressure", "memory.pressure"];
    names.push(...core);
    if (!cg.isRoot) {
      if (cg.has("cpu")) names.push("cpu.idle", "cpu.max", "cpu.max.burst", "cpu.uclamp.max", "cpu.uclamp.min", "cpu.weight", "cpu.weight.nice");
      if (cg.has("memory"))
        names.push("memory.current", "memory.events", "memory.events.local", "memory.high", "memory.low", "memory.max", "memory.min", "memory.numa_stat", "memory.oom.group", "memory.peak", "memory.reclaim", "memory.stat", "memory.swap.current", "memory.swap.events", "memory.swap.high", "memory.swap.max", "memory.zswap.current", "memory.zswap.max");
      if (cg.has("pids")) names.push("pids.current", "pids.events", "pids.max", "pids.peak");
    }
    return [...new Set(names)].sort();
  }

  private dirNode(cg: Cgroup): VNode {
    const cached = this.dirs.get(cg);
    if (cached) return cached;
    const ino = cg.id * 64;
    const dir = new SynthNode("dir", ino, 0o755, {
      list: () => [
        ...(cg.isRoot ? (this.tree.adopt(), []) : []),...this.fileNames(cg), ...cg.children.keys()].sort(),
      lookup: (name) => {
        if (cg.isRoot && !cg.children.has(name)) this.tree.adopt();
        const child = cg.children.get(name);
        if (child) return this.dirNode(child);
        const i = this.fileNames(cg).indexOf(name);
        return i >= 0 ? this.fileNode(cg, name, ino + 1 + i) : undefined;
      },
    });
    const ext = dir as SynthNode & {
      create: (name: string, type: "dir" | "file") => VNode;
      remove: (name: string) => void;
      rmdir: (name: string) => void;
    };
    ext.create = (name, type) => {
      if (type !== "dir") throw new KernelError("EACCES", "Permission denied");
      if (this.fileNames(cg).includes(name)) throw new KernelError("EEXIST", "File exists");
      this.kernel.cpu.sync();
      return this.dirNode(this.tree.mkdir(cg, name));
    };
    ext.rmdir = (name) => {
      const child = cg.children.get(name);
      if (!child) throw new KernelError(this.fileNames(cg).includes(name) ? "ENOTDIR" : "ENOENT", this.fileNames(cg).includes(name) ? "Not a directory" : "No such file or directory");
      this.kernel.cpu.sync();
      this.tree.rmdir(child);
    };
    ext.remove = (name) => {
      if (cg.children.has(name)) ext.rmdir(name);
      else throw new KernelError("EPERM", "Operation not permitted");
    };
    this.dirs.set(cg, dir);
    return dir;
  }

  private fileNode(cg: Cgroup, name: string, ino: number): VNode {
    const f = this.files[name];
    if (!f) throw new Error(`cgroupfs: no handler for ${name}`);
    const impl: ConstructorParameters<typeof SynthNode>[3] = {};
    if (f.read) {
      const read = f.read;
      impl.read = (ctx) => {
        this.kernel.cpu.sync();
        return read(cg, ctx);
      };
    }
    if (f.write) {
      const write = f.write;
      impl.write = (data, _append, ctx) => {
        this.kernel.cpu.sync();
        write(cg, data, ctx);
      };
    }
    return new SynthNode("file", ino, f.mode, impl);
  }

  private interfaceFiles(): Record<string, CgFile> {
    const k = this.kernel;
    const tree = this.tree;
    const list = (set: Iterable<Controller>) => {
      const s = new Set(set);
      return CONTROLLERS.filter((c) => s.has(c)).join(" ") + "\n";
    };
    const moveProc = (cg: Cgroup, text: string, ctx: LookupContext) => {
      const t = text.trim();
      if (!/^\d+$/.test(t)) throw einval();
      const n = Number(t);
      // The pid is read in the writer's pid namespace; 0 means the writer itself.
      const p = n === 0 ? ctx.proc : ctx.proc.ns.pid.pids.get(n);
      if (!p || !p.alive) throw new KernelError("ESRCH", "No such process");
      tree.migrate(p, cg);
    };
    const setMem = (key: "max" | "high" | "low" | "min") => (cg: Cgroup, text: string) => {
      const v = parseMemoryLimit(text);
      if (key === "max" || key === "high") cg.memory[key] = v;
      else cg.memory[key] = v ?? Number.MAX_SAFE_INTEGER;
      tree.configChanged(cg);
      if (key === "max") k.memory.enforceMax(cg);
    };
    const memLimit = (key: "low" | "min") => (cg: Cgroup) => (cg.memory[key] >= Number.MAX_SAFE_INTEGER ? "max\n" : `${cg.memory[key]}\n`);
    const pidsOf = (cg: Cgroup, ctx: LookupContext) =>
      tree
        .procs(cg)
        .map((p) => p.pidIn(ctx.proc.ns.pid))
        .filter((x): x is number => x !== undefined)
        .map((x) => `${x}\n`)
        .join("");
    const rw = 0o644;
    const ro = 0o444;
    return {
      "cgroup.controllers": { mode: ro, read: (cg) => list(cg.controllers) },
      "cgroup.subtree_control": { mode: rw, read: (cg) => list(cg.subtreeControl), write: (cg, t) => tree.setSubtreeControl(cg, t) },
      "cgroup.procs": { mode: rw, read: pidsOf, write: moveProc },
      "cgroup.threads": { mode: rw, read: pidsOf, write: moveProc },
      "cgroup.type": { mode: rw, read: () => "domain\n", write: (_cg, t) => {
        if (t.trim() !== "threaded") throw einval();
        throw new KernelError("EOPNOTSUPP", "Operation not supported");
      } },
      "cgroup.events": { mode: ro, read: (cg) => `populated ${tree.populated(cg) ? 1 : 0}\nfrozen ${cg.frozen ? 1 : 0}\n` },
      "cgroup.freeze": { mode: rw, read: (cg) => `${cg.freeze ? 1 : 0}\n`, write: (cg, t) => {
        const v = parseInt10(t);
        if (v < 0 || v > 1) throw new KernelError("ERANGE", "Numerical result out of range");
        if (cg.freeze !== (v === 1)) {
          cg.freeze = v === 1;
          tree.configChanged(cg);
          k.freezeChanged();
        }
      } },
      "cgroup.kill": { mode: 0o200, write: (cg, t) => {
        if (parseInt10(t) !== 1) throw new KernelError("ERANGE", "Numerical result out of range");
        tree.killAll(cg);
      } },
      "cgroup.max.depth": { mode: rw, read: (cg) => formatMax(cg.maxDepth), write: (cg, t) => void (cg.maxDepth = parseMaxOrInt(t)) },
      "cgroup.max.descendants": { mode: rw, read: (cg) => formatMax(cg.maxDescendants), write: (cg, t) => void (cg.maxDescendants = parseMaxOrInt(t)) },
      "cgroup.stat": { mode: ro, read: (cg) => cgroupStat(cg) },
      "cgroup.stat.local": { mode: ro, read: () => "frozen_usec 0\n" },
      "cgroup.pressure": { mode: rw, read: () => "1\n", write: (_cg, t) => void parseInt10(t) },
      "cpu.pressure": { mode: rw, read: () => PRESSURE },
      "io.pressure": { mode: rw, read: () => PRESSURE },
      "memory.pressure": { mode: rw, read: () => PRESSURE },
      "cpu.stat": { mode: ro, read: (cg) => formatCpuStat(cg.cpu, !cg.isRoot && cg.has("cpu")) },
      "cpu.stat.local": { mode: ro, read: () => "throttled_usec 0\n" },
      "cpu.weight": { mode: rw, read: (cg) => `${cg.cpu.weight}\n`, write: (cg, t) => {
        cg.cpu.weight = parseCpuWeight(t);
        tree.configChanged(cg);
      } },
      "cpu.weight.nice": { mode: rw, read: (cg) => `${weightToNice(cg.cpu.weight)}\n`, write: (cg, t) => {
        const n = parseInt10(t);
        if (n < -20 || n > 19) throw new KernelError("ERANGE", "Numerical result out of range");
        cg.cpu.weight = niceToWeight(n);
        tree.configChanged(cg);
      } },
      "cpu.max": { mode: rw, read: (cg) => formatCpuMax(cg.cpu), write: (cg, t) => {
        const { quota, period } = parseCpuMax(t, cg.cpu.period);
        k.cpu.setBandwidth(cg, quota, period);
      } },
      "cpu.max.burst": { mode: rw, read: () => "0\n", write: (_cg, t) => void parseInt10(t) },
      "cpu.idle": { mode: rw, read: () => "0\n", write: (_cg, t) => {
        const v = parseInt10(t);
        if (v !== 0 && v !== 1) throw einval();
      } },
      "cpu.uclamp.min": { mode: rw, read: () => "0.00\n" },
      "cpu.uclamp.max": { mode: rw, read: () => "max\n" },
      "memory.current": { mode: ro, read: (cg) => `${cg.memory.current}\n` },
      "memory.peak": { mode: rw, read: (cg) => `${cg.memory.peak}\n`, write: (cg) => void (cg.memory.peak = cg.memory.current) },
      "memory.max": { mode: rw, read: (cg) => formatLimit(cg.memory.max), write: setMem("max") },
      "memory.high": { mode: rw, read: (cg) => formatLimit(cg.memory.high), write: setMem("high") },
      "memory.low": { mode: rw, read: memLimit("low"), write: setMem("low") },
      "memory.min": { mode: rw, read: memLimit("min"), write: setMem("min") },
      "memory.events": { mode: ro, read: (cg) => formatMemoryEvents(cg.memory.events) },
      "memory.events.local": { mode: ro, read: (cg) => formatMemoryEvents(cg.memory.eventsLocal) },
      "memory.stat": { mode: ro, read: (cg) => formatMemoryStat(cg.memory) },
      "memory.numa_stat": { mode: ro, read: (cg) => `anon N0=${cg.memory.anon}\nfile N0=0\nkernel_stack N0=0\npagetables N0=0\nshmem N0=0\n` },
      "memory.oom.group": { mode: rw, read: (cg) => `${cg.memory.oomGroup ? 1 : 0}\n`, write: (cg, t) => {
        const v = parseInt10(t);
        if (v !== 0 && v !== 1) throw einval();
        cg.memory.oomGroup = v === 1;
      } },
      // Nothing is reclaimable (anonymous memory, no swap): the kernel answers EAGAIN.
      "memory.reclaim": { mode: 0o200, write: (_cg, t) => {
        if (parseMemoryLimit(t) === null) throw einval();
        throw new KernelError("EAGAIN", "Resource temporarily unavailable");
      } },
      "memory.swap.current": { mode: ro, read: () => "0\n" },
      "memory.swap.events": { mode: ro, read: () => "high 0\nmax 0\nfail 0\n" },
      "memory.swap.high": { mode: rw, read: () => "max\n", write: (_cg, t) => void parseMemoryLimit(t) },
      "memory.swap.max": { mode: rw, read: () => "max\n", write: (_cg, t) => void parseMemoryLimit(t) },
      "memory.zswap.current": { mode: ro, read: () => "0\n" },
      "memory.zswap.max": { mode: rw, read: () => "max\n", write: (_cg, t) => void parseMemoryLimit(t) },
      "pids.max": { mode: rw, read: (cg) => formatMax(cg.pids.max), write: (cg, t) => void (cg.pids.max = parseMaxOrInt(t)) },
      "pids.current": { mode: ro, read: (cg) => `${tree.pidsCurrent(cg)}\n` },
      "pids.peak": { mode: ro, read: (cg) => `${Math.max(cg.pids.peak, tree.pidsCurrent(cg))}\n` },
      "pids.events": { mode: ro, read: (cg) => `max ${cg.pids.eventsMax}\n` },
    };

    function formatMax(v: number | null): string {
      return v === null ? "max\n" : `${v}\n`;
    }

    function cgroupStat(cg: Cgroup): string {
      const below = [...cg.walk()];
      // nr_subsys_<ss>: live css of that controller in the subtree (perf_event is implicit everywhere).
      const subsys = ["cpu", "memory", "perf_event", "pids"].map((ss) => {
        const n = below.filter((c) => ss === "perf_event" || (c.isRoot ? true : c.has(ss as Controller))).length;
        return `nr_subsys_${ss} ${n}`;
      });
      return [`nr_descendants ${below.length - 1}`, ...subsys, "nr_dying_descendants 0", ...subsys.map((l) => l.replace("nr_subsys_", "nr_dying_subsys_").replace(/ \d+$/, " 0"))].join("\n") + "\n";
    }
  }
}
