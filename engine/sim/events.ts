// The event log: every state change is appended here in order, and subscribers (widgets, the
// timeline) are told. Same seed + same commands → byte-identical log.
import type { EngineEvent } from "../api";

type Listener = (e: EngineEvent) => void;

export class EventLog {
  private readonly log: EngineEvent[] = [];
  private readonly listeners = new Set<Listener>();
  /** Keep at most this many events (old ones are dropped) so long sessions stay small. */
  constructor(private readonly limit = 50_000) {}

  emit(e: EngineEvent): void {
    this.log.push(e);
    // Trim in batches (a quarter of the limit at a time) so a long run does not shift the whole
    // array on every event; all() still shows exactly the last `limit` events.
    if (this.log.length > this.limit + (this.limit >> 2)) this.log.splice(0, this.log.length - this.limit);
    for (const fn of this.listeners) {
      try {
        fn(e);
      } catch {
        // A broken subscriber must never break the simulation.
      }
    }
  }

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  all(): readonly EngineEvent[] {
    if (this.log.length > this.limit) this.log.splice(0, this.log.length - this.limit);
    return this.log;
  }
}
