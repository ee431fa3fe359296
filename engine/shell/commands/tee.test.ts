import { describe, expect, it } from "vitest";
import { createHost } from "../../index";

describe("tee", () => {
  it("copies standard input to standard output and every file; -a appends", () => {
    const h = createHost({ seed: 1 });
    expect(h.sh("echo one | tee /tmp/a /tmp/b").stdout).toBe("one\n");
    expect(h.sh("cat /tmp/a /tmp/b").stdout).toBe("one\none\n");
    h.sh("echo two | tee -a /tmp/a > /dev/null");
    expect(h.sh("cat /tmp/a").stdout).toBe("one\ntwo\n");
    h.sh("echo three | tee /tmp/a > /dev/null");
    expect(h.sh("cat /tmp/a").stdout).toBe("three\n");
  });

  it("writes kernel knobs the way tutorials do: procfs and cgroupfs files", () => {
    const h = createHost({ seed: 1 });
    expect(h.sh("echo 1 | tee /proc/sys/net/ipv4/ip_forward").stdout).toBe("1\n");
    expect(h.sh("cat /proc/sys/net/ipv4/ip_forward").stdout).toBe("1\n");
    h.sh("mkdir /sys/fs/cgroup/demo");
    h.sh("echo '50000 100000' | tee /sys/fs/cgroup/demo/cpu.max");
    expect(h.sh("cat /sys/fs/cgroup/demo/cpu.max").stdout).toBe("50000 100000\n");
  });

  it("a file it cannot open is reported and the others are still written, exit 1", () => {
    const h = createHost({ seed: 1 });
    const r = h.sh("echo x | tee /nodir/f /tmp/ok");
    expect(r).toMatchObject({ stdout: "x\n", stderr: "tee: /nodir/f: No such file or directory\n", exitCode: 1 });
    expect(h.sh("cat /tmp/ok").stdout).toBe("x\n");
    expect(h.sh("echo x | tee /tmp").stderr).toBe("tee: /tmp: Is a directory\n");
    expect(h.sh("tee -z")).toMatchObject({ exitCode: 1, stderr: "tee: invalid option -- 'z'\nTry 'tee --help' for more information.\n" });
    expect(h.sh("tee --bogus").stderr).toBe("tee: unrecognized option '--bogus'\nTry 'tee --help' for more information.\n");
  });
});
