// Scenario 09 (what each unshare flag isolates), computed through the engine's shell and
// compared with the outcomes a real kernel recorded — and, as root, with this machine's kernel.
import { expect } from "vitest";
import { describeOracle } from "./describe-oracle";
import { createHost } from "../index";
import type { Host } from "../index";

const NAME = "09-unshare";

function out(h: Host, line: string): string {
  return h.sh(line).stdout.replace(/\s+$/, "");
}

/** The same keys the scenario prints, computed by typing the same commands into the engine. */
export function engineOutcomes(): Map<string, string> {
  const h = createHost({ seed: 9 });
  const kv = new Map<string, string>();
  const changed = (flags: string) => {
    const r: string[] = [];
    for (const t of ["cgroup", "ipc", "mnt", "net", "pid", "pid_for_children", "time", "user", "uts"]) {
      if (out(h, `readlink /proc/self/ns/${t}`) !== out(h, `unshare ${flags} readlink /proc/self/ns/${t} 2>/dev/null`)) r.push(t);
    }
    return r.join(",") || "none";
  };
  kv.set("ns_changed.--pid", changed("--pid"));
  kv.set("ns_changed.--pid_--fork", changed("--pid --fork"));
  kv.set("ns_changed.--uts", changed("--uts"));
  kv.set("ns_changed.--net", changed("--net"));
  kv.set("ns_changed.--ipc", changed("--ipc"));
  kv.set("ns_changed.--mount", changed("--mount"));
  kv.set("ns_changed.--mount-proc", changed("--mount-proc"));
  kv.set("ns_changed.--cgroup", changed("--cgroup"));
  kv.set("ns_changed.--time", changed("--time --fork"));
  kv.set("ns_changed.--user", changed("--user"));

  kv.set("pid_fork_mountproc.dollar_dollar", out(h, "unshare --pid --fork --mount-proc sh -c 'echo $$'"));
  kv.set("pid_fork_mountproc.ps_lines", out(h, "unshare --pid --fork --mount-proc sh -c 'ps -e --no-headers; exit 0' | wc -l"));
  kv.set("pid_fork_mountproc.ps_pid1_cmd", out(h, "unshare --pid --fork --mount-proc sh -c 'ps -o comm= -p 1; exit 0'"));
  kv.set("pid_fork_mountproc.exec_ps_is_pid1", out(h, "unshare --pid --fork --mount-proc ps -o pid=,comm=").trim().split(/\s+/).join(":"));
  kv.set("pid_fork_no_mountproc.dollar_dollar", out(h, "unshare --pid --fork sh -c 'echo $$'"));
  kv.set("pid_fork_no_mountproc.ps_shows_more_than_2", Number(out(h, "unshare --pid --fork ps -e --no-headers | wc -l")) > 2 ? "yes" : "no");
  const noFork = h.sh(`unshare --pid bash -c 'echo "pid=$$"; /bin/true; /bin/true; echo survived'`);
  const text = noFork.stdout + noFork.stderr;
  kv.set("pid_no_fork.caller_pid_is_1", /^pid=1$/m.test(text) ? "yes" : "no");
  kv.set("pid_no_fork.second_fork", `${text.includes("fork: Cannot allocate memory") ? "fork: Cannot allocate memory" : ""} rc=${noFork.exitCode}`);

  h.sh("unshare --pid --fork --mount-proc sleep 5 &");
  const u = Number(out(h, "echo $!"));
  const c = Number(out(h, `cat /proc/${u}/status | grep NSpid`).split(/\s+/)[1] ? out(h, `ps -o pid= --ppid ${u}`).trim() : "0");
  const nspid = out(h, `grep NSpid /proc/${c}/status`).split(/\s+/).slice(1);
  kv.set("pid_fork.nspid_from_outside_levels", String(nspid.length));
  kv.set("pid_fork.nspid_inner_value", nspid.at(-1) ?? "");
  h.sh(`kill -KILL ${c}`);

  h.sh("hostname node");
  kv.set("uts.inside", out(h, "unshare --uts sh -c 'hostname box; hostname'"));
  kv.set("uts.outside_after", out(h, "hostname"));

  kv.set("net.links", out(h, "unshare --net ip -br link").split("\n").map((l) => l.split(/\s+/).slice(0, 2).join(":")).join(","));
  kv.set("net.ping_lo_down", h.sh("unshare --net ping -c1 -W1 127.0.0.1").exitCode === 0 ? "ok" : "fail");
  kv.set("net.ping_lo_up", h.sh("unshare --net sh -c 'ip link set lo up; ping -c1 -W1 127.0.0.1 >/dev/null 2>&1'").exitCode === 0 ? "ok" : "fail");

  h.sh("mkdir -p /tmp/scratch/m");
  kv.set("mount.inside_sees_tmpfs", out(h, "unshare --mount sh -c \"mount -t tmpfs demo '/tmp/scratch/m'; findmnt -n -o FSTYPE '/tmp/scratch/m'\""));
  kv.set("mount.outside_sees_tmpfs", h.sh("findmnt -n -o FSTYPE /tmp/scratch/m").exitCode === 0 ? "yes" : "no");
  kv.set("mount.propagation_inside", out(h, "unshare --mount findmnt -n -o PROPAGATION /"));

  kv.set("user.no_map_id", out(h, "unshare --user id -u"));
  kv.set("user.no_map_id_full", out(h, "unshare --user id"));
  kv.set("user.map_root_id", out(h, "unshare --user --map-root-user id -u"));
  kv.set("user.map_root_uid_map", out(h, "unshare --user --map-root-user cat /proc/self/uid_map").trim().split(/\s+/).join(" "));
  kv.set("ipc.new_ns_has_no_shm", out(h, `unshare --ipc sh -c 'ipcs -m | grep -c "^0x"'`));
  return kv;
}

describeOracle(NAME, engineOutcomes, { seed: 9 });
