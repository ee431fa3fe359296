// ssh's own options come before (or right after) the destination; the remote command keeps its own.
import { expect, it } from "vitest";
import { createLab } from "../../index";

it("ssh HOST CMD -opts runs CMD with its options on HOST; ssh's options are not passed on", () => {
  const lab = createLab({ hosts: ["node-1", "node-2"], seed: 1 });
  const a = lab.host("node-1");
  expect(a.sh("ssh node-2 hostname").stdout).toBe("node-2\n");
  expect(a.sh("ssh -p 22 -o StrictHostKeyChecking=no node-2 echo -n hi").stdout).toBe("hi");
  expect(a.sh("ssh node-2 -q lsns -t uts -o NS --noheadings").stdout).toBe(lab.host("node-2").sh("lsns -t uts -o NS --noheadings").stdout);
});
