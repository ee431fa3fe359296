// The refresher rewrites a quoted block only when nothing but generated words moved.
import { describe, expect, it } from "vitest";
import { onlyGeneratedChanges, refreshLesson } from "./lesson-refresh";
import { createHost } from "../../engine";

describe("onlyGeneratedChanges", () => {
  it("accepts moved pod suffixes, hashes, UIDs, addresses and ages", () => {
    expect(onlyGeneratedChanges("web-7d5956cb5d-nc6rx   1/1   Running   0   30s\n", "web-7d5956cb5d-cj77k   1/1   Running   0   31s\n")).toBe(true);
    expect(onlyGeneratedChanges('pod "shop-86vlw" deleted\n', 'pod "shop-7tj2z" deleted\n')).toBe(true);
    expect(onlyGeneratedChanges("/var/lib/kubelet/pods/f55d4c84-eaa1-446c-aa09-29a6eaaf935f/volumes\n", "/var/lib/kubelet/pods/af8f46c0-1746-4bc3-9ee4-51df338e9d9c/volumes\n")).toBe(true);
    expect(onlyGeneratedChanges("10.200.0.4:80\n", "10.200.1.3:80\n")).toBe(true);
  });

  it("refuses anything a reader would read differently", () => {
    expect(onlyGeneratedChanges("web-abcde   1/1   Running\n", "web-abcde   0/1   Pending\n")).toBe(false); // a status
    expect(onlyGeneratedChanges("replicas: 3\n", "replicas: 4\n")).toBe(false); // a count
    expect(onlyGeneratedChanges("a\nb\n", "a\n")).toBe(false); // a line more or less
    expect(onlyGeneratedChanges('"resourceVersion":"130"\n', '"resourceVersion":"131"\n')).toBe(false);
    expect(onlyGeneratedChanges("same\n", "same\n")).toBe(false); // nothing to do
  });
});

describe("refreshLesson", () => {
  it("rewrites the safe blocks only, and reports the others", () => {
    const mdx = ["Intro.", "```sh", "echo web-7d5956cb5d-abcde", "```", "", "```text", "web-7d5956cb5d-zzzzz", "```", "", "```sh", "echo Running", "```", "", "```text", "Pending", "```", ""].join("\n");
    const { mdx: out, changes } = refreshLesson(mdx, createHost({ seed: 1 }));
    expect(changes.map((c) => c.safe)).toEqual([true, false]);
    expect(out).toContain("```text\nweb-7d5956cb5d-abcde\n```");
    expect(out).toContain("```text\nPending\n```"); // left for a person
  });
});
