// The etcd model's range reads: key order, exact prefixes, and the index kept in step with puts and deletes.
import { describe, expect, it } from "vitest";
import { Etcd } from "./store";

describe("Etcd range", () => {
  it("returns the keys under a prefix in key order, whatever order they were written in", () => {
    const e = new Etcd();
    for (const k of ["/registry/pods/default/web-2", "/registry/pods/kube-system/dns", "/registry/pods/default/web-10", "/registry/services/specs/default/web", "/registry/pods/default/web-1", "/registry/pods/default/a"]) e.put(k, k);
    expect(e.range("/registry/pods/default/").map((kv) => kv.key)).toEqual(["/registry/pods/default/a", "/registry/pods/default/web-1", "/registry/pods/default/web-10", "/registry/pods/default/web-2"]);
    expect(e.range("/registry/pods/default/web-1").map((kv) => kv.key)).toEqual(["/registry/pods/default/web-1", "/registry/pods/default/web-10"]);
    expect(e.range("/registry/pods/").length).toBe(5);
    expect(e.range("/registry/nodes/")).toEqual([]);
  });

  it("an update keeps one entry; a delete removes it from later ranges; a re-create comes back", () => {
    const e = new Etcd();
    e.put("/registry/pods/default/b", "1");
    e.put("/registry/pods/default/a", "1");
    e.put("/registry/pods/default/b", "2");
    expect(e.range("/registry/pods/").map((kv) => [kv.key, kv.value, kv.version])).toEqual([["/registry/pods/default/a", "1", 1], ["/registry/pods/default/b", "2", 2]]);
    e.delete("/registry/pods/default/a");
    expect(e.range("/registry/pods/").map((kv) => kv.key)).toEqual(["/registry/pods/default/b"]);
    e.put("/registry/pods/default/a", "3");
    expect(e.range("/registry/pods/").map((kv) => kv.key)).toEqual(["/registry/pods/default/a", "/registry/pods/default/b"]);
    expect(e.size).toBe(2);
  });
});
