// Exercise 12: fix a broken end-to-end setup. A Deployment "web" (2 replicas of kjl/app, one on
// each worker) and a Service "web" should answer `curl http://web` from the pod "client" on
// worker-1. Three layers were broken, each the way it happens on real clusters:
//   1. the Service's targetPort is 80, but kjl/app listens on 8080 (the endpoints point at a
//      port nobody listens on: connection refused);
//   2. kube-proxy was stopped on worker-1, and the Deployment rolled afterwards, so worker-1's
//      KUBE-SEP chains still DNAT to the old pods' addresses;
//   3. worker-1 lost its route to worker-2's podCIDR (10.200.1.0/24), so packets to pods on
//      worker-2 leave by the default route and are never answered.
//
// The grader reads typed state: systemd units, the Service and its EndpointSlice, worker-1's
// FIB, and it sends REQUESTS connections from client to web through the engine's packet path
// (the walk curl takes: DNS to CoreDNS, kube-proxy's chains, routing, the bridge, the pod). It
// never reads the learner's script.
import { createCluster } from "../../engine";
import type { Host } from "../../engine";
import type { EndpointSlice, Pod, Service } from "../../engine/k8s/api/types";
import { traceService } from "../../engine/k8s/proxy/service-trace";
import type { Kernel } from "../../engine/linux/kernel";
import { fmtRouteDst } from "../../engine/linux/net/route";
import { netOf } from "../../engine/linux/net/registry";
import type { CheckResult, Exercise } from "../exercise";
import { appPods, clusterContext, inactiveUnits, runScript, settleCluster, sshPrefix } from "../lib/cluster-lab";

/** How many requests the grader sends from client to web. */
export const REQUESTS = 12;
export const WORKERS = ["worker-1", "worker-2"] as const;
export const APP_PORT = 8080;

/** The Deployment and the client pod, as left in /root/app.yaml. */
export const APP_YAML = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: app
        image: kjl/app:1.0
        ports:
        - containerPort: 8080
        readinessProbe:
          httpGet:
            path: /ready
            port: 8080
          periodSeconds: 5
---
apiVersion: v1
kind: Pod
metadata:
  name: client
spec:
  nodeSelector:
    kubernetes.io/hostname: worker-1
  containers:
  - name: client
    image: nginx:1.27
`;

/** The Service as it was applied, with its mistake: /root/svc.yaml. */
export const SVC_YAML = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 80
`;

/** What happened before the learner arrived, as the commands that did it. */
export const BREAK_SCRIPT = `cat > /root/app.yaml <<'YAML'
${APP_YAML}YAML
cat > /root/svc.yaml <<'YAML'
${SVC_YAML}YAML
kubectl apply -f /root/app.yaml
kubectl apply -f /root/svc.yaml
`;

/** Later the same day: kube-proxy stopped on worker-1, worker-2's web pod replaced, a route deleted. */
export function laterScript(podOnWorker2: string): string {
  return `ssh worker-1 systemctl stop kube-proxy
kubectl delete pod ${podOnWorker2}
`;
}
export const ROUTE_SCRIPT = `ssh worker-1 ip route del 10.200.1.0/24
`;

function setup(): Host {
  const c = createCluster({ workers: 2, seed: 1 });
  // Multi-line scripts: the shell keeps them out of the learner's history.
  const r = c.sh(BREAK_SCRIPT);
  if (!/service\/web created/.test(r.stdout)) throw new Error(`exercise 12 setup failed: ${r.stderr}`);
  c.settle();
  const ctx = clusterContext(c.controlPlane, 12);
  const onW2 = appPods(ctx, "web").find((p) => p.spec.nodeName === "worker-2");
  if (!onW2) throw new Error("exercise 12 setup: no web pod on worker-2");
  c.sh(laterScript(onW2.metadata.name) + "true\n");
  c.settle();
  c.sh(ROUTE_SCRIPT + "true\n");
  return c.controlPlane;
}

// ---- reading state ----

/** The init network namespace's routes of a node, as `ip route` prints their destinations. */
function routeDsts(k: Kernel): string[] {
  return netOf(k, k.processes.get(1)!.ns.net).fib.all().map((r) => fmtRouteDst(r));
}

interface Requests {
  answered: number;
  perNode: Record<string, number>;
  failures: string[];
}

/** Send REQUESTS connections from client to web:80 through the engine's packet path. */
function sendRequests(host: Host): Requests | string {
  try {
    const perNode: Record<string, number> = Object.fromEntries(WORKERS.map((w) => [w, 0]));
    const failures: string[] = [];
    let answered = 0;
    for (let i = 0; i < REQUESTS; i++) {
      const t = traceService(host, { service: "default/web", client: "default/client", port: 80 });
      if (t.trace.outcome === "reply") {
        answered++;
        if (t.chosen?.node) perNode[t.chosen.node] = (perNode[t.chosen.node] ?? 0) + 1;
      } else failures.push(`${t.chosen ? `DNAT to ${t.chosen.endpoint}` : "no DNAT"}: ${t.trace.summary}`);
    }
    return { answered, perNode, failures };
  } catch (e) {
    return (e as Error).message;
  }
}

function check(host: Host): CheckResult[] {
  const c = clusterContext(host, 12);
  settleCluster(host, c);
  // kube-proxy syncs on its own period after the last change; give it one more second.
  host.tick(1_000);
  const results: CheckResult[] = [];

  // 1. Every component runs.
  const down = inactiveUnits(c);
  const svcName = "every component's service is active (kube-proxy on both workers included)";
  if (down.length === 0) results.push({ name: svcName, ok: true, detail: "All 10 services are active (running) on controlplane, worker-1, worker-2." });
  else
    results.push({
      name: svcName,
      ok: false,
      detail: down.map((d) => `${d.unit} is ${d.state} on ${d.k.name}.`).join(" "),
      hint: `Start it: ${sshPrefix(down[0]!.k)}systemctl start ${down[0]!.unit}${down[0]!.unit === "kube-proxy" ? ". While it was stopped, nobody rewrote that node's KUBE-SVC and KUBE-SEP chains: compare iptables -t nat -S | grep default/web there with kubectl get endpointslices." : ""}`,
    });

  // 2. The Service reaches the port the pods listen on.
  const svc = c.api.tryGet<Service>("Service", "default", "web");
  const portName = `Service web sends port 80 to the pods' port ${APP_PORT}, and selects web's pods`;
  if (!svc) {
    results.push({ name: portName, ok: false, detail: "There is no Service web: kubectl get svc web says NotFound.", hint: "It was in the lab from the start: fix /root/svc.yaml and kubectl apply -f /root/svc.yaml" });
  } else {
    const p = (svc.spec.ports ?? []).find((x) => x.port === 80);
    const target = p?.targetPort ?? p?.port;
    const sel = svc.spec.selector ?? {};
    const selected = c.api.list<Pod>("Pod", "default").filter((pod) => Object.entries(sel).length > 0 && Object.entries(sel).every(([k, v]) => pod.metadata.labels?.[k] === v));
    const slice = c.api.list<EndpointSlice>("EndpointSlice", "default").find((s) => s.metadata.labels?.["kubernetes.io/service-name"] === "web");
    if (!p) results.push({ name: portName, ok: false, detail: "Service web has no port 80.", hint: "Put back `- port: 80` in /root/svc.yaml and apply it." });
    else if (String(target) !== String(APP_PORT))
      results.push({
        name: portName,
        ok: false,
        detail: `Service web sends port 80 to targetPort ${target}, but web's pods listen on ${APP_PORT} (containerPort): kubectl get endpointslices shows PORTS ${slice?.ports?.[0]?.port ?? target}, and a connection there is refused.`,
        hint: `Set targetPort: ${APP_PORT} in /root/svc.yaml and kubectl apply -f /root/svc.yaml (a Service's targetPort is the container's port, not the Service's).`,
      });
    else if (selected.length === 0 || !selected.every((x) => x.metadata.labels?.app === "web"))
      results.push({ name: portName, ok: false, detail: `Service web's selector ${JSON.stringify(sel)} matches ${selected.length} of web's pods.`, hint: "The selector must be app: web, the label the Deployment puts on its pods." });
    else results.push({ name: portName, ok: true, detail: `targetPort ${target}; the selector app=web matches ${selected.length} pods.` });
  }

  // 3. Each worker can route to the other worker's pod subnet.
  const missing = WORKERS.flatMap((w) =>
    WORKERS.filter((o) => o !== w)
      .filter((o) => !routeDsts(c.kernels.get(w)!).includes(c.podCIDRs.get(o)!))
      .map((o) => ({ w, o })),
  );
  const routeName = "each worker has a route to the other worker's podCIDR";
  if (missing.length === 0) results.push({ name: routeName, ok: true, detail: WORKERS.map((w) => `${w}: ${c.podCIDRs.get(WORKERS.find((o) => o !== w)!)} via ${c.nodeIPs.get(WORKERS.find((o) => o !== w)!)}`).join("; ") + "." });
  else
    results.push({
      name: routeName,
      ok: false,
      detail: missing.map(({ w, o }) => `${w} has no route to ${c.podCIDRs.get(o)} (${o}'s pods): ip route get sends it to the default gateway, which knows nothing about pods.`).join(" "),
      hint: `ssh ${missing[0]!.w} ip route add ${c.podCIDRs.get(missing[0]!.o)} via ${c.nodeIPs.get(missing[0]!.o)}`,
    });

  // 4. The end-to-end test: REQUESTS connections from client, all answered, by pods on both nodes.
  const reqName = `${REQUESTS} requests from client to http://web all get an answer`;
  const spreadName = "the answers come from web's pods on both workers";
  const r = sendRequests(host);
  if (typeof r === "string") {
    const why = `No request could be sent: ${r}.`;
    const hint = r.includes("client") ? "The pod client must be Running on worker-1 (kubectl apply -f /root/app.yaml)." : "kubectl get svc web: the Service needs a ClusterIP and port 80.";
    results.push({ name: reqName, ok: false, detail: why, hint });
    results.push({ name: spreadName, ok: false, detail: why, hint });
    return results;
  }
  // The hint for the requests follows the first failure's symptom to the layer that causes it.
  const failing = (name: string) => results.find((x) => x.name === name && !x.ok);
  const symptom = r.failures[0] ?? "";
  const firstBad = /reset|refused/.test(symptom)
    ? (failing(portName) ?? failing(svcName))
    : (failing(svcName) ?? failing(routeName) ?? failing(portName));
  if (r.answered === REQUESTS) results.push({ name: reqName, ok: true, detail: `${REQUESTS} of ${REQUESTS} answered.` });
  else
    results.push({
      name: reqName,
      ok: false,
      detail: `${r.answered} of ${REQUESTS} answered. First failure: ${r.failures[0]}`,
      hint: firstBad?.hint ?? "Follow one request: kubectl exec client -- curl -s http://web, then the chains on worker-1 (iptables -t nat -S | grep default/web), ip route get on the DNAT'd address, and the pod behind it.",
    });
  const counts = WORKERS.map((w) => `${w}: ${r.perNode[w] ?? 0}`).join(", ");
  const empty = WORKERS.filter((w) => !r.perNode[w]);
  const pods = appPods(c, "web");
  if (empty.length === 0) results.push({ name: spreadName, ok: true, detail: `Answers per node — ${counts}.` });
  else {
    const noPod = empty.filter((w) => !pods.some((p) => p.spec.nodeName === w && p.status?.phase === "Running"));
    results.push({
      name: spreadName,
      ok: false,
      detail: `Answers per node — ${counts}.`,
      hint: noPod.length ? `No web pod runs on ${noPod.join(" and ")}: kubectl get pods -o wide.` : (firstBad?.hint ?? "Both workers run a web pod; find out why one never answers."),
    });
  }
  return results;
}

const exercise: Exercise = {
  number: 12,
  slug: "12-fix-the-path",
  title: "Fix a broken path from curl to a pod",
  starter: "fix.sh",
  kind: "shell",
  setup,
  apply: runScript,
  check,
  hints: [
    "Start at the end: kubectl exec client -- curl -s -m 2 http://web. Exit code 7 is connection refused, 28 a timeout, 6 a name that did not resolve.",
    "kubectl get endpointslices web: is the port there the port the app listens on? kubectl get pods -o yaml says containerPort.",
    "Every component: systemctl is-active on the control plane, ssh worker-1 systemctl is-active kubelet kube-proxy containerd, and the same on worker-2.",
    "Compare the chains on each worker (ssh worker-1 iptables -t nat -S | grep default/web) with kubectl get pods -o wide: do the DNAT addresses still exist?",
    "ssh worker-1 ip route: which pod subnet has no route? Compare with ssh worker-2 ip route.",
  ],
};

export default exercise;
