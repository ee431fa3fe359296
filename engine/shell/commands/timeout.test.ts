import { describe, expect, it } from "vitest";
import { createCluster, createHost } from "../../index";

describe("timeout", () => {
  it("stops a command still running after DURATION of virtual time, exit 124", () => {
    const h = createHost({ seed: 1 });
    const t0 = Number(h.sh("cat /proc/uptime").stdout.split(" ")[0]);
    expect(h.sh("timeout 5 sleep 60; echo status=$?").stdout).toBe("status=124\n");
    const t1 = Number(h.sh("cat /proc/uptime").stdout.split(" ")[0]);
    expect(t1 - t0).toBeGreaterThanOrEqual(5);
    expect(t1 - t0).toBeLessThan(6);
    expect(h.sh("ps -e -o comm").stdout).not.toMatch(/^sleep$/m);
  });

  it("passes the command's own status through when it ends in time", () => {
    const h = createHost({ seed: 1 });
    expect(h.sh("timeout 10 sleep 1; echo status=$?").stdout).toBe("status=0\n");
    expect(h.sh("timeout 10 false; echo status=$?").stdout).toBe("status=1\n");
    expect(h.sh("timeout 10 echo hi").stdout).toBe("hi\n");
    // --preserve-status: the signalled command's own status (128 + SIGTERM).
    expect(h.sh("timeout --preserve-status 1 sleep 9; echo status=$?").stdout).toBe("status=143\n");
    expect(h.sh("timeout -s KILL 1 sleep 9; echo status=$?").stdout).toBe("status=124\n");
  });

  it("bad input: GNU timeout's messages and statuses", () => {
    const h = createHost({ seed: 1 });
    expect(h.sh("timeout")).toMatchObject({ exitCode: 125, stderr: expect.stringMatching(/^timeout: missing operand\nTry 'timeout --help' for more information.\n$/) });
    expect(h.sh("timeout 5")).toMatchObject({ exitCode: 125, stderr: expect.stringMatching(/^timeout: missing operand after '5'\n/) });
    expect(h.sh("timeout soon sleep 1")).toMatchObject({ exitCode: 125, stderr: expect.stringMatching(/^timeout: invalid time interval 'soon'\n/) });
    expect(h.sh("timeout -s NOPE 1 sleep 1")).toMatchObject({ exitCode: 125, stderr: expect.stringMatching(/^timeout: NOPE: invalid signal\n/) });
    expect(h.sh("timeout 5 nosuchcmd")).toMatchObject({ exitCode: 127, stderr: "timeout: failed to run command 'nosuchcmd': No such file or directory\n" });
  });

  it("bounds a kubectl watch", () => {
    const c = createCluster({ workers: 1, seed: 1 });
    const up = () => Number(c.sh("cat /proc/uptime").stdout.split(" ")[0]);
    const t0 = up();
    // kubectl alone would watch until 60 s pass without a change; timeout stops it at 20 s.
    const r = c.sh("timeout 20 kubectl get pods -w -n kube-system");
    expect(r.stdout).toMatch(/^NAME\s+READY\s+STATUS/);
    expect(r.exitCode).toBe(124);
    expect(up() - t0).toBeGreaterThanOrEqual(20);
    expect(up() - t0).toBeLessThan(21);
  });
});
