import { describe, expect, it } from "vitest";
import { createCluster, createHost } from "../../index";

describe("xargs", () => {
  it("builds command lines from standard input: default echo, -n, -L, -I, -0, -d, quotes", () => {
    const h = createHost({ seed: 1 });
    expect(h.sh("printf 'a b\\nc\\n' | xargs").stdout).toBe("a b c\n");
    expect(h.sh("seq 5 | xargs -n 2").stdout).toBe("1 2\n3 4\n5\n");
    expect(h.sh("printf 'a b\\nc\\n' | xargs -L 1 echo line:").stdout).toBe("line: a b\nline: c\n");
    expect(h.sh("printf 'x\\n  y z\\n' | xargs -I {} echo '[{}]'").stdout).toBe("[x]\n[y z]\n");
    expect(h.sh("xargs -n 1", { stdin: "a 'b c' \"d e\" f\\ g\n" }).stdout).toBe("a\nb c\nd e\nf g\n");
    expect(h.sh("xargs -0 -n 1 echo", { stdin: "one two\0three\0" }).stdout).toBe("one two\nthree\n");
    expect(h.sh("echo a,b | xargs -d , -n 1 echo").stdout).toBe("a\nb\n\n");
    expect(h.sh("seq 3 | xargs -t echo")).toMatchObject({ stdout: "1 2 3\n" });
    expect(h.sh("seq 3 | xargs -t echo 2>&1 >/dev/null").stdout).toBe("echo 1 2 3\n");
  });

  it("runs each command as a child process with /dev/null as its standard input", () => {
    const h = createHost({ seed: 1 });
    expect(h.sh("echo /etc/hostname | xargs cat").stdout).toBe(h.sh("cat /etc/hostname").stdout);
    expect(h.sh("echo x | xargs cat").stdout).toBe("");
    expect(h.sh("echo x | xargs cat").stderr).toBe("cat: x: No such file or directory\n");
    expect(h.sh("echo hi | xargs -I{} sh -c 'echo {}; cat'").stdout).toBe("hi\n");
    h.sh("echo /tmp/m1 /tmp/m2 | xargs touch");
    expect(h.sh("ls /tmp/m1 /tmp/m2").exitCode).toBe(0);
  });

  it("empty input: runs once unless -r; -I runs nothing", () => {
    const h = createHost({ seed: 1 });
    expect(h.sh("xargs echo hi", { stdin: "" }).stdout).toBe("hi\n");
    expect(h.sh("xargs -r echo hi", { stdin: "" }).stdout).toBe("");
    expect(h.sh("xargs -I{} echo hi", { stdin: "" }).stdout).toBe("");
  });

  it("`kubectl get pods -o name | xargs kubectl delete` deletes every pod", () => {
    const c = createCluster({ workers: 1, seed: 1 });
    const pod = (n: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${n}\nspec:\n  containers:\n  - name: c\n    image: nginx\n`;
    c.sh("kubectl apply -f -", { stdin: pod("a") + "---\n" + pod("b") });
    c.settle();
    const r = c.sh("kubectl get pods -o name | xargs kubectl delete");
    expect(r).toMatchObject({ stdout: 'pod "a" deleted\npod "b" deleted\n', exitCode: 0 });
    c.settle();
    expect(c.sh("kubectl get pods").stderr).toBe("No resources found in default namespace.\n");
  });

  it("statuses and errors as findutils: 123, 124, 127, bad numbers, unmatched quotes", () => {
    const h = createHost({ seed: 1 });
    expect(h.sh("echo x | xargs sh -c 'exit 3'").exitCode).toBe(123);
    expect(h.sh("echo x | xargs sh -c 'exit 255'")).toMatchObject({ exitCode: 124, stderr: "xargs: sh: exited with status 255; aborting\n" });
    expect(h.sh("echo x | xargs nosuchcmd")).toMatchObject({ exitCode: 127, stderr: "xargs: nosuchcmd: No such file or directory\n" });
    expect(h.sh("echo x | xargs /etc")).toMatchObject({ exitCode: 126, stderr: "xargs: /etc: Is a directory\n" });
    expect(h.sh("xargs -n x")).toMatchObject({ exitCode: 1, stderr: "xargs: invalid number \"x\" for -n option\nTry 'xargs --help' for more information.\n" });
    expect(h.sh("xargs -n 0").stderr).toBe("xargs: value 0 for -n option should be >= 1\nTry 'xargs --help' for more information.\n");
    expect(h.sh("xargs -I").stderr).toBe("xargs: option requires an argument -- 'I'\nTry 'xargs --help' for more information.\n");
    expect(h.sh("xargs -k").stderr).toBe("xargs: invalid option -- 'k'\nTry 'xargs --help' for more information.\n");
    expect(h.sh("xargs --bogus").stderr).toBe("xargs: unrecognized option '--bogus'\nTry 'xargs --help' for more information.\n");
    expect(h.sh("xargs", { stdin: "it's\n" })).toMatchObject({ stdout: "", exitCode: 1, stderr: "xargs: unmatched single quote; by default quotes are special to xargs unless you use the -0 option\n" });
    expect(h.sh("xargs", { stdin: 'say "hi\n' }).stderr).toMatch(/^xargs: unmatched double quote;/);
  });
});
