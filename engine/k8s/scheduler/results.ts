// The scheduler's decision tables, kept for the SchedulerTable widget: one per pod, with a row
// per node examined. At thousands of nodes a table is hundreds of rows, so the map keeps only the
// newest tables up to a total number of rows — the pods a reader is looking at — and forgets the
// oldest first. A small lab cluster never reaches the bound.
import type { ScheduleResult } from "./framework";

export type StoredResult = ScheduleResult & { node: string | null; at: number };

/** Rows (node verdicts) kept over all pods: about 128 pods' tables at 5,000 nodes, 50,000 pods' at 2. */
export const MAX_RETAINED_VERDICTS = 100_000;

export class SchedulingResults extends Map<string, StoredResult> {
  private rows = 0;

  constructor(private readonly maxRows = MAX_RETAINED_VERDICTS) {
    super();
  }

  override set(key: string, value: StoredResult): this {
    this.delete(key); // a new decision for the pod moves it to the newest end
    super.set(key, value);
    this.rows += value.verdicts.length;
    for (const oldest of this.keys()) {
      if (this.rows <= this.maxRows || oldest === key) break;
      this.delete(oldest);
    }
    return this;
  }

  override delete(key: string): boolean {
    const old = super.get(key);
    if (old) this.rows -= old.verdicts.length;
    return super.delete(key);
  }

  override clear(): void {
    this.rows = 0;
    super.clear();
  }
}
