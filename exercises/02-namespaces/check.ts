// Exercise 2: make a tiny "container" by hand — a long-lived process in new UTS and PID
// namespaces, hostname box, PID 1 inside, left running. The checks read the engine's state
// (processes, their namespaces, each UTS namespace's hostname), never the learner's script, so
// any correct sequence of commands passes.
import { createHost } from "../../engine/linux";
import type { Host, HostSnapshot, ProcessSnapshot, ShResult } from "../../engine/linux";
import type { CheckResult, Exercise } from "../exercise";
import { cmdline, hostNs, inNewPidNs, innerPid, utsHostname } from "../lib/procs";

export const WANT_HOSTNAME = "box";
export const HOST_HOSTNAME = "node";
/** How long apply() lets the world run after the script: "long-lived" means it survives this. */
export const LINGER_MS = 5_000;

function setup(): Host {
  return createHost({ seed: 2, hostname: HOST_HOSTNAME });
}

/** Run the script, then let 5 virtual seconds pass: a process that was meant to stay must still be there. */
function apply(host: Host, work: string): ShResult {
  const r = host.sh(work.endsWith("\n") ? work : work + "\n");
  host.tick(LINGER_MS);
  return r;
}

/** The best candidate for "the box": PID 1 of a new PID namespace, preferring one whose hostname is box. */
function theBox(s: HostSnapshot): ProcessSnapshot | undefined {
  const score = (p: ProcessSnapshot) => (innerPid(p) === 1 ? 2 : 0) + (utsHostname(s, p.ns.uts) === WANT_HOSTNAME ? 1 : 0);
  return [...inNewPidNs(s)].sort((a, b) => score(b) - score(a) || a.pid - b.pid)[0];
}

function check(host: Host): CheckResult[] {
  const s = host.snapshot();
  const box = theBox(s);
  const hostPid = hostNs(s, "pid");
  const hostUts = hostNs(s, "uts");
  const hostMnt = hostNs(s, "mnt");
  const hostName = utsHostname(s, hostUts);
  const results: CheckResult[] = [];
  const noBox = (name: string): CheckResult => ({ name, ok: false, detail: "No process is running in a new PID namespace, so there is nothing to inspect.", hint: "Start one first: unshare --pid --fork … (see the first check)." });

  // 1. A process in a new PID namespace, still running after 5 s.
  {
    const name = "A process runs in its own PID namespace";
    if (box) results.push({ name, ok: true, detail: `PID ${box.pid} (${cmdline(box)}) is in pid:[${box.ns.pid}]; the host's is pid:[${hostPid}]. It is still running ${LINGER_MS / 1000} s after your script.` });
    else {
      const newUts = s.processes.filter((p) => p.state !== "Z" && p.ns.uts !== hostUts);
      results.push({
        name,
        ok: false,
        detail: newUts.length
          ? `PID ${newUts[0]!.pid} (${cmdline(newUts[0]!)}) has its own UTS namespace but shares the host's PID namespace pid:[${hostPid}].`
          : `${LINGER_MS / 1000} s after your script, every process is in the host's PID namespace pid:[${hostPid}].`,
        hint: newUts.length
          ? "Add --pid (and --fork, so that the child, not unshare itself, enters the new PID namespace)."
          : "Use unshare --pid --fork with a command that keeps running (sleep infinity), and put it in the background with & so your script can finish.",
      });
    }
  }

  // 2. PID 1 in there.
  {
    const name = "It is PID 1 inside";
    if (!box) results.push(noBox(name));
    else if (innerPid(box) === 1) results.push({ name, ok: true, detail: `NSpid of PID ${box.pid} is ${box.nspid.join(" ")}: ${box.pid} on the host, 1 inside its namespace.` });
    else results.push({ name, ok: false, detail: `NSpid of PID ${box.pid} is ${box.nspid.join(" ")}: it is PID ${innerPid(box)} inside, not 1.`, hint: "The first process created in a new PID namespace becomes its PID 1. Let the long-lived program be that process: exec it (sh -c '…; exec sleep infinity')." });
  }

  // 3. Its own UTS namespace, hostname box.
  {
    const name = `It has its own UTS namespace with hostname ${WANT_HOSTNAME}`;
    if (!box) results.push(noBox(name));
    else {
      const h = utsHostname(s, box.ns.uts);
      if (box.ns.uts === hostUts) results.push({ name, ok: false, detail: `PID ${box.pid} shares the host's UTS namespace uts:[${hostUts}].`, hint: "Add --uts to unshare, so that hostname changes only the new namespace." });
      else if (h === WANT_HOSTNAME) results.push({ name, ok: true, detail: `uts:[${box.ns.uts}] has hostname ${h}.` });
      else results.push({ name, ok: false, detail: `PID ${box.pid} is in its own UTS namespace uts:[${box.ns.uts}], but its hostname is ${h}.`, hint: `Set it inside the new namespace, before the long-lived program starts: sh -c 'hostname ${WANT_HOSTNAME}; …'` });
    }
  }

  // 4. --mount-proc: its own mount namespace, where /proc shows the new PID namespace.
  {
    const name = "ps inside it sees its own PID namespace (--mount-proc)";
    if (!box) results.push(noBox(name));
    else if (box.ns.mnt !== hostMnt) results.push({ name, ok: true, detail: `PID ${box.pid} has its own mount namespace mnt:[${box.ns.mnt}], where /proc can be mounted for pid:[${box.ns.pid}].` });
    else results.push({ name, ok: false, detail: `PID ${box.pid} shares the host's mount namespace mnt:[${hostMnt}], so /proc inside it still lists the host's processes.`, hint: "Add --mount-proc: unshare then makes a new mount namespace and mounts a fresh /proc for the new PID namespace." });
  }

  // 5. The host's own hostname is untouched.
  {
    const name = "The host's hostname is unchanged";
    if (hostName === HOST_HOSTNAME) results.push({ name, ok: true, detail: `The host's UTS namespace uts:[${hostUts}] still says ${hostName}.` });
    else results.push({ name, ok: false, detail: `The host's hostname is now ${hostName}: hostname ran in the host's UTS namespace.`, hint: `Run hostname only inside the new UTS namespace (unshare --uts …). To repair the host: hostname ${HOST_HOSTNAME}` });
  }
  return results;
}

const exercise: Exercise = {
  number: 2,
  slug: "02-namespaces",
  title: "Namespaces: build a box by hand",
  starter: "box.sh",
  kind: "shell",
  setup,
  apply,
  check,
  hints: [
    "unshare runs a program in new namespaces. --uts gives it its own hostname, --pid its own process numbers.",
    "With --pid, add --fork: unshare's child, not unshare itself, enters the new PID namespace and becomes PID 1 there. --mount-proc makes ps inside see it.",
    "The program must keep running and your script must still finish: end the line with & and run something long-lived, like sleep infinity.",
    "Set the hostname inside the box and then become the long-lived program: sh -c 'hostname box; exec sleep infinity'.",
  ],
};

export default exercise;
