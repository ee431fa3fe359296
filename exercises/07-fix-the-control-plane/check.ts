// Exercise 7: bring a broken cluster back. The lab is the control plane of a two-worker cluster
// that was left the way seed 000's author found theirs, plus one more mistake from the same
// night: kube-scheduler's binary lost its execute bit (the service is failed, status=203/EXEC)
// and worker-2 was cordoned for maintenance and never uncordoned. Deployment "web" (4 replicas)
// was applied anyway: the API server took it, the controllers made 4 pods, and they sit Pending.
//
// The grader lets the cluster settle (virtual time), then reads typed state — systemd units on
// every machine, the Node objects, the Deployment's status and where its pods run. It never
// reads the learner's script. Hints are computed from that state.
import { createCluster } from "../../engine";
import type { Host } from "../../engine";
import type { Deployment, Node } from "../../engine/k8s/api/types";
import { systemdOf } from "../../engine/linux/systemd";
import type { CheckResult, Exercise } from "../exercise";
import { appPods, clusterContext, componentUnits, inactiveUnits, runScript, settleCluster, sshPrefix } from "../lib/cluster-lab";
import type { UnitState } from "../lib/cluster-lab";

export const DEPLOYMENT = "web";
export const REPLICAS = 4;
export const WORKERS = ["worker-1", "worker-2"] as const;

/** The Deployment the lab starts with; it is also left in /root/web.yaml on the control plane. */
export const WEB_YAML = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 4
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
`;

/** What happened to the cluster before the learner arrived, as the commands that did it. */
export const BREAK_SCRIPT = `cat > /root/web.yaml <<'YAML'
${WEB_YAML}YAML
chmod -x /usr/local/bin/kube-scheduler
systemctl restart kube-scheduler
kubectl cordon worker-2
kubectl apply -f /root/web.yaml
`;

function setup(): Host {
  const c = createCluster({ workers: 2, seed: 1 });
  // One multi-line script: the shell keeps it out of the learner's history.
  const r = c.sh(BREAK_SCRIPT);
  if (!/deployment\.apps\/web created/.test(r.stdout)) throw new Error(`exercise 7 setup failed: ${r.stderr}`);
  c.settle();
  return c.controlPlane;
}

// ---- reading state ----

interface ServiceProblem {
  machine: string;
  unit: string;
  state: string;
  detail: string;
  hint: string;
}

function modeString(mode: number): string {
  const bits = "rwxrwxrwx";
  return "-" + [...bits].map((ch, i) => (mode & (1 << (8 - i)) ? ch : "-")).join("");
}

/** What is wrong with one service that is not active, in the words systemctl status and ls -l would use. */
function serviceProblem({ k, unit }: UnitState): ServiceProblem {
  const u = systemdOf(k).units.get(unit);
  if (!u) return { machine: k.name, unit, state: "not-found", detail: `${unit}.service is not installed on ${k.name}.`, hint: `ls /etc/systemd/system on ${k.name}` };
  const where = sshPrefix(k);
  const bin = u.execStart[0]!;
  let mode: number | null = null;
  try {
    mode = k.resolve(k.processes.get(1)!, bin).node.mode;
  } catch {
    // The binary is gone: systemd says No such file or directory.
  }
  if (u.state === "failed") {
    const exit = u.lastExit ? `status=${u.lastExit.status}/${u.lastExit.status === 203 ? "EXEC" : "FAILURE"}` : "failed";
    const lastMsg = [...systemdOf(k).journal].reverse().find((e) => e.unit === unit && e.msg.includes("Failed to execute"))?.msg;
    const detail = `${unit} is failed on ${k.name}: systemctl status ${unit} says ${exit}${lastMsg ? ` (${lastMsg.replace(`${unit}.service: `, "")})` : ""}.`;
    if (mode !== null && (mode & 0o111) === 0)
      return { machine: k.name, unit, state: u.state, detail, hint: `ls -l ${bin} shows ${modeString(mode & 0o777)}: nobody may execute it. Give it back its execute bit and start the service again: ${where}chmod +x ${bin} && ${where}systemctl restart ${unit}` };
    if (mode === null) return { machine: k.name, unit, state: u.state, detail, hint: `${bin} does not exist on ${k.name}; the unit cannot start without its binary.` };
    return { machine: k.name, unit, state: u.state, detail, hint: `Read why: ${where}journalctl -u ${unit}, then ${where}systemctl restart ${unit}` };
  }
  return { machine: k.name, unit, state: u.state, detail: `${unit} is ${u.state} on ${k.name} (stopped, not failed).`, hint: `Start it: ${where}systemctl start ${unit}` };
}

function check(host: Host): CheckResult[] {
  const c = clusterContext(host, 7);
  settleCluster(host, c);
  const results: CheckResult[] = [];
  const kernels = [...c.kernels.values()];

  // 1. Every component's service is running, on every machine.
  const problems = inactiveUnits(c).map(serviceProblem);
  const svcName = "every component's service is active (kube-scheduler included)";
  if (problems.length === 0) results.push({ name: svcName, ok: true, detail: `All ${kernels.reduce((n, k) => n + componentUnits(k).length, 0)} services are active (running) on ${kernels.map((k) => k.name).join(", ")}.` });
  else results.push({ name: svcName, ok: false, detail: problems.map((p) => p.detail).join(" "), hint: problems[0]!.hint });

  // 2. Both workers accept new pods: not cordoned, no NoSchedule/NoExecute taint.
  const nodes = c.api.list<Node>("Node");
  const blocked = WORKERS.map((w) => {
    const n = nodes.find((x) => x.metadata.name === w);
    if (!n) return { w, detail: `There is no Node ${w}: its kubelet has not registered.`, hint: `ssh ${w} systemctl status kubelet` };
    if (n.spec.unschedulable) return { w, detail: `${w} is cordoned: kubectl get nodes says Ready,SchedulingDisabled.`, hint: `kubectl uncordon ${w}` };
    const t = (n.spec.taints ?? []).find((x) => x.effect === "NoSchedule" || x.effect === "NoExecute");
    if (t) return { w, detail: `${w} has the taint ${t.key}${t.value ? `=${t.value}` : ""}:${t.effect}, which web's pods do not tolerate.`, hint: `Remove it: kubectl taint nodes ${w} ${t.key}:${t.effect}-` };
    return null;
  }).filter((x) => x !== null);
  const nodesName = "worker-1 and worker-2 both accept new pods";
  if (blocked.length === 0) results.push({ name: nodesName, ok: true, detail: "Neither worker is cordoned or tainted against web's pods." });
  else results.push({ name: nodesName, ok: false, detail: blocked.map((b) => b!.detail).join(" "), hint: blocked[0]!.hint });

  // 3. The Deployment reached all its replicas.
  const d = c.api.tryGet<Deployment>("Deployment", "default", DEPLOYMENT);
  const pods = appPods(c, DEPLOYMENT);
  const availName = `deployment ${DEPLOYMENT} has ${REPLICAS}/${REPLICAS} replicas available`;
  if (!d) {
    results.push({ name: availName, ok: false, detail: `There is no Deployment ${DEPLOYMENT}: kubectl get deployment ${DEPLOYMENT} says NotFound.`, hint: "It was in the lab from the start; apply it again: kubectl apply -f /root/web.yaml" });
  } else {
    const avail = d.status?.availableReplicas ?? 0;
    const want = d.spec.replicas ?? 1;
    if (avail >= REPLICAS && want === REPLICAS) {
      results.push({ name: availName, ok: true, detail: `kubectl get deployment ${DEPLOYMENT}: READY ${d.status?.readyReplicas ?? 0}/${want}, AVAILABLE ${avail}.` });
    } else if (want !== REPLICAS) {
      results.push({ name: availName, ok: false, detail: `${DEPLOYMENT} asks for ${want} replicas, not ${REPLICAS}.`, hint: `kubectl scale deployment ${DEPLOYMENT} --replicas=${REPLICAS}` });
    } else {
      const pending = pods.filter((p) => !p.spec.nodeName);
      const unsched = pending.map((p) => p.status?.conditions?.find((x) => x.type === "PodScheduled" && x.status === "False")?.message).find(Boolean);
      const schedulerDown = problems.some((p) => p.unit === "kube-scheduler");
      const why = pending.length === 0
        ? `its pods are placed but not all Running yet (kubectl get pods -l app=${DEPLOYMENT}).`
        : schedulerDown
          ? `${pending.length} of its pods have no node (Pending) and no scheduler is running to give them one.`
          : unsched
            ? `${pending.length} of its pods are Pending: ${unsched}`
            : `${pending.length} of its pods are Pending.`;
      results.push({
        name: availName,
        ok: false,
        detail: `AVAILABLE is ${avail} of ${want}: ${why}`,
        hint: schedulerDown ? "Pods get a node only from kube-scheduler. Look at it first: systemctl status kube-scheduler" : `kubectl describe pod on one of them; its Events say what is missing.`,
      });
    }
  }

  // 4. Spread: both workers run web pods (the reason worker-2 was brought back).
  const running = pods.filter((p) => p.spec.nodeName && p.status?.phase === "Running");
  const per = Object.fromEntries(WORKERS.map((w) => [w, running.filter((p) => p.spec.nodeName === w).length])) as Record<string, number>;
  const spreadName = `${DEPLOYMENT}'s pods run on both workers`;
  const counts = WORKERS.map((w) => `${w}: ${per[w]}`).join(", ");
  const empty = WORKERS.filter((w) => per[w] === 0);
  if (running.length > 0 && empty.length === 0) results.push({ name: spreadName, ok: true, detail: `Running ${DEPLOYMENT} pods per node — ${counts}.` });
  else if (running.length === 0) results.push({ name: spreadName, ok: false, detail: `No ${DEPLOYMENT} pod is Running on any node (${counts}).`, hint: "First get the pods scheduled at all: the scheduler, then the nodes." });
  else {
    const nodeOk = !blocked.some((b) => empty.includes(b!.w as (typeof WORKERS)[number]));
    results.push({
      name: spreadName,
      ok: false,
      detail: `Every Running ${DEPLOYMENT} pod is on ${WORKERS.find((w) => per[w]! > 0)} (${counts}).`,
      hint: nodeOk
        ? `${empty.join(" and ")} takes pods again, but the scheduler only places new pods; it never moves a running one. Delete two of the pods on ${WORKERS.find((w) => per[w]! > 0)} (kubectl delete pod NAME): the ReplicaSet makes replacements, and the scheduler puts them on the emptier node. (Or bring the node back before you start the scheduler.)`
        : `${empty.join(" and ")} still refuses new pods: ${blocked.find((b) => empty.includes(b!.w as (typeof WORKERS)[number]))!.detail}`,
    });
  }
  return results;
}

const exercise: Exercise = {
  number: 7,
  slug: "07-fix-the-control-plane",
  title: "Bring a broken cluster back",
  starter: "fix.sh",
  kind: "shell",
  setup,
  apply: runScript,
  check,
  hints: [
    "Follow the request: kubectl get pods shows web's pods Pending with no NODE. Which component gives a pod its node?",
    "systemctl status kube-scheduler and journalctl -u kube-scheduler say why the scheduler is not running; ls -l /usr/local/bin shows what is different about its binary.",
    "chmod +x /usr/local/bin/kube-scheduler, then systemctl restart kube-scheduler.",
    "kubectl get nodes: one worker says SchedulingDisabled. kubectl uncordon gives it back to the scheduler.",
    "The scheduler places a pod once and never moves it. Bring worker-2 back before the scheduler, or afterwards delete two of the pods on worker-1 so that the ReplicaSet makes new ones for the scheduler to place.",
  ],
};

export default exercise;
