// kubectl's table printers: the columns, the AGE rounding and the pod STATUS logic of
// `kubectl get`, so what a reader sees here reads like a real cluster.
import { describeProbe } from "../components/prober";
import type { KEvent } from "../api/events";
import type { ConfigMap, Container, ContainerStatus, Deployment, EndpointSlice, KObject, Node, Pod, ReplicaSet, Secret, Service } from "../api/types";

/** duration.HumanDuration, as kubectl's AGE column rounds. */
export function humanDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < -1) return "<invalid>";
  if (s < 0) return "0s";
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) {
    const rs = s % 60;
    return rs === 0 ? `${m}m` : `${m}m${rs}s`;
  }
  if (m < 180) return `${m}m`;
  const h = Math.floor(s / 3600);
  if (h < 8) {
    const rm = m % 60;
    return rm === 0 ? `${h}h` : `${h}h${rm}m`;
  }
  if (h < 48) return `${h}h`;
  if (h < 192) {
    const rh = h % 24;
    return rh === 0 ? `${Math.floor(h / 24)}d` : `${Math.floor(h / 24)}d${rh}h`;
  }
  if (h < 24 * 365 * 2) return `${Math.floor(h / 24)}d`;
  if (h < 24 * 365 * 8) {
    const y = Math.floor(h / 24 / 365);
    const dy = Math.floor(h / 24) % 365;
    return dy === 0 ? `${y}y` : `${y}y${dy}d`;
  }
  return `${Math.floor(h / 24 / 365)}y`;
}

export function age(o: KObject, nowMs: number): string {
  const t = Date.parse(o.metadata.creationTimestamp ?? "");
  return Number.isFinite(t) ? humanDuration(nowMs - t) : "<unknown>";
}

/** The STATUS column of `kubectl get pods` (printPod): a reason beats the phase. With `now`, RESTARTS says when the last one was: "3 (25s ago)". */
export function podStatus(p: Pod, now?: number): { status: string; ready: string; restarts: string } {
  const cs = p.status?.containerStatuses ?? [];
  const total = p.spec.containers.length;
  let reason: string = p.status?.reason ?? p.status?.phase ?? "Pending";
  let readyCount = 0;
  let restarts = 0;
  let lastRestart: string | undefined;
  for (const c of [...cs].reverse()) {
    restarts += c.restartCount;
    if (c.lastState?.terminated?.finishedAt && (!lastRestart || c.lastState.terminated.finishedAt > lastRestart)) lastRestart = c.lastState.terminated.finishedAt;
    if (c.state.waiting?.reason) reason = c.state.waiting.reason;
    else if (c.state.terminated) reason = c.state.terminated.reason || (c.state.terminated.exitCode === 0 ? "Completed" : `ExitCode:${c.state.terminated.exitCode}`);
    else if (c.ready && c.state.running) readyCount++;
  }
  if (p.status?.phase === "Running" && reason === "Completed" && readyCount > 0) reason = "Running";
  if (p.metadata.deletionTimestamp) reason = p.status?.reason === "NodeLost" ? "Unknown" : "Terminating";
  const ago = restarts && lastRestart && now !== undefined ? ` (${humanDuration(now - Date.parse(lastRestart))} ago)` : "";
  return { status: reason, ready: `${readyCount}/${total}`, restarts: `${restarts}${ago}` };
}

/** Go's RFC1123Z, as kubectl describe prints container times: "Mon, 12 Jan 2026 09:00:30 +0000". */
export function rfc1123z(iso: string | undefined): string {
  const t = Date.parse(iso ?? "");
  if (!Number.isFinite(t)) return "";
  const d = new Date(t);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][d.getUTCDay()]}, ${two(d.getUTCDate())} ${["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][d.getUTCMonth()]} ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

/** kubectl describe pod: a container's "Liveness:", "Readiness:" and "Startup:" lines (DescribeProbe). */
export function describeProbes(c: Container): string[] {
  const out: string[] = [];
  if (c.livenessProbe) out.push(`    Liveness:       ${describeProbe(c.livenessProbe)}`);
  if (c.readinessProbe) out.push(`    Readiness:      ${describeProbe(c.readinessProbe)}`);
  if (c.startupProbe) out.push(`    Startup:        ${describeProbe(c.startupProbe)}`);
  return out;
}

export interface Table {
  header: string[];
  rows: string[][];
}

export interface PrintOptions {
  now: number;
  wide?: boolean;
  /** -A adds a NAMESPACE column first. */
  allNamespaces?: boolean;
  showLabels?: boolean;
  /** -L key1,key2: one column per label key, headed by the key's last path segment, upper-cased. */
  labelColumns?: string[];
}

function servicePorts(s: Service): string {
  const ports = s.spec.ports ?? [];
  if (!ports.length) return "<none>";
  return ports.map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ""}/${p.protocol ?? "TCP"}`).join(",");
}

function nodeReady(n: Node): string {
  const ready = n.status?.conditions?.find((c) => c.type === "Ready");
  // kubectl prints NotReady for both False and Unknown (a node whose kubelet went silent).
  let s = ready?.status === "True" ? "Ready" : ready ? "NotReady" : "Unknown";
  if (n.spec.unschedulable) s += ",SchedulingDisabled";
  return s;
}

function roles(n: Node): string {
  const r = Object.keys(n.metadata.labels ?? {})
    .filter((k) => k.startsWith("node-role.kubernetes.io/"))
    .map((k) => k.slice("node-role.kubernetes.io/".length));
  return r.length ? r.sort().join(",") : "<none>";
}

function images(containers: { image: string }[]): string {
  return containers.map((c) => c.image).join(",");
}

function containers(containers: { name: string }[]): string {
  return containers.map((c) => c.name).join(",");
}

function selectorText(sel: Record<string, string> | undefined): string {
  const e = Object.entries(sel ?? {});
  return e.length ? e.map(([k, v]) => `${k}=${v}`).join(",") : "<none>";
}

/** Columns per kind, as kubectl prints them (with -o wide extras). */
export function printTable(kind: string, objects: KObject[], o: PrintOptions): Table {
  let header: string[];
  let rows: string[][];
  switch (kind) {
    case "Pod":
      header = ["NAME", "READY", "STATUS", "RESTARTS", "AGE", ...(o.wide ? ["IP", "NODE", "NOMINATED NODE", "READINESS GATES"] : [])];
      rows = (objects as Pod[]).map((p) => {
        const s = podStatus(p, o.now);
        return [p.metadata.name, s.ready, s.status, s.restarts, age(p, o.now), ...(o.wide ? [p.status?.podIP ?? "<none>", p.spec.nodeName ?? "<none>", "<none>", "<none>"] : [])];
      });
      break;
    case "Deployment":
      header = ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", ...(o.wide ? ["CONTAINERS", "IMAGES", "SELECTOR"] : [])];
      rows = (objects as Deployment[]).map((d) => [
        d.metadata.name,
        `${d.status?.readyReplicas ?? 0}/${d.spec.replicas ?? 1}`,
        String(d.status?.updatedReplicas ?? 0),
        String(d.status?.availableReplicas ?? 0),
        age(d, o.now),
        ...(o.wide ? [containers(d.spec.template.spec.containers), images(d.spec.template.spec.containers), selectorText(d.spec.selector.matchLabels)] : []),
      ]);
      break;
    case "ReplicaSet":
      header = ["NAME", "DESIRED", "CURRENT", "READY", "AGE", ...(o.wide ? ["CONTAINERS", "IMAGES", "SELECTOR"] : [])];
      rows = (objects as ReplicaSet[]).map((r) => [
        r.metadata.name,
        String(r.spec.replicas ?? 1),
        String(r.status?.replicas ?? 0),
        String(r.status?.readyReplicas ?? 0),
        age(r, o.now),
        ...(o.wide ? [containers(r.spec.template.spec.containers), images(r.spec.template.spec.containers), selectorText(r.spec.selector.matchLabels)] : []),
      ]);
      break;
    case "Service":
      header = ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE", ...(o.wide ? ["SELECTOR"] : [])];
      rows = (objects as Service[]).map((s) => [s.metadata.name, s.spec.type ?? "ClusterIP", s.spec.clusterIP ?? "<none>", s.spec.type === "LoadBalancer" ? "<pending>" : "<none>", servicePorts(s), age(s, o.now), ...(o.wide ? [selectorText(s.spec.selector)] : [])]);
      break;
    case "Node":
      header = ["NAME", "STATUS", "ROLES", "AGE", "VERSION", ...(o.wide ? ["INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"] : [])];
      rows = (objects as Node[]).map((n) => [
        n.metadata.name,
        nodeReady(n),
        roles(n),
        age(n, o.now),
        n.status?.nodeInfo?.kubeletVersion ?? "v1.34.1",
        ...(o.wide ? [n.status?.addresses?.find((a) => a.type === "InternalIP")?.address ?? "<none>", "<none>", n.status?.nodeInfo?.osImage ?? "Debian GNU/Linux 12 (bookworm)", n.status?.nodeInfo?.kernelVersion ?? "6.12.48-kijl", n.status?.nodeInfo?.containerRuntimeVersion ?? "containerd://2.1.4"] : []),
      ]);
      break;
    case "EndpointSlice":
      header = ["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"];
      rows = (objects as EndpointSlice[]).map((e) => {
        const addrs = e.endpoints.flatMap((x) => x.addresses);
        const shown = addrs.slice(0, 3).join(",") + (addrs.length > 3 ? ` + ${addrs.length - 3} more...` : "");
        return [e.metadata.name, e.addressType, e.ports?.length ? e.ports.map((p) => String(p.port)).join(",") : "<unset>", addrs.length ? shown : "<unset>", age(e, o.now)];
      });
      break;
    case "ConfigMap":
      header = ["NAME", "DATA", "AGE"];
      rows = (objects as ConfigMap[]).map((c) => [c.metadata.name, String(Object.keys(c.data ?? {}).length), age(c, o.now)]);
      break;
    case "Secret":
      header = ["NAME", "TYPE", "DATA", "AGE"];
      rows = (objects as Secret[]).map((s) => [s.metadata.name, s.type ?? "Opaque", String(Object.keys(s.data ?? {}).length), age(s, o.now)]);
      break;
    case "Event":
      // kubectl get events does not sort: rows come in the API server's (etcd key) order.
      header = ["LAST SEEN", "TYPE", "REASON", "OBJECT", ...(o.wide ? ["SUBOBJECT", "SOURCE"] : []), "MESSAGE", ...(o.wide ? ["FIRST SEEN", "COUNT", "NAME"] : [])];
      rows = (objects as KEvent[]).map((e) => {
        const first = humanDuration(o.now - Date.parse(e.firstTimestamp));
        const last = e.lastTimestamp ? humanDuration(o.now - Date.parse(e.lastTimestamp)) : first;
        const target = `${e.involvedObject.kind.toLowerCase()}/${e.involvedObject.name}`;
        const source = e.source.host ? `${e.source.component}, ${e.source.host}` : e.source.component;
        return [last, e.type, e.reason, target, ...(o.wide ? [(e.involvedObject as { fieldPath?: string }).fieldPath ?? "", source] : []), e.message.trim(), ...(o.wide ? [first, String(e.count), e.metadata.name] : [])];
      });
      break;
    case "Namespace":
      header = ["NAME", "STATUS", "AGE"];
      rows = objects.map((n) => [n.metadata.name, "Active", age(n, o.now)]);
      break;
    default:
      header = ["NAME", "AGE"];
      rows = objects.map((x) => [x.metadata.name, age(x, o.now)]);
  }
  for (const key of o.labelColumns ?? []) {
    header.push(key.split("/").pop()!.toUpperCase());
    objects.forEach((x, i) => rows[i]!.push(x.metadata.labels?.[key] ?? ""));
  }
  if (o.showLabels) {
    header.push("LABELS");
    // labels.FormatLabels: keys sorted.
    objects.forEach((x, i) => rows[i]!.push(Object.keys(x.metadata.labels ?? {}).sort().map((k) => `${k}=${x.metadata.labels![k]}`).join(",") || "<none>"));
  }
  if (o.allNamespaces) {
    header.unshift("NAMESPACE");
    objects.forEach((x, i) => rows[i]!.unshift(x.metadata.namespace ?? ""));
  }
  return { header, rows };
}

/** kubectl's column layout: left-aligned, padded to the widest cell, three spaces apart. */
export function renderTable(t: Table, headers = true): string {
  const all = headers ? [t.header, ...t.rows] : t.rows;
  if (!all.length) return "";
  const widths = t.header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? "").length)));
  return all.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]! + 3))).join("").trimEnd() + "\n").join("");
}
