// The event log keeps exactly the newest `limit` events, however it trims internally.
import { describe, expect, it } from "vitest";
import type { EngineEvent } from "../api";
import { EventLog } from "./events";

describe("EventLog limit", () => {
  it("all() is the last `limit` events in order at every length; subscribers see every event", () => {
    const log = new EventLog(8);
    const heard: number[] = [];
    log.subscribe((e) => heard.push(e.time));
    for (let i = 0; i < 30; i++) {
      log.emit({ type: "tick", time: i } as unknown as EngineEvent);
      const want = Array.from({ length: Math.min(i + 1, 8) }, (_, j) => Math.max(0, i - 7) + j);
      expect(log.all().map((e) => e.time)).toEqual(want);
    }
    expect(heard).toHaveLength(30);
  });
});
