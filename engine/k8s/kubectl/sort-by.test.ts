// --sort-by's order: natural order for names, quantities by amount, numbers by value, objects
// without the field first, ties in list order — for short lists (Go's insertion sort) and long.
import { describe, expect, it } from "vitest";
import type { KObject } from "../api/types";
import { naturalLess, SortError, SortFatal, sortObjects } from "./sort-by";

const obj = (name: string, extra: Record<string, unknown> = {}) => ({ metadata: { name }, ...extra }) as unknown as KObject;
const names = (objs: KObject[]) => objs.map((o) => o.metadata.name);

describe("natural order", () => {
  it("compares digit runs by value, digits before letters, fewer leading zeros first", () => {
    expect(naturalLess("pod-9", "pod-10")).toBe(true);
    expect(naturalLess("pod-10", "pod-9")).toBe(false);
    expect(naturalLess("a1", "a01")).toBe(true);
    expect(naturalLess("a01", "a1")).toBe(false);
    expect(naturalLess("1", "a")).toBe(true);
    expect(naturalLess("abc", "abcd")).toBe(true);
    expect(naturalLess("abc", "abc")).toBe(false);
    expect(naturalLess("2026-01-12T09:00:05Z", "2026-01-12T09:00:40Z")).toBe(true);
  });
});

describe("sortObjects", () => {
  for (const n of [8, 40]) {
    it(`${n} objects: natural order by name, and by a nested number with ties kept in list order`, () => {
      const shuffled = Array.from({ length: n }, (_, i) => (i * 7) % n).map((i) => obj(`pod-${i}`, { status: { restarts: i % 3 } }));
      expect(names(sortObjects(shuffled, ".metadata.name", true))).toEqual(Array.from({ length: n }, (_, i) => `pod-${i}`));
      const byRestarts = sortObjects(shuffled, "{.status.restarts}", false);
      const expected = [0, 1, 2].flatMap((r) => shuffled.filter((o) => (o as unknown as { status: { restarts: number } }).status.restarts === r));
      expect(names(byRestarts)).toEqual(names(expected));
    });
  }

  it("objects without the field come first; quantities compare as amounts", () => {
    const objs = [obj("a", { mem: "1Gi" }), obj("b"), obj("c", { mem: "1000Mi" }), obj("d", { mem: "512Mi" })];
    expect(names(sortObjects(objs, ".mem", true))).toEqual(["b", "d", "c", "a"]);
  });

  it("errors: no object has the field; a value that cannot be compared", () => {
    expect(() => sortObjects([obj("a")], ".nothing", false)).toThrow(new SortError('couldn\'t find any field with path "{.nothing}" in the list of objects'));
    expect(() => sortObjects([obj("a", { v: 1 }), obj("b", { v: "x" })], ".v", true)).toThrow(SortFatal);
    expect(() => sortObjects([obj("a", { v: true }), obj("b", { v: false })], ".v", true)).toThrow("unsortable type: bool");
    // An empty list has nothing to sort and nothing to complain about.
    expect(sortObjects([], ".nothing", true)).toEqual([]);
  });
});
