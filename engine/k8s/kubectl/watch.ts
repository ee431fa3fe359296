// kubectl get -w: list, then follow the API server's watch and print one line per change.
//
// A real `kubectl get -w` runs until the reader presses Ctrl-C or the API server closes the
// watch (its --min-request-timeout, 30–60 minutes). A page cannot wait for a key press, so in
// virtual time the watch ends, with status 0, at the first of:
//   - --request-timeout=DURATION has passed (as with real kubectl),
//   - WATCH_QUIET_MS of virtual time went by without a change to what is watched
//     (the moment a reader would have pressed Ctrl-C),
//   - WATCH_SERVER_TIMEOUT_MS: the API server closes the watch, as a real one does.
import type { CommandContext } from "../../shell/command";
import type { ClusterContext } from "../components/context";
import type { KindInfo } from "../api/kinds";
import type { Requirement } from "../api/labels";
import { matches } from "../api/labels";
import type { KObject } from "../api/types";
import type { WatchType } from "../api/apiserver";
import type { Program } from "../../linux/tasks";
import { Notifier } from "../../linux/tasks";
import { printTable } from "./printers";
import type { Table } from "./printers";
import { toYaml } from "./yaml";
import { printTemplate } from "./template-output";

/** Virtual time without a change after which the watch ends (the reader's Ctrl-C). */
export const WATCH_QUIET_MS = 60_000;
/** The API server closes a watch after its minimum request timeout (1800 s). */
export const WATCH_SERVER_TIMEOUT_MS = 1_800_000;

export interface WatchOptions {
  kind: KindInfo;
  /** undefined: every namespace (-A) or a cluster-scoped kind. */
  namespace?: string;
  names: string[];
  selector?: Requirement[];
  output?: string;
  allNamespaces: boolean;
  showLabels: boolean;
  /** -L key,…: label columns. */
  labelColumns?: string[];
  /** --no-headers. */
  noHeaders?: boolean;
  /** --watch-only: skip the initial list. */
  watchOnly: boolean;
  /** --output-watch-events: an EVENT column (ADDED, MODIFIED, DELETED). */
  events: boolean;
  /** Reads -o jsonpath-file's template on the host. */
  readFile?: (path: string) => string;
  /** --request-timeout in ms (0 = none). */
  timeoutMs: number;
  initial: KObject[];
}

/**
 * kubectl's tabwriter with RememberWidths: every flush lays out its lines with the widest cell
 * seen so far in each column, so later lines stay aligned with the header unless a wider
 * value (ContainerCreating) pushes the column out.
 */
export class WatchTable {
  private widths: number[] = [];
  private headerPrinted = false;

  constructor(private readonly headers: boolean) {}

  write(t: Table): string {
    const lines = !this.headerPrinted && this.headers ? [t.header, ...t.rows] : t.rows;
    this.headerPrinted = true;
    for (const r of lines) r.forEach((cell, i) => (this.widths[i] = Math.max(this.widths[i] ?? 0, cell.length)));
    return lines.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(this.widths[i]! + 3))).join("").trimEnd() + "\n").join("");
  }
}

/** Parse a kubectl --request-timeout value: "0", "30" (seconds), "30s", "1m30s", "2h". */
export function parseRequestTimeout(text: string): number | null {
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  let rest = text;
  while (rest) {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)/.exec(rest);
    if (!m) return null;
    total += Number(m[1]) * units[m[2]!]!;
    rest = rest.slice(m[0].length);
  }
  return text ? total : null;
}

export function watch(ctx: CommandContext, c: ClusterContext, o: WatchOptions): Program {
  const table = new WatchTable(!o.noHeaders);
  const notifier = new Notifier();
  const pending: string[] = [];
  let printed = 0;
  const render = (type: WatchType | "ADDED", obj: KObject): string => {
    const out = o.output;
    if (out === "name") return `${o.kind.group ? `${o.kind.singular}.${o.kind.group}` : o.kind.singular}/${obj.metadata.name}\n`;
    // -o jsonpath=…: the template applied to each object as its event arrives.
    if (out?.startsWith("jsonpath")) {
      const r = printTemplate(out, obj, [obj], { noHeaders: true, allowMissingKeys: true, readFile: o.readFile ?? (() => "") });
      return "out" in r ? r.out : "";
    }
    if (out === "json") return JSON.stringify(o.events ? { type, object: obj } : obj, null, 4) + "\n";
    // The YAML printer separates documents: "---" before every one after the first.
    if (out === "yaml") return (printed++ ? "---\n" : "") + toYaml(o.events ? { object: obj, type } : obj);
    const t = printTable(o.kind.kind, [obj], { now: c.clock.epochMs(), wide: out === "wide", allNamespaces: o.allNamespaces && o.kind.namespaced, showLabels: o.showLabels, labelColumns: o.labelColumns });
    if (o.events) {
      t.header.unshift("EVENT");
      t.rows[0]!.unshift(type);
    }
    return table.write(t);
  };
  const wanted = (obj: KObject): boolean =>
    (o.namespace === undefined || obj.metadata.namespace === o.namespace) &&
    (!o.names.length || o.names.includes(obj.metadata.name)) &&
    (!o.selector || matches(obj.metadata.labels, o.selector));

  if (!o.watchOnly) {
    // The initial list prints as one block (one flush): header and rows laid out together.
    if (o.initial.length && (o.output === undefined || o.output === "wide")) {
      const t = printTable(o.kind.kind, o.initial, { now: c.clock.epochMs(), wide: o.output === "wide", allNamespaces: o.allNamespaces && o.kind.namespaced, showLabels: o.showLabels, labelColumns: o.labelColumns });
      if (o.events) {
        t.header.unshift("EVENT");
        t.rows.forEach((r) => r.unshift("ADDED"));
      }
      ctx.out(table.write(t));
    } else for (const obj of o.initial) ctx.out(render("ADDED", obj));
  }

  // The watch starts from the list's revision: changes after it, rendered when they happen.
  let lastChange = c.clock.now();
  const stop = c.api.watch(o.kind.kind, (type, obj) => {
    if (!ctx.proc.alive) return stop();
    if (!wanted(obj)) return;
    pending.push(render(type, obj));
    lastChange = c.clock.now();
    notifier.notify();
  });
  const start = c.clock.now();
  const deadline = start + (o.timeoutMs > 0 ? Math.min(o.timeoutMs, WATCH_SERVER_TIMEOUT_MS) : WATCH_SERVER_TIMEOUT_MS);
  return (function* (): Program {
    try {
      for (;;) {
        if (pending.length) ctx.out(pending.splice(0).join(""));
        const now = c.clock.now();
        const end = Math.min(deadline, o.timeoutMs > 0 ? Infinity : lastChange + WATCH_QUIET_MS);
        if (now >= end) return 0;
        const cancel = c.clock.at(end, () => notifier.notify());
        yield { kind: "notify", on: notifier };
        cancel();
      }
    } finally {
      stop();
    }
  })();
}
