// cd, the builtin: one directory operand, as in bash.
import { describe, expect, it } from "vitest";
import { createHost } from "../index";

describe("cd", () => {
  it("refuses two operands (a glob matching two directories) with bash's message and stays put", () => {
    const h = createHost({ seed: 1 });
    expect(h.sh("mkdir -p /tmp/pod-a /tmp/pod-b && cd /tmp").exitCode).toBe(0);
    const r = h.sh("cd /tmp/pod-*");
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe("bash: cd: too many arguments\n");
    expect(h.sh("pwd").stdout).toBe("/tmp\n");
    expect(h.sh("cd /tmp/pod-a && pwd").stdout).toBe("/tmp/pod-a\n");
  });
});
