// kubectl's template printers and --sort-by at the scalability limit (plain tsx script):
// `npx tsx engine/bench/kubectl-output.bench.ts`. 150,000 pods (the documented per-cluster
// limit) shaped like the API server's, printed with -o jsonpath (a range), -o custom-columns,
// recursive descent, and sorted by a timestamp, a nested number and a name in natural order.
// These are the pure printers kubectl runs on a List; listing from the store is not timed here.
import type { KObject } from "../k8s/api/types";
import { JsonPath } from "../k8s/kubectl/jsonpath";
import { columnsFromSpec, printColumns } from "../k8s/kubectl/custom-columns";
import { sortObjects } from "../k8s/kubectl/sort-by";

const PODS = 150_000;
const now = () => performance.now();

function pods(n: number): KObject[] {
  const out: KObject[] = [];
  for (let i = 0; i < n; i++) {
    // A scrambled but deterministic order, so the sorts have work to do.
    const j = (i * 7919) % n;
    out.push({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: `web-${j}`, namespace: "default", uid: `uid-${j}`, labels: { app: "web" }, creationTimestamp: new Date(Date.UTC(2026, 0, 12) + j * 1000).toISOString().replace(/\.\d+Z$/, "Z") },
      spec: { nodeName: `worker-${j % 5000}`, containers: [{ name: "nginx", image: "nginx:1.27" }] },
      status: { phase: "Running", podIP: `10.${(j >> 16) & 255}.${(j >> 8) & 255}.${j & 255}`, containerStatuses: [{ name: "nginx", ready: true, restartCount: j % 7 }] },
    } as unknown as KObject);
  }
  return out;
}

function time(label: string, fn: () => unknown): void {
  const t0 = now();
  const r = fn();
  const size = typeof r === "string" ? `${(r.length / 1e6).toFixed(1)} MB out` : Array.isArray(r) ? `${r.length} items` : "";
  console.log(`${label.padEnd(58)} ${(now() - t0).toFixed(0).padStart(6)} ms  ${size}`);
}

const items = pods(PODS);
const list = { apiVersion: "v1", kind: "List", metadata: { resourceVersion: "" }, items };
console.log(`${PODS} pods`);
time('-o jsonpath={range .items[*]}{.metadata.name}{"\\t"}{.status.podIP}{"\\n"}{end}', () => JsonPath.parse('{range .items[*]}{.metadata.name}{"\\t"}{.status.podIP}{"\\n"}{end}').execute(list, true));
time("-o jsonpath={.items[*].metadata.name}", () => JsonPath.parse("{.items[*].metadata.name}").execute(list, true));
time("-o jsonpath={..podIP} (recursive descent)", () => JsonPath.parse("{..podIP}").execute(list, true));
time('-o jsonpath={.items[?(@.status.containerStatuses[0].restartCount>5)].metadata.name}', () => JsonPath.parse("{.items[?(@.status.containerStatuses[0].restartCount>5)].metadata.name}").execute(list, true));
const cols = columnsFromSpec("NAME:.metadata.name,NODE:.spec.nodeName,IP:.status.podIP");
time("-o custom-columns=NAME:…,NODE:…,IP:…", () => ("error" in cols ? "" : printColumns(cols, items, false)));
time("--sort-by=.metadata.creationTimestamp", () => sortObjects(items, ".metadata.creationTimestamp", true));
time("--sort-by=.status.containerStatuses[0].restartCount", () => sortObjects(items, ".status.containerStatuses[0].restartCount", true));
time("--sort-by=.metadata.name (natural order)", () => sortObjects(items, ".metadata.name", true));
