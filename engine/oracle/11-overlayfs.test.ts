// Scenario 11 (overlayfs: union, copy-up, whiteouts, opaque dirs, EXDEV, read-only) through
// the engine's shell, compared with a real kernel's recorded outcomes and, as root, a live run.
import { expect } from "vitest";
import { describeOracle } from "./describe-oracle";
import { createHost } from "../index";
import type { Host } from "../index";
import type { Kernel } from "../linux/kernel";
import { ERRNO } from "../linux/process";
import type { KernelError } from "../linux/process";

const NAME = "11-overlayfs";

const out = (h: Host, l: string) => h.sh(l).stdout.replace(/\s+$/, "");
const list = (h: Host, l: string) => out(h, l).split(/\s+/).filter(Boolean).join(",");

/** What rename(2) on `path` returns in the engine: "ok" or "errno=N text", like the scenario's python probe. */
function renameSyscall(h: Host, path: string): string {
  const k = (h as unknown as { kernel: Kernel }).kernel;
  const shell = k.processes.get(h.snapshot().shellPid)!;
  const node = k.resolve(shell, path, false).node as { renameCheck?: () => void };
  try {
    node.renameCheck?.();
    return "ok";
  } catch (e) {
    const err = e as KernelError;
    return `errno=${ERRNO[err.code]} ${err.text}`;
  }
}

export function engineOutcomes(): Map<string, string> {
  const h = createHost({ seed: 11 });
  const kv = new Map<string, string>();
  const steps = [
    "mkdir -p /tmp/scratch && cd /tmp/scratch",
    "mkdir lower1 lower2 upper work merged",
    'echo "from lower1" > lower1/a.txt; echo "lower1 b" > lower1/b.txt; mkdir lower1/dir; echo x > lower1/dir/x',
    'echo "from lower2" > lower2/a.txt; echo "lower2 c" > lower2/c.txt; echo "lower2 d" > lower2/d.txt; mkdir lower2/dir; echo y > lower2/dir/y',
    "mkdir lower2/ldir; echo q > lower2/ldir/q",
    "mount -t overlay overlay -o lowerdir=lower1:lower2,upperdir=upper,workdir=work merged",
  ];
  for (const s of steps) expect(h.sh(s).exitCode, s).toBe(0);
  kv.set("mount.fstype", out(h, "findmnt -n -o FSTYPE merged"));
  kv.set("mount.options", out(h, "findmnt -n -o OPTIONS merged"));
  kv.set("merged.ls", list(h, "ls merged"));
  kv.set("merged.a.txt", out(h, "cat merged/a.txt"));
  kv.set("merged.dir.ls", list(h, "ls merged/dir"));
  kv.set("merged.root_nlink", out(h, "stat -c %h merged"));
  kv.set("upper.ls_before_writes", list(h, "ls -A upper"));

  for (const s of ['echo "modified" >> merged/b.txt', "echo new > merged/new.txt", "rm merged/c.txt", "rm -r merged/dir", "mkdir merged/dir", "echo z > merged/dir/z", "chmod 600 merged/d.txt"]) {
    expect(h.sh(s).exitCode, s).toBe(0);
  }
  const joined = (l: string) => out(h, l).split("\n").join("|");
  kv.set("merged.b.txt", joined("cat merged/b.txt"));
  kv.set("upper.b.txt", joined("cat upper/b.txt"));
  kv.set("lower1.b.txt_unchanged", out(h, "cat lower1/b.txt"));
  kv.set("upper.new.txt", out(h, "cat upper/new.txt"));
  kv.set("lower.new.txt_exists", h.sh("[ -e lower1/new.txt ] || [ -e lower2/new.txt ]").exitCode === 0 ? "yes" : "no");
  kv.set("upper.c.txt", out(h, "stat -c '%F %t,%T %A size=%s' upper/c.txt"));
  kv.set("merged.c.txt_exists", h.sh("[ -e merged/c.txt ]").exitCode === 0 ? "yes" : "no");
  kv.set("lower2.c.txt_still_there", h.sh("[ -e lower2/c.txt ]").exitCode === 0 ? "yes" : "no");
  kv.set("upper.dir.opaque_xattr", out(h, "getfattr --only-values -n trusted.overlay.opaque upper/dir 2>/dev/null"));
  kv.set("merged.dir.ls_after_recreate", list(h, "ls merged/dir"));
  kv.set("upper.d.txt_after_chmod", `${out(h, "stat -c '%A %s' upper/d.txt")} ${out(h, "cat upper/d.txt")}`);
  kv.set("lower2.d.txt_mode_unchanged", out(h, "stat -c %A lower2/d.txt"));
  kv.set("upper.ls_after_writes", list(h, "ls -A upper"));
  kv.set("upper.whiteouts", out(h, "find upper -type c").split("\n").map((p) => p.replace(/^upper\//, "")).sort().join(","));

  // rename(2) of a lower directory fails with EXDEV; mv then copies and deletes.
  kv.set("rename_lower_dir_syscall", renameSyscall(h, "/tmp/scratch/merged/ldir"));
  expect(h.sh("mv merged/ldir merged/ldir2").exitCode).toBe(0);
  const types: Record<string, string> = { "character special file": "c", directory: "d", "regular file": "f", "regular empty file": "f" };
  const entries = out(h, "find upper")
    .split("\n")
    .map((p) => p.replace(/^upper\/?/, ""))
    .filter((p) => p.startsWith("ldir"))
    .map((p) => `${p}:${types[out(h, `stat -c %F upper/${p}`)]}`)
    .sort();
  kv.set("mv_lower_dir.upper", entries.join(","));
  kv.set("mv_lower_dir.merged", list(h, "ls merged"));
  h.sh("umount merged");
  kv.set("after_umount.merged_empty", out(h, "ls -A merged") === "" ? "yes" : "no");
  h.sh("mount -t overlay overlay -o lowerdir=lower1:lower2,upperdir=upper,workdir=work merged");
  kv.set("after_remount.merged.ls", list(h, "ls merged"));
  kv.set("after_remount.merged.b.txt", joined("cat merged/b.txt"));
  h.sh("umount merged");
  h.sh("mkdir -p m2");
  const r = h.sh("mount -t overlay overlay -o lowerdir=lower1,upperdir=upper m2");
  kv.set("mount_without_workdir", `rc=${r.exitCode} ${(r.stdout + r.stderr).replace(/\s+$/, "")}`.replace(/\n/g, "\\n"));
  kv.set("mount_without_workdir.kernel_log", (out(h, "dmesg").match(/overlayfs: .*/g) ?? []).at(-1) ?? "");
  h.sh("mount -t overlay overlay -o lowerdir=lower1:lower2 m2");
  kv.set("readonly_overlay.options", out(h, "findmnt -n -o OPTIONS m2").split(",")[0]!);
  kv.set("readonly_overlay.write", h.sh("sh -c 'echo x > m2/new'").stderr.trim().replace(/^.*: /, ""));
  return kv;
}

describeOracle(NAME, engineOutcomes, { seed: 11 });
