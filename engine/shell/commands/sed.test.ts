import { describe, expect, it } from "vitest";
import { createHost } from "../../index";

const host = () => {
  const h = createHost({ seed: 1 });
  h.sh("printf 'alpha 1\\nbeta 2\\ngamma 3\\ndelta 4\\n' > /tmp/g");
  return h;
};

describe("sed: the editing people do", () => {
  it("substitutes with flags g, N, p, I, & and groups, in BRE and ERE, with any delimiter", () => {
    const h = host();
    expect(h.sh("sed 's/a/A/g' /tmp/g").stdout).toBe("AlphA 1\nbetA 2\ngAmmA 3\ndeltA 4\n");
    expect(h.sh("sed 's/a/A/2' /tmp/g").stdout).toBe("alphA 1\nbeta 2\ngammA 3\ndelta 4\n");
    expect(h.sh("sed -n 's/ALPHA/[&]/Ip' /tmp/g").stdout).toBe("[alpha] 1\n");
    expect(h.sh("sed 's/\\([a-z]*\\) \\([0-9]\\)/\\2=\\1/' /tmp/g").stdout).toBe("1=alpha\n2=beta\n3=gamma\n4=delta\n");
    expect(h.sh("sed -E 's#([a-z]+) ([0-9])#\\2/\\1#' /tmp/g").stdout).toBe("1/alpha\n2/beta\n3/gamma\n4/delta\n");
    expect(h.sh("echo hello world | sed -E 's/(\\w+) (\\w+)/\\u\\1 \\U\\2\\E!/'").stdout).toBe("Hello WORLD!\n");
  });

  it("addresses: N, $, /re/, ranges, first~step, +N, 0,/re/ and ! negation", () => {
    const h = host();
    const sel = (s: string) => h.sh(`sed -n '${s}' /tmp/g`).stdout.split("\n").filter(Boolean).map((l) => l.split(" ")[1]).join("");
    expect(sel("2p")).toBe("2");
    expect(sel("$p")).toBe("4");
    expect(sel("/mm/p")).toBe("3");
    expect(sel("2,3p")).toBe("23");
    expect(sel("/beta/,/delta/p")).toBe("234");
    expect(sel("3,/a/p")).toBe("34");
    expect(sel("0,/a/p")).toBe("1");
    expect(sel("1~2p")).toBe("13");
    expect(sel("2,+1p")).toBe("23");
    expect(sel("2!p")).toBe("134");
    expect(sel("/beta/,$!p")).toBe("1");
    expect(sel("2{p;p}")).toBe("22");
  });

  it("p d q = a i c y and the hold space", () => {
    const h = host();
    expect(h.sh("sed 2q /tmp/g").stdout).toBe("alpha 1\nbeta 2\n");
    expect(h.sh("sed 2q7 /tmp/g").exitCode).toBe(7);
    expect(h.sh("sed '1,3d' /tmp/g").stdout).toBe("delta 4\n");
    expect(h.sh("sed -n '$=' /tmp/g").stdout).toBe("4\n");
    expect(h.sh("sed '1i\\top' /tmp/g | head -2").stdout).toBe("top\nalpha 1\n");
    expect(h.sh("sed '$a end' /tmp/g | tail -1").stdout).toBe("end\n");
    expect(h.sh("sed '2,3c\\gone' /tmp/g").stdout).toBe("alpha 1\ngone\ndelta 4\n");
    expect(h.sh("sed 'y/abg/ABG/' /tmp/g | head -1").stdout).toBe("AlphA 1\n");
    expect(h.sh("sed -n '1!G;h;$p' /tmp/g").stdout).toBe("delta 4\ngamma 3\nbeta 2\nalpha 1\n");
    expect(h.sh("sed ':a;N;$!ba;s/\\n/,/g' /tmp/g").stdout).toBe("alpha 1,beta 2,gamma 3,delta 4\n");
    expect(h.sh("printf 'a\\tb\\n' | sed -n l").stdout).toBe("a\\tb$\n");
  });

  it("-i edits the host's file in place (with a backup for -iSUFFIX); w writes a file", () => {
    const h = host();
    expect(h.sh("sed -i 's/beta/BETA/' /tmp/g").stdout).toBe("");
    expect(h.sh("grep -c BETA /tmp/g").stdout).toBe("1\n");
    h.sh("sed -i.orig 1d /tmp/g");
    expect(h.sh("head -1 /tmp/g").stdout).toBe("BETA 2\n");
    expect(h.sh("head -1 /tmp/g.orig").stdout).toBe("alpha 1\n");
    h.sh("sed -n '/a 3/w /tmp/w' /tmp/g.orig");
    expect(h.sh("cat /tmp/w").stdout).toBe("gamma 3\n");
    h.sh("echo 's/alpha/omega/' > /tmp/script.sed");
    expect(h.sh("sed -f /tmp/script.sed /tmp/g.orig | head -1").stdout).toBe("omega 1\n");
  });

  it("reads standard input from pipes and here-documents; keeps a missing last newline missing", () => {
    const h = host();
    expect(h.sh("cat /tmp/g | sed -n 2p").stdout).toBe("beta 2\n");
    expect(h.sh("sed s/x/y/ <<EOF\nxx\nEOF").stdout).toBe("yx\n");
    expect(h.sh("printf 'one\\ntwo' | sed s/o/0/").stdout).toBe("0ne\ntw0");
  });

  it("script errors: GNU's message with the -e expression and character, exit 1, nothing changed", () => {
    const h = host();
    const cases: [string, string][] = [
      ["s/a/b", "-e expression #1, char 5: unterminated `s' command"],
      ["s/a/b/x", "-e expression #1, char 7: unknown option to `s'"],
      ["s/a/b/gg", "-e expression #1, char 8: multiple `g' options to `s' command"],
      ["s/a/b/pp", "-e expression #1, char 8: multiple `p' options to `s' command"],
      ["s/a/b/0", "-e expression #1, char 7: number option to `s' command may not be zero"],
      ["s/a/\\1/", "-e expression #1, char 7: invalid reference \\1 on `s' command's RHS"],
      ["s/\\(a/b/", "-e expression #1, char 8: Unmatched ( or \\("],
      ["k", "-e expression #1, char 1: unknown command: `k'"],
      ["/x", "-e expression #1, char 2: unterminated address regex"],
      ["p x", "-e expression #1, char 3: extra characters after command"],
      ["}", "-e expression #1, char 1: unexpected `}'"],
      ["{p", "-e expression #1, char 0: unmatched `{'"],
      ["y/ab/c/", "-e expression #1, char 7: strings for `y' command are different lengths"],
      ["y/ab/cd", "-e expression #1, char 7: unterminated `y' command"],
      ["1,p", "-e expression #1, char 3: unexpected `,'"],
      ["0p", "-e expression #1, char 2: invalid usage of line address 0"],
      ["1#x", "-e expression #1, char 2: comments don't accept any addresses"],
      ["3q;5", "-e expression #1, char 4: missing command"],
      ["a", "-e expression #1, char 1: expected \\ after `a', `c' or `i'"],
      ["1,2q", "-e expression #1, char 4: command only uses one address"],
      [":", "-e expression #1, char 1: \":\" lacks a label"],
      ["s/a/b/w", "-e expression #1, char 7: missing filename in r/R/w/W commands"],
    ];
    for (const [script, message] of cases) {
      expect(h.sh(`sed '${script}' /tmp/g`), script).toMatchObject({ stdout: "", stderr: `sed: ${message}\n`, exitCode: 1 });
    }
    expect(h.sh("sed -e p -e 's/a' /tmp/g").stderr).toBe("sed: -e expression #2, char 3: unterminated `s' command\n");
    expect(h.sh("sed 'b nowhere' /tmp/g")).toMatchObject({ stderr: "sed: can't find label for jump to `nowhere'\n", exitCode: 4 });
    expect(h.sh("sed -n '//p' /tmp/g")).toMatchObject({ stderr: "sed: -e expression #1, char 0: no previous regular expression\n", exitCode: 1 });
    expect(h.sh("cat /tmp/g").stdout).toBe("alpha 1\nbeta 2\ngamma 3\ndelta 4\n");
  });

  it("usage and file errors: GNU's messages and statuses", () => {
    const h = host();
    expect(h.sh("sed")).toMatchObject({ stdout: "", exitCode: 1, stderr: expect.stringMatching(/^Usage: sed \[OPTION\]/) });
    expect(h.sh("sed -k p")).toMatchObject({ exitCode: 1, stderr: expect.stringMatching(/^sed: invalid option -- 'k'\nUsage: sed/) });
    expect(h.sh("sed --bogus p")).toMatchObject({ exitCode: 1, stderr: expect.stringMatching(/^sed: unrecognized option '--bogus'\n/) });
    expect(h.sh("sed -e")).toMatchObject({ exitCode: 1, stderr: expect.stringMatching(/^sed: option requires an argument -- 'e'\n/) });
    expect(h.sh("sed p /nope /tmp/g")).toMatchObject({ exitCode: 2, stderr: "sed: can't read /nope: No such file or directory\n" });
    expect(h.sh("sed p /nope /tmp/g").stdout).toMatch(/^alpha 1\nalpha 1\n/);
    expect(h.sh("sed p /tmp")).toMatchObject({ exitCode: 4, stderr: "sed: read error on /tmp: Is a directory\n" });
    expect(h.sh("sed -i p /tmp")).toMatchObject({ exitCode: 4, stderr: "sed: couldn't edit /tmp: not a regular file\n" });
    expect(h.sh("sed -i p")).toMatchObject({ exitCode: 4, stderr: "sed: no input files\n" });
    expect(h.sh("sed -f /nope")).toMatchObject({ exitCode: 4, stderr: "sed: couldn't open file /nope: No such file or directory\n" });
    expect(h.sh("sed 's/a/b/w /nodir/f' /tmp/g")).toMatchObject({ stdout: "", exitCode: 4, stderr: "sed: couldn't open file /nodir/f: No such file or directory\n" });
    expect(h.sh("sed -i s/a/b/ /proc/self/status")).toMatchObject({ stdout: "", exitCode: 4, stderr: "sed: couldn't edit /proc/self/status: Permission denied\n" });
    expect(h.sh("echo x | sed -u p").stdout).toBe("x\nx\n");
    expect(h.sh("sed --help")).toMatchObject({ exitCode: 0, stdout: expect.stringMatching(/^Usage: sed/) });
  });

  it("a script that never ends its cycle is stopped, not left to hang the page", () => {
    const h = host();
    expect(h.sh("sed ':a;ba' /tmp/g")).toMatchObject({ exitCode: 4, stderr: expect.stringMatching(/^sed: the script ran 1000000 commands/) });
    expect(h.sh("sed ':a;s/^.*$/&&/;ta' /tmp/g")).toMatchObject({ exitCode: 4, stderr: "sed: couldn't re-allocate memory\n" });
  });
});
