import { describe, expect, it } from "vitest";
import { createHost } from "../../index";

describe("seq", () => {
  const h = createHost({ seed: 1 });
  const seq = (args: string) => h.sh(`seq ${args}`);

  it("counts up and down, in decimal steps, with -s, -w and -f", () => {
    expect(seq("3").stdout).toBe("1\n2\n3\n");
    expect(seq("2 4").stdout).toBe("2\n3\n4\n");
    expect(seq("10 -4 1").stdout).toBe("10\n6\n2\n");
    expect(seq("0 0.5 1.5").stdout).toBe("0.0\n0.5\n1.0\n1.5\n");
    expect(seq("0 0.1 0.3").stdout).toBe("0.0\n0.1\n0.2\n0.3\n");
    expect(seq("-s, 4").stdout).toBe("1,2,3,4\n");
    expect(seq("-w 9 11").stdout).toBe("09\n10\n11\n");
    expect(seq("-w -2 1").stdout).toBe("-2\n-1\n00\n01\n");
    expect(seq("-f 'pod-%03g' 2").stdout).toBe("pod-001\npod-002\n");
    expect(seq("5 1").stdout).toBe("");
    expect(h.sh("for i in $(seq 3); do echo n$i; done").stdout).toBe("n1\nn2\nn3\n");
  });

  it("bad operands: coreutils' messages, exit 1", () => {
    const tryHelp = "Try 'seq --help' for more information.\n";
    expect(seq("")).toMatchObject({ exitCode: 1, stderr: "seq: missing operand\n" + tryHelp });
    expect(seq("x").stderr).toBe("seq: invalid floating point argument: 'x'\n" + tryHelp);
    expect(seq("1 0 3").stderr).toBe("seq: invalid Zero increment value: '0'\n" + tryHelp);
    expect(seq("1 2 3 4").stderr).toBe("seq: extra operand '4'\n" + tryHelp);
    expect(seq("-s").stderr).toBe("seq: option requires an argument -- 's'\n" + tryHelp);
    expect(seq("-z 3").stderr).toBe("seq: invalid option -- 'z'\n" + tryHelp);
    expect(seq("--bogus 3").stderr).toBe("seq: unrecognized option '--bogus'\n" + tryHelp);
    expect(seq("-f '%g %g' 3")).toMatchObject({ exitCode: 1, stderr: "seq: format '%g %g' has too many % directives\n" });
    expect(seq("-f '%d' 3").stderr).toBe("seq: format '%d' has unknown %d directive\n");
    expect(seq("-w -f %g 3").stderr).toBe("seq: format string may not be specified when printing equal width strings\n" + tryHelp);
    expect(seq("-f abc 3").stderr).toBe("seq: format 'abc' has no % directive\n");
  });

  it("a huge range stops at a bound instead of filling the page", () => {
    const r = seq("1 100000000");
    expect(r.exitCode).toBe(0);
    expect(r.stdout.split("\n").length).toBe(1_000_001);
    expect(r.stderr).toBe("seq: stopped after 1000000 numbers (a limit of this simulation)\n");
  });
});
