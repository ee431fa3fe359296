// An EndpointSlice lists its endpoints by pod IP in numeric-collation order (10.200.0.9 before
// 10.200.0.10). byPodIP gets that order without an ICU collator; it must agree with one exactly.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Pod } from "../api/types";
import { byPodIP } from "./controller-manager";

const pod = (ip: string) => ({ metadata: { name: ip }, spec: { containers: [] }, status: { podIP: ip } }) as unknown as Pod;
const collator = (a: Pod, b: Pod) => a.status!.podIP!.localeCompare(b.status!.podIP!, undefined, { numeric: true });
const order = (ips: string[], cmp: (pods: Pod[]) => (a: Pod, b: Pod) => number) => {
  const pods = ips.map(pod);
  return pods.sort(cmp(pods)).map((p) => p.status!.podIP!);
};

describe("endpoint order", () => {
  it("puts 10.200.0.9 before 10.200.0.10 and 10.200.1.2", () => {
    expect(order(["10.200.1.2", "10.200.0.10", "10.200.0.9"], byPodIP)).toEqual(["10.200.0.9", "10.200.0.10", "10.200.1.2"]);
  });

  it("agrees with numeric collation on any IPv4 addresses", () => {
    const octet = fc.integer({ min: 0, max: 255 });
    const ip = fc.tuple(octet, octet, octet, octet).map((o) => o.join("."));
    fc.assert(
      fc.property(fc.array(ip, { maxLength: 40 }), (ips) => {
        expect(order(ips, byPodIP)).toEqual(order(ips, () => collator));
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  it("falls back to the collator when an address is not a dotted quad", () => {
    const ips = ["10.200.0.10", "fd00::10", "10.200.0.9", "fd00::9"];
    expect(order(ips, byPodIP)).toEqual(order(ips, () => collator));
  });
});
