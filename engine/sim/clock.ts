// Virtual time. Nothing in the engine reads the wall clock: time moves only when a caller
// ticks it or a foreground command waits, so every run is reproducible.

/** The moment the simulated machines booted, in Unix milliseconds (printed by ps STIME, dmesg …). */
export const BOOT_EPOCH_MS = Date.UTC(2026, 0, 12, 9, 0, 0);

interface Timer {
  at: number;
  seq: number;
  fire: () => void;
}

export class Clock {
  private nowMs = 0;
  private seq = 0;
  /** Min-heap on (at, seq): equal times fire in the order they were scheduled. */
  private heap: Timer[] = [];

  now(): number {
    return this.nowMs;
  }

  /** Wall-clock-looking time for output (Unix ms). */
  epochMs(): number {
    return BOOT_EPOCH_MS + this.nowMs;
  }

  /** Run fire() when virtual time reaches at (ms). Returns a cancel function. */
  at(at: number, fire: () => void): () => void {
    const timer: Timer = { at: Math.max(at, this.nowMs), seq: this.seq++, fire };
    this.push(timer);
    return () => {
      timer.fire = () => {};
    };
  }

  after(ms: number, fire: () => void): () => void {
    return this.at(this.nowMs + ms, fire);
  }

  /** Time of the next pending timer, or undefined. */
  nextAt(): number | undefined {
    return this.heap[0]?.at;
  }

  /** Fire every timer due at or before `until`, advancing time to each; finally set time to `until`. */
  advanceTo(until: number, between?: () => void): void {
    for (;;) {
      const next = this.heap[0];
      if (!next || next.at > until) break;
      this.pop();
      this.nowMs = Math.max(this.nowMs, next.at);
      next.fire();
      between?.();
    }
    this.nowMs = Math.max(this.nowMs, until);
  }

  /** Fire only the earliest timer (advancing time to it). Returns false when none is pending. */
  fireNext(limit = Infinity): boolean {
    const next = this.heap[0];
    if (!next || next.at > limit) return false;
    this.pop();
    this.nowMs = Math.max(this.nowMs, next.at);
    next.fire();
    return true;
  }

  private less(a: Timer, b: Timer): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(t: Timer): void {
    const h = this.heap;
    h.push(t);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private pop(): Timer | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}
