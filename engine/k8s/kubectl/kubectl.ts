// kubectl: an HTTP client of the API server, nothing more — every verb here reads or writes
// objects through the same API the controllers use. (The simulation calls the API server
// in-process instead of over TLS; kubeconfig and "connection refused" behave as on a real cluster.)
import YAML from "yaml";
import type { Command, CommandContext } from "../../shell/command";
import { clusterOf } from "../components/context";
import type { ClusterContext } from "../components/context";
import { ApiError } from "../api/apiserver";
import { reportApiError } from "./api-error";
import type { KindInfo } from "../api/kinds";
import { kindByName, kindFor, qualified } from "../api/kinds";
import { matchesMap, parseSelector, SelectorError } from "../api/labels";
import type { ConfigMap, Deployment, KObject, Node, Pod, ReplicaSet, Secret, Service, Taint } from "../api/types";
import { eventsFor } from "../api/events";
import { printTable, renderTable, humanDuration } from "./printers";
import { ManifestError, parseManifests } from "./manifest";
import { REVISION } from "../controllers/deployment";
import { canonical } from "../controllers/hash";
import type { Program } from "../../linux/tasks";
import { TextReader } from "../../linux/io";
import { findExecutable, spawn } from "../../shell/exec";
import { containerdOf } from "../runtime/containerd";
import { getRaw } from "./raw";
import { threeWayMerge } from "./three-way-merge";
import { parseRequestTimeout, watch, WATCH_QUIET_MS } from "./watch";
import { sortKeys, toYaml } from "./yaml";
import { drain } from "./drain";
import { top } from "./top";
import { explain } from "./explain";
import { buildConfigObject } from "./create-config";
import { describeNodeLines } from "./describe-node";
import { tabwrite } from "./tabwriter";
import { eventLines } from "./describe-common";
import { filterByFields, parseFieldSelector } from "./field-selector";
import { applyPatch, splitPatchFlags } from "./patch";
import { parseGoDuration, parseWaitFor, waitFor } from "./wait";
import type { PatchFlags } from "./patch";
import { configCommand } from "./kubeconfig";
import { parsePortPair, portForward } from "./port-forward";
import { exposeService } from "./expose";
import { describePod } from "./describe-pod";
import { describeService } from "./describe-service";
import { describeDeployment, describeReplicaSet } from "./describe-workloads";
import { isTemplateFormat, printTemplate } from "./template-output";
import { SortError, SortFatal, sortObjects } from "./sort-by";
import { deleteObjects, deleteOptions } from "./delete";
import type { Deletion } from "./delete";
import { helpFor } from "./help";

const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

interface Flags {
  namespace?: string;
  allNamespaces: boolean;
  output?: string;
  selector?: string;
  files: string[];
  dryRun?: string;
  showLabels: boolean;
  watch: boolean;
  force: boolean;
  other: Map<string, string>;
  /** Repeatable flags (--from-literal, --from-file), in order. */
  lists: Map<string, string[]>;
  positional: string[];
}

function parseFlags(args: string[]): Flags {
  const f: Flags = { allNamespaces: false, files: [], showLabels: false, watch: false, force: false, other: new Map(), lists: new Map(), positional: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const val = () => {
      const eq = a.indexOf("=");
      return eq > 0 && a.startsWith("--") ? a.slice(eq + 1) : args[++i] ?? "";
    };
    // Only "--long" words are long flags: a positional "namespace" (create namespace NAME) is not -n.
    const name = a.startsWith("--") ? a.slice(2).split("=")[0]! : "";
    if (a === "-n" || name === "namespace") f.namespace = val();
    else if (a === "-A" || name === "all-namespaces") f.allNamespaces = true;
    else if (a === "-o" || name === "output") f.output = val();
    else if (/^-o.+/.test(a)) f.output = a.slice(2).replace(/^=/, "");
    else if (a === "-l" || name === "selector") f.selector = val();
    else if (a === "-f" || name === "filename") f.files.push(val());
    else if (name === "dry-run") f.dryRun = a.includes("=") ? a.split("=")[1] : "unchanged";
    else if (name === "show-labels") f.showLabels = true;
    else if (a === "-w" || name === "watch") f.watch = true;
    else if (name === "request-timeout" || name === "sort-by" || name === "timeout" || name === "field-selector" || name === "for" || name === "grace-period" || name === "template" || name === "port" || name === "target-port" || name === "protocol" || name === "name" || name === "type" || name === "cluster-ip" || name === "image" || name === "replicas" || name === "tail") f.other.set(name, val());
    else if (a === "-L" || name === "label-columns") f.lists.set("label-columns", [...(f.lists.get("label-columns") ?? []), ...val().split(",").filter(Boolean)]);
    else if (name === "from-literal" || name === "from-file") f.lists.set(name, [...(f.lists.get(name) ?? []), val()]);
    else if (a === "-c" || name === "container") f.other.set("container", val());
    else if (a === "-p" || name === "previous") f.other.set("previous", "true");
    else if (a === "-i" || a === "-t" || a === "-it" || a === "-ti" || name === "stdin" || name === "tty") f.other.set("tty", "true");
    else if (name === "force") f.force = true;
    else if (a.startsWith("--")) f.other.set(name, a.includes("=") ? a.slice(a.indexOf("=") + 1) : "true");
    else f.positional.push(a);
  }
  return f;
}

function readSource(ctx: CommandContext, file: string): string {
  if (file === "-") return ctx.stdin;
  const { node } = ctx.kernel.resolve(ctx.proc, ctx.abs(file));
  if (node.type === "dir") throw new ManifestError(`error: the path "${file}" is a directory (recursion is not supported here)`);
  return node.read?.({ proc: ctx.proc }) ?? "";
}

function nowMs(c: ClusterContext): number {
  return c.clock.epochMs();
}

function resolveKind(ctx: CommandContext, arg: string): KindInfo | null {
  const k = kindFor(arg);
  if (!k) ctx.err(`error: the server doesn't have a resource type "${arg}"\n`);
  return k ?? null;
}

function ref(k: KindInfo, name: string): string {
  return `${k.group ? `${k.singular}.${k.group}` : k.singular}/${name}`;
}

function output(ctx: CommandContext, c: ClusterContext, k: KindInfo, objs: KObject[], f: Flags, single: boolean): number {
  const o = f.output;
  const sortBy = f.other.get("sort-by");
  if (sortBy !== undefined && !single) {
    const sorted = sortForOutput(ctx, objs, sortBy, o === undefined || o === "wide");
    if (typeof sorted === "number") return sorted;
    objs = sorted;
  }
  if (o !== undefined && isTemplateFormat(o)) {
    // -o jsonpath --template='{…}': the template from its own flag.
    const template = f.other.get("template");
    if (!o.includes("=") && template !== undefined) return output(ctx, c, k, objs, { ...f, output: `${o}=${template}`, other: new Map([...f.other].filter(([n]) => n !== "sort-by")) }, single);
    const list = { apiVersion: "v1", items: objs, kind: "List", metadata: { resourceVersion: "" } };
    const r = printTemplate(o, single ? objs[0] : list, objs, { noHeaders: f.other.has("no-headers") && f.other.get("no-headers") !== "false", allowMissingKeys: f.other.get("allow-missing-template-keys") !== "false", readFile: (path) => readHostFile(ctx, path) });
    if ("error" in r) {
      ctx.err(r.error);
      return 1;
    }
    ctx.out(r.out);
    return 0;
  }
  if (o === "yaml") ctx.out(toYaml(single ? objs[0] : { apiVersion: "v1", items: objs, kind: "List", metadata: { resourceVersion: "" } }));
  else if (o === "json") ctx.out(JSON.stringify(sortKeys(single ? objs[0] : { apiVersion: "v1", items: objs, kind: "List", metadata: { resourceVersion: "" } }), null, 4) + "\n");
  else if (o === "name") ctx.out(objs.map((x) => ref(k, x.metadata.name) + "\n").join(""));
  else if (o === undefined || o === "wide") {
    if (!objs.length) {
      ctx.err(f.allNamespaces || !k.namespaced ? "No resources found\n" : `No resources found in ${f.namespace ?? "default"} namespace.\n`);
      return 0;
    }
    const table = printTable(k.kind, objs, { now: nowMs(c), wide: o === "wide", allNamespaces: f.allNamespaces && k.namespaced, showLabels: f.showLabels, labelColumns: f.lists.get("label-columns") });
    ctx.out(renderTable(table, !f.other.has("no-headers") || f.other.get("no-headers") === "false"));
  } else {
    ctx.err(`error: unable to match a printer suitable for the output format "${o}", allowed formats are: custom-columns,custom-columns-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,wide,yaml\n`);
    return 1;
  }
  return 0;
}

/** --sort-by: the objects in kubectl's order, or the status it exits with after printing its error. */
function sortForOutput(ctx: CommandContext, objs: KObject[], sortBy: string, table: boolean): KObject[] | number {
  try {
    return sortObjects(objs, sortBy, table);
  } catch (e) {
    if (e instanceof SortError) ctx.err(`error: ${e.message}\n`);
    else if (e instanceof SortFatal) ctx.err(`F${klogHeader(ctx)} sorter.go:271] ${e.message}\n`);
    else throw e;
    return 1;
  }
}

/** klog's "MMDD hh:mm:ss.uuuuuu   PID" in the cluster's virtual time. */
function klogHeader(ctx: CommandContext): string {
  const c = clusterOf(ctx.kernel);
  const t = new Date(c ? c.clock.epochMs() : 0).toISOString();
  return `${t.slice(5, 7)}${t.slice(8, 10)} ${t.slice(11, 23)}000 ${String(ctx.proc.pid).padStart(7)}`;
}

/** A file kubectl opens itself (-o jsonpath-file, custom-columns-file), with Go's error text. */
function readHostFile(ctx: CommandContext, path: string): string {
  try {
    return readSource(ctx, path);
  } catch {
    throw new Error(`open ${path}: no such file or directory`);
  }
}

/** The last-applied-configuration kubectl stores: the manifest as sent (namespace filled in), keys sorted, newline-terminated. */
function lastApplied(raw: KObject, k: KindInfo | undefined, ns: string): string {
  const { [LAST_APPLIED]: _drop, ...annotations } = raw.metadata?.annotations ?? {};
  const meta = { ...raw.metadata, annotations, ...(k?.namespaced ? { namespace: raw.metadata?.namespace ?? ns } : {}) };
  return JSON.stringify(sortKeys({ ...raw, metadata: meta })) + "\n";
}

function apply(ctx: CommandContext, c: ClusterContext, f: Flags, create: boolean): number {
  if (!f.files.length) {
    ctx.err(`error: must specify one of -f and -k\n\nerror: no objects passed to ${create ? "create" : "apply"}\n`);
    return 1;
  }
  if (f.dryRun !== undefined && !["client", "server", "none"].includes(f.dryRun)) {
    ctx.err(`error: Invalid dry-run value (${f.dryRun}). Must be "none", "server", or "client".\n`);
    return 1;
  }
  const dryRun = f.dryRun === "none" ? undefined : f.dryRun;
  if (f.output && !["yaml", "json", "name"].includes(f.output) && !/^jsonpath(-file|-as-json)?(=|$)/.test(f.output)) {
    ctx.err(`error: unable to match a printer suitable for the output format "${f.output}", allowed formats are: json,jsonpath,jsonpath-as-json,jsonpath-file,name,yaml\n`);
    return 1;
  }
  let status = 0;
  for (const file of f.files) {
    const source = file === "-" ? "STDIN" : file;
    let objs: KObject[];
    try {
      objs = parseManifests(readSource(ctx, file), source);
    } catch (e) {
      ctx.err(`${e instanceof ManifestError ? e.message : `error: the path "${file}" does not exist`}\n`);
      return 1;
    }
    if (!objs.length) {
      ctx.err(`error: no objects passed to ${create ? "create" : "apply"}\n`);
      return 1;
    }
    for (const raw of objs) {
      const obj = structuredClone(raw);
      const k = kindByName(obj.kind);
      const ns = f.namespace ?? "default";
      if (k?.namespaced) obj.metadata = { ...obj.metadata, namespace: obj.metadata?.namespace ?? ns };
      // What the command did, or would do: printed as -o asks, or as kubectl's "<ref> <verb>" line.
      const report = (made: KObject, verb: string) => {
        const suffix = dryRun === "server" ? " (server dry run)" : dryRun ? " (dry run)" : "";
        if (f.output) output(ctx, c, kindByName(made.kind)!, [made], f, true);
        else ctx.out(`${ref(kindByName(made.kind)!, made.metadata.name)} ${verb}${suffix}\n`);
      };
      try {
        const existing = k && obj.metadata?.name ? c.api.tryGet(obj.kind, k.namespaced ? obj.metadata.namespace : undefined, obj.metadata.name) : null;
        if (dryRun === "client") {
          // Nothing is sent, so nothing is validated beyond what kubectl itself needs: the kind's REST
          // mapping from discovery. (Strict field validation happens in the API server; use
          // --dry-run=server to have it checked.)
          if (!k || k.apiVersion !== obj.apiVersion) {
            ctx.err(`error: resource mapping not found for name: "${raw.metadata?.name ?? ""}" namespace: "${raw.metadata?.namespace ?? ""}" from "${source}": no matches for kind "${obj.kind}" in version "${obj.apiVersion ?? ""}"\nensure CRDs are installed first\n`);
            status = 1;
            continue;
          }
          if (!obj.metadata?.name) {
            ctx.err("error: resource name may not be empty\n");
            status = 1;
            continue;
          }
          if (!create) obj.metadata = { ...obj.metadata, annotations: { ...obj.metadata.annotations, [LAST_APPLIED]: lastApplied(raw, k, ns) } };
          if (existing && create) throw new ApiError(409, "AlreadyExists", `error when creating "${source}": ${qualified(k!)} "${obj.metadata.name}" already exists`);
          const last = existing?.metadata.annotations?.[LAST_APPLIED];
          report(obj, create || !existing ? "created" : last && canonical(JSON.parse(last)) === canonical(JSON.parse(lastApplied(raw, k, ns))) ? "unchanged" : "configured");
          continue;
        }
        if (!existing || create) {
          if (!create) obj.metadata = { ...obj.metadata, annotations: { ...obj.metadata?.annotations, [LAST_APPLIED]: lastApplied(raw, k, ns) } };
          report(c.api.create(obj, { source, dryRun: !!dryRun }), "created");
          continue;
        }
        // apply: the manifest's fields replace what was applied last time; the rest (status, defaults) stay.
        const last = existing.metadata.annotations?.[LAST_APPLIED];
        if (last && canonical(JSON.parse(last)) === canonical(JSON.parse(lastApplied(raw, k, ns)))) {
          report(existing, "unchanged");
          continue;
        }
        if (!last) ctx.err(`Warning: resource ${k!.group ? `${k!.resource}.${k!.group}` : k!.resource}/${obj.metadata.name} is missing the ${LAST_APPLIED} annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n`);
        // A three-way merge of the last applied configuration, the manifest and the live object.
        const desired = { ...obj, metadata: { ...obj.metadata, annotations: { ...(obj.metadata.annotations ?? {}), [LAST_APPLIED]: lastApplied(raw, k, ns) } } };
        const next = threeWayMerge(last ? JSON.parse(last) : {}, desired, existing) as KObject;
        if ("status" in existing) (next as { status?: unknown }).status = (existing as { status?: unknown }).status;
        delete next.metadata.resourceVersion;
        report(c.api.update(next, { source, dryRun: !!dryRun }), "configured");
      } catch (e) {
        status = reportApiError(ctx, e);
      }
    }
  }
  return status;
}

function targets(ctx: CommandContext, c: ClusterContext, f: Flags): { k: KindInfo; objs: KObject[]; single: boolean } | number {
  const [first, ...rest] = f.positional;
  if (!first) {
    ctx.err("You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\n");
    return 1;
  }
  const [kindArg, nameFromSlash] = first.includes("/") ? (first.split("/") as [string, string]) : [first, undefined];
  const k = resolveKind(ctx, kindArg);
  if (!k) return 1;
  // `kubectl get pods -o name | xargs kubectl delete`: every argument in TYPE/NAME form.
  const names = nameFromSlash ? [nameFromSlash, ...rest.map((r) => (r.startsWith(kindArg + "/") ? r.slice(kindArg.length + 1) : r))] : rest;
  const ns = k.namespaced ? (f.allNamespaces ? undefined : (f.namespace ?? "default")) : undefined;
  if (names.length) {
    const objs: KObject[] = [];
    let missing = 0;
    for (const n of names) {
      const o = c.api.tryGet(k.kind, ns ?? "default", n);
      if (o) objs.push(o);
      else {
        ctx.err(`Error from server (NotFound): ${qualified(k)} "${n}" not found\n`);
        missing++;
      }
    }
    if (missing && !objs.length) return 1;
    return { k, objs, single: names.length === 1 };
  }
  let sel;
  try {
    sel = f.selector ? parseSelector(f.selector) : undefined;
  } catch (e) {
    ctx.err(`error: ${(e as SelectorError).message}\n`);
    return 1;
  }
  const objs = c.api.list(k.kind, ns, sel);
  const fs = f.other.get("field-selector");
  if (fs === undefined) return { k, objs, single: false };
  const reqs = parseFieldSelector(fs);
  const kept = typeof reqs === "string" ? reqs : filterByFields(k, objs, reqs, f.selector ?? "", fs);
  if (typeof kept === "string") {
    ctx.err(kept + "\n");
    return 1;
  }
  return { k, objs: kept, single: false };
}

/** kubectl get -w / --watch-only: one resource type, then its changes in virtual time (watch.ts). */
function getWatch(ctx: CommandContext, c: ClusterContext, f: Flags): number | Program {
  const first = f.positional[0] ?? "";
  if (first.includes(",") && !first.includes("/")) {
    ctx.err(`error: watch is only supported on individual resources and resource collections, but ${first.split(",").length} resources were found\n`);
    return 1;
  }
  let timeoutMs = 0;
  const rt = f.other.get("request-timeout");
  if (rt !== undefined) {
    const ms = parseRequestTimeout(rt);
    if (ms === null) {
      ctx.err("error: invalid timeout value. Timeout must be a single integer in seconds, or an integer followed by a corresponding time unit (e.g. 1s | 2m | 3h)\n");
      return 1;
    }
    timeoutMs = ms;
  }
  if (f.output && !["wide", "name", "yaml", "json"].includes(f.output) && !/^jsonpath(-file|-as-json)?(=|$)/.test(f.output)) {
    ctx.err(`error: unable to match a printer suitable for the output format "${f.output}", allowed formats are: json,jsonpath,jsonpath-as-json,jsonpath-file,name,wide,yaml\n`);
    return 1;
  }
  const readFile = (path: string) => readHostFile(ctx, path);
  if (f.output?.startsWith("jsonpath")) {
    // A bad template is reported before the watch starts.
    const check = printTemplate(f.output, {}, [], { noHeaders: true, allowMissingKeys: true, readFile });
    if ("error" in check) {
      ctx.err(check.error);
      return 1;
    }
  }
  const t = targets(ctx, c, f);
  if (typeof t === "number") return t;
  const [, ...rest] = f.positional;
  const names = first.includes("/") ? [first.split("/")[1]!, ...rest] : rest;
  return watch(ctx, c, {
    kind: t.k,
    namespace: t.k.namespaced && !f.allNamespaces ? (f.namespace ?? "default") : undefined,
    names,
    selector: f.selector ? parseSelector(f.selector) : undefined,
    output: f.output,
    allNamespaces: f.allNamespaces,
    showLabels: f.showLabels,
    labelColumns: f.lists.get("label-columns"),
    noHeaders: f.other.has("no-headers") && f.other.get("no-headers") !== "false",
    watchOnly: f.other.has("watch-only"),
    events: f.other.has("output-watch-events"),
    timeoutMs,
    initial: t.objs,
    readFile,
  });
}

function describe(ctx: CommandContext, c: ClusterContext, f: Flags): number {
  // One type, or several (pod/a service/b): each group is looked up on its own.
  const found: { k: KindInfo; o: KObject }[] = [];
  let status = 0;
  for (const positional of kindGroups(f.positional) ?? [f.positional]) {
    const t = targets(ctx, c, { ...f, positional });
    if (typeof t === "number") status = t;
    else found.push(...t.objs.map((o) => ({ k: t.k, o })));
  }
  if (!found.length) return status;
  const now = nowMs(c);
  for (const [i, { k, o }] of found.entries()) {
    // kubectl separates one object's description from the next with two blank lines.
    if (i) ctx.out("\n\n");
    const pod = o.kind === "Pod" ? (o as Pod) : null;
    const own = pod
      ? describePod(c.api, pod, now, (pod.status as { hostIP?: string } | undefined)?.hostIP ?? c.nodeIPs.get(pod.spec.nodeName ?? "") ?? "")
      : o.kind === "Service"
        ? describeService(c.api, o as Service, now)
        : o.kind === "Deployment"
          ? describeDeployment(c.api, o as Deployment, now)
          : o.kind === "ReplicaSet"
            ? describeReplicaSet(c.api, o as ReplicaSet, now)
            : null;
    if (own !== null) {
      ctx.out(own);
      continue;
    }
    const lines: string[] = [];
    const kv = (k: string, v: string | undefined) => lines.push(`${(k + ":").padEnd(Math.max(16, k.length + 3))}${v ?? "<none>"}`);
    kv("Name", o.metadata.name);
    if (k.namespaced) kv("Namespace", o.metadata.namespace);
    kv("Labels", Object.entries(o.metadata.labels ?? {}).map(([a, b]) => `${a}=${b}`).join("\n                ") || "<none>");
    kv("Annotations", Object.entries(o.metadata.annotations ?? {}).filter(([a]) => a !== LAST_APPLIED).map(([a, b]) => `${a}: ${b}`).join("\n                ") || "<none>");
    if (o.kind === "Node") {
      const n = o as Node;
      const pods = c.api.list<Pod>("Pod").filter((p) => p.spec.nodeName === n.metadata.name);
      ctx.out(tabwrite([...describeNodeLines(n, pods, now), ...eventLines(c.api, n, now)].join("\n")) + "\n");
      continue;
    } else if (o.kind === "ConfigMap") {
      // kubectl prints a ConfigMap's values; a Secret's only as sizes.
      lines.push("", "Data", "====", ...Object.entries((o as ConfigMap).data ?? {}).flatMap(([k, v]) => [`${k}:`, "----", v, ""]), "", "BinaryData", "====", "");
    } else if (o.kind === "Secret") {
      const sec = o as Secret;
      lines.push("", `Type:  ${sec.type ?? "Opaque"}`, "", "Data", "====");
      const data = Object.entries(sec.data ?? {});
      const w = Math.max(0, ...data.map(([k]) => k.length + 1));
      lines.push(...data.map(([k, v]) => `${(k + ":").padEnd(w)}  ${atob(v).length} bytes`));
    } else {
      lines.push(...YAML.stringify({ spec: (o as { spec?: unknown }).spec ?? null }).split("\n").filter(Boolean));
    }
    const events = eventsFor(c.api, o);
    if (o.kind === "Secret") {
      // kubectl's Secret describer has no Events section.
    } else if (!events.length) lines.push("Events:          <none>");
    else {
      const rows = events.map((e) => ({ type: e.type, reason: e.reason, age: e.count > 1 ? `${humanDuration(now - Date.parse(e.lastTimestamp))} (x${e.count} over ${humanDuration(now - Date.parse(e.firstTimestamp))})` : humanDuration(now - Date.parse(e.lastTimestamp)), from: e.source.component, msg: e.message }));
      const w = (k: keyof (typeof rows)[number], h: string) => Math.max(h.length, "----".length, ...rows.map((r) => r[k].length));
      const [wt, wr, wa, wf] = [w("type", "Type"), w("reason", "Reason"), w("age", "Age"), w("from", "From")];
      lines.push("Events:", `  ${"Type".padEnd(wt)}  ${"Reason".padEnd(wr)}  ${"Age".padEnd(wa)}  ${"From".padEnd(wf)}  Message`, `  ${"----".padEnd(wt)}  ${"------".padEnd(wr)}  ${"----".padEnd(wa)}  ${"----".padEnd(wf)}  -------`, ...rows.map((r) => `  ${r.type.padEnd(wt)}  ${r.reason.padEnd(wr)}  ${r.age.padEnd(wa)}  ${r.from.padEnd(wf)}  ${r.msg}`));
    }
    ctx.out(lines.join("\n") + "\n");
  }
  return status;
}

/** kubectl wait --for=condition=X|delete KIND/NAME | KIND NAME… | KIND -l SEL [--timeout=30s]. */
function wait(ctx: CommandContext, c: ClusterContext, f: Flags): number | Program {
  const cond = parseWaitFor(f.other.get("for"));
  if (typeof cond === "string") {
    ctx.err(cond + "\n");
    return 1;
  }
  const timeout = f.other.get("timeout") ?? "30s";
  const ms = parseGoDuration(timeout);
  if (ms === null) {
    ctx.err(`error: invalid argument "${timeout}" for "--timeout" flag: time: invalid duration "${timeout}"\n`);
    return 1;
  }
  const [first] = f.positional;
  if (f.positional.length === 1 && first && !first.includes("/") && f.selector === undefined && !f.other.has("all")) {
    ctx.err("error: resource(s) were provided, but no name was specified\n");
    return 1;
  }
  let k: KindInfo;
  let objs: KObject[];
  if (cond.kind === "delete" && first && (first.includes("/") || f.positional.length > 1)) {
    // Waiting for a deletion that already happened succeeds at once.
    const [kindArg, slashName] = first.split("/") as [string, string | undefined];
    const kind = resolveKind(ctx, kindArg);
    if (!kind) return 1;
    const names = slashName ? [slashName, ...f.positional.slice(1)] : f.positional.slice(1);
    const ns = kind.namespaced ? (f.namespace ?? "default") : undefined;
    k = kind;
    objs = names.flatMap((n) => c.api.tryGet(kind.kind, ns, n) ?? []);
  } else {
    const t = targets(ctx, c, f);
    if (typeof t === "number") return t;
    if (!t.objs.length) {
      ctx.err("error: no matching resources found\n");
      return 1;
    }
    k = t.k;
    objs = t.objs;
  }
  return waitFor(ctx, c, k, objs, cond, ms);
}

/** kubectl patch KIND NAME -p PATCH [--type strategic|merge|json]: one PATCH request per object. */
function patch(ctx: CommandContext, c: ClusterContext, f: Flags, pf: PatchFlags): number {
  if (pf.patch === undefined) {
    ctx.err("error: must specify --patch or --patch-file containing the contents of the patch\n");
    return 1;
  }
  const type = pf.type ?? "strategic";
  if (type !== "json" && type !== "merge" && type !== "strategic") {
    ctx.err(`error: --type must be one of [json merge strategic], not "${type}"\n`);
    return 1;
  }
  if (f.positional.length === 1 && !f.positional[0]!.includes("/")) {
    ctx.err("error: resource(s) were provided, but no name was specified\n");
    return 1;
  }
  const t = targets(ctx, c, f);
  if (typeof t === "number") return t;
  for (const o of t.objs) {
    const r = applyPatch(o, pf.patch, type);
    if ("error" in r) {
      ctx.err(r.error + "\n");
      return 1;
    }
    const next = r.next as KObject;
    // A PATCH of the main resource cannot change status (that is the /status subresource).
    if ("status" in o) (next as { status?: unknown }).status = (o as { status?: unknown }).status;
    else delete (next as { status?: unknown }).status;
    if (canonical(next) === canonical(o)) {
      if (f.output) output(ctx, c, t.k, [o], f, true);
      else ctx.out(`${ref(t.k, o.metadata.name)} patched (no change)\n`);
      continue;
    }
    next.metadata = { ...next.metadata, resourceVersion: o.metadata.resourceVersion };
    try {
      const saved = c.api.update(next);
      if (f.output) output(ctx, c, t.k, [saved], f, true);
      else ctx.out(`${ref(t.k, o.metadata.name)} patched\n`);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      ctx.err(e.kubectl() + "\n");
      return 1;
    }
  }
  return 0;
}

function mutate(ctx: CommandContext, c: ClusterContext, verb: string, f: Flags): number {
  const t = targets(ctx, c, f);
  if (typeof t === "number") return t;
  const { k } = t;
  const names = t.objs;
  const errorOut = (e: unknown) => reportApiError(ctx, e);
  for (const o of names) {
    const ns = o.metadata.namespace;
    try {
      if (verb === "scale") {
        const r = f.other.get("replicas");
        if (r === undefined || !/^\d+$/.test(r)) {
          ctx.err("error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0\n");
          return 1;
        }
        c.api.patch(k.kind, ns, o.metadata.name, { spec: { replicas: Number(r) } });
        ctx.out(`${ref(k, o.metadata.name)} scaled\n`);
      } else if (verb === "cordon" || verb === "uncordon") {
        const want = verb === "cordon";
        if (!!(o as Node).spec.unschedulable === want) ctx.out(`node/${o.metadata.name} already ${want ? "cordoned" : "uncordoned"}\n`);
        else {
          c.api.patch("Node", undefined, o.metadata.name, { spec: { unschedulable: want ? true : null } });
          ctx.out(`node/${o.metadata.name} ${want ? "cordoned" : "uncordoned"}\n`);
        }
      }
    } catch (e) {
      return errorOut(e);
    }
  }
  return 0;
}

function labelOrTaint(ctx: CommandContext, c: ClusterContext, verb: "label" | "annotate" | "taint", f: Flags): number {
  const [kindArg, name, ...changes] = f.positional;
  const k = kindArg ? resolveKind(ctx, kindArg) : null;
  // `kubectl label pods -l app=web tier=frontend`: every object the selector matches, no NAME.
  if (k && f.selector !== undefined && verb !== "taint") {
    let sel;
    try {
      sel = parseSelector(f.selector);
    } catch (e) {
      ctx.err(`error: ${(e as SelectorError).message}\n`);
      return 1;
    }
    const objs = c.api.list(k.kind, k.namespaced ? (f.namespace ?? "default") : undefined, sel);
    if (!objs.length) {
      ctx.err(k.namespaced ? `No resources found in ${f.namespace ?? "default"} namespace.\n` : "No resources found\n");
      return 0;
    }
    let rc = 0;
    for (const o of objs) rc = Math.max(rc, labelOrTaint(ctx, c, verb, { ...f, selector: undefined, positional: [kindArg!, o.metadata.name, ...f.positional.slice(1)] }));
    return rc;
  }
  if (!k || !name) {
    if (kindArg && k) ctx.err("error: resource(s) were provided, but no name was specified\n");
    return 1;
  }
  const ns = k.namespaced ? (f.namespace ?? "default") : undefined;
  try {
    const o = c.api.get(k.kind, ns, name);
    if (verb === "taint") {
      let taints: Taint[] = [...((o as Node).spec.taints ?? [])];
      for (const ch of changes) {
        const m = /^([^=:]+)(?:=([^:]*))?(?::(NoSchedule|PreferNoSchedule|NoExecute))?(-)?$/.exec(ch);
        if (!m) {
          ctx.err(`error: invalid taint spec: ${ch}, invalid taint effect: , unsupported taint effect\n`);
          return 1;
        }
        if (m[4]) {
          const before = taints.length;
          taints = taints.filter((tn) => !(tn.key === m[1] && (!m[3] || tn.effect === m[3])));
          if (taints.length === before) {
            ctx.err(`error: taint "${ch.slice(0, -1)}" not found\n`);
            return 1;
          }
        } else {
          if (!m[3]) {
            ctx.err(`error: invalid taint spec: ${ch}, unknown taint effect ""\n`);
            return 1;
          }
          taints = taints.filter((tn) => !(tn.key === m[1] && tn.effect === m[3]));
          taints.push({ key: m[1]!, ...(m[2] ? { value: m[2] } : {}), effect: m[3] as Taint["effect"] });
        }
      }
      c.api.patch("Node", undefined, name, { spec: { taints: taints.length ? taints : null } });
      ctx.out(`node/${name} ${changes.some((x) => x.endsWith("-")) ? "untainted" : "tainted"}\n`);
      return 0;
    }
    const field = verb === "label" ? "labels" : "annotations";
    const patch: Record<string, string | null> = {};
    for (const ch of changes) {
      if (ch.endsWith("-")) patch[ch.slice(0, -1)] = null;
      else {
        const [key, value] = ch.split("=") as [string, string | undefined];
        if (value === undefined) {
          ctx.err(`error: at least one ${verb === "label" ? "label" : "annotation"} update is required\n`);
          return 1;
        }
        if (o.metadata[field]?.[key] !== undefined && o.metadata[field]?.[key] !== value && !f.other.has("overwrite")) {
          ctx.err(`error: '${key}' already has a value (${o.metadata[field]![key]}), and --overwrite is false\n`);
          return 1;
        }
        patch[key] = value;
      }
    }
    c.api.patch(k.kind, ns, name, { metadata: { [field]: patch } });
    ctx.out(`${ref(k, name)} ${verb === "label" ? (changes.some((x) => x.endsWith("-")) ? "unlabeled" : "labeled") : "annotated"}\n`);
    return 0;
  } catch (e) {
    return reportApiError(ctx, e);
  }
}

function rollout(ctx: CommandContext, c: ClusterContext, f: Flags): number | Program {
  const [sub, target, maybeName] = f.positional;
  const [kindArg, name] = target?.includes("/") ? (target.split("/") as [string, string]) : [target ?? "", maybeName ?? ""];
  const k = kindFor(kindArg);
  if (!sub || !k || k.kind !== "Deployment" || !name) {
    ctx.err(`error: ${!k ? `the server doesn't have a resource type "${kindArg}"` : "required resource not specified"}\n`);
    return 1;
  }
  const ns = f.namespace ?? "default";
  const d = c.api.tryGet<Deployment>("Deployment", ns, name);
  if (!d) {
    ctx.err(`Error from server (NotFound): deployments.apps "${name}" not found\n`);
    return 1;
  }
  const rss = () => c.api.list<ReplicaSet>("ReplicaSet", ns).filter((r) => r.metadata.ownerReferences?.some((o) => o.uid === d.metadata.uid)).sort((a, b) => Number(a.metadata.annotations?.[REVISION]) - Number(b.metadata.annotations?.[REVISION]));
  switch (sub) {
    case "history": {
      const rev = f.other.get("revision");
      if (rev) {
        const rs = rss().find((r) => r.metadata.annotations?.[REVISION] === rev);
        if (!rs) {
          ctx.err(`error: unable to find the specified revision\n`);
          return 1;
        }
        ctx.out(`deployment.apps/${name} with revision #${rev}\nPod Template:\n  Labels:\t${Object.entries(rs.spec.template.metadata?.labels ?? {}).map(([a, b]) => `${a}=${b}`).join("\n\t")}\n  Containers:\n${rs.spec.template.spec.containers.map((ct) => `   ${ct.name}:\n    Image:\t${ct.image}`).join("\n")}\n\n`);
        return 0;
      }
      ctx.out(`deployment.apps/${name} \nREVISION  CHANGE-CAUSE\n${rss().map((r) => `${r.metadata.annotations?.[REVISION]}         ${r.metadata.annotations?.["kubernetes.io/change-cause"] ?? "<none>"}`).join("\n")}\n\n`);
      return 0;
    }
    case "undo": {
      const all = rss();
      const current = Math.max(...all.map((r) => Number(r.metadata.annotations?.[REVISION])));
      const want = f.other.get("to-revision");
      const target = want ? all.find((r) => r.metadata.annotations?.[REVISION] === want) : all.filter((r) => Number(r.metadata.annotations?.[REVISION]) < current).at(-1);
      if (!target) {
        ctx.err(want ? `error: unable to find specified revision ${want} in history\n` : "error: no rollout history found for deployment \"" + name + "\"\n");
        return 1;
      }
      const template = structuredClone(target.spec.template);
      delete template.metadata?.labels?.["pod-template-hash"];
      c.api.patch("Deployment", ns, name, { spec: { template } });
      ctx.out(`deployment.apps/${name} rolled back\n`);
      return 0;
    }
    case "pause":
    case "resume": {
      c.api.patch("Deployment", ns, name, { spec: { paused: sub === "pause" ? true : null } });
      ctx.out(`deployment.apps/${name} ${sub}d\n`);
      return 0;
    }
    case "restart": {
      c.api.patch("Deployment", ns, name, { spec: { template: { metadata: { annotations: { "kubectl.kubernetes.io/restartedAt": c.api.now() } } } } });
      ctx.out(`deployment.apps/${name} restarted\n`);
      return 0;
    }
    case "status": {
      const clock = c.clock;
      // --timeout (Go duration, 0 = wait forever): the engine still stops a wait after 10 virtual minutes.
      const t = f.other.get("timeout");
      const m = t === undefined ? null : /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(t);
      if (t !== undefined && !m) {
        ctx.err(`error: invalid argument "${t}" for "--timeout" flag: time: invalid duration "${t}"\n`);
        return 1;
      }
      const timeout = m ? Number(m[1]) * ({ ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] ?? "s"] ?? 1000) : 0;
      return (function* (): Program {
        let last = "";
        const deadline = clock.now() + (timeout > 0 ? timeout : 600_000);
        for (;;) {
          const cur = c.api.tryGet<Deployment>("Deployment", ns, name);
          if (!cur) return 1;
          const s = cur.status ?? {};
          const want = cur.spec.replicas ?? 1;
          let msg: string;
          let done = false;
          if ((s.observedGeneration ?? 0) < (cur.metadata.generation ?? 1)) msg = "Waiting for deployment spec update to be observed...";
          else if (cur.status?.conditions?.some((x) => x.type === "Progressing" && x.reason === "ProgressDeadlineExceeded")) {
            ctx.err(`error: deployment "${name}" exceeded its progress deadline\n`);
            return 1;
          } else if ((s.updatedReplicas ?? 0) < want) msg = `Waiting for deployment "${name}" rollout to finish: ${s.updatedReplicas ?? 0} out of ${want} new replicas have been updated...`;
          else if ((s.replicas ?? 0) > (s.updatedReplicas ?? 0)) msg = `Waiting for deployment "${name}" rollout to finish: ${(s.replicas ?? 0) - (s.updatedReplicas ?? 0)} old replicas are pending termination...`;
          else if ((s.availableReplicas ?? 0) < (s.updatedReplicas ?? 0)) msg = `Waiting for deployment "${name}" rollout to finish: ${s.availableReplicas ?? 0} of ${s.updatedReplicas ?? 0} updated replicas are available...`;
          else {
            msg = `deployment "${name}" successfully rolled out`;
            done = true;
          }
          if (msg !== last) ctx.out(msg + "\n");
          last = msg;
          if (done) return 0;
          if (clock.now() >= deadline) {
            ctx.err("error: timed out waiting for the condition\n");
            return 1;
          }
          yield { kind: "sleep", until: Math.min(deadline, clock.now() + 1000) };
        }
      })();
    }
    default:
      ctx.err(`error: unknown command "${sub}" for "kubectl rollout"\n`);
      return 1;
  }
}

function setImage(ctx: CommandContext, c: ClusterContext, f: Flags): number {
  const [target, ...pairs] = f.positional;
  const [kindArg, name] = (target ?? "").split("/") as [string, string | undefined];
  const k = kindFor(kindArg);
  if (!k || !name || !pairs.length) {
    ctx.err("error: you must specify resources by --filename when --local is set.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n");
    return 1;
  }
  const ns = f.namespace ?? "default";
  try {
    const obj = c.api.get<KObject>(k.kind, ns, name);
    // A Pod's containers are its own; a workload's are in its pod template.
    const isPod = k.kind === "Pod";
    const spec = structuredClone(isPod ? (obj as unknown as Pod).spec : (obj as unknown as Deployment).spec.template.spec);
    for (const p of pairs) {
      const [cn, image] = p.split("=") as [string, string];
      const ct = spec.containers.find((x) => x.name === cn || cn === "*");
      if (!ct) {
        ctx.err(`error: unable to find container named "${cn}"\n`);
        return 1;
      }
      ct.image = image;
    }
    c.api.patch(k.kind, ns, name, isPod ? { spec: { containers: spec.containers } } : { spec: { template: { spec } } });
    ctx.out(`${ref(k, name)} image updated\n`);
    return 0;
  } catch (e) {
    return reportApiError(ctx, e);
  }
}

/**
 * kubectl create deployment NAME --image=… [--replicas=N] [--port=P] [-- COMMAND…], kubectl run NAME
 * --image=… [--port=P] [--restart=…] [--command] [-- ARGS…], kubectl create namespace NAME: the object
 * kubectl builds (keys in the Go structs' order, the empty structs it leaves: strategy: {},
 * resources: {}, status: {}), sent to the API server or, with --dry-run, only printed.
 */
function createImperative(ctx: CommandContext, c: ClusterContext, f: Flags, what: "deployment" | "pod" | "namespace", command: string[] = []): number {
  const name = f.positional[1];
  const image = f.other.get("image");
  const usage = what === "pod" ? "run" : `create ${what}`;
  if (!name) {
    ctx.err(`error: ${what === "pod" ? "NAME is required for run" : "exactly one NAME is required, got 0"}\nSee 'kubectl ${usage} -h' for help and examples\n`);
    return 1;
  }
  if (what !== "namespace" && !image) {
    ctx.err(what === "pod" ? "error: required flag(s) \"image\" not set\n" : `error: required flag(s) "image" not set\n`);
    return 1;
  }
  if (f.dryRun !== undefined && !["client", "server", "none"].includes(f.dryRun)) {
    ctx.err(`error: Invalid dry-run value (${f.dryRun}). Must be "none", "server", or "client".\n`);
    return 1;
  }
  const restart = f.other.get("restart") ?? "Always";
  if (what === "pod" && !["Always", "OnFailure", "Never"].includes(restart)) {
    ctx.err(`error: invalid restart policy: ${restart}\n`);
    return 1;
  }
  const port = f.other.get("port");
  if (port !== undefined && !/^\d+$/.test(port)) {
    ctx.err(`Error: invalid argument "${port}" for "--port" flag: strconv.ParseInt: parsing "${port}": invalid syntax\n`);
    return 1;
  }
  const replicas = f.other.get("replicas") ?? "1";
  if (what === "deployment" && !/^-?\d+$/.test(replicas)) {
    ctx.err(`Error: invalid argument "${replicas}" for "-r, --replicas" flag: strconv.ParseInt: parsing "${replicas}": invalid syntax\n`);
    return 1;
  }
  const ns = f.namespace;
  const meta = (labels?: Record<string, string>) => ({ name, ...(ns && what !== "namespace" ? { namespace: ns } : {}), ...(labels ? { labels } : {}) });
  const ctName = what === "pod" ? name : (image ?? "").split("/").pop()!.split(/[:@]/)[0]!.replace(/[^a-z0-9-]/g, "-");
  const asCommand = what === "deployment" || f.other.has("command");
  const container = {
    name: ctName,
    image: image!,
    ...(command.length && asCommand ? { command } : {}),
    ...(command.length && !asCommand ? { args: command } : {}),
    ...(port ? { ports: [{ containerPort: Number(port) }] } : {}),
    resources: {},
  };
  const obj: KObject =
    what === "namespace"
      ? ({ kind: "Namespace", apiVersion: "v1", metadata: meta(), spec: {}, status: {} } as KObject)
      : what === "pod"
        ? ({ kind: "Pod", apiVersion: "v1", metadata: meta({ run: name }), spec: { containers: [container], restartPolicy: restart, dnsPolicy: "ClusterFirst" }, status: {} } as KObject)
        : ({
            kind: "Deployment",
            apiVersion: "apps/v1",
            metadata: meta({ app: name }),
            spec: { replicas: Number(replicas), selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [container] } }, strategy: {} },
            status: {},
          } as KObject);
  return sendCreate(ctx, c, f, obj);
}

/**
 * The resource arguments as one group per type, when they name more than one: "deploy,rs
 * [NAME…]" (each type with the same names), or TYPE/NAME words of different types
 * ("pod/a deployment/b", in the order the types first appear). Null for a single type.
 */
function kindGroups(positional: string[]): string[][] | null {
  const [first, ...rest] = positional;
  if (!first) return null;
  if (first.includes(",") && !first.includes("/")) return first.split(",").map((k) => [k, ...rest]);
  if (!positional.every((a) => a.includes("/"))) return null;
  const byKind = new Map<string, string[]>();
  for (const a of positional) {
    const kind = a.slice(0, a.indexOf("/"));
    byKind.set(kind, [...(byKind.get(kind) ?? []), a.slice(a.indexOf("/") + 1)]);
  }
  return byKind.size > 1 ? [...byKind].map(([kind, names]) => [kind, ...names]) : null;
}

/** kubectl port-forward POD|TYPE/NAME [LOCAL:]REMOTE: the pod chosen as kubectl chooses it (port-forward.ts). */
function portForwardCmd(ctx: CommandContext, c: ClusterContext, f: Flags): number | Program {
  const [target, ...ports] = f.positional;
  if (!target || !ports.length) {
    ctx.err("error: TYPE/NAME and list of ports are required for port-forward\nSee 'kubectl port-forward -h' for help and examples\n");
    return 1;
  }
  const pairs = ports.map(parsePortPair);
  const bad = ports.find((_, i) => !pairs[i]);
  if (bad !== undefined) {
    ctx.err(`error: Invalid port "${bad}"\n`);
    return 1;
  }
  const ns = f.namespace ?? "default";
  const [kindArg, name] = target.includes("/") ? (target.split("/") as [string, string]) : ["pod", target];
  const k = resolveKind(ctx, kindArg);
  if (!k) return 1;
  let pod: Pod | undefined;
  const remote = pairs.map((p) => ({ ...p! }));
  if (k.kind === "Pod") {
    pod = c.api.tryGet<Pod>("Pod", ns, name) ?? undefined;
  } else {
    const obj = c.api.tryGet(k.kind, ns, name);
    if (!obj) {
      ctx.err(`Error from server (NotFound): ${qualified(k)} "${name}" not found\n`);
      return 1;
    }
    // A Service's port is mapped to its targetPort; a workload's pods are found by its selector.
    const svc = k.kind === "Service" ? (obj as Service) : null;
    const selector = svc ? svc.spec.selector ?? {} : ((obj as { spec?: { selector?: { matchLabels?: Record<string, string> } } }).spec?.selector?.matchLabels ?? {});
    if (svc) for (const p of remote) { const sp = svc.spec.ports?.find((x) => x.port === p.remote); if (sp && typeof sp.targetPort === "number") p.remote = sp.targetPort; }
    pod = c.api.list<Pod>("Pod", ns).filter((p) => p.status?.phase === "Running" && matchesMap(p.metadata.labels, selector)).sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1))[0];
    if (!pod) {
      ctx.err(`error: unable to find a running pod for ${qualified(k)}/${name}\n`);
      return 1;
    }
  }
  if (!pod) {
    ctx.err(`Error from server (NotFound): pods "${name}" not found\n`);
    return 1;
  }
  if (pod.status?.phase !== "Running") {
    ctx.err(`error: unable to forward port because pod is not running. Current status=${pod.status?.phase ?? "Pending"}\n`);
    return 1;
  }
  const kernel = pod.spec.nodeName ? c.kernels.get(pod.spec.nodeName) : undefined;
  const cri = kernel ? containerdOf(kernel) : undefined;
  const id = pod.status?.containerStatuses?.[0]?.containerID?.replace("containerd://", "") ?? "";
  const task = cri?.tasks.get(id);
  if (!kernel || !task) {
    ctx.err(`error: unable to forward port because pod is not running. Current status=${pod.status?.phase ?? "Pending"}\n`);
    return 1;
  }
  return portForward(ctx, { kernel, pid: task.init.pid }, remote);
}

/** kubectl expose TYPE NAME | TYPE/NAME: a Service built from the object (expose.ts). */
function expose(ctx: CommandContext, c: ClusterContext, f: Flags): number {
  if (!f.positional.length) {
    ctx.err("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n");
    return 1;
  }
  const t = targets(ctx, c, { ...f, selector: undefined });
  if (typeof t === "number") return t;
  let status = 0;
  for (const o of t.objs) {
    const svc = exposeService(o, {
      ...(f.other.has("port") ? { port: f.other.get("port")! } : {}),
      ...(f.other.has("target-port") ? { targetPort: f.other.get("target-port")! } : {}),
      ...(f.other.has("protocol") ? { protocol: f.other.get("protocol")! } : {}),
      ...(f.other.has("name") ? { name: f.other.get("name")! } : {}),
      ...(f.other.has("type") ? { type: f.other.get("type")! } : {}),
      ...(f.other.has("cluster-ip") ? { clusterIP: f.other.get("cluster-ip")! } : {}),
      ...(f.selector ? { selector: f.selector } : {}),
    });
    if (typeof svc === "string") {
      ctx.err(`error: ${svc}\n`);
      status = 1;
      continue;
    }
    status = Math.max(status, sendCreate(ctx, c, f, svc as unknown as KObject, "exposed"));
  }
  return status;
}

/** Print (--dry-run=client) or create (server dry run or for real) an object kubectl built itself. */
function sendCreate(ctx: CommandContext, c: ClusterContext, f: Flags, obj: KObject, verb = "created"): number {
  const k = kindByName(obj.kind)!;
  const dryRun = f.dryRun === "none" ? undefined : f.dryRun;
  const print = (o: KObject, suffix: string) => {
    if (f.output === "json") ctx.out(JSON.stringify(o, null, 4) + "\n");
    else if (f.output) output(ctx, c, k, [o], f, true);
    else ctx.out(`${ref(k, obj.metadata.name)} ${verb}${suffix}\n`);
  };
  if (f.output && !["yaml", "json", "name"].includes(f.output) && !/^jsonpath(-file|-as-json)?(=|$)/.test(f.output)) {
    ctx.err(`error: unable to match a printer suitable for the output format "${f.output}", allowed formats are: json,jsonpath,jsonpath-as-json,jsonpath-file,name,yaml\n`);
    return 1;
  }
  if (dryRun === "client") {
    print(obj, " (dry run)");
    return 0;
  }
  try {
    // The API server resets status on create; send what kubectl sends.
    const { status: _reset, ...sent } = obj;
    const made = c.api.create({ ...sent, metadata: { ...obj.metadata, ...(k.namespaced ? { namespace: obj.metadata.namespace ?? f.namespace ?? "default" } : {}) } } as KObject, { dryRun: dryRun === "server" });
    print(made, dryRun === "server" ? " (server dry run)" : "");
    return 0;
  } catch (e) {
    if (e instanceof ApiError) {
      ctx.err(e.kubectl().replace('error when creating "STDIN": ', "") + "\n");
      return 1;
    }
    throw e;
  }
}

/** kubectl create configmap NAME --from-literal=k=v --from-file=PATH, create secret generic NAME …. */
function createConfig(ctx: CommandContext, c: ClusterContext, f: Flags, what: "configmap" | "secret"): number {
  if (what === "secret" && f.positional[1] !== "generic") {
    ctx.err(f.positional[1] ? `error: unknown command "${f.positional[1]}" for "kubectl create secret"\n\nDid you mean this?\n\tgeneric\n` : "Create a secret with specified type.\n\nAvailable Commands:\n  generic           Create a secret from a local file, directory, or literal value\n\nUsage:\n  kubectl create secret (docker-registry | generic | tls) [options]\n");
    return 1;
  }
  const name = f.positional[what === "secret" ? 2 : 1];
  if (f.dryRun !== undefined && !["client", "server", "none"].includes(f.dryRun)) {
    ctx.err(`error: Invalid dry-run value (${f.dryRun}). Must be "none", "server", or "client".\n`);
    return 1;
  }
  const built = buildConfigObject(what, name, f.namespace, f.lists.get("from-literal") ?? [], f.lists.get("from-file") ?? [], (path) => readSource(ctx, path), f.other.get("type"));
  if (typeof built === "string") {
    ctx.err(built);
    return 1;
  }
  return sendCreate(ctx, c, f, built);
}

/** The pod, its node's kernel and the container the command is about (defaulting like kubectl does). */
function podContainer(ctx: CommandContext, c: ClusterContext, f: Flags): { pod: Pod; container: string; kernel: import("../../linux/kernel").Kernel } | number {
  const name = f.positional[0]?.replace(/^pods?\//, "");
  if (!name) {
    ctx.err("error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\n");
    return 1;
  }
  const pod = c.api.tryGet<Pod>("Pod", f.namespace ?? "default", name);
  if (!pod) {
    ctx.err(`Error from server (NotFound): pods "${name}" not found\n`);
    return 1;
  }
  const names = pod.spec.containers.map((x) => x.name);
  const container = f.other.get("container") ?? names[0]!;
  if (!names.includes(container)) {
    ctx.err(`error: container ${container} is not valid for pod ${name}\n`);
    return 1;
  }
  if (!f.other.has("container") && names.length > 1) ctx.err(`Defaulted container "${container}" out of: ${names.join(", ")}\n`);
  const cs = pod.status?.containerStatuses?.find((x) => x.name === container);
  const kernel = pod.spec.nodeName ? c.kernels.get(pod.spec.nodeName) : undefined;
  if (!kernel || !cs || (!cs.state.running && !cs.state.terminated && !cs.lastState)) {
    const why = cs?.state.waiting?.reason ?? "ContainerCreating";
    ctx.err(`Error from server (BadRequest): container "${container}" in pod "${name}" is waiting to start: ${why}\n`);
    return 1;
  }
  return { pod, container, kernel };
}

/** kubectl logs: the API server asks the kubelet, which reads the CRI log file on its node. */
function logs(ctx: CommandContext, c: ClusterContext, f: Flags): number | Program {
  const t = podContainer(ctx, c, f);
  if (typeof t === "number") return t;
  const cs = t.pod.status!.containerStatuses!.find((x) => x.name === t.container)!;
  const previous = f.other.has("previous");
  if (previous && cs.restartCount === 0) {
    ctx.err(`Error from server (BadRequest): previous terminated container "${t.container}" in pod "${t.pod.metadata.name}" not found\n`);
    return 1;
  }
  const file = `/var/log/pods/${t.pod.metadata.namespace}_${t.pod.metadata.name}_${t.pod.metadata.uid}/${t.container}/${previous ? cs.restartCount - 1 : cs.restartCount}.log`;
  const read = (): string[] => {
    try {
      const init = t.kernel.processes.get(1)!;
      const text = t.kernel.resolve(init, file).node.read?.({ proc: init }) ?? "";
      return text.split("\n").filter(Boolean).map((l) => l.replace(/^\S+ (?:stdout|stderr) [FP] /, ""));
    } catch {
      return [];
    }
  };
  let lines = read();
  let seen = lines.length;
  const tail = f.other.get("tail");
  if (tail !== undefined && /^\d+$/.test(tail)) lines = lines.slice(-Number(tail));
  ctx.out(lines.map((l) => l + "\n").join(""));
  if (!f.other.has("follow") || previous) return 0;
  // -f: keep reading the CRI log file as the container writes it, until the container stops
  // (or, as with get -w here, a minute of virtual time passes with nothing new).
  const id = cs.containerID?.replace("containerd://", "") ?? "";
  const cri = containerdOf(t.kernel);
  return (function* (): Program {
    let quietSince = c.clock.now();
    for (;;) {
      yield { kind: "sleep", until: c.clock.now() + 1_000 };
      const now = read();
      if (now.length > seen) {
        ctx.out(now.slice(seen).map((l) => l + "\n").join(""));
        seen = now.length;
        quietSince = c.clock.now();
      }
      if (cri.tasks.get(id)?.status !== "RUNNING") return 0;
      if (c.clock.now() - quietSince >= WATCH_QUIET_MS) return 0;
    }
  })();
}

/** kubectl exec: the kubelet runs the command in the container's namespaces (CRI Exec → runc exec). */
function exec(ctx: CommandContext, c: ClusterContext, f: Flags, command: string[]): number | Program {
  if (!command.length) {
    ctx.err("error: you must specify at least one command for the container\n");
    return 1;
  }
  const t = podContainer(ctx, c, f);
  if (typeof t === "number") return t;
  const cri = containerdOf(t.kernel);
  const id = t.pod.status!.containerStatuses!.find((x) => x.name === t.container)!.containerID?.replace("containerd://", "") ?? "";
  const task = cri.tasks.get(id);
  if (!task || task.status !== "RUNNING") {
    ctx.err(`error: unable to upgrade connection: container not found ("${t.container}")\n`);
    return 1;
  }
  const kubeletProc = [...t.kernel.processes.values()].find((p) => p.comm === "kubelet") ?? t.kernel.processes.get(1)!;
  const found = findExecutable(t.kernel, kubeletProc, "nsenter");
  if (!found.ok) return 1;
  // runc exec starts the command with the container's own environment (its config.json env).
  const env = cri.containers.get(id)?.spec.process.env ?? [];
  // -it hands the command this terminal (the CRI's streaming TTY): a shell there becomes an
  // interactive shell in the container, with the pod's hostname in its prompt, until `exit`.
  const stdin = f.other.has("tty") && ctx.stdinIsTty ? ctx.proc.fds[0] : new TextReader(ctx.stdin);
  const child = spawn(t.kernel, kubeletProc, ["nsenter", "-t", String(task.init.pid), "-a", ...command], found.node, {
    fds: { 0: stdin, 1: ctx.proc.fds[1], 2: ctx.proc.fds[2] },
    prepare: (p) => {
      p.env = new Map(env.map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));
    },
  });
  return (function* (): Program {
    // The command runs on the node; its exit wakes us across machines.
    if (child.alive) yield { kind: "child", proc: child };
    const status = child.exitStatus ?? 0;
    if (status !== 0 && status < 126) ctx.err(`command terminated with exit code ${status}\n`);
    return status;
  })();
}

/** kubectl delete -f FILE | KIND NAME… | KIND/NAME | KIND -l SEL | KIND --all (delete.ts does the deleting and the waiting). */
function runDelete(ctx: CommandContext, c: ClusterContext, f: Flags): number | Program {
  const opts = deleteOptions({ gracePeriod: f.other.get("grace-period"), now: f.other.get("now"), force: f.force, wait: f.other.get("wait"), timeout: f.other.get("timeout"), output: f.output });
  if ("error" in opts) {
    ctx.err(opts.error);
    return 1;
  }
  const todo: Deletion[] = [];
  if (f.files.length) {
    let status = 0;
    for (const file of f.files) {
      let objs: KObject[];
      try {
        objs = parseManifests(readSource(ctx, file), file === "-" ? "STDIN" : file);
      } catch (e) {
        ctx.err(`${e instanceof ManifestError ? e.message : `error: the path "${file}" does not exist`}\n`);
        return 1;
      }
      for (const o of objs) {
        const k = kindByName(o.kind);
        if (!k) continue;
        const live = c.api.tryGet(o.kind, k.namespaced ? (o.metadata.namespace ?? f.namespace ?? "default") : undefined, o.metadata.name);
        if (live) todo.push({ k, obj: live });
        else {
          ctx.err(`Error from server (NotFound): error when deleting "${file === "-" ? "STDIN" : file}": ${qualified(k)} "${o.metadata.name}" not found\n`);
          status = 1;
        }
      }
    }
    return atLeast(status, deleteObjects(ctx, c, todo, opts));
  }
  if (!f.positional.length) {
    ctx.err("error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n");
    return 1;
  }
  const first = f.positional[0]!;
  if (f.positional.length === 1 && !first.includes("/") && f.selector === undefined && !f.other.has("all") && !f.other.has("field-selector")) {
    ctx.err("error: resource(s) were provided, but no name was specified\n");
    return 1;
  }
  // One type, or several (deploy,rs NAME…; pod/a service/b): each group is looked up on its own.
  const groups = kindGroups(f.positional) ?? [f.positional];
  let status = 0;
  for (const positional of groups) {
    const t = targets(ctx, c, { ...f, positional });
    if (typeof t === "number") {
      status = t;
      continue;
    }
    // Names that were not found were reported by targets(); the rest are still deleted, and kubectl exits 1.
    const named = positional[0]!.includes("/") ? positional.length : positional.length - 1;
    if (named > t.objs.length) status = 1;
    todo.push(...t.objs.map((obj) => ({ k: t.k, obj })));
  }
  if (!todo.length) {
    if (!status) ctx.out("No resources found\n");
    return status;
  }
  return atLeast(status, deleteObjects(ctx, c, todo, opts));
}

/** R's exit status, but at least STATUS (an error reported earlier). */
function atLeast(status: number, r: number | Program): number | Program {
  if (typeof r === "number") return Math.max(status, r);
  return (function* (): Program {
    return Math.max(status, yield* r);
  })();
}

/** kubectl's "all" category, in its order, limited to the kinds this API server serves. */
const ALL_CATEGORY = ["pods", "services", "deployments", "replicasets"];

/** The verbs this kubectl knows (cobra suggests among them). */
const VERBS = ["annotate", "api-resources", "apply", "cluster-info", "config", "cordon", "create", "delete", "describe", "drain", "exec", "explain", "expose", "get", "label", "logs", "patch", "port-forward", "rollout", "run", "scale", "set", "taint", "top", "uncordon", "version", "wait"];

/** Levenshtein distance (cobra's ld), small strings only. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/** cobra's unknown-command error: suggestions within distance 2, or that the typed word begins. */
function unknownCommand(verb: string): string {
  const v = verb.toLowerCase();
  const near = VERBS.filter((c) => distance(v, c) <= 2 || c.startsWith(v));
  return `error: unknown command "${verb}" for "kubectl"${near.length ? `\n\nDid you mean this?\n${near.map((c) => `\t${c}\n`).join("")}` : "\n"}`;
}

const USAGE = `kubectl controls the Kubernetes cluster manager.

 Find more information at: https://kubernetes.io/docs/reference/kubectl/

Basic Commands (Beginner):
  create          Create a resource from a file or from stdin
  expose          Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service
  run             Run a particular image on the cluster
  get             Display one or many resources
  delete          Delete resources by file names, stdin, resources and names, or by resources and label selector

Basic Commands (Intermediate):
  explain         Get documentation for a resource

Deploy Commands:
  rollout         Manage the rollout of a resource
  scale           Set a new size for a deployment, replica set, or replication controller
  set image       Update the image of a pod template

Cluster Management Commands:
  top             Display resource (CPU/memory) usage
  cordon          Mark node as unschedulable
  uncordon        Mark node as schedulable
  drain           Drain node in preparation for maintenance
  taint           Update the taints on one or more nodes

Troubleshooting and Debugging Commands:
  describe        Show details of a specific resource or group of resources
  logs            Print the logs for a container in a pod
  exec            Execute a command in a container
  port-forward    Forward one or more local ports to a pod

Advanced Commands:
  apply           Apply a configuration to a resource by file name or stdin
  patch           Update fields of a resource
  wait            Experimental: Wait for a specific condition on one or many resources

Settings Commands:
  label           Update the labels on a resource
  annotate        Update the annotations on a resource

Other Commands:
  api-resources   Print the supported API resources on the server
  config          Modify kubeconfig files
  version         Print the client and server version information

Usage:
  kubectl [flags] [options]
`;

export const kubectl: Command = {
  name: "kubectl",
  path: "/usr/local/bin/kubectl",
  summary: "talk to the cluster's API server (apply, get, describe, delete, scale, rollout, …)",
  usage: USAGE,
  readsStdin: true,
  // Every request kubectl sends carries its User-Agent; the API server's audit log records it.
  run(ctx) {
    const api = clusterOf(ctx.kernel)?.api;
    if (api) api.userAgent = USER_AGENT;
    try {
      return runKubectl(ctx);
    } finally {
      if (api) api.userAgent = null;
    }
  },
};

export const USER_AGENT = "kubectl/v1.34.1 (linux/amd64)";

function runKubectl(ctx: CommandContext): ReturnType<Command["run"]> {
    const [verb, ...rest] = ctx.argv.slice(1);
    const c = clusterOf(ctx.kernel);
    if (!verb) {
      ctx.out(USAGE);
      return 0;
    }
    if (verb === "version" && rest.includes("--client")) {
      ctx.out("Client Version: v1.34.1\nKustomize Version: v5.7.1\n");
      return 0;
    }
    if (!c) {
      ctx.err("E0112 09:00:00.000000    1234 memcache.go:265] \"Unhandled Error\" err=\"couldn't get current server API group list: Get \\\"http://localhost:8080/api?timeout=32s\\\": dial tcp 127.0.0.1:8080: connect: connection refused\"\nThe connection to the server localhost:8080 was refused - did you specify the right host or port?\n");
      return 1;
    }
    if (!c.apiserverUp()) {
      ctx.err(`The connection to the server ${c.server.replace(/^https:\/\//, "")} was refused - did you specify the right host or port?\n`);
      return 1;
    }
    ctx.kernel.emit({ type: "k8s.kubectl", argv: [...ctx.argv] });
    const help = helpFor(verb);
    if (help && rest.some((a) => a === "--help" || a === "-h")) {
      ctx.out(help);
      return 0;
    }
    // patch's -p is its patch, not --previous: take its flags out first.
    const pf = verb === "patch" ? splitPatchFlags(rest) : null;
    const args = pf?.args ?? rest;
    const dd = args.indexOf("--");
    const command = dd >= 0 ? args.slice(dd + 1) : [];
    // For logs, -f is --follow (everywhere else it is --filename).
    const f = parseFlags((dd >= 0 ? args.slice(0, dd) : args).map((a) => (verb === "logs" && a === "-f" ? "--follow" : a)));
    if (f.dryRun === "unchanged") {
      // A bare --dry-run (the flag's NoOptDefVal): kubectl warns through klog and does a client dry run.
      const t = new Date(c.clock.epochMs()).toISOString();
      ctx.err(`W${t.slice(5, 7)}${t.slice(8, 10)} ${t.slice(11, 23)}000 ${String(ctx.proc.pid).padStart(7)} helpers.go:703] --dry-run is deprecated and can be replaced with --dry-run=client.\n`);
      f.dryRun = "client";
    }
    switch (verb) {
      case "logs":
        return logs(ctx, c, f);
      case "exec":
        return exec(ctx, c, f, command);
      case "apply":
        return apply(ctx, c, f, false);
      case "create":
        if (!f.files.length && (f.positional[0] === "deployment" || f.positional[0] === "deploy")) return createImperative(ctx, c, f, "deployment", command);
        if (!f.files.length && (f.positional[0] === "configmap" || f.positional[0] === "cm")) return createConfig(ctx, c, f, "configmap");
        if (!f.files.length && f.positional[0] === "secret") return createConfig(ctx, c, f, "secret");
        if (!f.files.length && (f.positional[0] === "namespace" || f.positional[0] === "ns")) return createImperative(ctx, c, f, "namespace");
        return apply(ctx, c, f, true);
      case "run":
        return createImperative(ctx, c, { ...f, positional: ["pod", ...f.positional] }, "pod", command);
      case "expose":
        return expose(ctx, c, f);
      case "port-forward":
        return portForwardCmd(ctx, c, f);
      case "config":
        return configCommand(ctx, f.positional, { minify: f.other.has("minify"), raw: f.other.has("raw"), ...(f.output ? { output: f.output } : {}) });
      case "get": {
        if (f.other.has("raw")) {
          const raw = f.other.get("raw") === "true" ? f.positional.shift() : f.other.get("raw");
          if (!raw) {
            ctx.err("error: flag needs an argument: --raw\n");
            return 1;
          }
          if (f.positional.length) {
            ctx.err("error: arguments may not be passed when --raw is specified\n");
            return 1;
          }
          return getRaw(ctx, c, raw);
        }
        if (f.watch || f.other.has("watch-only")) return getWatch(ctx, c, f);
        // "all" is the category of workload kinds: pods, services, deployments, replicasets.
        if (f.positional[0] === "all") f.positional[0] = ALL_CATEGORY.join(",");
        const groups = kindGroups(f.positional);
        if (groups) {
          // kubectl get deploy,rs: one table per kind, names prefixed with their type; any other
          // format (but -o name) prints one List of every kind's objects.
          let status = 0;
          let tables = 0;
          const table = f.output === undefined || f.output === "wide";
          const all: KObject[] = [];
          let firstKind: KindInfo | undefined;
          groups.forEach((positional) => {
            const t = targets(ctx, c, { ...f, positional });
            if (typeof t === "number") {
              status = t;
              return;
            }
            if (!table && f.output !== "name") {
              all.push(...t.objs);
              firstKind ??= t.k;
              return;
            }
            const named = table ? t.objs.map((o) => ({ ...o, metadata: { ...o.metadata, name: ref(t.k, o.metadata.name) } })) : t.objs;
            if (named.length || f.output) {
              if (tables++ > 0 && !f.output) ctx.out("\n");
              status = Math.max(status, output(ctx, c, t.k, named, f, false));
            }
          });
          if (firstKind) status = Math.max(status, output(ctx, c, firstKind, all, f, false));
          else if (!tables && !status && !f.output) {
            // Every kind came back empty: kubectl says so once, for the namespace it looked in.
            ctx.err(f.allNamespaces ? "No resources found\n" : `No resources found in ${f.namespace ?? "default"} namespace.\n`);
          }
          return status;
        }
        const t = targets(ctx, c, f);
        if (typeof t === "number") return t;
        return output(ctx, c, t.k, t.objs, f, t.single && !!f.output);
      }
      case "describe":
        return describe(ctx, c, f);
      case "patch":
        return patch(ctx, c, f, pf!);
      case "wait":
        return wait(ctx, c, f);
      case "delete":
        return runDelete(ctx, c, f);
      case "explain":
        return explain(ctx, f.positional, f.other.has("recursive") && f.other.get("recursive") !== "false");
      case "top":
        return top(ctx, c, f.positional, { namespace: f.namespace, allNamespaces: f.allNamespaces, selector: f.selector, containers: f.other.has("containers"), noHeaders: f.other.has("no-headers"), sortBy: f.other.get("sort-by") });
      case "drain":
        return drain(ctx, c, f.positional, { force: f.force, ignoreDaemonsets: f.other.has("ignore-daemonsets") && f.other.get("ignore-daemonsets") !== "false", deleteEmptydirData: f.other.has("delete-emptydir-data") && f.other.get("delete-emptydir-data") !== "false", timeout: f.other.get("timeout"), dryRun: f.dryRun });
      case "scale":
      case "cordon":
      case "uncordon":
        if (verb !== "scale" && !f.positional.length) {
          ctx.err(`error: USAGE: ${verb} NODE [flags]\nSee 'kubectl ${verb} -h' for help and examples\n`);
          return 1;
        }
        if (verb !== "scale") f.positional.unshift("node");
        return mutate(ctx, c, verb, f);
      case "label":
      case "annotate":
      case "taint":
        if (verb === "taint" && f.positional[0] && !["node", "nodes", "no"].includes(f.positional[0])) f.positional.unshift("node");
        else if (verb === "taint" && f.positional[0] === "nodes") f.positional[0] = "node";
        return labelOrTaint(ctx, c, verb, f);
      case "rollout":
        return rollout(ctx, c, f);
      case "set":
        if (f.positional[0] !== "image") {
          ctx.err(`error: unknown command "${f.positional[0] ?? ""}" for "kubectl set"\n`);
          return 1;
        }
        f.positional.shift();
        return setImage(ctx, c, f);
      case "version":
        ctx.out("Client Version: v1.34.1\nKustomize Version: v5.7.1\nServer Version: v1.34.1\n");
        return 0;
      case "cluster-info":
        ctx.out(`Kubernetes control plane is running at ${c.server}\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n`);
        return 0;
      case "api-resources":
        ctx.out(renderTable({ header: ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"], rows: [...(["pods", "services", "nodes", "namespaces", "configmaps", "secrets", "serviceaccounts", "events", "deployments", "replicasets", "endpointslices"].map((r) => kindFor(r)!))].map((k) => [k.resource, k.shortNames.join(","), k.apiVersion, String(k.namespaced), k.kind]) }));
        return 0;
      default:
        ctx.err(unknownCommand(verb));
        return 1;
    }
}
