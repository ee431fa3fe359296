// crictl's tables on a node: columns as Go's tabwriter(minwidth 20, padding 3) lays them out.
import { describe, expect, it } from "vitest";
import { createCluster } from "../cluster";

describe("crictl tables", () => {
  it("pads a column to its widest cell plus 3, and to at least 20", () => {
    const w = createCluster({ workers: 2, seed: 1 }).node("worker-1");
    // worker-1 runs the CoreDNS pod: its name (24) and image (39) outgrow the 20-wide minimum
    const [head, row] = w.sh("crictl pods").stdout.split("\n");
    const name = /coredns-\S+/.exec(row!)![0];
    expect(head!.indexOf("NAMESPACE") - head!.indexOf("NAME")).toBe(Math.max(name.length + 3, 20));
    expect(row!.indexOf("kube-system") - row!.indexOf(name)).toBe(name.length + 3);
    expect(head!.indexOf("CREATED")).toBe(20);
    const [psHead, psRow] = w.sh("crictl ps").stdout.split("\n");
    expect(psHead!.indexOf("CREATED") - psHead!.indexOf("IMAGE")).toBe("registry.k8s.io/coredns/coredns:v1.11.3".length + 3);
    expect(psRow!.indexOf("registry.k8s.io/coredns/coredns:v1.11.3")).toBe(20);
    const images = w.sh("crictl images").stdout.split("\n");
    expect(images[0]!.indexOf("TAG")).toBe("registry.k8s.io/coredns/coredns".length + 3);
  });
});
