import { describe, expect, it } from "vitest";
import { createHost } from "../../index";

const host = () => {
  const h = createHost({ seed: 1 });
  h.sh("printf 'web 100 Running\\ndb 250 Pending\\ncache 50 Running\\n' > /tmp/p");
  return h;
};

describe("awk: the one-liners people type", () => {
  it("fields, patterns and print with OFS", () => {
    const h = host();
    expect(h.sh("awk '{print $1}' /tmp/p").stdout).toBe("web\ndb\ncache\n");
    expect(h.sh("awk '$2 > 90 {print $1, $2}' /tmp/p").stdout).toBe("web 100\ndb 250\n");
    expect(h.sh("awk '$3 == \"Running\"' /tmp/p").stdout).toBe("web 100 Running\ncache 50 Running\n");
    expect(h.sh("awk 'NR==2' /tmp/p").stdout).toBe("db 250 Pending\n");
    expect(h.sh("awk '/^c/ {print NR\": \"$NF}' /tmp/p").stdout).toBe("3: Running\n");
    expect(h.sh("awk -v OFS=, '{print $1, NF}' /tmp/p").stdout).toBe("web,3\ndb,3\ncache,3\n");
    expect(h.sh("awk '{$2 = $2 * 2; print}' /tmp/p | head -1").stdout).toBe("web 200 Running\n");
    expect(h.sh("awk '{print $(NF-1)}' /tmp/p | tail -1").stdout).toBe("50\n");
  });

  it("-F with one character, an escape or a regex; BEGIN and END; sums and averages", () => {
    const h = host();
    expect(h.sh("echo root:x:0 | awk -F: '{print $3}'").stdout).toBe("0\n");
    expect(h.sh("printf 'a\\tb\\n' | awk -F '\\t' '{print $2}'").stdout).toBe("b\n");
    expect(h.sh("echo 'a1b22c' | awk -F '[0-9]+' '{print $1 $2 $3}'").stdout).toBe("abc\n");
    expect(h.sh("awk '{s += $2} END {print s, s/NR}' /tmp/p").stdout).toBe("400 133.333\n");
    expect(h.sh("awk 'BEGIN {print \"start\"} END {print NR \" lines\"}' /tmp/p").stdout).toBe("start\n3 lines\n");
  });

  it("arrays, for-in, if/else, loops, printf and the string built-ins", () => {
    const h = host();
    expect(h.sh("awk '{n[$3]++} END {for (s in n) print s, n[s]}' /tmp/p | sort").stdout).toBe("Pending 1\nRunning 2\n");
    expect(h.sh("awk '{if ($2 >= 100) print $1, \"big\"; else print $1, \"small\"}' /tmp/p").stdout).toBe("web big\ndb big\ncache small\n");
    expect(h.sh("awk 'BEGIN {for (i = 0; i < 3; i++) s = s i; while (j < 2) j++; print s, j}'").stdout).toBe("012 2\n");
    expect(h.sh("awk '{printf \"%-6s|%5.1f|%03d\\n\", $1, $2, NR}' /tmp/p").stdout).toBe("web   |100.0|001\ndb    |250.0|002\ncache | 50.0|003\n");
    expect(h.sh("awk 'BEGIN {print length(\"pod\"), substr(\"kubelet\", 5), toupper(\"x\"), tolower(\"Y\"), index(\"abc\", \"c\")}'").stdout).toBe("3 let X y 3\n");
    expect(h.sh("awk 'BEGIN {n = split(\"a.b.c\", p, \".\"); print n, p[3]}'").stdout).toBe("3 c\n");
    expect(h.sh("awk '{gsub(/[aeiou]/, \"_\"); print}' /tmp/p | head -1").stdout).toBe("w_b 100 R_nn_ng\n");
    expect(h.sh("awk '{sub(/R/, \"[&]\", $3); print $3}' /tmp/p | head -1").stdout).toBe("[R]unning\n");
    expect(h.sh("awk 'BEGIN {if (match(\"pod-42\", /[0-9]+/)) print RSTART, RLENGTH}'").stdout).toBe("5 2\n");
    expect(h.sh("awk '!seen[$3]++ {print $3}' /tmp/p").stdout).toBe("Running\nPending\n");
    expect(h.sh("awk 'BEGIN {x = sprintf(\"%x\", 255); print x}'").stdout).toBe("ff\n");
  });

  it("reads pipes, here-documents, var=value operands, -f programs, ENVIRON; prints to files", () => {
    const h = host();
    expect(h.sh("ps -e -o pid,comm | awk 'NR == 2 {print $2}'").stdout).toBe("systemd\n");
    expect(h.sh("awk '{print $2}' <<EOF\nx y\nEOF").stdout).toBe("y\n");
    expect(h.sh("awk '{print $2}' FS=, -", { stdin: "a,b\n" }).stdout).toBe("b\n");
    h.sh("echo '{ print NR \": \" $1 }' > /tmp/prog.awk");
    expect(h.sh("awk -f /tmp/prog.awk /tmp/p | tail -1").stdout).toBe("3: cache\n");
    expect(h.sh("awk 'BEGIN {print ENVIRON[\"HOME\"]}'").stdout).toBe("/root\n");
    h.sh("awk '{print $1 > \"/tmp/names\"}' /tmp/p");
    expect(h.sh("cat /tmp/names").stdout).toBe("web\ndb\ncache\n");
    h.sh("awk 'BEGIN {print \"more\" >> \"/tmp/names\"}'");
    expect(h.sh("tail -1 /tmp/names").stdout).toBe("more\n");
    expect(h.sh("awk 'NR == 1 {exit 3} END {print \"end\"}' /tmp/p")).toMatchObject({ stdout: "end\n", exitCode: 3 });
  });

  it("syntax it does not have: a syntax error in the one-true-awk's words, exit 2, never a throw", () => {
    const h = host();
    const bad = (prog: string) => h.sh(`awk '${prog}' /tmp/p`);
    expect(bad("{print $1")).toMatchObject({ stdout: "", exitCode: 2, stderr: "awk: syntax error at source line 1\n context is\n\t{print $1 >>>  <<< \nawk: bailing out at source line 1\n" });
    expect(bad("{print }}").stderr).toMatch(/^awk: syntax error at source line 1\n/);
    expect(bad("BEGIN {\n x = \n}").stderr).toMatch(/^awk: syntax error at source line 3\n/);
    expect(bad('{print "abc}').stderr).toMatch(/awk: non-terminated string/);
    expect(bad("/abc {print}").stderr).toMatch(/awk: non-terminated regular expression/);
    expect(bad("BEGIN {getline x}")).toMatchObject({ exitCode: 2, stderr: expect.stringContaining("awk: getline is not supported by this awk\n") });
    expect(bad("function f(x) {return x}").stderr).toContain("awk: user-defined functions are not supported by this awk\n");
    expect(bad('{print | "sort"}').stderr).toContain("awk: output pipes are not supported by this awk\n");
    expect(bad('BEGIN {system("ls")}').stderr).toContain("awk: system() is not supported by this awk\n");
    expect(bad("BEGIN {x = substr(1)}").stderr).toContain("awk: function substr called with 1 args\n");
    expect(bad("BEGIN {x = @}").exitCode).toBe(2);
  });

  it("runtime errors and limits: a message, exit 2, and what was printed before", () => {
    const h = host();
    expect(h.sh("awk '{print $1; x = 1/0}' /tmp/p")).toMatchObject({ stdout: "web\n", exitCode: 2, stderr: "awk: division by zero\n source line number 1\n" });
    expect(h.sh("awk 'BEGIN {print 5 % 0}'").stderr).toBe("awk: division by zero in %\n source line number 1\n");
    expect(h.sh("awk 'BEGIN {while (1) x++}'").stderr).toMatch(/^awk: program ran longer than this simulation allows\n/);
    expect(h.sh("awk 'BEGIN {s = \"x\"; while (1) s = s s}'").stderr).toMatch(/^awk: out of memory in concatenation\n/);
    expect(h.sh("awk 'BEGIN {a[1]; a = 2}'").stderr).toMatch(/^awk: can't assign to a; it's an array name.\n/);
    expect(h.sh("awk '{print $(-1)}' /tmp/p").stderr).toMatch(/^awk: trying to access out of range field -1\n/);
    expect(h.sh("awk '{print}' /nope /tmp/p")).toMatchObject({ exitCode: 2, stderr: "awk: cannot open /nope (No such file or directory)\n" });
    expect(h.sh("awk '{print}' /nope /tmp/p").stdout).toBe("web 100 Running\ndb 250 Pending\ncache 50 Running\n");
    expect(h.sh("awk 'BEGIN {print 1 > \"/nodir/x\"}'")).toMatchObject({ exitCode: 2, stderr: "awk: can't redirect to /nodir/x (No such file or directory)\n" });
  });

  it("usage errors", () => {
    const h = host();
    expect(h.sh("awk")).toMatchObject({ exitCode: 2, stderr: "usage: awk [-F fs][-v var=value][prog | -f progfile][file ...]\n" });
    expect(h.sh("awk -q 1")).toMatchObject({ exitCode: 2, stderr: "awk: not an option: -q\n" });
    expect(h.sh("awk -v 1")).toMatchObject({ exitCode: 2, stderr: "awk: invalid -v argument: 1\n" });
    expect(h.sh("awk -F")).toMatchObject({ exitCode: 2, stderr: "awk: no field separator\n" });
    expect(h.sh("awk -f /nope")).toMatchObject({ exitCode: 2, stderr: "awk: can't open file /nope: No such file or directory\n" });
    expect(h.sh("awk --help").stdout).toMatch(/A subset of POSIX awk/);
  });
});
