// Every command, its happy path and its bad input, compared where possible with what the
// real tools printed on these machines (../shared/oracle/outputs).
import { describe, expect, it } from "vitest";
import { createHost } from "../../index";
import type { Host } from "../../index";

function host(): Host {
  return createHost({ seed: 1 });
}
const out = (h: Host, l: string) => h.sh(l).stdout;

describe("ps", () => {
  it("prints -ef with procps's columns; inside a new pid namespace only two lines", () => {
    const h = host();
    const r = h.sh("unshare --pid --fork --mount-proc sh -c 'ps -ef; exit 0'");
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("UID          PID    PPID  C STIME TTY          TIME CMD");
    expect(lines[1]).toMatch(/^root {11}1 {7}0  0 \d\d:\d\d \S+ +00:00:00 sh -c ps -ef; exit 0$/);
    expect(lines[2]).toMatch(/^root {11}2 {7}1  0 \d\d:\d\d \S+ +00:00:00 ps -ef$/);
    expect(lines).toHaveLength(3);
  });

  it("prints aux with the BSD header", () => {
    const h = host();
    expect(out(h, "ps aux").split("\n")[0]).toBe("USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND");
  });

  it("supports -o with header suppression and -p", () => {
    const h = host();
    expect(out(h, "ps -o pid=,comm= -p 1")).toBe("      1 systemd\n");
    expect(out(h, "ps -o comm -p 1")).toBe("COMMAND\nsystemd\n");
  });

  it("shows its pipeline neighbour, like the real ps | grep", () => {
    const h = host();
    expect(out(h, "ps -ef | grep grep")).toMatch(/grep grep/);
  });

  it("rejects bad options with procps's message and status 1", () => {
    const h = host();
    const r = h.sh("ps -Z");
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^error: unsupported SysV option\n\nUsage:\n ps \[options\]/);
    expect(h.sh("ps -o bogus").stderr).toContain('unknown user-defined format specifier "bogus"');
  });

  it("without /proc says how to mount it", () => {
    const h = host();
    const r = h.sh("unshare --mount sh -c 'umount /proc; ps'");
    expect(r.stderr).toBe("Error, do this: mount -t proc proc /proc\n");
  });
});

describe("unshare and nsenter", () => {
  it("gives a private hostname", () => {
    const h = host();
    expect(out(h, "unshare --uts --fork sh -c 'hostname box; hostname'")).toBe("box\n");
    expect(out(h, "hostname")).toBe("node\n");
  });

  it("enters a running container's namespaces with nsenter -t", () => {
    const h = host();
    h.sh("unshare --uts --pid --fork --mount-proc sh -c 'hostname box; exec sleep infinity' &");
    const pid = out(h, "pidof sleep").trim();
    expect(out(h, `nsenter -t ${pid} --uts hostname`)).toBe("box\n");
    const ps = out(h, `nsenter -t ${pid} --pid --mount ps -ef`).trimEnd().split("\n");
    expect(ps[1]).toMatch(/^root {11}1 {7}0 .* sleep infinity$/);
    expect(ps[2]).toMatch(/ {7}0 .* ps -ef$/);
  });

  it("an interactive shell in new namespaces changes the prompt until exit", () => {
    const h = host();
    expect(h.prompt()).toBe("root@node:~# ");
    h.sh("unshare --uts --fork bash");
    h.sh("hostname inside");
    expect(h.prompt()).toBe("root@inside:~# ");
    expect(h.sh("exit")).toMatchObject({ stdout: "", stderr: "exit\n" }); // a non-login bash says "exit" on stderr
    expect(h.prompt()).toBe("root@node:~# ");
  });

  it("logout is for login shells: the terminal's own -bash says logout, a nested bash refuses it", () => {
    const h = host();
    h.sh("bash");
    expect(h.sh("logout")).toEqual({ stdout: "", stderr: "bash: logout: not login shell: use `exit'\n", exitCode: 1 });
    expect(h.sh("exit 3")).toMatchObject({ stderr: "exit\n", exitCode: 3 });
    // The login shell (argv[0] "-bash") ends with "logout"; a fresh login takes its place.
    expect(h.sh("logout")).toMatchObject({ stdout: "", stderr: "logout\n", exitCode: 3 }); // $? of the bash that exited 3
    expect(h.sh("hostname").stdout).toBe("node\n");
  });

  it("reports usage errors like util-linux", () => {
    const h = host();
    expect(h.sh("unshare --nope")).toEqual({ stdout: "", stderr: "unshare: unrecognized option '--nope'\nTry 'unshare --help' for more information.\n", exitCode: 1 });
    expect(h.sh("unshare -z").stderr).toMatch(/^unshare: invalid option -- 'z'/);
    expect(h.sh("unshare --uts nosuchprog")).toMatchObject({ stderr: "unshare: failed to execute nosuchprog: No such file or directory\n", exitCode: 127 });
    expect(h.sh("nsenter -t 99999 --uts hostname")).toMatchObject({ stderr: "nsenter: cannot open /proc/99999/ns/uts: No such file or directory\n", exitCode: 1 });
    expect(h.sh("nsenter --uts hostname").stderr).toBe("nsenter: neither filename nor target pid supplied for ns/uts\n");
  });

  it("--help prints the real usage text", () => {
    const h = host();
    expect(out(h, "unshare --help")).toMatch(/^\nUsage:\n unshare \[options\] \[<program> \[<argument>...\]\]/);
    expect(out(h, "nsenter --help")).toContain(" -t, --target <pid>");
  });
});

describe("lsns and /proc", () => {
  it("lists namespaces with util-linux's columns", () => {
    const h = host();
    h.sh("unshare --pid --fork --mount-proc --uts --net --ipc --mount sh -c 'hostname box; exec sleep 300' &");
    const lines = out(h, "lsns").trimEnd().split("\n");
    expect(lines[0]).toBe("        NS TYPE   NPROCS PID USER COMMAND");
    expect(lines.filter((l) => /^\d{10} (mnt|uts|ipc|net) +2 /.test(l))).toHaveLength(4);
    expect(lines.some((l) => /^\d{10} pid +1 +\d+ root .*sleep 300$/.test(l))).toBe(true);
    expect(out(h, "lsns -t pid").split("\n")[0]).toBe("        NS TYPE NPROCS PID USER COMMAND");
    expect(h.sh("lsns -t bogus")).toMatchObject({ stderr: "lsns: unknown namespace type: bogus\n", exitCode: 1 });
  });

  it("ls -la /proc/PID/ns shows the ten links in kernel order", () => {
    const h = host();
    const lines = out(h, "ls -la /proc/self/ns").trimEnd().split("\n");
    expect(lines[0]).toBe("total 0");
    expect(lines[1]).toMatch(/^dr-x--x--x \d+ root root 0 \w{3} [ \d]\d \d\d:\d\d \.$/);
    expect(lines.slice(3).map((l) => l.split(" ").slice(-3).join(" "))).toEqual([
      "cgroup -> 'cgroup:[4026531835]'",
      "ipc -> 'ipc:[4026531839]'",
      "mnt -> 'mnt:[4026531841]'",
      "net -> 'net:[4026531840]'",
      "pid -> 'pid:[4026531836]'",
      "pid_for_children -> 'pid:[4026531836]'",
      "time -> 'time:[4026531834]'",
      "time_for_children -> 'time:[4026531834]'",
      "user -> 'user:[4026531837]'",
      "uts -> 'uts:[4026531838]'",
    ]);
  });

  it("/proc/PID/status has NSpid with one pid per level", () => {
    const h = host();
    h.sh("unshare --pid --fork --mount-proc sleep 100 &");
    const pid = out(h, "pidof sleep").trim();
    expect(out(h, `grep NSpid /proc/${pid}/status`)).toBe(`NSpid:\t${pid}\t1\n`);
    // A login shell lives in its logind session scope.
    expect(out(h, "cat /proc/self/cgroup")).toBe("0::/user.slice/user-0.slice/session-1.scope\n");
    expect(out(h, "readlink /proc/self/ns/uts")).toBe("uts:[4026531838]\n");
  });

  it("stat -L on a namespace link gives the namespace inode", () => {
    const h = host();
    expect(out(h, "stat -L -c '%i %n' /proc/self/ns/net")).toBe("4026531840 /proc/self/ns/net\n");
  });
});

describe("the shell", () => {
  it("runs pipes, redirections, here-documents and substitutions", () => {
    const h = host();
    expect(out(h, "echo one > /tmp/f; echo two >> /tmp/f; cat /tmp/f | wc -l")).toBe("2\n");
    expect(out(h, "X=world; echo \"hello $X\" 'and $X'")).toBe("hello world and $X\n");
    expect(out(h, "cat <<EOF\nhost $(hostname)\nEOF")).toBe("host node\n");
    expect(out(h, "false || echo fallback && echo chained")).toBe("fallback\nchained\n");
    expect(out(h, "grep -c root /etc/passwd")).toBe("1\n");
    expect(h.sh("ls /nope 2>/dev/null").stderr).toBe("");
  });

  it("keeps history and answers unknown commands with 127", () => {
    const h = host();
    h.sh("hostname");
    h.sh("whoami");
    expect(h.history()).toEqual(["hostname", "whoami"]);
    expect(out(h, "history")).toBe("    1  hostname\n    2  whoami\n    3  history\n");
    expect(h.sh("foo")).toEqual({ stdout: "", stderr: "bash: foo: command not found\n", exitCode: 127 });
    expect(h.sh("sh -c foo").stderr).toBe("sh: 1: foo: not found\n");
  });

  it("sleeps in virtual time and runs background jobs", () => {
    const h = host();
    const t0 = h.snapshot().time;
    h.sh("sleep 2");
    expect(h.snapshot().time - t0).toBe(2000);
    h.sh("sleep 30 &");
    expect(out(h, "pidof sleep")).not.toBe("");
    h.tick(31_000);
    expect(h.sh("pidof sleep").exitCode).toBe(1);
  });

  it("kill sends signals to pids and reports missing ones", () => {
    const h = host();
    h.sh("sleep 100 &");
    expect(h.sh("kill $(pidof sleep)").exitCode).toBe(0);
    expect(h.sh("pidof sleep").exitCode).toBe(1);
    expect(h.sh("kill 4242")).toMatchObject({ stderr: "bash: kill: (4242) - No such process\n", exitCode: 1 });
  });

  it("a foreground job that never ends is interrupted rather than hanging", () => {
    const h = host();
    const r = h.sh("sleep infinity");
    expect(r.exitCode).toBe(130);
    expect(r.stdout).toContain("^C");
  });

  it("clear prints the terminal's clear sequence", () => {
    expect(out(host(), "clear")).toBe("\x1b[H\x1b[2J\x1b[3J");
  });

  it("help lists the commands; each has --help", () => {
    const h = host();
    const help = out(h, "help");
    for (const c of ["ps", "lsns", "unshare", "nsenter", "readlink"]) {
      expect(help).toMatch(new RegExp(`^  ${c} +\\S`, "m"));
      expect(h.sh(`${c} --help`).exitCode).toBe(0);
    }
  });

  it("completes commands and paths", () => {
    const h = host();
    expect(h.complete("unsh")).toEqual({ start: 0, candidates: ["unshare"] });
    expect(h.complete("cat /proc/sel")).toEqual({ start: 4, candidates: ["/proc/self/"] });
    expect(h.complete("ls /etc/host").candidates).toEqual(["/etc/hostname", "/etc/hosts"]);
  });
});

describe("ip inside a new network namespace", () => {
  it("has only lo, down (as the real unshare --net ip link prints)", () => {
    const h = host();
    expect(out(h, "unshare --net ip link")).toBe(
      "1: lo: <LOOPBACK> mtu 65536 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n",
    );
  });
});

describe("signals and permissions", () => {
  it("SIGTERM from the host does not stop a container's pid 1, SIGKILL does", () => {
    const h = host();
    h.sh("unshare --pid --fork --mount-proc sleep infinity &");
    const pid = out(h, "pidof sleep").trim();
    h.sh(`kill ${pid}`);
    expect(out(h, "pidof sleep").trim()).toBe(pid);
    h.sh(`kill -9 ${pid}`);
    expect(h.sh("pidof sleep").exitCode).toBe(1);
  });

  it("an unmapped user in a new user namespace cannot set the host's hostname", () => {
    const h = host();
    expect(h.sh("unshare --user hostname evil")).toMatchObject({ stderr: "hostname: you must be root to change the host name\n", exitCode: 1 });
    expect(out(h, "unshare --user --map-root-user --uts sh -c 'hostname ok; hostname'")).toBe("ok\n");
    expect(out(h, "hostname")).toBe("node\n");
  });
});

describe("compound commands", () => {
  it("runs for loops, while, if/elif/else, groups and subshells", () => {
    const h = host();
    expect(out(h, "for n in one two three; do echo $n; done")).toBe("one\ntwo\nthree\n");
    expect(out(h, "for f in $(ls /etc/host*); do wc -l $f; done")).toBe("1 /etc/hostname\n2 /etc/hosts\n");
    expect(out(h, "if grep -q root /etc/passwd; then echo yes; else echo no; fi")).toBe("yes\n");
    expect(out(h, "if false; then echo a; elif true; then echo b; fi")).toBe("b\n");
    expect(out(h, "{ echo a; echo b; } | wc -l")).toBe("2\n");
    expect(out(h, "(cd /tmp; pwd); pwd")).toBe("/tmp\n/root\n");
    expect(out(h, "n=x; while [ $n != xxx ]; do n=${n}x; echo $n; done")).toBe("xx\nxxx\n");
    expect(h.sh("while true; do :; done")).toMatchObject({ exitCode: 130 });
    expect(h.sh("done")).toMatchObject({ stderr: "bash: syntax error near unexpected token `done'\n", exitCode: 2 });
  });
});
