// A pod's requests in the scheduler's units: the sum over containers, raised to the largest
// init container; a container with no request counts as 100m / 200 MiB for scoring only.
import type { Container, Pod, Quantity } from "../api/types";
import type { Resources } from "./types";

const DEFAULT_MILLI_CPU = 100;
const DEFAULT_MEMORY = 200 * 1024 * 1024;

const SUFFIX: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };

/** A quantity's value (rounded up, like Quantity.Value/MilliValue); NaN when malformed. */
export function quantityValue(q: Quantity | undefined, milli = false): number {
  if (q === undefined) return 0;
  if (typeof q === "number") return Math.ceil(milli ? q * 1000 : q);
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/.exec(q);
  if (!m) return NaN;
  const suffix = m[2] ?? "";
  const factor = /^[eE]/.test(suffix) ? 10 ** Number(suffix.slice(1)) : SUFFIX[suffix]!;
  return Math.ceil(Number(m[1]) * factor * (milli ? 1000 : 1) - 1e-9);
}

function containerRequests(c: Container, nonZero: boolean): Resources {
  const r = c.resources?.requests ?? {};
  const cpu = r.cpu === undefined ? (nonZero ? DEFAULT_MILLI_CPU : 0) : quantityValue(r.cpu, true);
  const mem = r.memory === undefined ? (nonZero ? DEFAULT_MEMORY : 0) : quantityValue(r.memory);
  return { milliCPU: cpu, memory: mem };
}

export function podRequests(p: Pod, nonZero = false): Resources {
  const sum: Resources = { milliCPU: 0, memory: 0 };
  for (const c of p.spec.containers) {
    const r = containerRequests(c, nonZero);
    sum.milliCPU += r.milliCPU;
    sum.memory += r.memory;
  }
  for (const c of p.spec.initContainers ?? []) {
    const r = containerRequests(c, nonZero);
    sum.milliCPU = Math.max(sum.milliCPU, r.milliCPU);
    sum.memory = Math.max(sum.memory, r.memory);
  }
  return sum;
}
