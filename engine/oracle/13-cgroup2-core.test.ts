// Scenario 13 (the cgroup v2 core interface: type, procs, events, busy rmdir, ESRCH, the
// freezer, cgroup.kill, max.descendants), computed through the engine's shell and compared with
// a real kernel's outcomes — and, as root, with this machine's kernel.
import { createHost } from "../index";
import type { Host } from "../index";
import { describeOracle } from "./describe-oracle";

const NAME = "13-cgroup2-core";

/** kv(): newlines become ';' and trailing blanks go, as lib/cgroup2.sh prints values. */
const kvText = (s: string) => s.replace(/\n/g, ";").replace(/[;\s]*$/, "");

/** errmsg(): "rc=N message" with everything up to the last ": " of the first line removed. */
function errmsg(h: Host, line: string): string {
  const r = h.sh(line);
  // (the interactive shell's "[1]+  Killed …" job notices are not the command's output)
  const first = (r.stdout + r.stderr).split("\n").filter((l) => !/^\[\d+\][+-]? /.test(l))[0] ?? "";
  return `rc=${r.exitCode} ${first.replace(/^.*: /, "")}`;
}

export function engineOutcomes(): Map<string, string> {
  const h = createHost({ seed: 13 });
  const kv = new Map<string, string>();
  const CG = "/sys/fs/cgroup/oracle-13-cgroup2-core";
  const cat = (f: string) => h.readFile(f) ?? "";
  h.sh(`mkdir ${CG}`);

  const core = ["cgroup.controllers", "cgroup.events", "cgroup.freeze", "cgroup.kill", "cgroup.max.depth", "cgroup.max.descendants", "cgroup.procs", "cgroup.stat", "cgroup.subtree_control", "cgroup.threads", "cgroup.type", "cpu.stat"];
  const listed = h.sh(`ls ${CG}`).stdout.split(/\s+/);
  const missing = core.filter((f) => !listed.includes(f));
  kv.set("has_core_files", missing.join(";") || "yes");
  kv.set("cgroup.type", kvText(cat(`${CG}/cgroup.type`)));
  kv.set("cgroup.procs_empty", cat(`${CG}/cgroup.procs`) === "" ? "yes" : "no");
  kv.set("cgroup.events_new", kvText(cat(`${CG}/cgroup.events`)));
  kv.set("cgroup.max.depth", kvText(cat(`${CG}/cgroup.max.depth`)));
  kv.set("cgroup.max.descendants", kvText(cat(`${CG}/cgroup.max.descendants`)));

  // 1) an existing process is moved in
  h.sh("sleep 300 >/dev/null 2>&1 &");
  const S = h.sh("echo $!").stdout.trim();
  h.sh(`sh -c "echo ${S} > '${CG}/cgroup.procs'"`);
  kv.set("after_move.procs_is_the_sleeper", cat(`${CG}/cgroup.procs`).trim() === S ? "yes" : "no");
  const line = cat(`/proc/${S}/cgroup`).split("\n").find((l) => l.startsWith("0::")) ?? "";
  const self = (h.sh("cat /proc/self/cgroup").stdout.match(/^0::(.*)$/m)?.[1] ?? "/").replace(/\/$/, "");
  void self; // the test cgroup hangs off the root, whatever the caller's own cgroup is
  kv.set("after_move.proc_pid_cgroup", line.replace(/^0::\//, "0::<parent>/"));
  kv.set("after_move.events", kvText(cat(`${CG}/cgroup.events`)));

  // 2) a process that places itself in the cgroup, then forks: children are born inside. Its
  //    "counter" is CPU time: a busy loop it runs (yes > /dev/null) — frozen, the count stops.
  h.sh(`sh -c 'echo $$ > ${CG}/cgroup.procs; sleep 300 & yes > /dev/null' >/dev/null 2>&1 &`);
  h.tick(300);
  const procs = cat(`${CG}/cgroup.procs`).split("\n").filter(Boolean);
  const child = procs.find((p) => p !== S && cat(`/proc/${p}/cmdline`).split("\0").join(" ") === "sleep 300 ");
  kv.set("worker_child_born_inside", child ? "yes" : "no");
  kv.set("rmdir_populated", errmsg(h, `rmdir '${CG}'`));
  kv.set("write_dead_pid", errmsg(h, `echo 999999 > '${CG}/cgroup.procs'`));
  const usage = () => /usage_usec (\d+)/.exec(cat(`${CG}/cpu.stat`))?.[1];

  h.sh(`sh -c "echo 1 > '${CG}/cgroup.freeze'"`);
  h.tick(300);
  let a = usage();
  h.tick(500);
  let b = usage();
  kv.set("frozen.events", kvText(cat(`${CG}/cgroup.events`)));
  kv.set("frozen.counter_advanced", a !== b ? "yes" : "no");
  h.sh(`sh -c "echo 0 > '${CG}/cgroup.freeze'"`);
  h.tick(300);
  a = usage();
  h.tick(500);
  b = usage();
  kv.set("thawed.events", kvText(cat(`${CG}/cgroup.events`)));
  kv.set("thawed.counter_advanced", a !== b ? "yes" : "no");

  h.sh(`mkdir "${CG}/child"`);
  kv.set("stat_nr_descendants_with_child", /^nr_descendants (\d+)$/m.exec(cat(`${CG}/cgroup.stat`))?.[1] ?? "");
  kv.set("child.events", kvText(cat(`${CG}/child/cgroup.events`)));
  h.sh(`sh -c "echo 1 > '${CG}/cgroup.max.descendants'"`);
  kv.set("mkdir_over_max_descendants", errmsg(h, `mkdir '${CG}/child2'`));
  h.sh(`rmdir "${CG}/child"`);

  // (one line, as in the scenario's script: the shell still knows the job when it waits)
  const st = h.sh(`sh -c "echo 1 > '${CG}/cgroup.kill'"; wait ${S}; echo $?`).stdout.trim().split("\n").pop() ?? "";
  h.tick(300);
  kv.set("killed.sleeper_exit_status", st);
  kv.set("killed.events", kvText(cat(`${CG}/cgroup.events`)));
  kv.set("killed.procs_empty", cat(`${CG}/cgroup.procs`) === "" ? "yes" : "no");
  kv.set("rmdir_after_kill", errmsg(h, `rmdir '${CG}'`).replace(/ $/, ""));
  return kv;
}

describeOracle(NAME, engineOutcomes, { seed: 13 });
