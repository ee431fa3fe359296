// kubectl wait --for=condition=NAME[=VALUE] | --for=delete, in virtual time: each object is
// checked in turn against one shared deadline (--timeout, 30s by default; 0 checks once;
// a negative timeout waits for a week). The check repeats every virtual second, as often as
// `rollout status` looks, and the object's own controllers move on in between.
import type { CommandContext } from "../../shell/command";
import type { ClusterContext } from "../components/context";
import type { KindInfo } from "../api/kinds";
import type { KObject } from "../api/types";
import type { Program } from "../../linux/tasks";

export type WaitFor = { kind: "delete" } | { kind: "condition"; name: string; value: string };

const WEEK_MS = 7 * 24 * 3_600_000;
const POLL_MS = 1000;

/** conditionFuncFor: "delete", "condition=Ready", "condition=Ready=false"; else kubectl's error. */
export function parseWaitFor(text: string | undefined): WaitFor | string {
  const t = (text ?? "").trim();
  if (t.toLowerCase() === "delete") return { kind: "delete" };
  const m = /^condition=([^=]+)(?:=(.*))?$/i.exec(t);
  if (m) return { kind: "condition", name: m[1]!, value: m[2] ?? "true" };
  return `error: unrecognized condition: "${t}"`;
}

/** Go's time.ParseDuration, to milliseconds; null if kubectl would reject it. */
export function parseGoDuration(text: string): number | null {
  if (text === "0") return 0;
  const m = /^([-+]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+$/.exec(text);
  if (!m) return null;
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  for (const part of text.replace(/^[-+]/, "").matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)) total += Number(part[1]) * units[part[2]!]!;
  return m[1] === "-" ? -total : total;
}

function met(c: ClusterContext, k: KindInfo, o: KObject, cond: WaitFor): boolean {
  const cur = c.api.tryGet(k.kind, o.metadata.namespace, o.metadata.name);
  if (cond.kind === "delete") return !cur || cur.metadata.uid !== o.metadata.uid;
  const conds = (cur as { status?: { conditions?: { type: string; status: string }[] } } | null)?.status?.conditions ?? [];
  // kubectl compares both the type and the status with Unicode case folding.
  return conds.some((x) => x.type.toLowerCase() === cond.name.toLowerCase() && x.status.toLowerCase() === cond.value.toLowerCase());
}

export function waitFor(ctx: CommandContext, c: ClusterContext, k: KindInfo, objs: KObject[], cond: WaitFor, timeoutMs: number): Program {
  const clock = c.clock;
  const deadline = clock.now() + (timeoutMs < 0 ? WEEK_MS : timeoutMs);
  const ref = (name: string) => `${k.group ? `${k.singular}.${k.group}` : k.singular}/${name}`;
  return (function* (): Program {
    for (const o of objs) {
      for (;;) {
        if (met(c, k, o, cond)) {
          ctx.out(`${ref(o.metadata.name)} condition met\n`);
          break;
        }
        if (clock.now() >= deadline) {
          ctx.err(`error: timed out waiting for the condition on ${k.resource}/${o.metadata.name}\n`);
          return 1;
        }
        yield { kind: "sleep", until: Math.min(deadline, clock.now() + POLL_MS) };
      }
    }
    return 0;
  })();
}
