import { describe, expect, it } from "vitest";
import { createHost } from "../../index";

describe("grep: several patterns and context lines, as GNU grep prints them", () => {
  const host = () => {
    const h = createHost({ seed: 1 });
    h.sh("printf 'a\\nb\\nc\\nd\\ne\\nf\\ng\\nh\\n' > /tmp/x");
    return h;
  };

  it("-e may be given many times; a line matches if any pattern does", () => {
    const h = host();
    expect(h.sh("grep -e b -e f /tmp/x").stdout).toBe("b\nf\n");
    expect(h.sh("grep -eb --regexp=h /tmp/x").stdout).toBe("b\nh\n");
    expect(h.sh("grep -v -e a -e b -e c -e d /tmp/x").stdout).toBe("e\nf\ng\nh\n");
    expect(h.sh("grep -c -e a -e h /tmp/x").stdout).toBe("2\n");
  });

  it("-A, -B, -C print context with '-' after the line number and '--' between groups", () => {
    const h = host();
    expect(h.sh("grep -n -A1 -e b -e g /tmp/x").stdout).toBe("2:b\n3-c\n--\n7:g\n8-h\n");
    expect(h.sh("grep -C1 d /tmp/x").stdout).toBe("c\nd\ne\n");
    expect(h.sh("grep -B1 -e b -e c /tmp/x").stdout).toBe("a\nb\nc\n");
    expect(h.sh("grep --after-context=2 f /tmp/x").stdout).toBe("f\ng\nh\n");
  });

  it("bad context lengths and a missing -e argument: GNU's messages, exit 2", () => {
    const h = host();
    expect(h.sh("grep -A x /tmp/x")).toMatchObject({ stderr: "grep: x: invalid context length argument\n", exitCode: 2 });
    expect(h.sh("grep -e")).toMatchObject({ stderr: "grep: option requires an argument -- 'e'\nTry 'grep --help' for more information.\n", exitCode: 2 });
  });
});
