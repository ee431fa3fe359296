// Cases from pkg/kubelet/cm/helpers_linux_test.go, pkg/apis/core/v1/helper/qos/qos_test.go,
// pkg/kubelet/qos/policy_test.go and opencontainers/cgroups' weight conversion, per RULES.md.
import { describe, expect, it } from "vitest";
import {
  containerCgroupFiles, containerLinuxResources, cpuMaxFor, defaultRequests, memoryLimitToMax, milliCPUToQuota, milliCPUToShares, oomScoreAdj, podQOSClass,
  quotaToMilliCPU, resourceConfigForPod, runcSharesToWeight, sharesToMilliCPU, sharesToWeight, weightToShares,
} from "./resources";
import type { ContainerLike, PodSpecLike } from "./resources";

const c = (requests?: Record<string, string>, limits?: Record<string, string>): ContainerLike => ({ name: "c", resources: { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) } });
const pod = (...containers: ContainerLike[]): PodSpecLike => ({ containers });

describe("CPU and memory → cgroup values", () => {
  it("MilliCPUToShares", () => {
    const cases: [number, number][] = [[0, 2], [1, 2], [2, 2], [100, 102], [250, 256], [500, 512], [1000, 1024], [1500, 1536], [256_000, 262_144], [300_000, 262_144]];
    for (const [m, s] of cases) expect.soft(milliCPUToShares(m), `${m}m`).toBe(s);
  });

  it("MilliCPUToQuota (period 100 ms; under 10m gives the 1 ms minimum)", () => {
    const cases: [number, number][] = [[0, 0], [5, 1000], [9, 1000], [10, 1000], [200, 20_000], [500, 50_000], [1000, 100_000], [1500, 150_000]];
    for (const [m, q] of cases) expect.soft(milliCPUToQuota(m), `${m}m`).toBe(q);
    expect(milliCPUToQuota(200, 50_000)).toBe(10_000);
    expect(cpuMaxFor(500)).toBe("50000 100000");
    expect(cpuMaxFor(0)).toBe("max 100000");
  });

  it("kubelet's linear shares → cpu.weight map and back", () => {
    expect(sharesToWeight(2)).toBe(1);
    expect(sharesToWeight(1024)).toBe(39);
    expect(sharesToWeight(262_144)).toBe(10_000);
    expect(sharesToWeight(512)).toBe(1 + Math.floor((510 * 9999) / 262142));
    expect(weightToShares(1)).toBe(2);
    expect(weightToShares(10_000)).toBe(262_144);
    expect(weightToShares(39)).toBe(2 + Math.floor((38 * 262142) / 9999));
  });

  it("newer runc's log2 map sends the default 1024 shares to 100", () => {
    expect(runcSharesToWeight(0)).toBe(0);
    expect(runcSharesToWeight(1)).toBe(1);
    expect(runcSharesToWeight(2)).toBe(1);
    expect(runcSharesToWeight(1024)).toBe(100);
    expect(runcSharesToWeight(262_144)).toBe(10_000);
    expect(runcSharesToWeight(102)).toBe(17);
  });

  it("memory.max and the read-back helpers", () => {
    expect(memoryLimitToMax(0)).toBeNull();
    expect(memoryLimitToMax(-1)).toBe("max");
    expect(memoryLimitToMax(209_715_200)).toBe("209715200");
    expect(sharesToMilliCPU(1024)).toBe(1000);
    expect(sharesToMilliCPU(102)).toBe(100);
    expect(sharesToMilliCPU(1)).toBe(0);
    expect(quotaToMilliCPU(50_000, 100_000)).toBe(500);
    expect(quotaToMilliCPU(-1, 100_000)).toBe(0);
  });

  it("container resources as the runtime receives and writes them", () => {
    const r = containerLinuxResources(c({ cpu: "250m", memory: "64Mi" }, { cpu: "500m", memory: "128Mi" }));
    expect(r).toEqual({ cpuShares: 256, cpuQuota: 50_000, cpuPeriod: 100_000, memoryLimitInBytes: 134_217_728 });
    expect(containerCgroupFiles(r)).toEqual({ "cpu.weight": String(runcSharesToWeight(256)), "cpu.max": "50000 100000", "memory.max": "134217728" });
    // a limit without a request: shares from the limit
    expect(containerLinuxResources(c(undefined, { cpu: "1" })).cpuShares).toBe(1024);
    // nothing: 2 shares, no quota, no memory limit
    expect(containerLinuxResources(c())).toEqual({ cpuShares: 2, cpuQuota: 0, cpuPeriod: 100_000, memoryLimitInBytes: 0 });
    expect(containerLinuxResources(c(), { cpuCFSQuota: false })).toEqual({ cpuShares: 2, cpuQuota: 0, cpuPeriod: 0, memoryLimitInBytes: 0 });
    expect(containerLinuxResources(c(undefined, { cpu: "1" }), { disableQuota: true }).cpuQuota).toBe(-1);
  });
});

describe("QoS class", () => {
  it("classifies pods as GetPodQOS does", () => {
    expect(podQOSClass(pod(c()))).toBe("BestEffort");
    expect(podQOSClass(pod(c({ cpu: "0", memory: "0" })))).toBe("BestEffort");
    expect(podQOSClass(pod(c({ "nvidia.com/gpu": "1" }, { "nvidia.com/gpu": "1" })))).toBe("BestEffort");
    expect(podQOSClass(pod(c({ cpu: "100m", memory: "100Mi" }, { cpu: "100m", memory: "100Mi" })))).toBe("Guaranteed");
    expect(podQOSClass(pod(c({ cpu: "100m", memory: "100Mi" }, { cpu: "100m", memory: "100Mi" }), c({ cpu: "1", memory: "1Gi" }, { cpu: "1", memory: "1Gi" })))).toBe("Guaranteed");
    expect(podQOSClass(pod(c({ cpu: "100m", memory: "100Mi" }, { cpu: "200m", memory: "100Mi" })))).toBe("Burstable");
    expect(podQOSClass(pod(c({ cpu: "100m" }, { cpu: "100m" })))).toBe("Burstable");
    expect(podQOSClass(pod(c({ cpu: "100m", memory: "100Mi" }, { cpu: "100m", memory: "100Mi" }), c()))).toBe("Burstable");
    expect(podQOSClass(pod(c(undefined, { cpu: "100m", memory: "100Mi" })))).toBe("Burstable");
    expect(podQOSClass(pod(defaultRequests(c(undefined, { cpu: "100m", memory: "100Mi" }))))).toBe("Guaranteed");
    // sums are compared, not each container
    expect(podQOSClass(pod(c({ cpu: "100m", memory: "100Mi" }, { cpu: "200m", memory: "100Mi" }), c({ cpu: "200m", memory: "100Mi" }, { cpu: "100m", memory: "100Mi" })))).toBe("Guaranteed");
    // init containers count too
    expect(podQOSClass({ containers: [c({ cpu: "1", memory: "1Gi" }, { cpu: "1", memory: "1Gi" })], initContainers: [c({ cpu: "1" })] })).toBe("Burstable");
    // hugepages are ignored
    expect(podQOSClass(pod(c({ cpu: "1", memory: "1Gi", "hugepages-2Mi": "2Mi" }, { cpu: "1", memory: "1Gi", "hugepages-2Mi": "2Mi" })))).toBe("Guaranteed");
  });

  it("oom_score_adj per container", () => {
    const node = 8 * 1024 ** 3;
    const g = pod(c({ cpu: "1", memory: "1Gi" }, { cpu: "1", memory: "1Gi" }));
    expect(oomScoreAdj(g.containers[0]!, g, node)).toBe(-997);
    const be = pod(c());
    expect(oomScoreAdj(be.containers[0]!, be, node)).toBe(1000);
    const half = pod(c({ memory: "4Gi" }));
    expect(oomScoreAdj(half.containers[0]!, half, node)).toBe(500);
    const all = pod(c({ memory: "8Gi" }));
    expect(oomScoreAdj(all.containers[0]!, all, node)).toBe(3);
    const cpuOnly = pod(c({ cpu: "1" }));
    expect(oomScoreAdj(cpuOnly.containers[0]!, cpuOnly, node)).toBe(999);
    const tiny = pod(c({ memory: "10Mi" }));
    expect(oomScoreAdj(tiny.containers[0]!, tiny, node)).toBe(1000 - Math.floor((1000 * 10 * 1024 ** 2) / node));
    expect(oomScoreAdj(be.containers[0]!, be, node, { critical: true })).toBe(-997);
  });
});

describe("ResourceConfigForPod", () => {
  it("Guaranteed: shares, quota, period and memory", () => {
    const cfg = resourceConfigForPod(pod(c({ cpu: "1", memory: "1Gi" }, { cpu: "1", memory: "1Gi" })));
    expect(cfg).toMatchObject({ cpuShares: 1024, cpuQuota: 100_000, cpuPeriod: 100_000, memory: 1_073_741_824 });
    expect(cfg.files).toEqual({ "cpu.weight": "39", "cpu.max": "100000 100000", "memory.max": "1073741824" });
  });
  it("Burstable: quota and memory only when every container has the limit", () => {
    const both = resourceConfigForPod(pod(c({ cpu: "100m" }, { cpu: "200m", memory: "100Mi" }), c({ cpu: "100m" }, { cpu: "300m", memory: "50Mi" })));
    expect(both).toMatchObject({ cpuShares: 204, cpuQuota: 50_000, cpuPeriod: 100_000, memory: 157_286_400 });
    const partial = resourceConfigForPod(pod(c({ cpu: "100m" }, { cpu: "200m" }), c({ cpu: "100m", memory: "10Mi" })));
    expect(partial.cpuQuota).toBeUndefined();
    expect(partial.memory).toBeUndefined();
    expect(partial.files).toEqual({ "cpu.weight": String(sharesToWeight(204)) });
  });
  it("BestEffort: 2 shares and nothing else", () => {
    const cfg = resourceConfigForPod(pod(c(), c()));
    expect(cfg).toEqual({ cpuShares: 2, files: { "cpu.weight": "1" } });
  });
  it("CPU limits not enforced: quota -1 (max)", () => {
    const cfg = resourceConfigForPod(pod(c({ cpu: "1", memory: "1Gi" }, { cpu: "1", memory: "1Gi" })), { enforceCPULimits: false });
    expect(cfg.cpuQuota).toBe(-1);
    expect(cfg.files["cpu.max"]).toBe("max 100000");
  });
  it("init containers: the larger of the app sum and the largest init container", () => {
    const cfg = resourceConfigForPod({ containers: [c({ cpu: "100m", memory: "10Mi" }, { cpu: "100m", memory: "10Mi" })], initContainers: [c({ cpu: "1", memory: "1Gi" }, { cpu: "1", memory: "1Gi" })] });
    expect(cfg).toMatchObject({ cpuShares: 1024, cpuQuota: 100_000, memory: 1_073_741_824 });
  });
});
