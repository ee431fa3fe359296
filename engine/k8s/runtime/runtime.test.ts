// The container runtime assembles a container only from Linux pieces: namespaces, a cgroup,
// an overlay rootfs over shared image layers, and a process.
import { describe, expect, it } from "vitest";
import { createHost } from "../../index";
import type { Host } from "../../index";

const out = (h: Host, l: string) => h.sh(l).stdout;

describe("images and containerd", () => {
  it("stores a layer shared by two images once", () => {
    const h = createHost({ seed: 1 });
    h.sh("ctr images pull docker.io/library/nginx:1.27");
    const before = out(h, "du -s /var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots").split("\t")[0];
    const pull = out(h, "ctr images pull python:3.12-slim");
    expect(pull).toMatch(/^layer-sha256:[0-9a-f]{64}:\s+exists/m);
    expect(pull).toMatch(/^layer-sha256:[0-9a-f]{64}:\s+done/m);
    const after = out(h, "du -s /var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots").split("\t")[0];
    // python adds only its own layer (~6.7 MB), not a second copy of the ~6 MB base.
    expect(Number(after) - Number(before)).toBeLessThan(7_500);
    expect(out(h, "ctr images ls -q")).toBe("docker.io/library/nginx:1.27\ndocker.io/library/python:3.12-slim\n");
  });

  it("ctr run makes namespaces, a cgroup, an overlay rootfs and a process visible on the host", () => {
    const h = createHost({ seed: 1 });
    h.sh("ctr images pull nginx:1.27");
    expect(h.sh("ctr run -d docker.io/library/nginx:1.27 web").exitCode).toBe(0);
    const pid = out(h, "ctr tasks ls").split("\n")[1]!.split(/\s+/)[1]!;
    expect(out(h, `ps -o comm= -p ${pid}`)).toBe("nginx\n");
    expect(out(h, `nsenter -t ${pid} --uts hostname`)).toBe("web\n");
    expect(out(h, `nsenter -t ${pid} -a ps -o pid=,comm=`)).toBe("      1 nginx\n      2 nginx\n      3 ps\n");
    expect(out(h, `cat /proc/${pid}/cgroup`)).toBe("0::/default/web\n");
    expect(out(h, "mount")).toMatch(/^overlay on \/run\/containerd\/io\.containerd\.runtime\.v2\.task\/default\/web\/rootfs type overlay \(rw,relatime,lowerdir=.*snapshots\/2\/fs:.*snapshots\/1\/fs,upperdir=.*,workdir=.*\)$/m);
    const host = out(h, "readlink /proc/self/ns/net");
    expect(out(h, `readlink /proc/${pid}/ns/net`)).not.toBe(host);
  });

  it("writes go to the container's upper layer and vanish with the container", () => {
    const h = createHost({ seed: 1 });
    h.sh("ctr images pull busybox:1.36");
    expect(out(h, "ctr run --rm docker.io/library/busybox:1.36 one sh -c 'echo hi > /tmp/x; cat /tmp/x'")).toBe("hi\n");
    expect(h.sh("ctr run --rm docker.io/library/busybox:1.36 two cat /tmp/x")).toMatchObject({ stderr: "cat: /tmp/x: No such file or directory\n", exitCode: 1 });
    expect(out(h, "ctr containers ls")).toBe("CONTAINER    IMAGE    RUNTIME\n");
  });

  it("reports errors the way ctr does", () => {
    const h = createHost({ seed: 1 });
    expect(h.sh("ctr run -d nginx:1.27 web")).toMatchObject({ stderr: 'ctr: image "docker.io/library/nginx:1.27": not found\n', exitCode: 1 });
    expect(h.sh("ctr images pull nosuch/thing:9").stderr).toMatch(/^ctr: failed to resolve reference "docker.io\/nosuch\/thing:9"/);
  });
});

describe("a container by hand, then runc", () => {
  it("unshare + overlay + pivot_root gives a process its own root", () => {
    const h = createHost({ seed: 1 });
    h.sh("ctr images pull busybox:1.36");
    const lower = out(h, "ls -d /var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/1/fs").trim();
    expect(lower).toBe("/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/1/fs");
    h.sh("mkdir -p /c/upper /c/work /c/root");
    h.sh(`mount -t overlay overlay -o lowerdir=${lower},upperdir=/c/upper,workdir=/c/work /c/root`);
    const r = h.sh("unshare --mount --uts --pid --fork sh -c 'hostname byhand; mkdir -p /c/root/old; pivot_root /c/root /c/root/old; umount -l /old; mount -t proc proc /proc; hostname; ls /; ps -o pid=,comm='");
    // pids keep counting inside the namespace (hostname, mkdir, … each took one), as the real runc run shows.
    expect(r.stdout).toMatch(/^byhand\nbin  dev  etc  old  proc  root  sys  tmp  var\n {6}1 sh\n +\d+ ps\n$/);
    expect(h.sh("ls /c/upper").stdout).toBe("old\n");
  });

  it("runc run -b BUNDLE starts config.json's process in new namespaces", () => {
    const h = createHost({ seed: 1 });
    h.sh("ctr images pull busybox:1.36");
    h.sh("mkdir -p /b/rootfs && cp -r /var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/1/fs/bin /var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/1/fs/proc /var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/1/fs/etc /b/rootfs/");
    h.sh("cd /b && runc spec");
    expect(out(h, "grep -c '\"type\": \"pid\"' /b/config.json")).toBe("1\n");
    // config.json runs sh on the terminal: it becomes the interactive shell until exit.
    h.sh("cd /b && runc run demo");
    expect(h.prompt()).toBe("root@runc:/# ");
    expect(out(h, "ps -o pid=,comm=")).toMatch(/^ {6}1 sh\n +\d+ ps\n$/);
    expect(out(h, "hostname")).toBe("runc\n");
    h.sh("exit");
    expect(h.prompt()).toBe("root@node:/b# ");
  });
});
