import { describe, expect, it } from "vitest";
import { Kernel } from "./kernel";
import { setns, unshare } from "./namespaces";
import { clone } from "./process";

function boot() {
  const k = new Kernel({ hostname: "node", seed: 1 });
  const init = k.spawnInit(["/sbin/init"]);
  const shell = clone(k, init);
  return { k, init, shell };
}

describe("namespaces and processes", () => {
  it("starts with the eight initial namespaces at the kernel's well-known inodes", () => {
    const { init } = boot();
    expect(init.ns.net.inode).toBe(4026531840);
    expect(init.ns.mnt.inode).toBe(4026531841);
    expect(init.ns.pid.inode).toBe(4026531836);
    expect(init.ns.time.inode).toBe(4026531834);
    expect(new Set(Object.values(init.ns).map((n) => n.inode)).size).toBe(8);
  });

  it("unshare --pid moves only the children: the first child is pid 1 with a pid in each ancestor", () => {
    const { k, shell } = boot();
    unshare(k, shell, { pid: true });
    expect(shell.ns.pid.initial).toBe(true);
    expect(shell.pidForChildren.initial).toBe(false);
    const c1 = clone(k, shell);
    expect(c1.nspid).toEqual([c1.pid, 1]);
    expect(c1.ns.pid.init).toBe(c1);
    const c2 = clone(k, c1);
    expect(c2.nspid[1]).toBe(2);
    // nested: a grandchild namespace gives three levels
    unshare(k, c2, { pid: true });
    const c3 = clone(k, c2);
    expect(c3.nspid).toHaveLength(3);
    expect(c3.nspid[2]).toBe(1);
    expect(c3.pidIn(c1.ns.pid)).toBe(3);
  });

  it("when a pid namespace's init dies, the rest are killed and new forks fail with ENOMEM", () => {
    const { k, shell } = boot();
    unshare(k, shell, { pid: true });
    const init = clone(k, shell);
    const other = clone(k, init);
    k.exitProcess(init, 0);
    expect(other.alive).toBe(false);
    expect(() => clone(k, shell)).toThrow(/ENOMEM/);
  });

  it("a new UTS namespace copies the hostname and keeps changes inside", () => {
    const { k, init, shell } = boot();
    unshare(k, shell, { uts: true });
    expect(shell.ns.uts.hostname).toBe("node");
    shell.ns.uts.hostname = "box";
    expect(init.ns.uts.hostname).toBe("node");
    const child = clone(k, shell);
    expect(child.ns.uts.hostname).toBe("box");
  });

  it("a new mount namespace copies the table with new mount ids and private propagation", () => {
    const { k, init, shell } = boot();
    unshare(k, shell, { mnt: true });
    const before = init.ns.mnt.mounts!.mounts;
    const after = shell.ns.mnt.mounts!.mounts;
    expect(after.map((m) => m.mountpoint)).toEqual(before.map((m) => m.mountpoint));
    expect(after.every((m, i) => m.id !== before[i]!.id)).toBe(true);
    expect(after.every((m) => m.propagation === "private")).toBe(true);
  });

  it("setns joins an existing namespace; a namespace nobody holds is destroyed", () => {
    const { k, init, shell } = boot();
    const events: string[] = [];
    k.events.subscribe((e) => events.push(e.type));
    unshare(k, shell, { net: true });
    const net = shell.ns.net;
    const visitor = clone(k, init);
    setns(k, visitor, net);
    expect(visitor.ns.net).toBe(net);
    k.exitProcess(shell, 0);
    expect(net.alive).toBe(true);
    k.exitProcess(visitor, 0);
    expect(net.alive).toBe(false);
    expect(events).toContain("ns.destroy");
  });

  it("orphans are reparented to the init of their pid namespace", () => {
    const { k, shell } = boot();
    unshare(k, shell, { pid: true });
    const nsInit = clone(k, shell);
    const mid = clone(k, nsInit);
    const leaf = clone(k, mid);
    k.exitProcess(mid, 0);
    expect(leaf.parent).toBe(nsInit);
  });
});
