// The decision tables the scheduler keeps are bounded by their total rows, oldest pod first.
import { describe, expect, it } from "vitest";
import { SchedulingResults } from "./results";
import type { StoredResult } from "./results";

const table = (rows: number): StoredResult => ({ node: "n0", evaluated: rows, at: 0, verdicts: Array.from({ length: rows }, (_, i) => ({ node: `n${i}`, filters: [], feasible: true, scores: [], total: 0 })) });

describe("SchedulingResults", () => {
  it("forgets the oldest pods' tables once the rows exceed the bound; a new decision renews a pod", () => {
    const r = new SchedulingResults(10);
    r.set("default/a", table(4));
    r.set("default/b", table(4));
    r.set("default/a", table(4)); // a is now the newest
    expect([...r.keys()]).toEqual(["default/b", "default/a"]);
    r.set("default/c", table(4));
    expect([...r.keys()]).toEqual(["default/a", "default/c"]);
    r.delete("default/a");
    r.set("default/d", table(6));
    expect([...r.keys()]).toEqual(["default/c", "default/d"]);
    // A single table larger than the bound is still kept: the pod just decided is always there.
    r.set("default/e", table(25));
    expect([...r.keys()]).toEqual(["default/e"]);
    expect(r.get("default/e")?.verdicts).toHaveLength(25);
  });
});
