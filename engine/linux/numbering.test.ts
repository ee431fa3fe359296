// A machine numbers its inodes and anonymous devices from the same start every time it boots,
// whatever was built before it in the same JavaScript realm (a page's other lab, Reset lab, an
// earlier test), so mountinfo and stat read the same on a rebuilt lab as on a fresh page.
import { describe, expect, it } from "vitest";
import { createHost } from "../linux";

const view = (h: ReturnType<typeof createHost>) => h.sh("cat /proc/self/mountinfo; stat -c '%d %i' /proc /sys/fs/cgroup /root").stdout;

describe("boot numbering", () => {
  it("is the same for a host built first and a host built after others", () => {
    const first = view(createHost({ seed: 1 }));
    const other = createHost({ seed: 1 });
    other.sh("mkdir /mnt/a && mount -t tmpfs tmpfs /mnt/a && unshare --mount --fork mount -t tmpfs tmpfs /mnt/a");
    expect(first).toMatch(/ 0:\d+ /); // anonymous devices appear in mountinfo
    expect(view(createHost({ seed: 1 }))).toBe(first);
  });
});
