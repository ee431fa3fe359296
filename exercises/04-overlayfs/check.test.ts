// Exercise 4 is honest: its checks fail on the starter, pass on the reference solution, and a
// script that is wrong in one way fails the check about that and passes the others.
import { describe, expect, it } from "vitest";
import exercise from "./check";
import { failing, gradeWork, starterAndSolution } from "../lib/grading";

const { starter, solution } = starterAndSolution(exercise);
const grade = (script: string) => gradeWork(exercise, script);

const MOUNT = "mount -t overlay overlay -o lowerdir=/lab/layer2:/lab/layer1,upperdir=/lab/upper,workdir=/lab/work /lab/merged";
const DIRS = "mkdir -p /lab/upper /lab/work /lab/merged";

describe("exercise 4: overlayfs", () => {
  it("fails every check on the starter, each with a hint", () => {
    const rs = grade(starter);
    expect(rs.length).toBeGreaterThanOrEqual(6);
    // The layers are untouched by the starter; everything else fails.
    expect(failing(rs)).toEqual(rs.filter((r) => r.name !== "The image layers are unchanged").map((r) => r.name));
    for (const r of rs.filter((r) => !r.ok)) expect(r.hint, r.name).toBeTruthy();
    expect(rs[0]!.hint).toMatch(/mount -t overlay/);
    expect(rs.every((r) => r.ok)).toBe(false);
  });

  it("passes every check on the reference solution", () => {
    const rs = grade(solution);
    expect(failing(rs)).toEqual([]);
  });

  it("passes with relative paths typed from /lab", () => {
    const rs = grade(`cd /lab\nmkdir upper work merged\nmount -t overlay overlay -o lowerdir=layer2:layer1,upperdir=upper,workdir=work merged\necho box > merged/etc/hostname\nrm merged/etc/motd\n`);
    expect(failing(rs)).toEqual([]);
  });

  it("catches lowerdirs in the wrong order, with the left-to-right hint", () => {
    const rs = grade(`${DIRS}\nmount -t overlay overlay -o lowerdir=/lab/layer1:/lab/layer2,upperdir=/lab/upper,workdir=/lab/work /lab/merged\necho box > /lab/merged/etc/hostname\nrm /lab/merged/etc/motd\n`);
    expect(failing(rs)).toEqual(["layer2 is stacked above layer1", "The merged tree matches the target"]);
    const order = rs.find((r) => r.name === "layer2 is stacked above layer1")!;
    expect(order.detail).toContain('says "mode=development"');
    expect(order.hint).toMatch(/left-to-right, leftmost on top/);
  });

  it("catches a deletion made in the lower layer instead of through merged", () => {
    const rs = grade(`${DIRS}\nrm /lab/layer1/etc/motd\n${MOUNT}\necho box > /lab/merged/etc/hostname\n`);
    expect(failing(rs)).toEqual(["etc/motd is deleted with a whiteout", "The image layers are unchanged"]);
    expect(rs.find((r) => !r.ok)!.detail).toMatch(/no whiteout/);
  });

  it("catches a file that was not deleted, and an override written into the layer", () => {
    const rs = grade(`${DIRS}\necho box > /lab/layer1/etc/hostname\n${MOUNT}\n`);
    expect(failing(rs)).toEqual(["etc/hostname is overridden in the upper layer", "etc/motd is deleted with a whiteout", "The image layers are unchanged"]);
    expect(rs.find((r) => r.name.startsWith("etc/hostname"))!.detail).toMatch(/lowerdir \/lab\/layer1/);
  });

  it("catches a read-only overlay and one without the lab's upper", () => {
    const ro = grade(`mkdir -p /lab/merged\nmount -t overlay overlay -o lowerdir=/lab/layer2:/lab/layer1 /lab/merged\n`);
    expect(ro[0]).toMatchObject({ ok: false, detail: expect.stringMatching(/read-only/) });
    const other = grade(`mkdir -p /tmp/u /tmp/w /lab/merged\nmount -t overlay overlay -o lowerdir=/lab/layer2:/lab/layer1,upperdir=/tmp/u,workdir=/tmp/w /lab/merged\necho box > /lab/merged/etc/hostname\nrm /lab/merged/etc/motd\n`);
    expect(failing(other)).toEqual(["Changes go to /lab/upper"]);
  });

  it("sees a mount made inside another mount namespace, and says so", () => {
    // Typed line by line, as in the page's terminal: the mount lives in the new namespace.
    const host = exercise.setup();
    for (const line of [DIRS, "unshare --mount bash", MOUNT]) host.sh(line);
    const rs = exercise.check(host);
    expect(rs[0]).toMatchObject({ ok: false, detail: expect.stringMatching(/only inside mount namespace mnt:\[\d+\]/) });
  });

  it("keeps the setup out of the learner's history", () => {
    const h = exercise.setup();
    expect(h.history()).toEqual([]);
    expect(h.sh("cat /lab/layer2/app/config.txt").stdout).toBe("mode=production\n");
  });
});
