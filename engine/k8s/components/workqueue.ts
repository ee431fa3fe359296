// A controller's work queue: keys deduplicated while waiting, processed one at a time, and
// re-added later on request (minReadySeconds, back-off). Watches only enqueue; the loop does the work.
import { Notifier } from "../../linux/tasks";
import type { Clock } from "../../sim/clock";

export class WorkQueue {
  private readonly keys = new Set<string>();
  readonly notifier = new Notifier();

  constructor(private readonly clock: Clock) {}

  add(key: string): void {
    if (this.keys.has(key)) return;
    this.keys.add(key);
    this.notifier.notify();
  }

  addAfter(key: string, ms: number): void {
    this.clock.after(ms, () => this.add(key));
  }

  /** Take the next key (insertion order), or undefined. */
  next(): string | undefined {
    const k = this.keys.values().next();
    if (k.done) return undefined;
    this.keys.delete(k.value);
    return k.value;
  }

  get size(): number {
    return this.keys.size;
  }
}
