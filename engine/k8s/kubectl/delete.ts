// kubectl delete: one DELETE request per object, a line per object, then — unless --wait=false —
// a wait until every deleted object is gone from the API (a Pod on a node stays, Terminating,
// until its kubelet has stopped it). The wait follows the API server's watch, so it ends at the
// very event that removes the object; --timeout bounds it (0, the default, means a week).
//   --grace-period=0 is turned into 1 (graceful) unless --force is given; --force alone means 0;
//   --now is --grace-period=1. With a grace period of 0 kubectl warns and prints "force deleted".
import type { CommandContext } from "../../shell/command";
import type { ClusterContext } from "../components/context";
import type { KindInfo } from "../api/kinds";
import type { KObject } from "../api/types";
import type { Program } from "../../linux/tasks";
import { Notifier } from "../../linux/tasks";
import { reportApiError } from "./api-error";
import { parseGoDuration } from "./wait";

export interface DeleteOptions {
  /** Seconds; -1: the object's own default. */
  gracePeriod: number;
  force: boolean;
  wait: boolean;
  timeoutMs: number;
  output?: string;
}

export interface DeleteFlags {
  gracePeriod?: string;
  now?: string;
  force: boolean;
  wait?: string;
  timeout?: string;
  output?: string;
}

const WEEK_MS = 168 * 3_600_000;

export const FORCE_WARNING = "Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n";

const flagError = (msg: string) => `error: ${msg}\nSee 'kubectl delete --help' for usage.\n`;

/** Go's strconv.ParseBool, as pflag reads a bool flag's value. */
function parseBool(v: string): boolean | null {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(v)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(v)) return false;
  return null;
}

/** The flags as kubectl's Complete and Validate settle them, or the error it prints (stderr text). */
export function deleteOptions(f: DeleteFlags): DeleteOptions | { error: string } {
  let gracePeriod = -1;
  if (f.gracePeriod !== undefined) {
    if (!/^[+-]?\d+$/.test(f.gracePeriod)) return { error: flagError(`invalid argument "${f.gracePeriod}" for "--grace-period" flag: strconv.ParseInt: parsing "${f.gracePeriod}": invalid syntax`) };
    gracePeriod = Number(f.gracePeriod);
  }
  const flags: Record<string, string | undefined> = { wait: f.wait, now: f.now };
  const bools: Record<string, boolean> = { wait: true, now: false };
  for (const name of ["wait", "now"]) {
    const v = flags[name];
    if (v === undefined) continue;
    const b = parseBool(v);
    if (b === null) return { error: flagError(`invalid argument "${v}" for "--${name}" flag: strconv.ParseBool: parsing "${v}": invalid syntax`) };
    bools[name] = b;
  }
  let timeoutMs = 0;
  if (f.timeout !== undefined) {
    const ms = parseGoDuration(f.timeout);
    if (ms === null) return { error: flagError(`invalid argument "${f.timeout}" for "--timeout" flag: time: invalid duration "${f.timeout}"`) };
    timeoutMs = ms;
  }
  if (bools.now) {
    if (gracePeriod !== -1) return { error: "error: --now and --grace-period cannot be specified together\n" };
    gracePeriod = 1;
  }
  // --grace-period=0 alone used to mean "immediately"; kubectl now needs --force for that.
  if (gracePeriod === 0 && !f.force) gracePeriod = 1;
  if (f.force && gracePeriod < 0) gracePeriod = 0;
  if (f.output !== undefined && f.output !== "" && f.output !== "name") return { error: `error: unexpected -o output mode: ${f.output}. We only support '-o name'\n` };
  if (f.force && gracePeriod > 0) return { error: "error: --force and --grace-period greater than 0 cannot be specified together\n" };
  return { gracePeriod, force: f.force, wait: bools.wait!, timeoutMs: timeoutMs > 0 ? timeoutMs : WEEK_MS, output: f.output };
}

export interface Deletion {
  k: KindInfo;
  obj: KObject;
}

/** Delete each object, print kubectl's line for it, and wait for them to be gone. */
export function deleteObjects(ctx: CommandContext, c: ClusterContext, targets: Deletion[], o: DeleteOptions): number | Program {
  if (o.gracePeriod === 0 && o.force) ctx.err(FORCE_WARNING);
  let status = 0;
  const deleted: { k: KindInfo; namespace?: string; name: string; uid?: string }[] = [];
  for (const { k, obj } of targets) {
    const { name, namespace, uid } = obj.metadata;
    try {
      c.api.delete(k.kind, namespace, name, o.gracePeriod >= 0 ? { gracePeriod: o.gracePeriod } : {});
    } catch (e) {
      status = reportApiError(ctx, e);
      continue;
    }
    const kind = k.group ? `${k.singular}.${k.group}` : k.singular;
    ctx.out(o.output === "name" ? `${kind}/${name}\n` : `${kind} "${name}" ${o.gracePeriod === 0 ? "force deleted" : "deleted"}\n`);
    deleted.push({ k, namespace, name, uid });
  }
  const present = (d: (typeof deleted)[number]) => {
    const cur = c.api.tryGet(d.k.kind, d.namespace, d.name);
    return !!cur && cur.metadata.uid === d.uid;
  };
  if (!o.wait || !deleted.some(present)) return status;
  const clock = c.clock;
  const deadline = clock.now() + o.timeoutMs;
  const notifier = new Notifier();
  const kinds = [...new Set(deleted.map((d) => d.k.kind))];
  const stopAll = () => stops.splice(0).forEach((stop) => stop());
  // A kubectl ended by Ctrl-C stops watching at the next event (the generator never resumes).
  const stops = kinds.map((kind) => c.api.watch(kind, (type) => (!ctx.proc.alive ? stopAll() : type === "DELETED" && notifier.notify())));
  const cancel = clock.at(deadline, () => notifier.notify());
  return (function* (): Program {
    try {
      // Each object in turn, against one deadline (as kubectl wait --for=delete does).
      for (const d of deleted) {
        while (present(d)) {
          if (clock.now() >= deadline) {
            ctx.err(`error: timed out waiting for the condition on ${d.k.resource}/${d.name}\n`);
            return 1;
          }
          yield { kind: "notify", on: notifier };
        }
      }
      return status;
    } finally {
      cancel();
      stopAll();
    }
  })();
}
