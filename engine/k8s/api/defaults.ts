// Defaulting, as the API server applies it before storing: what `kubectl get -o yaml` shows
// that you never wrote (strategy 25%/25%, imagePullPolicy, requests := limits, …).
import type { Container, Deployment, KObject, Pod, PodSpec, ReplicaSet, Secret, Service } from "./types";

function defaultContainer(c: Container): void {
  const tag = c.image?.includes("@") ? "digest" : (c.image?.split("/").pop()?.split(":")[1] ?? "latest");
  c.imagePullPolicy ??= tag === "latest" ? "Always" : "IfNotPresent";
  c.terminationMessagePath ??= "/dev/termination-log";
  c.terminationMessagePolicy ??= "File";
  for (const p of c.ports ?? []) p.protocol ??= "TCP";
  // A limit without a request means request = limit.
  if (c.resources?.limits) {
    c.resources.requests ??= {};
    for (const [r, v] of Object.entries(c.resources.limits)) c.resources.requests[r] ??= v;
  }
  c.resources ??= {};
  for (const probe of [c.readinessProbe, c.livenessProbe, c.startupProbe]) {
    if (!probe) continue;
    probe.periodSeconds ??= 10;
    probe.timeoutSeconds ??= 1;
    probe.failureThreshold ??= 3;
    probe.successThreshold ??= 1;
    if (probe.httpGet) probe.httpGet.scheme ??= "HTTP";
  }
}

export function defaultPodSpec(spec: PodSpec): void {
  spec.restartPolicy ??= "Always";
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= "ClusterFirst";
  spec.schedulerName ??= "default-scheduler";
  spec.securityContext ??= {};
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) defaultContainer(c);
}

/** The DefaultTolerationSeconds admission plugin: tolerate not-ready/unreachable nodes for 300 s. */
function admitTolerations(spec: PodSpec): void {
  const tol = (spec.tolerations ??= []);
  for (const key of ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"]) {
    if (!tol.some((t) => t.key === key && (t.effect === "NoExecute" || !t.effect))) tol.push({ key, operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 });
  }
}

export function applyDefaults(obj: KObject, onCreate: boolean): void {
  switch (obj.kind) {
    case "Pod": {
      const p = obj as Pod;
      if (p.spec) {
        defaultPodSpec(p.spec);
        p.spec.serviceAccountName ??= "default";
        p.spec.enableServiceLinks ??= true;
        p.spec.priority ??= 0;
        if (onCreate) admitTolerations(p.spec);
      }
      break;
    }
    case "Deployment": {
      const d = obj as Deployment;
      if (!d.spec) break;
      d.spec.replicas ??= 1;
      d.spec.revisionHistoryLimit ??= 10;
      d.spec.progressDeadlineSeconds ??= 600;
      d.spec.strategy ??= {};
      d.spec.strategy.type ??= "RollingUpdate";
      if (d.spec.strategy.type === "RollingUpdate") {
        d.spec.strategy.rollingUpdate ??= {};
        d.spec.strategy.rollingUpdate.maxSurge ??= "25%";
        d.spec.strategy.rollingUpdate.maxUnavailable ??= "25%";
      }
      if (d.spec.template?.spec) defaultPodSpec(d.spec.template.spec);
      break;
    }
    case "ReplicaSet": {
      const rs = obj as ReplicaSet;
      if (!rs.spec) break;
      rs.spec.replicas ??= 1;
      if (rs.spec.template?.spec) defaultPodSpec(rs.spec.template.spec);
      break;
    }
    case "Service": {
      const s = obj as Service;
      if (!s.spec) break;
      s.spec.type ??= "ClusterIP";
      s.spec.sessionAffinity ??= "None";
      s.spec.internalTrafficPolicy ??= "Cluster";
      if (s.spec.type === "NodePort" || s.spec.type === "LoadBalancer") s.spec.externalTrafficPolicy ??= "Cluster";
      s.spec.ipFamilies ??= ["IPv4"];
      s.spec.ipFamilyPolicy ??= "SingleStack";
      for (const p of s.spec.ports ?? []) {
        p.protocol ??= "TCP";
        p.targetPort ??= p.port;
      }
      break;
    }
    case "Secret": {
      const s = obj as Secret;
      s.type ??= "Opaque";
      // stringData is write-only: it is merged into data (base64) and never stored.
      if (s.stringData) {
        s.data ??= {};
        for (const [k, v] of Object.entries(s.stringData)) s.data[k] = base64(v);
        delete s.stringData;
      }
      break;
    }
  }
}

/** base64 of a UTF-8 string, in the browser and in Node alike. */
export function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

export function unbase64(b64: string): string {
  const bin = atob(b64);
  return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}
