import { describe, expect, it } from "vitest";
import { createHost } from "../../index";

describe("uniq", () => {
  const h = createHost({ seed: 1 });
  h.sh("printf 'a\\na\\nB\\nb\\nc\\na\\n' > /tmp/u");

  it("collapses adjacent runs; -c counts in GNU's column, -d -u -i select", () => {
    expect(h.sh("uniq /tmp/u").stdout).toBe("a\nB\nb\nc\na\n");
    expect(h.sh("uniq -c /tmp/u").stdout).toBe("      2 a\n      1 B\n      1 b\n      1 c\n      1 a\n");
    expect(h.sh("uniq -d /tmp/u").stdout).toBe("a\n");
    expect(h.sh("uniq -u /tmp/u").stdout).toBe("B\nb\nc\na\n");
    expect(h.sh("uniq -ci /tmp/u").stdout).toBe("      2 a\n      2 B\n      1 c\n      1 a\n");
    expect(h.sh("sort /tmp/u | uniq -c | sort -rn | head -1").stdout).toBe("      3 a\n");
    expect(h.sh("printf 'x\\nx' | uniq").stdout).toBe("x\n");
    h.sh("uniq /tmp/u /tmp/u.out");
    expect(h.sh("cat /tmp/u.out").stdout).toBe("a\nB\nb\nc\na\n");
  });

  it("bad input: coreutils' messages, exit 1", () => {
    expect(h.sh("uniq /nope")).toMatchObject({ exitCode: 1, stderr: "uniq: /nope: No such file or directory\n" });
    expect(h.sh("uniq a b c")).toMatchObject({ exitCode: 1, stderr: "uniq: extra operand 'c'\nTry 'uniq --help' for more information.\n" });
    expect(h.sh("uniq -k").stderr).toBe("uniq: invalid option -- 'k'\nTry 'uniq --help' for more information.\n");
    expect(h.sh("uniq --bogus").stderr).toBe("uniq: unrecognized option '--bogus'\nTry 'uniq --help' for more information.\n");
    expect(h.sh("uniq /tmp/u /nodir/out")).toMatchObject({ exitCode: 1, stderr: "uniq: /nodir/out: No such file or directory\n" });
  });
});
