import { describe, expect, it } from "vitest";
import { createHost } from "../../index";

describe("tr", () => {
  const h = createHost({ seed: 1 });
  const tr = (args: string, input: string) => h.sh(`tr ${args}`, { stdin: input });

  it("translates ranges, classes and escapes; pads SET2 with its last character", () => {
    expect(tr("a-z A-Z", "kube-proxy\n").stdout).toBe("KUBE-PROXY\n");
    expect(tr("'[:lower:]' '[:upper:]'", "pod\n").stdout).toBe("POD\n");
    expect(tr("abc x", "aabbcc\n").stdout).toBe("xxxxxx\n");
    expect(tr("',' '\\n'", "a,b\n").stdout).toBe("a\nb\n");
    expect(tr("'\\t' ' '", "a\tb\n").stdout).toBe("a b\n");
    expect(tr("'\\\\' /", "a\\b\n").stdout).toBe("a/b\n");
    expect(tr("'0-9' '[x*]'", "a1b22\n").stdout).toBe("axbxx\n");
    expect(tr("-t abc x", "abc\n").stdout).toBe("xbc\n");
  });

  it("-d deletes, -s squeezes, -c complements", () => {
    expect(tr("-d '\\n'", "a\nb\n").stdout).toBe("ab");
    expect(tr("-s ' '", "a    b  c\n").stdout).toBe("a b c\n");
    expect(tr("-cd '[:digit:]'", "pod-12 restarts 3\n").stdout).toBe("123");
    expect(tr("-c 'a-z\\n' _", "a-b c\n").stdout).toBe("a_b_c\n");
    expect(tr("-ds a p", "apple\n").stdout).toBe("ple\n");
    expect(tr("-s '[:space:]' ' '", "a \n\t b\n").stdout).toBe("a b ");
  });

  it("bad operands: GNU's messages, exit 1", () => {
    const err = (args: string) => h.sh(`tr ${args}`, { stdin: "x\n" });
    expect(err("")).toMatchObject({ exitCode: 1, stderr: "tr: missing operand\nTry 'tr --help' for more information.\n" });
    expect(err("a").stderr).toBe("tr: missing operand after 'a'\nTwo strings must be given when translating.\nTry 'tr --help' for more information.\n");
    expect(err("-ds a").stderr).toBe("tr: missing operand after 'a'\nTwo strings must be given when both deleting and squeezing repeats.\nTry 'tr --help' for more information.\n");
    expect(err("-d a b").stderr).toBe("tr: extra operand 'b'\nOnly one string may be given when deleting without squeezing repeats.\nTry 'tr --help' for more information.\n");
    expect(err("a b c").stderr).toBe("tr: extra operand 'c'\nTry 'tr --help' for more information.\n");
    expect(err("z-a x")).toMatchObject({ exitCode: 1, stderr: "tr: range-endpoints of 'z-a' are in reverse collating sequence order\n" });
    expect(err("a ''").stderr).toBe("tr: when not truncating set1, string2 must be non-empty\n");
    expect(err("'[:foo:]' x").stderr).toBe("tr: invalid character class 'foo'\n");
    expect(err("a '[:digit:]'").stderr).toBe("tr: when translating, the only character classes that may appear in\nstring2 are 'upper' and 'lower'\n");
    expect(err("-q a b").stderr).toBe("tr: invalid option -- 'q'\nTry 'tr --help' for more information.\n");
    expect(err("--bogus a b").stderr).toBe("tr: unrecognized option '--bogus'\nTry 'tr --help' for more information.\n");
    expect(err("a '\\'").stderr).toBe("tr: warning: an unescaped backslash at end of string is not portable\n");
    expect(h.sh("tr --help").stdout).toMatch(/^Usage: tr \[OPTION\]... STRING1 \[STRING2\]/);
  });
});
