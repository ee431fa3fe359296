import { afterEach, beforeEach, describe, expect, test } from "vitest";
import {
  PROGRESS_KEY,
  exportProgress,
  importProgress,
  loadProgress,
  markVisited,
  recordExercise,
  recordQuiz,
  resetProgress,
  saveProgress,
  emptyProgress,
} from "./progress";

class FakeStorage implements Storage {
  map = new Map<string, string>();
  failWrites = false;
  get length() {
    return this.map.size;
  }
  clear() {
    this.map.clear();
  }
  getItem(k: string) {
    return this.map.has(k) ? this.map.get(k)! : null;
  }
  key(i: number) {
    return [...this.map.keys()][i] ?? null;
  }
  removeItem(k: string) {
    this.map.delete(k);
  }
  setItem(k: string, v: string) {
    if (this.failWrites) throw new DOMException("quota", "QuotaExceededError");
    this.map.set(k, String(v));
  }
}

let store: FakeStorage;
beforeEach(() => {
  store = new FakeStorage();
  Object.defineProperty(globalThis, "localStorage", { value: store, configurable: true, writable: true });
});
afterEach(() => {
  delete (globalThis as { localStorage?: Storage }).localStorage;
});

describe("loadProgress", () => {
  test("empty when nothing is stored", () => {
    expect(loadProgress()).toEqual(emptyProgress());
  });

  test.each([
    ["not JSON", "{oops"],
    ["JSON null", "null"],
    ["a number", "42"],
    ["an array", "[1,2]"],
    ["a foreign object", '{"theme":"dark"}'],
    ["lessons is an array", '{"lessons":[]}'],
    ["a future version", '{"version":2,"lessons":{}}'],
  ])("a corrupt or foreign value (%s) is treated as empty", (_, raw) => {
    store.setItem(PROGRESS_KEY, raw);
    expect(loadProgress()).toEqual(emptyProgress());
  });

  test("wrong types inside are dropped, good parts kept", () => {
    store.setItem(
      PROGRESS_KEY,
      JSON.stringify({
        version: 1,
        lessons: {
          good: { visited: true, quiz: { best: 3, last: 2, total: 4, answers: { q1: [0], q2: "x" } } },
          badQuiz: { visited: "yes", quiz: { best: "3", last: 2, total: 4 } },
          overflow: { quiz: { best: 9, last: 2, total: 4 } },
          badExercise: { exercise: { passed: "true", at: 5 } },
          "../evil": { visited: true },
          notObject: 7,
        },
      }),
    );
    const p = loadProgress();
    expect(p.lessons).toEqual({ good: { visited: true, quiz: { best: 3, last: 2, total: 4, answers: { q1: [0] } } } });
  });

  test("storage that throws on access is survived", () => {
    Object.defineProperty(globalThis, "localStorage", {
      configurable: true,
      get() {
        throw new DOMException("denied", "SecurityError");
      },
    });
    expect(loadProgress()).toEqual(emptyProgress());
    expect(saveProgress(emptyProgress())).toBe(false);
    expect(() => markVisited("x")).not.toThrow();
    expect(() => resetProgress()).not.toThrow();
  });

  test("a full storage makes saving report false, not throw", () => {
    store.failWrites = true;
    expect(saveProgress(emptyProgress())).toBe(false);
    expect(() => recordQuiz("a", 1, 2)).not.toThrow();
  });
});

describe("recording", () => {
  test("visits, quizzes (best and last) and exercises", () => {
    markVisited("01-intro");
    recordQuiz("01-intro", 3, 5, { q1: [1] });
    recordQuiz("01-intro", 2, 5, { q1: [0] });
    recordExercise("02-ns", false, new Date("2026-01-01T00:00:00Z"));
    const p = loadProgress();
    expect(p.lessons["01-intro"]).toEqual({ visited: true, quiz: { best: 3, last: 2, total: 5, answers: { q1: [0] } } });
    expect(p.lessons["02-ns"]).toEqual({ visited: true, exercise: { passed: false, at: "2026-01-01T00:00:00.000Z" } });
    recordExercise("02-ns", true);
    recordExercise("02-ns", false);
    expect(loadProgress().lessons["02-ns"]!.exercise!.passed).toBe(true);
  });

  test("a changed quiz (different total) starts its best score over", () => {
    recordQuiz("a", 5, 5);
    recordQuiz("a", 1, 6);
    expect(loadProgress().lessons.a!.quiz).toEqual({ best: 1, last: 1, total: 6 });
  });

  test("scores are clamped to the total", () => {
    recordQuiz("a", 9, 5);
    expect(loadProgress().lessons.a!.quiz!.last).toBe(5);
  });

  test("reset forgets everything", () => {
    markVisited("a");
    resetProgress();
    expect(store.getItem(PROGRESS_KEY)).toBeNull();
    expect(loadProgress()).toEqual(emptyProgress());
  });
});

describe("export and import", () => {
  test("round trip", () => {
    markVisited("01-intro");
    recordQuiz("01-intro", 4, 5, { q1: [0, 2] });
    recordExercise("03-cgroups", true, new Date("2026-02-02T00:00:00Z"));
    const before = loadProgress();
    const text = exportProgress();
    resetProgress();
    expect(loadProgress()).toEqual(emptyProgress());
    expect(importProgress(text)).toEqual({ ok: true, lessons: 2 });
    expect(loadProgress()).toEqual(before);
  });

  test("import refuses non-JSON and foreign JSON, and keeps what was stored", () => {
    markVisited("keep");
    const bad = importProgress("not json at all");
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toMatch(/not JSON/);
    const foreign = importProgress('{"hello":"world"}');
    expect(foreign.ok).toBe(false);
    if (!foreign.ok) expect(foreign.error).toMatch(/not a progress file/);
    expect(loadProgress().lessons.keep).toEqual({ visited: true });
  });
});
