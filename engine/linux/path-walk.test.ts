// The path walk: resolve() throws what namei would, and tryResolve() — the form execvp's PATH
// search and mkdir -p use — answers the same question with null instead of an exception.
import { describe, expect, it } from "vitest";
import { Kernel } from "./kernel";
import { KernelError, clone } from "./process";

function boot() {
  const k = new Kernel({ hostname: "node", seed: 1 });
  const init = k.spawnInit(["/sbin/init"]);
  k.rootFs.put("/opt/tool/bin/run", "#!\n", { mode: 0o755 });
  k.rootFs.put("/opt/link", null, { symlink: "/opt/tool" });
  k.rootFs.put("/opt/loop-a", null, { symlink: "/opt/loop-b" });
  k.rootFs.put("/opt/loop-b", null, { symlink: "/opt/loop-a" });
  return { k, proc: clone(k, init) };
}

const errno = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof KernelError ? `${e.code}: ${e.text}` : String(e);
  }
  return "no error";
};

describe("path walk", () => {
  it("resolves through symlinks and reports the canonical path", () => {
    const { k, proc } = boot();
    expect(k.resolve(proc, "/opt/link/bin/run").path).toBe("/opt/tool/bin/run");
    expect(k.tryResolve(proc, "/opt/link/bin/run")?.path).toBe("/opt/tool/bin/run");
    expect(k.tryResolve(proc, "/opt/link", false)?.node.type).toBe("symlink");
  });

  it("throws ENOENT, ENOTDIR and ELOOP as namei does; tryResolve answers null for each", () => {
    const { k, proc } = boot();
    expect(errno(() => k.resolve(proc, "/opt/none"))).toBe("ENOENT: No such file or directory");
    expect(errno(() => k.resolve(proc, "/opt/tool/bin/run/x"))).toBe("ENOTDIR: Not a directory");
    expect(errno(() => k.resolve(proc, "/opt/loop-a/x"))).toBe("ELOOP: Too many levels of symbolic links");
    for (const p of ["/opt/none", "/opt/tool/bin/run/x", "/opt/loop-a/x"]) expect(k.tryResolve(proc, p)).toBeNull();
  });

  it("follows the process's root and working directory", () => {
    const { k, proc } = boot();
    proc.cwd = "/opt/tool";
    expect(k.tryResolve(proc, "bin/run")?.path).toBe("/opt/tool/bin/run");
    proc.root = "/opt/tool";
    expect(k.resolve(proc, "/bin/run").path).toBe("/bin/run");
    expect(k.tryResolve(proc, "/opt")).toBeNull();
  });

  it("mkdir -p creates only what is missing and returns the last directory", () => {
    const { k, proc } = boot();
    const d = k.mkdirp(proc, "/opt/link/new/deeper");
    expect(k.resolve(proc, "/opt/tool/new/deeper").node).toBe(d);
    expect(k.mkdirp(proc, "/opt/tool/new/deeper")).toBe(d);
  });
});
