import { describe, expect, it } from "vitest";
import { Clock } from "./clock";
import { Random } from "./random";
import { createHost } from "../index";

describe("virtual time and seeded randomness", () => {
  it("fires timers in time order, equal times in scheduling order", () => {
    const c = new Clock();
    const seen: string[] = [];
    c.at(30, () => seen.push("c"));
    c.at(10, () => seen.push("a1"));
    c.at(10, () => seen.push("a2"));
    c.after(20, () => seen.push("b"));
    c.advanceTo(25);
    expect(seen).toEqual(["a1", "a2", "b"]);
    expect(c.now()).toBe(25);
    c.advanceTo(100);
    expect(seen.at(-1)).toBe("c");
  });

  it("gives the same sequence for the same seed and a different one otherwise", () => {
    const a = new Random(7);
    const b = new Random(7);
    const x = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(x);
    expect(new Random(8).next()).not.toBe(x[0]);
    expect(x.every((v) => v >= 0 && v < 1)).toBe(true);
  });

  it("same seed and commands give a byte-identical event log and output", () => {
    const script = ["unshare --pid --uts --fork --mount-proc sh -c 'hostname box; exec sleep 50' &", "ps -ef", "lsns", "sleep 60", "ps -ef"];
    const run = () => {
      const h = createHost({ seed: 3 });
      const outs = script.map((l) => h.sh(l).stdout);
      return JSON.stringify({ outs, events: h.events() });
    };
    expect(run()).toBe(run());
  });
});
