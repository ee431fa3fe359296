// Property: any sequence of writes, appends and deletes through the merged view leaves every
// lower layer untouched and makes merged equal to a plain directory that got the same operations.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createHost } from "../index";
import type { Host } from "../index";

const NAMES = ["a", "b", "c", "d"];
type Op = { k: "write" | "append"; name: string; text: string } | { k: "rm"; name: string };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ k: fc.constantFrom("write" as const, "append" as const), name: fc.constantFrom(...NAMES), text: fc.constantFrom("x", "yy", "zzz") }),
  fc.record({ k: fc.constant("rm" as const), name: fc.constantFrom(...NAMES) }),
);

function setup(): Host {
  const h = createHost({ seed: 5 });
  h.sh("mkdir -p /o/l1 /o/l2 /o/u /o/w /o/m /o/plain");
  h.sh("echo one > /o/l1/a; echo two > /o/l2/a; echo three > /o/l2/b");
  h.sh("cp /o/l2/b /o/plain/b; cp /o/l1/a /o/plain/a");
  h.sh("mount -t overlay overlay -o lowerdir=/o/l1:/o/l2,upperdir=/o/u,workdir=/o/w /o/m");
  return h;
}

function dump(h: Host, dir: string): string {
  const names = h.sh(`ls ${dir}`).stdout.split(/\s+/).filter(Boolean);
  return names.map((n) => `${n}=${h.sh(`cat ${dir}/${n}`).stdout}`).join(";");
}

describe("overlayfs properties", () => {
  it("merged behaves like a plain directory and lowers never change", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 12 }), (ops) => {
        const h = setup();
        const lowers = dump(h, "/o/l1") + "|" + dump(h, "/o/l2");
        for (const o of ops) {
          for (const dir of ["/o/m", "/o/plain"]) {
            if (o.k === "rm") h.sh(`rm -f ${dir}/${o.name}`);
            else h.sh(`echo ${o.text} ${o.k === "write" ? ">" : ">>"} ${dir}/${o.name}`);
          }
          expect(dump(h, "/o/m")).toBe(dump(h, "/o/plain"));
        }
        expect(dump(h, "/o/l1") + "|" + dump(h, "/o/l2")).toBe(lowers);
      }),
      { seed: 42, numRuns: 150 },
    );
  }, 60_000);
});
