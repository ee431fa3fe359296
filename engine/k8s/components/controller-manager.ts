// kube-controller-manager: one process running the reconcile loops. Watches only put keys on
// queues; the loop then compares desired with actual and writes the difference back through the
// API server. Stop the process and nothing reconciles any more — objects stay as they are.
import type { Kernel } from "../../linux/kernel";
import type { Process } from "../../linux/process";
import type { Program } from "../../linux/tasks";
import { recordEvent } from "../api/events";
import { matchesMap } from "../api/labels";
import type { Deployment, EndpointSlice, KObject, Node, Pod, ReplicaSet, Service } from "../api/types";
import { toleratesTaint } from "../scheduler/plugins/taint-toleration";

const UNREACHABLE = "node.kubernetes.io/unreachable";
import { DeploymentController } from "../controllers/deployment";
import { isPodReady, ReplicaSetController } from "../controllers/replicaset";
import { clusterOf } from "./context";
import { WorkQueue } from "./workqueue";
import { parseIp } from "../../linux/net/ipv4";

const key = (o: KObject) => `${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`;

function owner(o: KObject, kind: string): string | undefined {
  const ref = o.metadata.ownerReferences?.find((r) => r.controller && r.kind === kind);
  return ref ? `${kind}/${o.metadata.namespace ?? ""}/${ref.name}` : undefined;
}

/**
 * Endpoint order: by pod IP, the way numeric collation orders them. Dotted quads compare as
 * numbers directly — the same order, without building an ICU collator on the first sync (that
 * costs a cold page several milliseconds); anything else falls back to the collator.
 */
export function byPodIP(pods: Pod[]): (a: Pod, b: Pod) => number {
  const n = new Map(pods.map((p) => [p, parseIp(p.status!.podIP!)]));
  if ([...n.values()].every((x) => x !== null)) return (a, b) => n.get(a)! - n.get(b)!;
  return (a, b) => a.status!.podIP!.localeCompare(b.status!.podIP!, undefined, { numeric: true });
}

export function* controllerManager(kernel: Kernel, proc: Process): Program {
  const ctx = clusterOf(kernel);
  if (!ctx) {
    proc.fds[2].write("E0112 09:00:00.000000       1 run.go:72] \"command failed\" err=\"unable to load kubeconfig\"\n");
    return 1;
  }
  const { api, clock } = ctx;
  const now = () => clock.epochMs();
  const log = (msg: string) => proc.fds[1].write(`I${new Date(now()).toISOString().slice(5, 10).replace("-", "")} ${new Date(now()).toISOString().slice(11, 23)}000 ${String(proc.pid).padStart(7)} ${msg}\n`);
  const q = new WorkQueue(clock);
  // Each controller's decisions become an Event object (kubectl describe) and an engine event (widgets).
  const record = (controller: string) => (o: KObject, r: string, m: string) => {
    kernel.emit({ type: "k8s.controller", controller, reason: r, kind: o.kind, namespace: o.metadata.namespace ?? "", name: o.metadata.name, message: m });
    recordEvent(api, o, "Normal", r, m, controller);
  };
  const rsc = new ReplicaSetController(api, now, record("replicaset-controller"));
  const dc = new DeploymentController(api, now, record("deployment-controller"));
  const stop: (() => void)[] = [];
  try {
    stop.push(api.watch("Deployment", (_t, o) => q.add(key(o))));
    stop.push(
      api.watch<ReplicaSet>("ReplicaSet", (t, o) => {
        q.add(key(o));
        const d = owner(o, "Deployment");
        if (d) q.add(d);
        if (t === "DELETED") collectDependents(o);
      }),
    );
    stop.push(
      api.watch<Pod>("Pod", (_t, o, old) => {
        const rs = owner(o, "ReplicaSet");
        if (rs) q.add(rs);
        // Readiness and IP changes move endpoints.
        for (const s of api.list<Service>("Service", o.metadata.namespace)) if (matchesMap(o.metadata.labels, s.spec.selector) || (old && matchesMap(old.metadata.labels, s.spec.selector))) q.add(key(s));
      }),
    );
    stop.push(
      api.watch<Service>("Service", (t, o) => {
        if (t !== "DELETED") q.add(key(o));
        else collectDependents(o);
      }),
    );
    stop.push(api.watch<Deployment>("Deployment", (t, o) => t === "DELETED" && collectDependents(o)));
    for (const kind of ["Deployment", "ReplicaSet", "Service"]) for (const o of api.list(kind)) q.add(key(o));
    log("controllermanager.go:195] \"Starting\" version=\"v1.34.1\"");
    // The node lifecycle controller looks at every node's lease every 5 s (--node-monitor-period).
    q.add("NodeLifecycle//all");
    for (;;) {
      for (let k = q.next(); k; k = q.next()) {
        const [kind, ns, name] = k.split("/") as [string, string, string];
        try {
          if (kind === "Deployment") {
            const after = dc.sync(ns, name);
            if (after !== undefined) q.addAfter(k, after);
          }
          else if (kind === "ReplicaSet") {
            rsc.sync(ns, name);
            requeueForAvailability(ns, name);
          } else if (kind === "Service") syncEndpointSlice(ns, name);
          else if (kind === "NodeLifecycle") {
            monitorNodes();
            q.addAfter(k, 5_000);
          }
        } catch (e) {
          // A conflict or a vanished object: try again shortly, as a real controller would.
          log(`controller.go:1] "Error syncing" key="${ns}/${name}" err="${(e as Error).message}"`);
          q.addAfter(k, 1000);
        }
      }
      yield { kind: "notify", on: q.notifier };
    }
  } finally {
    for (const s of stop) s();
  }

  /**
   * The node lifecycle controller: a node whose kubelet has not renewed its lease for 40 s
   * (--node-monitor-grace-period) turns Ready=Unknown and gets the unreachable NoExecute taint;
   * its pods are then evicted, at once or after their tolerationSeconds (300 s by default).
   */
  function monitorNodes(): void {
    const now = clock.now();
    for (const n of api.list<Node>("Node")) {
      const name = n.metadata.name;
      const last = ctx!.leases.get(name) ?? -Infinity;
      const stale = now - last > 40_000;
      const ready = n.status?.conditions?.find((c) => c.type === "Ready");
      const taints = n.spec.taints ?? [];
      const tainted = taints.some((t) => t.key === UNREACHABLE && t.effect === "NoExecute");
      if (stale && ready?.status !== "Unknown") {
        const when = api.now();
        const conditions = (n.status?.conditions ?? []).map((c) => ({ ...c, status: "Unknown", reason: "NodeStatusUnknown", message: "Kubelet stopped posting node status.", lastTransitionTime: when }));
        api.updateStatus({ ...n, status: { ...n.status, conditions } });
        recordEvent(api, n, "Normal", "NodeNotReady", `Node ${name} status is now: NodeNotReady`, "node-controller");
      }
      if (stale && !tainted) api.patch("Node", undefined, name, { spec: { taints: [...taints, { key: UNREACHABLE, effect: "NoExecute", timeAdded: api.now() }] } });
      if (!stale && tainted) api.patch("Node", undefined, name, { spec: { taints: taints.filter((t) => t.key !== UNREACHABLE).length ? taints.filter((t) => t.key !== UNREACHABLE) : null } });
      if (stale) evictFrom(api.tryGet<Node>("Node", undefined, name) ?? n);
    }
  }

  /** Taint eviction: delete pods that do not tolerate a NoExecute taint (or whose toleration ran out). */
  function evictFrom(n: Node): void {
    for (const taint of (n.spec.taints ?? []).filter((t) => t.effect === "NoExecute")) {
      const added = Date.parse(taint.timeAdded ?? api.now());
      for (const p of api.list<Pod>("Pod").filter((x) => x.spec.nodeName === n.metadata.name && !x.metadata.deletionTimestamp)) {
        const tol = (p.spec.tolerations ?? []).find((t) => toleratesTaint(t, taint));
        const expired = tol && tol.tolerationSeconds !== undefined && clock.epochMs() >= added + tol.tolerationSeconds * 1000;
        if (!tol || expired) {
          recordEvent(api, p, "Normal", "TaintManagerEviction", `Marking for deletion Pod ${p.metadata.namespace}/${p.metadata.name}`, "taint-eviction-controller");
          api.delete("Pod", p.metadata.namespace, p.metadata.name);
        }
      }
    }
  }

  /** Pods become available minReadySeconds after turning ready: look again then. */
  function requeueForAvailability(ns: string, name: string): void {
    const rs = api.tryGet<ReplicaSet>("ReplicaSet", ns, name);
    const min = rs?.spec.minReadySeconds ?? 0;
    if (rs && min > 0 && (rs.status?.readyReplicas ?? 0) > (rs.status?.availableReplicas ?? 0)) q.addAfter(key(rs), min * 1000);
  }

  /** The garbage collector, background propagation: dependents of a deleted owner go too. */
  function collectDependents(ownerObj: KObject): void {
    for (const kind of ["ReplicaSet", "Pod", "EndpointSlice"]) {
      for (const o of api.list(kind, ownerObj.metadata.namespace)) {
        if (o.metadata.ownerReferences?.some((r) => r.uid === ownerObj.metadata.uid)) {
          try {
            api.delete(kind, o.metadata.namespace, o.metadata.name);
          } catch {
            /* already gone */
          }
        }
      }
    }
  }

  /** The EndpointSlice controller: a Service's selector → the ready pod IPs behind it. */
  function syncEndpointSlice(ns: string, name: string): void {
    const svc = api.tryGet<Service>("Service", ns, name);
    if (!svc || !svc.spec.selector || Object.keys(svc.spec.selector).length === 0) return;
    const pods = api.list<Pod>("Pod", ns).filter((p) => matchesMap(p.metadata.labels, svc.spec.selector) && p.status?.podIP && !p.metadata.deletionTimestamp);
    const targetPort = (sp: NonNullable<Service["spec"]["ports"]>[number]) => {
      if (typeof sp.targetPort === "number") return sp.targetPort;
      if (typeof sp.targetPort === "string") {
        for (const p of pods) for (const c of p.spec.containers) for (const cp of c.ports ?? []) if (cp.name === sp.targetPort) return cp.containerPort;
      }
      return sp.port;
    };
    const desired = {
      addressType: "IPv4" as const,
      endpoints: pods
        .sort(byPodIP(pods))
        .map((p) => ({ addresses: [p.status!.podIP!], conditions: { ready: isPodReady(p), serving: isPodReady(p), terminating: false }, nodeName: p.spec.nodeName!, targetRef: { kind: "Pod", name: p.metadata.name, namespace: ns, uid: p.metadata.uid! } })),
      ports: (svc.spec.ports ?? []).map((sp) => ({ ...(sp.name ? { name: sp.name } : {}), port: targetPort(sp), protocol: sp.protocol ?? "TCP" })),
    };
    const existing = api.list<EndpointSlice>("EndpointSlice", ns).find((e) => e.metadata.labels?.["kubernetes.io/service-name"] === name);
    if (existing) {
      if (JSON.stringify([existing.endpoints, existing.ports]) !== JSON.stringify([desired.endpoints, desired.ports])) api.update({ ...existing, ...desired });
      return;
    }
    api.create<EndpointSlice>({
      apiVersion: "discovery.k8s.io/v1",
      kind: "EndpointSlice",
      metadata: {
        name: "",
        generateName: `${name}-`,
        namespace: ns,
        labels: { "kubernetes.io/service-name": name, "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io" },
        ownerReferences: [{ apiVersion: "v1", kind: "Service", name, uid: svc.metadata.uid!, controller: true, blockOwnerDeletion: true }],
      },
      ...desired,
    } as EndpointSlice);
  }
}
