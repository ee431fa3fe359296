// One cold boot in this (fresh) process, for boot.bench.ts: load a world's module, then time only
// the boot itself — what a lesson page pays after its chunks have loaded. Prints one JSON line.
//   tsx engine/bench/boot-one.ts cluster | host | 6 … 12   (a number: that exercise's setup())
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const world = process.argv[2] ?? "cluster";

async function loadBoot(): Promise<() => unknown> {
  if (world === "cluster") {
    const { createCluster } = await import("../k8s/cluster");
    return () => createCluster({ workers: 2, seed: 1 });
  }
  if (world === "host") {
    const { createHost } = await import("../linux");
    return () => createHost({ seed: 1 });
  }
  const prefix = `${world.padStart(2, "0")}-`;
  const dir = readdirSync(fileURLToPath(new URL("../../exercises/", import.meta.url))).find((d) => d.startsWith(prefix));
  if (!dir) throw new Error(`boot-one: no exercise ${world}`);
  const ex = (await import(`../../exercises/${dir}/check.ts`)) as { default: { setup(): unknown } };
  return () => ex.default.setup();
}

const boot = await loadBoot();
const cpu0 = process.cpuUsage();
const t0 = performance.now();
boot();
const t1 = performance.now();
const cpu = process.cpuUsage(cpu0);
console.log(JSON.stringify({ world, bootMs: Math.round((t1 - t0) * 10) / 10, cpuMs: Math.round((cpu.user + cpu.system) / 100) / 10 }));
