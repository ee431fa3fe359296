// host.overlays(): the typed view widgets use instead of parsing `ls` or `findmnt`.
import { describe, expect, it } from "vitest";
import { createHost } from "../index";
import type { Host, OverlayEntrySnapshot } from "../index";

function lab(): Host {
  const h = createHost({ seed: 4 });
  for (const l of [
    "mkdir -p /o/l1/etc /o/l2/etc /o/l2/data /o/up /o/work /o/merged",
    "echo top > /o/l1/etc/conf; echo bottom > /o/l2/etc/conf; echo base > /o/l2/etc/base; echo d > /o/l2/data/d",
    "mount -t overlay overlay -o lowerdir=/o/l1:/o/l2,upperdir=/o/up,workdir=/o/work /o/merged",
  ]) {
    expect(h.sh(l).exitCode, l).toBe(0);
  }
  return h;
}

const entry = (h: Host, path: string): OverlayEntrySnapshot | undefined => h.overlays()[0]!.entries.find((e) => e.path === path);

describe("host.overlays()", () => {
  it("lists the layers and which one serves each merged path", () => {
    const h = lab();
    const [o, ...rest] = h.overlays();
    expect(rest).toEqual([]);
    expect(o).toMatchObject({ mountpoint: "/o/merged", lowerdirs: ["/o/l1", "/o/l2"], upperdir: "/o/up", workdir: "/o/work", readOnly: false, truncated: false });
    expect(o!.mntns).toBe(h.snapshot().namespaces.find((n) => n.kind === "mnt" && n.initial)!.inode);
    expect(o!.entries.map((e) => `${e.path}:${e.type}:${e.servedBy}:${e.layers.join("/")}`)).toEqual([
      "data:dir:1:1",
      "data/d:file:1:1",
      "etc:dir:0:0/1",
      "etc/base:file:1:1",
      "etc/conf:file:0:0/1",
    ]);
  });

  it("follows copy-up, whiteouts and opaque directories as the terminal makes them", () => {
    const h = lab();
    expect(h.sh("echo changed >> /o/merged/etc/base").exitCode).toBe(0);
    expect(entry(h, "etc/base")).toMatchObject({ servedBy: -1, layers: [-1, 1] });
    expect(entry(h, "etc")).toMatchObject({ servedBy: -1, layers: [-1, 0, 1] });

    expect(h.sh("rm /o/merged/etc/conf").exitCode).toBe(0);
    expect(entry(h, "etc/conf")).toEqual({ path: "etc/conf", type: "chr", servedBy: -1, layers: [0, 1], whiteout: true });

    expect(h.sh("rm -r /o/merged/data && mkdir /o/merged/data && echo new > /o/merged/data/n").exitCode).toBe(0);
    expect(entry(h, "data")).toMatchObject({ servedBy: -1, opaque: true });
    expect(entry(h, "data/d")).toBeUndefined();
    expect(entry(h, "data/n")).toMatchObject({ servedBy: -1, layers: [-1] });
  });

  it("does not copy anything up while looking", () => {
    const h = lab();
    h.overlays();
    expect(h.sh("ls -A /o/up").stdout).toBe("");
  });

  it("sees container root filesystems, once each, and forgets unmounted ones", () => {
    const h = createHost({ seed: 4 });
    h.sh("ctr images pull nginx:1.27");
    h.sh("ctr run -d docker.io/library/nginx:1.27 web");
    const [o, ...rest] = h.overlays();
    expect(rest).toEqual([]);
    expect(o!.mountpoint).toBe("/run/containerd/io.containerd.runtime.v2.task/default/web/rootfs");
    expect(o!.lowerdirs).toHaveLength(2);
    expect(o!.entries.find((e) => e.path === "usr/sbin/nginx")).toMatchObject({ servedBy: 0 });
    expect(o!.entries.find((e) => e.path === "etc/os-release")).toMatchObject({ servedBy: 1 });
    h.sh("ctr tasks kill -s SIGKILL web");
    h.settle();
    h.sh("ctr tasks delete web");
    expect(h.overlays()).toEqual([]);
  });

  it("reports a read-only overlay without an upper layer", () => {
    const h = createHost({ seed: 4 });
    h.sh("mkdir -p /r/a /r/b /r/m && echo x > /r/a/x");
    expect(h.sh("mount -t overlay overlay -o lowerdir=/r/a:/r/b /r/m").exitCode).toBe(0);
    expect(h.overlays()[0]).toMatchObject({ readOnly: true, upperdir: null, workdir: null, entries: [{ path: "x", servedBy: 0, layers: [0] }] });
  });
});

describe("host.overlays(query)", () => {
  it("filters by mountpoint and namespace, and lists without walking", () => {
    const h = createHost({ seed: 4 });
    h.sh("ctr images pull busybox:1.36");
    for (const id of ["a", "b", "c"]) h.sh(`ctr run -d docker.io/library/busybox:1.36 ${id} sleep infinity`);
    const list = h.overlays({ entries: false });
    expect(list.map((o) => o.mountpoint.split("/").at(-2))).toEqual(["a", "b", "c"]);
    expect(list.every((o) => o.entries.length === 0)).toBe(true);
    const one = h.overlays({ mountpoint: list[1]!.mountpoint, mntns: list[1]!.mntns });
    expect(one).toHaveLength(1);
    expect(one[0]!.entries.length).toBeGreaterThan(10);
    expect(h.overlays({ mntns: 1 })).toEqual([]);
  });
});
