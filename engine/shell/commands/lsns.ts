// lsns(8): list namespaces by reading /proc/*/ns/* of every visible process — so, like the
// real tool, it only finds namespaces that some process is in.
import type { NsKind } from "../../api";
import type { Namespace } from "../../linux/namespaces";
import type { Command } from "../command";
import { usageError } from "../command";
import { OptError, getopt } from "../options";
import type { ProcEntry } from "./procview";
import { readProc, userName } from "./procview";

const USAGE = `
Usage:
 lsns [options] [<namespace>]

List system namespaces.

Options:
 -J, --json             use JSON output format
 -l, --list             use list format output
 -n, --noheadings       don't print headings
 -o, --output <list>    define which output columns to use
 -p, --task <pid>       print process namespaces
 -r, --raw              use the raw output format
 -u, --notruncate       don't truncate text in columns
 -W, --nowrap           don't use multi-line representation
 -t, --type <name>      namespace type (mnt, net, ipc, user, pid, uts, cgroup, time)
 -T, --tree <rel>       use tree format (parent, owner, or process)

 -h, --help             display this help
 -V, --version          display version

For more details see lsns(8).
`;

const KINDS: NsKind[] = ["mnt", "net", "ipc", "user", "pid", "uts", "cgroup", "time"];

interface Row {
  ns: Namespace;
  entries: ProcEntry[];
  first: ProcEntry;
  parent: Row | null;
  children: Row[];
}

export const lsns: Command = {
  name: "lsns",
  path: "/usr/bin/lsns",
  summary: "list namespaces (reads /proc/*/ns)",
  usage: USAGE,
  run(ctx) {
    let parsed;
    try {
      parsed = getopt(ctx.argv.slice(1), {
        short: { J: false, l: false, n: false, o: true, p: true, r: false, u: false, W: false, t: true, T: "optional", h: false, V: false },
        long: { json: false, list: false, noheadings: false, output: true, task: true, raw: false, notruncate: false, nowrap: false, type: true, tree: "optional", help: false, version: false },
        alias: { J: "json", l: "list", n: "noheadings", o: "output", p: "task", r: "raw", u: "notruncate", W: "nowrap", t: "type", T: "tree", h: "help", V: "version" },
      });
    } catch (e) {
      if (e instanceof OptError) return usageError(ctx, "lsns", e.message);
      throw e;
    }
    const o = parsed.opts;
    if (o.has("help")) {
      ctx.out(USAGE.slice(1));
      return 0;
    }
    const types = parsed.all.filter(([k]) => k === "type").map(([, v]) => String(v));
    for (const t of types) {
      if (!KINDS.includes(t as NsKind)) {
        ctx.err(`lsns: unknown namespace type: ${t}\n`);
        return 1;
      }
    }
    const view = readProc(ctx);
    if (!view) {
      ctx.err("lsns: cannot open /proc: No such file or directory\n");
      return 1;
    }
    let only: ProcEntry | undefined;
    const task = o.get("task");
    if (task !== undefined) {
      only = view.byPid.get(Number(task));
      if (!only) {
        ctx.err(`lsns: cannot open /proc/${task}: No such file or directory\n`);
        return 1;
      }
    }
    const tree = o.get("tree");
    const ownerTree = tree === "owner" || tree === "parent";
    const list = o.has("list") || o.has("raw") || o.has("json");

    // Group every visible process by namespace.
    const rowsBy = new Map<Namespace, Row>();
    for (const e of view.entries) {
      for (const kind of KINDS) {
        const ns = e.p.ns[kind];
        let row = rowsBy.get(ns);
        if (!row) rowsBy.set(ns, (row = { ns, entries: [], first: e, parent: null, children: [] }));
        row.entries.push(e);
        if (e.pid < row.first.pid) row.first = e;
      }
    }
    let rows = [...rowsBy.values()].sort((a, b) => a.ns.inode - b.ns.inode);
    if (only) rows = rows.filter((r) => r.entries.includes(only!));
    if (types.length) rows = rows.filter((r) => types.includes(r.ns.kind));

    // Process tree: a row hangs under the latest earlier row whose process is its process's parent.
    const roots: Row[] = [];
    if (!list) {
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i]!;
        let parent: Row | null = null;
        if (ownerTree) {
          parent = rows.find((x) => x.ns === r.ns.owner && x !== r) ?? null;
        } else {
          for (let j = i - 1; j >= 0; j--) {
            if (rows[j]!.first.pid === r.first.ppid) {
              parent = rows[j]!;
              break;
            }
          }
        }
        r.parent = parent;
        if (parent) parent.children.push(r);
        else roots.push(r);
      }
    }
    const ordered: { row: Row; prefix: string }[] = [];
    if (list) rows.forEach((row) => ordered.push({ row, prefix: "" }));
    else {
      const walk = (row: Row, prefix: string, childPrefix: string) => {
        ordered.push({ row, prefix });
        row.children.forEach((c, i) => {
          const last = i === row.children.length - 1;
          walk(c, childPrefix + (last ? "└─" : "├─"), childPrefix + (last ? "  " : "│ "));
        });
      };
      roots.forEach((r) => walk(r, "", ""));
    }

    const netCols = types.length === 1 && types[0] === "net";
    const outputCols = o.get("output");
    if (typeof outputCols === "string") {
      // -o NS,TYPE,…: a plain list of the chosen columns.
      const all: Record<string, (r: Row) => string> = {
        NS: (r) => String(r.ns.inode),
        TYPE: (r) => r.ns.kind,
        NPROCS: (r) => String(r.entries.length),
        PID: (r) => String(r.first.pid),
        PPID: (r) => String(r.first.ppid),
        USER: (r) => userName(r.first.p.uid),
        UID: (r) => String(r.first.p.uid),
        COMMAND: (r) => r.first.p.argv.join(" ") || r.first.p.comm,
        PATH: (r) => `/proc/${r.first.pid}/ns/${r.ns.kind}`,
        NSFS: (r) => nsfsPath(ctx, r.ns),
      };
      const cols = outputCols.toUpperCase().split(",");
      const bad = cols.find((c) => !all[c]);
      if (bad) {
        ctx.err(`lsns: unknown column: ${bad}\n`);
        return 1;
      }
      const data = ordered.map(({ row }) => cols.map((c) => all[c]!(row)));
      const rows = o.has("noheadings") ? data : [cols, ...data];
      const w = cols.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
      const numeric = new Set(["NS", "NPROCS", "PID", "PPID", "UID"]);
      ctx.out(rows.map((r) => r.map((v, i) => (i === r.length - 1 ? v : numeric.has(cols[i]!) ? v.padStart(w[i]!) : v.padEnd(w[i]!))).join(" ").trimEnd() + "\n").join(""));
      return 0;
    }
    const header = ["NS", "TYPE", "NPROCS", "PID", "USER", ...(netCols ? ["NETNSID", "NSFS"] : []), "COMMAND"];
    const cells = ordered.map(({ row, prefix }) => {
      const cmd = row.first.p.argv.join(" ") || row.first.p.comm;
      const base = [String(row.ns.inode), row.ns.kind, String(row.entries.length), String(row.first.pid), userName(row.first.p.uid)];
      const nsCell = ownerTree ? prefix + base[0] : base[0]!;
      return [nsCell, ...base.slice(1), ...(netCols ? ["unassigned", nsfsPath(ctx, row.ns)] : []), (ownerTree ? "" : prefix) + cmd];
    });
    if (o.has("json")) {
      const json = {
        namespaces: ordered.map(({ row }) => ({ ns: row.ns.inode, type: row.ns.kind, nprocs: row.entries.length, pid: row.first.pid, user: userName(row.first.p.uid), command: row.first.p.argv.join(" ") })),
      };
      ctx.out(JSON.stringify(json, null, 3) + "\n");
      return 0;
    }
    if (o.has("raw")) {
      const lines = o.has("noheadings") ? cells : [header, ...cells];
      ctx.out(lines.map((c) => c.join(" ")).join("\n") + "\n");
      return 0;
    }
    const right = new Set(ownerTree ? [2, 3] : [0, 2, 3]);
    const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => [...c[i]!].length)));
    const fmt = (c: string[]) =>
      c
        .map((s, i) => {
          if (i === c.length - 1) return s;
          const pad = widths[i]! - [...s].length;
          return right.has(i) ? " ".repeat(pad) + s : s + " ".repeat(pad);
        })
        .join(" ")
        .replace(/\s+$/, "");
    const out = (o.has("noheadings") ? [] : [fmt(header)]).concat(cells.map(fmt));
    ctx.out(out.map((l) => l + "\n").join(""));
    return 0;
  },
};

/** Where a network namespace is pinned by a bind mount (ip netns add NAME → /run/netns/NAME). */
function nsfsPath(ctx: { proc: { ns: { mnt: Namespace } } }, ns: Namespace): string {
  for (const m of ctx.proc.ns.mnt.mounts!.mounts) if (m.fs.type === "nsfs" && m.rootNode.nsRef === ns) return m.mountpoint;
  return "";
}
