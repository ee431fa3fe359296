// Read-only mounts: "ro" belongs to the mount, so the same files are writable at one path and
// read-only at another (a bind mount with -o ro), and every way of changing them fails with
// EROFS there: redirection, rm, touch, mkdir, mv, ln -s; a remount flips the flag back.
import { describe, expect, it } from "vitest";
import { createHost } from "../linux";

function hostWithReadOnlyBind() {
  const h = createHost({ seed: 1 });
  for (const l of ["mkdir -p /srv/data /mnt/ro", "echo hi > /srv/data/f", "mount --bind -o ro /srv/data /mnt/ro"]) expect(h.sh(l).exitCode, l).toBe(0);
  return h;
}

describe("read-only mounts", () => {
  it("refuse every change below them with the tools' EROFS messages, and leave the files as they were", () => {
    const h = hostWithReadOnlyBind();
    expect(h.sh("cat /mnt/ro/f").stdout).toBe("hi\n");
    expect(h.sh("echo x > /mnt/ro/f")).toMatchObject({ stderr: "bash: /mnt/ro/f: Read-only file system\n", exitCode: 1 });
    expect(h.sh("echo x >> /mnt/ro/f").stderr).toBe("bash: /mnt/ro/f: Read-only file system\n");
    expect(h.sh("sh -c 'echo x > /mnt/ro/f'")).toMatchObject({ stderr: "sh: 1: cannot create /mnt/ro/f: Read-only file system\n", exitCode: 2 });
    expect(h.sh("rm /mnt/ro/f")).toMatchObject({ stderr: "rm: cannot remove '/mnt/ro/f': Read-only file system\n", exitCode: 1 });
    expect(h.sh("touch /mnt/ro/new")).toMatchObject({ stderr: "touch: cannot touch '/mnt/ro/new': Read-only file system\n", exitCode: 1 });
    expect(h.sh("mkdir /mnt/ro/d")).toMatchObject({ stderr: "mkdir: cannot create directory '/mnt/ro/d': Read-only file system\n", exitCode: 1 });
    expect(h.sh("ls /srv/data").stdout).toBe("f\n");
    expect(h.sh("cat /srv/data/f").stdout).toBe("hi\n");
  });

  it("are a property of the mount: the same files stay writable at their own path, and the view follows them", () => {
    const h = hostWithReadOnlyBind();
    expect(h.sh("echo more >> /srv/data/f").exitCode).toBe(0);
    expect(h.sh("cat /mnt/ro/f").stdout).toBe("hi\nmore\n");
    expect(h.sh("findmnt -n -o OPTIONS /mnt/ro").stdout).toBe("ro,relatime\n");
  });

  it("can be remounted read-write, and a tmpfs can be mounted read-only from the start", () => {
    const h = hostWithReadOnlyBind();
    expect(h.sh("mount -o remount,rw,bind /mnt/ro").exitCode).toBe(0);
    expect(h.sh("echo y > /mnt/ro/g && cat /srv/data/g").stdout).toBe("y\n");
    expect(h.sh("mkdir /mnt/t && mount -t tmpfs -r tmpfs /mnt/t").exitCode).toBe(0);
    expect(h.sh("findmnt -n -o OPTIONS /mnt/t").stdout).toBe("ro,relatime\n");
    expect(h.sh("touch /mnt/t/a").stderr).toBe("touch: cannot touch '/mnt/t/a': Read-only file system\n");
    expect(h.sh("mount -o remount,ro /nope").exitCode).toBe(32);
  });
});
