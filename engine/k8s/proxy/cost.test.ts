import { describe, expect, it } from "vitest";
import { iptablesWalkCost, ipvsBucket, ipvsLookupCost } from "./cost";

describe("the cost of finding a Service", () => {
  it("iptables mode: the first packet to the last Service tests one more rule per Service in front of it", () => {
    const small = iptablesWalkCost(50);
    const big = iptablesWalkCost(400);
    // The first Service costs the same however many follow it…
    expect(Math.abs(big.first - small.first)).toBeLessThanOrEqual(2);
    // …the last one pays for every KUBE-SERVICES rule before its own (± the random endpoint pick).
    expect(big.last - small.last).toBeGreaterThanOrEqual(350 - 2);
    expect(big.last - small.last).toBeLessThanOrEqual(350 + 2);
    expect(big.natRules).toBeGreaterThan(7.5 * small.natRules);
  });

  it("IPVS: a hash table of 256 buckets — one comparison until the buckets fill, then N/256 at worst", () => {
    expect(ipvsBucket(6, 0x0a600001, 80)).toBe((6 ^ 0x0a600001 ^ 0 ^ 80) & 255);
    expect(ipvsLookupCost(200)).toMatchObject({ average: 1, worst: 1 });
    const big = ipvsLookupCost(10_000);
    expect(big.worst).toBeLessThanOrEqual(Math.ceil(10_000 / 256) + 1);
    expect(big.average).toBeLessThan(iptablesWalkCost(20).last);
  });

  it("reproduces the table lesson 6 prints (a change here means the lesson's numbers need updating)", () => {
    expect(iptablesWalkCost(10)).toEqual({ services: 10, natRules: 118, first: 8, last: 18 });
    expect(iptablesWalkCost(100)).toEqual({ services: 100, natRules: 1108, first: 8, last: 108 });
    expect(ipvsLookupCost(1000)).toEqual({ services: 1000, average: 2.464, worst: 4 });
    expect(ipvsLookupCost(10_000)).toMatchObject({ average: 20.032, worst: 40 });
  });
});
