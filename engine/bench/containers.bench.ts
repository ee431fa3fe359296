// Containers bench (plain tsx script): `npx tsx engine/bench/containers.bench.ts`.
// 100 containers from one image, each with `ctr run -d … busybox:1.36 cN sleep infinity`:
// wall time and heap before/after, the cost of one container, and the disk the snapshots use
// (`du` over the snapshotter: the image's layer is stored once, each container adds an empty upper).
// Run with `node --expose-gc` (tsx passes it through) for steadier heap numbers.
import { createHost } from "../index";
import type { Host } from "../index";

const N = Number(process.env.N ?? 100);
const SNAPSHOTS = "/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots";
const gc = (globalThis as { gc?: () => void }).gc;
const heap = () => {
  gc?.();
  return process.memoryUsage().heapUsed;
};
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;
const ms = (t: number) => `${t.toFixed(0)} ms`;
const du = (h: Host) => h.sh(`du -sh ${SNAPSHOTS}`).stdout.split("\t")[0]!;

function run(h: Host, line: string): void {
  const r = h.sh(line);
  if (r.exitCode !== 0) throw new Error(`${line}: ${r.stderr}`);
}

const rows: [string, string][] = [];
const heap0 = heap();
let t = performance.now();
const h = createHost({ seed: 1 });
run(h, "ctr images pull busybox:1.36");
rows.push(["boot a host + pull busybox:1.36", ms(performance.now() - t)]);
const heap1 = heap();
const disk1 = du(h);

t = performance.now();
const times: number[] = [];
for (let i = 1; i <= N; i++) {
  const t1 = performance.now();
  run(h, `ctr run -d docker.io/library/busybox:1.36 c${i} sleep infinity`);
  times.push(performance.now() - t1);
}
const total = performance.now() - t;
const heap2 = heap();
const tasks = h.sh("ctr tasks ls").stdout.trim().split("\n").length - 1;
if (tasks !== N) throw new Error(`expected ${N} running tasks, got ${tasks}`);
const sorted = [...times].sort((a, b) => a - b);

t = performance.now();
const procs = h.snapshot().processes.length;
const snapMs = performance.now() - t;
t = performance.now();
const mounts = h.overlays().length; // every mount, every merged tree walked
const ovMs = performance.now() - t;
t = performance.now();
h.overlays({ entries: false }); // what a widget's mount picker needs
const listMs = performance.now() - t;
t = performance.now();
const psLines = h.sh("ps -ef").stdout.split("\n").length - 2;
const psMs = performance.now() - t;

rows.push(
  [`${N} × ctr run -d (total)`, ms(total)],
  ["  per container: median / p95 / max", `${sorted[Math.floor(N / 2)]!.toFixed(2)} / ${sorted[Math.floor(N * 0.95)]!.toFixed(2)} / ${sorted[N - 1]!.toFixed(2)} ms`],
  ["  first / last container", `${times[0]!.toFixed(2)} / ${times[N - 1]!.toFixed(2)} ms`],
  ["heap: empty process", mb(heap0)],
  ["heap: host + image", `${mb(heap1)} (+${mb(heap1 - heap0)})`],
  [`heap: + ${N} containers`, `${mb(heap2)} (+${mb(heap2 - heap1)}, ${((heap2 - heap1) / N / 1024).toFixed(0)} KB each)`],
  [`snapshot(): ${procs} processes`, ms(snapMs)],
  [`overlays(): ${mounts} overlay mounts`, ms(ovMs)],
  ["overlays({ entries: false })", ms(listMs)],
  [`ps -ef: ${psLines} lines`, ms(psMs)],
  ["du snapshots: image only → with containers", `${disk1} → ${du(h)}`],
);

const w = Math.max(...rows.map((r) => r[0].length));
console.log(`containers bench (${gc ? "with" : "without"} --expose-gc)\n`);
for (const [k, v] of rows) console.log(`${k.padEnd(w)}  ${v}`);
