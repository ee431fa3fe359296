// Exercise 1: find a running container from the host, with nothing but host tools.
// The lab starts a "container" the way a runtime does underneath — one process in new PID, UTS,
// network, IPC and mount namespaces — and detaches it. The learner's script writes what it
// found to three files; the checks compare them with the engine's truth from snapshot().
import { createHost } from "../../engine/linux";
import type { Host, HostSnapshot, ProcessSnapshot, ShResult } from "../../engine/linux";
import type { CheckResult, Exercise } from "../exercise";
import { alive, cmdline, firstLine, hostNs, innerPid, utsHostname } from "../lib/procs";

export const HOSTNAME = "web-7f9c";
export const FILES = { pid: "/tmp/container.pid", hostname: "/tmp/container.hostname", netns: "/tmp/container.netns" } as const;

/** What a runtime does underneath `docker run -d`: new namespaces, a hostname, exec the app, detach. */
export const CONTAINER_CMD = `unshare --pid --uts --net --ipc --mount --fork --mount-proc sh -c 'hostname ${HOSTNAME}; exec sleep infinity'`;

function setup(): Host {
  const h = createHost({ seed: 1 });
  // `sh -c "… &"` detaches it from the learner's shell (no job, parent becomes init), like a daemon.
  // One multi-line script: the shell keeps it out of the learner's history.
  const r = h.sh(`sh -c "${CONTAINER_CMD} &"\n`);
  if (r.exitCode !== 0) throw new Error(`exercise 1 setup failed: ${r.stderr}`);
  if (!container(h.snapshot())) throw new Error("exercise 1 setup failed: the container did not start");
  return h;
}

function apply(host: Host, work: string): ShResult {
  return host.sh(work.endsWith("\n") ? work : work + "\n");
}

/** The container's first process: alive, in a PID namespace that is not the host's, PID 1 there. */
function container(s: HostSnapshot): ProcessSnapshot | undefined {
  const host = hostNs(s, "pid");
  return s.processes.find((p) => alive(p) && p.ns.pid !== host && innerPid(p) === 1);
}

function check(host: Host): CheckResult[] {
  const s = host.snapshot();
  const c = container(s);
  const read = (path: string) => firstLine(host.readFile(path));
  const missing = (path: string, how: string) => ({ detail: `${path} does not exist.`, hint: `${how}, and redirect it into the file: … > ${path}` });

  if (!c) {
    const gone = "The container is not running any more, so there is nothing to compare with.";
    const hint = "Did your script kill it? Reset the lab (run the check again) and only look: ps, readlink, nsenter, lsns.";
    return [
      { name: "The container is still running", ok: false, detail: gone, hint },
      { name: `${FILES.pid} holds the container's host PID`, ok: false, detail: gone, hint },
      { name: `${FILES.hostname} holds the container's hostname`, ok: false, detail: gone, hint },
      { name: `${FILES.netns} holds its network namespace`, ok: false, detail: gone, hint },
    ];
  }
  const results: CheckResult[] = [
    { name: "The container is still running", ok: true, detail: `PID ${c.pid} (${cmdline(c)}) is still running.` },
  ];

  // 1. The PID, as the host sees it.
  {
    const name = `${FILES.pid} holds the container's host PID`;
    const got = read(FILES.pid);
    const n = got !== undefined && /^\d+$/.test(got) ? Number(got) : undefined;
    const parent = s.processes.find((p) => p.pid === c.ppid);
    if (got === undefined) results.push({ name, ok: false, ...missing(FILES.pid, "Find the container's process on the host (ps -ef) and echo its PID") });
    else if (n === c.pid) results.push({ name, ok: true, detail: `${FILES.pid} says ${c.pid}: the host sees the container's process as PID ${c.pid}; inside, it is PID 1.` });
    else if (n === undefined) results.push({ name, ok: false, detail: `${FILES.pid} holds "${got}", not a number.`, hint: "Write just the number, e.g. pidof sleep > /tmp/container.pid" });
    else if (n === 1) results.push({ name, ok: false, detail: `${FILES.pid} holds 1 — that is the container's PID inside its own namespace; the host sees it as PID ${c.pid}.`, hint: "Ask the host, not the container: ps -ef or pidof on the host lists the container's process under its host PID." });
    else if (parent && n === parent.pid) results.push({ name, ok: false, detail: `${FILES.pid} holds ${n}: that is ${parent.comm}, the container's parent, still in the host's PID namespace. Its child PID ${c.pid} is the container.`, hint: "Look one level down: in ps -ef, the container's process is the one whose PPID is " + n + "." });
    else {
      const p = s.processes.find((q) => q.pid === n);
      results.push({ name, ok: false, detail: p ? `${FILES.pid} holds ${n}, which is ${cmdline(p)} — a process in the host's namespaces, not the container.` : `${FILES.pid} holds ${n}, but no process has that PID.`, hint: "The container's process is the one whose /proc/PID/ns/pid link differs from the host's (readlink /proc/1/ns/pid)." });
    }
  }

  // 2. The hostname, read from inside its UTS namespace.
  {
    const name = `${FILES.hostname} holds the container's hostname`;
    const want = utsHostname(s, c.ns.uts) ?? "";
    const hostName = utsHostname(s, hostNs(s, "uts")) ?? "";
    const got = read(FILES.hostname);
    if (got === undefined) results.push({ name, ok: false, ...missing(FILES.hostname, "Run hostname inside the container's UTS namespace (nsenter -t PID --uts …)") });
    else if (got === want) results.push({ name, ok: true, detail: `${FILES.hostname} says ${want}, the hostname in the container's UTS namespace uts:[${c.ns.uts}].` });
    else if (got === hostName) results.push({ name, ok: false, detail: `${FILES.hostname} says ${got}: that is the host's own hostname, read in the host's UTS namespace.`, hint: `Run hostname inside the container's UTS namespace: nsenter -t ${c.pid} --uts hostname` });
    else results.push({ name, ok: false, detail: `${FILES.hostname} says "${got}", but the container's UTS namespace has hostname ${want}.`, hint: `nsenter -t PID --uts hostname prints the hostname a process sees; use the container's host PID.` });
  }

  // 3. The network namespace: net:[N] or N.
  {
    const name = `${FILES.netns} holds its network namespace`;
    const got = read(FILES.netns);
    const m = got?.match(/^(?:(\w+):\[)?(\d+)\]?$/);
    const inode = m ? Number(m[2]) : undefined;
    const kindOf = (ino: number) => s.namespaces.find((n) => n.inode === ino)?.kind;
    if (got === undefined) results.push({ name, ok: false, ...missing(FILES.netns, "Read the container's /proc/PID/ns/net link with readlink") });
    else if (inode === c.ns.net && (m![1] === undefined || m![1] === "net")) results.push({ name, ok: true, detail: `${FILES.netns} says ${got}: the container has its own network namespace, net:[${c.ns.net}] (the host's is net:[${hostNs(s, "net")}]).` });
    else if (inode === undefined) results.push({ name, ok: false, detail: `${FILES.netns} holds "${got}"; expected net:[N] or just the inode number N.`, hint: `readlink /proc/PID/ns/net prints net:[N].` });
    else if (inode === hostNs(s, "net")) results.push({ name, ok: false, detail: `${FILES.netns} says ${got}: that is the host's network namespace (PID 1's), not the container's.`, hint: `Read the container's link: readlink /proc/${c.pid}/ns/net` });
    else {
      const k = kindOf(inode);
      results.push({ name, ok: false, detail: k ? `${FILES.netns} holds the inode of a ${k} namespace (${k}:[${inode}]), not the container's network namespace.` : `${FILES.netns} holds ${inode}, which is no namespace on this host.`, hint: `Each namespace has its own link under /proc/PID/ns/; the network one is /proc/PID/ns/net.` });
    }
  }
  return results;
}

const exercise: Exercise = {
  number: 1,
  slug: "01-container-is-a-process",
  title: "A container is just a process",
  starter: "find.sh",
  kind: "shell",
  setup,
  apply,
  check,
  hints: [
    "Start with ps -ef: the container is in that list like any other process. Which one looks like it was started with new namespaces?",
    "There are two candidates: unshare (still on the host's PID namespace) and its child. The child is the container: it is PID 1 inside. pidof sleep finds it.",
    "Every process has links in /proc/PID/ns/. readlink /proc/PID/ns/net prints net:[N]; compare it with readlink /proc/1/ns/net.",
    "nsenter -t PID --uts hostname runs hostname inside the container's UTS namespace. Put it together: PID=$(pidof sleep); echo $PID > /tmp/container.pid …",
  ],
};

export default exercise;
