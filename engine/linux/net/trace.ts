// The step-through packet trace for widgets: every hop a packet makes, every chain it enters,
// every rule tested and the verdict, and NAT rewrites — the same facts `-j TRACE` logs.
import type { Packet } from "./packet";
import { describe } from "./packet";

export type TraceStep =
  /** A socket (or the kernel, for ICMP errors and resets) hands a new packet to the stack. */
  | { kind: "send"; host: string; netns: number; packet: string }
  | { kind: "hop"; host: string; netns: number; dev: string; dir: "in" | "out"; packet: string }
  | { kind: "chain"; host: string; netns: number; table: string; chain: string; hook: string }
  | { kind: "rule"; table: string; chain: string; num: number; rule: string; matched: boolean }
  | { kind: "policy"; table: string; chain: string; verdict: string }
  | { kind: "verdict"; table: string; chain: string; verdict: string }
  | { kind: "nat"; what: "DNAT" | "SNAT" | "un-NAT"; before: string; after: string }
  | { kind: "route"; host: string; netns: number; result: string }
  | { kind: "bridge"; bridge: string; port: string; action: "forward" | "flood" | "local" | "drop" }
  | { kind: "deliver"; host: string; netns: number; to: string }
  | { kind: "drop"; host: string; netns: number; reason: string };

export class Trace {
  readonly steps: TraceStep[] = [];
  /** Rule-level detail costs time; the bench and bulk traffic switch it off. */
  constructor(readonly rules = true) {}
  add(s: TraceStep): void {
    this.steps.push(s);
  }
  static describe(p: Packet): string {
    return describe(p);
  }
}
