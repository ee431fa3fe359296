// The seed-000 story at the service level: a binary without its execute bit fails to start
// with status 203/EXEC, systemd keeps retrying, and fixing the mode brings it back.
import { describe, expect, it } from "vitest";
import { createHost } from "../index";

describe("systemd services", () => {
  it("boots the node's services as units", () => {
    const h = createHost({ seed: 1 });
    expect(h.sh("systemctl is-active containerd ssh cron").stdout).toBe("active\nactive\nactive\n");
    expect(h.sh("systemctl status containerd").stdout).toMatch(/^● containerd\.service - containerd container runtime\n {5}Loaded: loaded \(\/etc\/systemd\/system\/containerd\.service; enabled; preset: enabled\)\n {5}Active: active \(running\) since /);
    expect(h.sh("cat /etc/systemd/system/cron.service").stdout).toContain("ExecStart=/usr/sbin/cron");
  });

  it("a binary without +x fails at step EXEC, retries, and recovers after chmod +x", () => {
    const h = createHost({ seed: 1 });
    h.sh("chmod -x /usr/bin/containerd");
    const r = h.sh("systemctl restart containerd");
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe('Job for containerd.service failed because the control process exited with error code.\nSee "systemctl status containerd.service" and "journalctl -xeu containerd.service" for details.\n');
    const st = h.sh("systemctl status containerd");
    expect(st.exitCode).toBe(3);
    expect(st.stdout).toMatch(/^× containerd\.service/);
    expect(st.stdout).toMatch(/Main PID: \d+ \(code=exited, status=203\/EXEC\)/);
    expect(h.sh("journalctl -u containerd").stdout).toMatch(/containerd\.service: Failed to execute \/usr\/bin\/containerd: Permission denied/);
    h.tick(6000);
    expect(h.sh("journalctl -u containerd").stdout).toContain("Scheduled restart job, restart counter is at 1.");
    h.sh("chmod +x /usr/bin/containerd");
    h.tick(6000);
    expect(h.sh("systemctl is-active containerd").stdout).toBe("active\n");
  });

  it("stop ends the main process; unknown units get systemd's messages", () => {
    const h = createHost({ seed: 1 });
    h.sh("systemctl stop cron");
    expect(h.sh("pidof cron").exitCode).toBe(1);
    expect(h.sh("systemctl is-active cron")).toMatchObject({ stdout: "inactive\n", exitCode: 3 });
    expect(h.sh("systemctl start nope")).toMatchObject({ stderr: "Failed to start nope.service: Unit nope.service not found.\n", exitCode: 5 });
    expect(h.sh("systemctl status nope")).toMatchObject({ stderr: "Unit nope.service could not be found.\n", exitCode: 4 });
  });
});
