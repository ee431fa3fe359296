// Cold boot per lesson world: what a page pays between "the engine chunk has loaded" and "the
// terminal can answer". Each sample is a FRESH node process (boot-one.ts), because a loop in one
// process measures warm JIT, which is not what a reader gets. The worlds are the ones
// site/widgets/world.ts builds: a plain host, the `lab: cluster` cluster, and each cluster
// exercise's setup(). Wall time is the headline. Process CPU time is printed next to it: it moves
// less with the load of a shared machine, but it counts all of node's threads (background
// compilation and GC too), so it can exceed the wall time.
//
//   npx tsx engine/bench/boot.bench.ts            every world, 7 processes each
//   BOOT_RUNS=11 BOOT_WORLDS=cluster,12 npx tsx engine/bench/boot.bench.ts
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

export interface BootResult {
  world: string;
  runs: number;
  /** Median wall ms of the boot alone (module loading excluded). */
  medianMs: number;
  minMs: number;
  /** Median process CPU ms (all threads) over the same interval. */
  medianCpuMs: number;
}

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const ONE = fileURLToPath(new URL("./boot-one.ts", import.meta.url));

/** "host", "cluster", then every exercise whose setup() builds a cluster (they import createCluster). */
export function bootWorlds(): string[] {
  const exercises = readdirSync(fileURLToPath(new URL("../../exercises/", import.meta.url)))
    .filter((d) => /^\d\d-/.test(d))
    .filter((d) => Number(d.slice(0, 2)) >= 6)
    .map((d) => String(Number(d.slice(0, 2))));
  return ["host", "cluster", ...exercises];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export function bootBench(world: string, runs = 7): BootResult {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const out = execFileSync(process.execPath, ["--import", "tsx/esm", ONE, world], { cwd: ROOT, encoding: "utf8" });
    const r = JSON.parse(out.trim().split("\n").pop()!) as { bootMs: number; cpuMs: number };
    wall.push(r.bootMs);
    cpu.push(r.cpuMs);
  }
  return { world, runs, medianMs: median(wall), minMs: Math.min(...wall), medianCpuMs: median(cpu) };
}

export function bootBenches(worlds = bootWorlds(), runs = 7): BootResult[] {
  return worlds.map((w) => bootBench(w, runs));
}

export function describeBoot(rs: BootResult[]): string {
  return rs.map((r) => `${(r.world === "host" || r.world === "cluster" ? r.world : `exercise ${r.world}`).padEnd(12)} ${String(r.medianMs).padStart(6)} ms median (min ${r.minMs}, cpu ${r.medianCpuMs}) of ${r.runs} fresh processes`).join("\n");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const worlds = process.env.BOOT_WORLDS ? process.env.BOOT_WORLDS.split(",") : bootWorlds();
  console.log(describeBoot(bootBenches(worlds, Number(process.env.BOOT_RUNS ?? 7))));
}
