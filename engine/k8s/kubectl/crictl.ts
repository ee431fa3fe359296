// crictl (the CRI's command line, on a node) and etcdctl (on the control plane): two ways to
// look under kubectl — at the containers the kubelet asked for, and at the keys the API server stored.
import type { Command, CommandContext } from "../../shell/command";
import { containerdOf } from "../runtime/containerd";
import { clusterOf } from "../components/context";
import { humanDuration } from "./printers";

function ago(ctx: CommandContext, createdMs: number): string {
  return `${humanDuration(ctx.kernel.clock.now() - createdMs).replace(/^(\d+)s$/, "$1 seconds").replace(/^(\d+)m.*$/, "$1 minutes")} ago`;
}

/** crictl's table: Go's tabwriter with minwidth 20 and padding 3, so a column is its widest cell plus 3, at least 20. */
function table(rows: string[][]): string {
  const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(Math.max(w[i]! + 3, 20)))).join("").trimEnd() + "\n").join("");
}

interface ListFlags {
  all: boolean;
  quiet: boolean;
  /** --name: a regular expression the pod's (pods) or container's (ps) name must match. */
  name: RegExp | null;
  /** --pod (ps): a pod sandbox ID prefix. */
  pod: string;
  /** The first flag crictl does not know, if any. */
  bad: string | null;
}

/** The flags `crictl pods` and `crictl ps` take here: -a, -q, --name, --pod (also as --flag=value). */
function listFlags(args: string[]): ListFlags {
  const f: ListFlags = { all: false, quiet: false, name: null, pod: "", bad: null };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const eq = a.indexOf("=");
    const flag = a.startsWith("--") && eq > 0 ? a.slice(0, eq) : a;
    const value = () => (a.startsWith("--") && eq > 0 ? a.slice(eq + 1) : (args[++i] ?? ""));
    if (flag === "-a" || flag === "--all") f.all = true;
    else if (flag === "-q" || flag === "--quiet") f.quiet = true;
    else if (flag === "--name") {
      try {
        f.name = new RegExp(value());
      } catch {
        f.bad ??= flag;
      }
    } else if (flag === "--pod" || flag === "-p") f.pod = value();
    else if (flag.startsWith("-")) f.bad ??= flag;
  }
  return f;
}

export const crictl: Command = {
  name: "crictl",
  path: "/usr/local/bin/crictl",
  summary: "the CRI's client on a node: pods, ps, inspect, images",
  usage: "NAME:\n   crictl - client for CRI\n\nCOMMANDS:\n   pods      List pods\n   ps        List containers\n   inspect   Display the status of one or more containers\n   images    List images\n",
  run(ctx) {
    const [verb, ...rest] = ctx.argv.slice(1);
    const cri = containerdOf(ctx.kernel);
    const k8s = [...cri.containers.values()].filter((c) => c.namespace === "k8s.io");
    const sandboxes = k8s.filter((c) => c.labels["io.cri-containerd.kind"] === "sandbox");
    const containers = k8s.filter((c) => c.labels["io.cri-containerd.kind"] === "container");
    const created = (id: string) => cri.tasks.get(id)?.init.startTime ?? 0;
    switch (verb) {
      case "pods":
      case "ps": {
        const f = listFlags(rest);
        if (f.bad) {
          ctx.err(`Incorrect Usage: flag provided but not defined: ${f.bad}\n`);
          return 1;
        }
        if (verb === "pods") {
          const pods = sandboxes.filter((s) => !f.name || f.name.test(s.labels["io.kubernetes.pod.name"] ?? ""));
          if (f.quiet) ctx.out(pods.map((s) => `${s.id}\n`).join(""));
          else ctx.out(table([["POD ID", "CREATED", "STATE", "NAME", "NAMESPACE", "ATTEMPT", "RUNTIME"], ...pods.map((s) => [s.id.slice(0, 13), ago(ctx, created(s.id)), cri.tasks.get(s.id)?.status === "RUNNING" ? "Ready" : "NotReady", s.labels["io.kubernetes.pod.name"] ?? "", s.labels["io.kubernetes.pod.namespace"] ?? "", "0", "(default)"])]));
          return 0;
        }
        const all = f.all;
        const podOf = (c: (typeof containers)[number]) => sandboxes.find((s) => s.labels["io.kubernetes.pod.uid"] === c.labels["io.kubernetes.pod.uid"]);
        const shown = containers.filter(
          (c) => (all || cri.tasks.get(c.id)?.status === "RUNNING") && (!f.name || f.name.test(c.labels["io.kubernetes.container.name"] ?? "")) && (!f.pod || (podOf(c)?.id ?? "").startsWith(f.pod)),
        );
        if (f.quiet) {
          ctx.out(shown.map((c) => `${c.id}\n`).join(""));
          return 0;
        }
        const rows = shown
          .map((c) => {
            const pod = podOf(c);
            return [c.id.slice(0, 13), c.image.ref.replace(/^docker\.io\/library\//, ""), ago(ctx, created(c.id)), cri.tasks.get(c.id)?.status === "RUNNING" ? "Running" : "Exited", c.labels["io.kubernetes.container.name"] ?? "", String(c.attempt), pod?.id.slice(0, 13) ?? "", c.labels["io.kubernetes.pod.name"] ?? ""];
          });
        ctx.out(table([["CONTAINER", "IMAGE", "CREATED", "STATE", "NAME", "ATTEMPT", "POD ID", "POD"], ...rows]));
        return 0;
      }
      case "inspect":
      case "inspectp": {
        const id = rest[0] ?? "";
        const c = k8s.find((x) => x.id.startsWith(id) && id.length > 0);
        if (!c) {
          ctx.err(`E0112 09:00:00.000000    1234 remote_runtime.go:432] "ContainerStatus from runtime service failed" err="rpc error: code = NotFound desc = an error occurred when try to find container \\"${id}\\": not found"\nFATA[0000] getting the status of the container "${id}": rpc error: code = NotFound desc = an error occurred when try to find container "${id}": not found\n`);
          return 1;
        }
        const t = cri.tasks.get(c.id);
        ctx.out(JSON.stringify({ status: { id: c.id, state: t?.status === "RUNNING" ? "CONTAINER_RUNNING" : "CONTAINER_EXITED", image: { image: c.image.ref }, labels: c.labels }, info: { pid: t?.init.pid ?? 0, sandboxID: sandboxes.find((x) => x.labels["io.kubernetes.pod.uid"] === c.labels["io.kubernetes.pod.uid"])?.id ?? "", runtimeSpec: c.spec, snapshotKey: c.id, snapshotter: "overlayfs" } }, null, 2) + "\n");
        return 0;
      }
      case "images":
        ctx.out(table([["IMAGE", "TAG", "IMAGE ID", "SIZE"], ...[...cri.images.values()].map((i) => [i.ref.slice(0, i.ref.lastIndexOf(":")), i.ref.slice(i.ref.lastIndexOf(":") + 1), i.configDigest.slice(7, 20), `${(i.size / 1e6).toFixed(1)}MB`])]));
        return 0;
      default:
        ctx.err(`No help topic for '${verb ?? ""}'\n`);
        return 1;
    }
  },
};

export const etcdctl: Command = {
  name: "etcdctl",
  path: "/usr/local/bin/etcdctl",
  summary: "read the cluster's etcd: get KEY, get --prefix /registry/…, --keys-only",
  usage: "NAME:\n\tetcdctl - A simple command line client for etcd3.\n\nUSAGE:\n\tetcdctl [flags]\n\nCOMMANDS:\n\tget\tGets the key or a range of keys\n",
  run(ctx) {
    const args = ctx.argv.slice(1).filter((a) => !a.startsWith("--endpoints") && !a.startsWith("--cacert") && !a.startsWith("--cert") && !a.startsWith("--key="));
    const c = clusterOf(ctx.kernel);
    if (!c) {
      ctx.err('{"level":"warn","msg":"retrying of unary invoker failed","error":"rpc error: code = DeadlineExceeded desc = latest balancer error: last connection error: connection error: desc = \\"transport: Error while dialing: dial tcp 127.0.0.1:2379: connect: connection refused\\""}\nError: context deadline exceeded\n');
      return 1;
    }
    const [verb, key] = args.filter((a) => !a.startsWith("--"));
    if (verb !== "get" || !key) {
      ctx.err(verb === "get" ? "Error: get command needs one argument as key and an optional argument as range_end\n" : `Error: unknown command "${verb ?? ""}" for "etcdctl"\n`);
      return 1;
    }
    const keysOnly = args.includes("--keys-only");
    const kvs = args.includes("--prefix") ? c.api.etcd.range(key) : [c.api.etcd.get(key)].filter((x) => x !== undefined);
    for (const kv of kvs) ctx.out(keysOnly ? `${kv.key}\n\n` : `${kv.key}\n${kv.value}\n`);
    return 0;
  },
};
