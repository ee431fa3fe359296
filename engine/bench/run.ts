// `npm run bench`: what a lesson page costs the reader, and what the engine costs the page.
//
//   1. Static, from dist/: the JS each lesson page loads before any interaction — its module
//      scripts, module preloads and inline modules, plus every chunk those reach through static
//      imports (dynamic import() is what loads later) — raw and gzip.
//   2. In Chromium (when there is one): the JS actually fetched once the terminal has loaded,
//      and the time from navigation to terminal ready (median of 5 cold loads).
//   3. The engine micro-bench: createHost + 1,000 `echo hi` + 100 `unshare --pid --fork --mount-proc`.
//      (The engine's own time is virtual; wall time is measured only here, in the bench.)
//   4. The cluster benches (cluster.bench.ts): createCluster with 100 nodes settling 3,000 pods,
//      and kube-scheduler throughput over 5,000 synthetic nodes — 3 runs each, best and median.
//      BENCH_CLUSTER=0 skips them (they take a few minutes).
//   5. Cold boot (boot.bench.ts): each world a lesson page builds (host, cluster, exercises 6–12)
//      booted in fresh node processes, median of 7. BENCH_BOOT=0 skips it.
//
// Results go to engine/bench/results/latest.json; the table is compared with the goals below.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join, posix } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { createHost } from "../index";
import { clusterBenches, describeScheduler, describeSettle } from "./cluster.bench";
import { bootBenches, describeBoot } from "./boot.bench";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const DIST = join(ROOT, "dist");
const RESULTS = join(ROOT, "engine/bench/results/latest.json");

export const GOALS = {
  /** JS before interaction on a page without a terminal, gzip bytes. */
  plainPageGz: 10 * 1024,
  /** All JS on a terminal page once the terminal has loaded, gzip bytes. */
  terminalPageGz: 110 * 1024,
  /** Navigation start → terminal ready, ms. */
  terminalReadyMs: 300,
};

interface Bytes {
  raw: number;
  gz: number;
}
const size = (buf: Buffer | string): Bytes => ({ raw: Buffer.byteLength(buf), gz: gzipSync(buf, { level: 9 }).length });
const add = (a: Bytes, b: Bytes): Bytes => ({ raw: a.raw + b.raw, gz: a.gz + b.gz });
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

// ---- 1. static analysis of dist/ ----

/** Static import specifiers of a JS module: `import … from "x"`, `import "x"`, `export … from "x"` (not import()). */
function staticImports(code: string): string[] {
  const out: string[] = [];
  const re = /(?:^|[;\s}])(?:import|export)\s*(?:[\w$*{}\s,]+?\s*from\s*)?["']([^"']+)["']/g;
  for (let m; (m = re.exec(code)); ) out.push(m[1]!);
  return out;
}

/** The JS a page loads eagerly: entry URLs and inline module code. */
function pageEntries(html: string): { urls: string[]; inline: string[] } {
  const urls: string[] = [];
  const inline: string[] = [];
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
    const attrs = m[1]!;
    if (/type=["']?(application\/(ld\+)?json|text\/template)/.test(attrs)) continue;
    const src = attrs.match(/\bsrc=["']([^"']+)["']/)?.[1];
    if (src) urls.push(src);
    else if (m[2]!.trim()) inline.push(m[2]!);
  }
  for (const m of html.matchAll(/<link\b[^>]*rel=["']modulepreload["'][^>]*>/g)) {
    const href = m[0].match(/href=["']([^"']+)["']/)?.[1];
    if (href) urls.push(href);
  }
  return { urls, inline };
}

function distFile(url: string): string | undefined {
  if (/^[a-z]+:/i.test(url)) return undefined; // another origin: not ours
  const p = join(DIST, decodeURIComponent(url.split(/[?#]/)[0]!));
  return existsSync(p) ? p : undefined;
}

/** Bytes of the JS reachable through static imports from the page's entries. */
export function staticJs(html: string, pageUrl: string): { bytes: Bytes; inline: Bytes; files: string[] } {
  const { urls, inline } = pageEntries(html);
  const seen = new Set<string>();
  let bytes: Bytes = { raw: 0, gz: 0 };
  const visit = (url: string) => {
    const abs = posix.normalize(url.startsWith("/") ? url : posix.join(posix.dirname(pageUrl), url));
    if (seen.has(abs)) return;
    seen.add(abs);
    const file = distFile(abs);
    if (!file) return;
    const code = readFileSync(file);
    bytes = add(bytes, size(code));
    for (const spec of staticImports(code.toString("utf8"))) if (spec.startsWith(".") || spec.startsWith("/")) visit(spec.startsWith("/") ? spec : posix.join(posix.dirname(abs), spec));
  };
  let inlineBytes: Bytes = { raw: 0, gz: 0 };
  for (const code of inline) {
    inlineBytes = add(inlineBytes, size(code));
    bytes = add(bytes, size(code));
    for (const spec of staticImports(code)) visit(spec);
  }
  for (const u of urls) visit(u);
  return { bytes, inline: inlineBytes, files: [...seen] };
}

interface PageResult {
  page: string;
  terminal: boolean;
  before: Bytes;
  /** Inline module scripts (part of the HTML, so no network response): added to `after`. */
  inline: Bytes;
  after?: Bytes;
  /** Of `after`: the terminal's own chunk (xterm.js + the line editor). */
  terminalChunk?: Bytes;
  readyMs?: number;
  /** Where the ready time goes (medians): first contentful paint, the load event, and the
   *  terminal's own start → ready (fetching xterm and the engine, booting the lab, first prompt). */
  fcpMs?: number;
  loadMs?: number;
  startToReadyMs?: number;
}

function lessonPages(): { url: string; html: string }[] {
  const dir = join(DIST, "lessons");
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, "index.html")))
    .map((d) => ({ url: `/lessons/${d.name}/`, html: readFileSync(join(dir, d.name, "index.html"), "utf8") }))
    .sort((a, b) => a.url.localeCompare(b.url));
}

// ---- 2. in Chromium ----

function findChromium(): string | undefined {
  const env = process.env.CHROMIUM_PATH?.trim();
  if (env) return existsSync(env) ? env : undefined;
  return ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].find((p) => existsSync(p));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const a = srv.address();
      srv.close(() => resolve(typeof a === "object" && a ? a.port : 0));
    });
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function measureInBrowser(pages: PageResult[], chromiumPath: string): Promise<void> {
  const { preview } = await import("astro");
  const { chromium } = await import("playwright-core");
  const port = await freePort();
  const server = await preview({ root: ROOT, logLevel: "error", server: { host: "127.0.0.1", port } });
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  try {
    for (const r of pages.filter((p) => p.terminal)) {
      const times: number[] = [];
      const fcps: number[] = [];
      const loads: number[] = [];
      const starts: number[] = [];
      for (let i = 0; i < 5; i++) {
        const context = await browser.newContext(); // a cold cache every time
        const page = await context.newPage();
        const js = new Map<string, Promise<Buffer>>();
        page.on("response", (res) => {
          if (res.request().resourceType() !== "script" || !res.ok()) return;
          // Bodies are read only on the first load; a later load's context closes before its
          // bodies arrive, and an unobserved rejection would end the bench.
          const body = res.body();
          body.catch(() => {});
          js.set(res.url(), body);
        });
        await page.goto(`http://127.0.0.1:${server.port}${r.page}`);
        const readyAt = await page.evaluate(async () => {
          const el = document.querySelector("kijl-terminal") as (HTMLElement & { ready?: Promise<unknown> }) | null;
          if (!el) return -1;
          el.scrollIntoView();
          if (el.ready && typeof el.ready.then === "function") await el.ready;
          else
            await new Promise<void>((resolve) => {
              if (el.hasAttribute("data-ready")) return resolve();
              new MutationObserver((_, o) => el.hasAttribute("data-ready") && (o.disconnect(), resolve())).observe(el, { attributes: true });
            });
          const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined;
          return {
            now: performance.now(),
            fcp: performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? -1,
            load: nav?.loadEventEnd ?? -1,
            startToReady: Number(el.dataset.readyMs ?? -1),
          };
        });
        if (typeof readyAt === "number") throw new Error(`${r.page}: no terminal on the page`);
        times.push(readyAt.now);
        fcps.push(readyAt.fcp);
        loads.push(readyAt.load);
        starts.push(readyAt.startToReady);
        if (i === 0) {
          let total: Bytes = r.inline;
          for (const [url, body] of js) {
            const bytes = size(await body);
            total = add(total, bytes);
            if (/\/terminal-session\.[\w-]+\.js$/.test(url)) r.terminalChunk = bytes;
          }
          r.after = total;
        }
        await context.close();
      }
      r.readyMs = Math.round(median(times));
      r.fcpMs = Math.round(median(fcps));
      r.loadMs = Math.round(median(loads));
      r.startToReadyMs = Math.round(median(starts));
    }
  } finally {
    await browser.close();
    await server.stop();
  }
}

// ---- 3. the engine ----

export function engineMicroBench(): Record<string, number> {
  const t0 = performance.now();
  const h = createHost({ seed: 1 });
  const t1 = performance.now();
  for (let i = 0; i < 1000; i++) h.sh("echo hi");
  const t2 = performance.now();
  for (let i = 0; i < 100; i++) h.sh("unshare --pid --fork --mount-proc true");
  const t3 = performance.now();
  const round = (x: number) => Math.round(x * 10) / 10;
  return { createHostMs: round(t1 - t0), echo1000Ms: round(t2 - t1), unshare100Ms: round(t3 - t2) };
}

// ---- the report ----

async function main(): Promise<void> {
  const pages = lessonPages();
  const results: PageResult[] = pages.map(({ url, html }) => {
    const js = staticJs(html, url);
    return { page: url, terminal: html.includes("<kijl-terminal"), before: js.bytes, inline: js.inline };
  });
  if (pages.length === 0) console.log("No lesson pages in dist/lessons/: run `npm run build` first (npm run bench does).");

  const chromiumPath = findChromium();
  let browserNote = "";
  if (!chromiumPath) browserNote = "Terminal load size and timing need Chromium (install Debian's chromium package or set CHROMIUM_PATH); static byte counts only.";
  else if (results.some((r) => r.terminal)) {
    try {
      await measureInBrowser(results, chromiumPath);
    } catch (err) {
      browserNote = `Browser measurement failed: ${err instanceof Error ? err.message : String(err)}`;
    }
  }

  const engine = engineMicroBench();
  const cluster = process.env.BENCH_CLUSTER === "0" ? undefined : clusterBenches();
  const boot = process.env.BENCH_BOOT === "0" ? undefined : bootBenches();

  const verdict = (ok: boolean | undefined) => (ok === undefined ? "  –" : ok ? " ok" : " OVER");
  console.log("\nJS per lesson page (gzip; raw in parentheses)\n");
  console.log(`${"page".padEnd(48)} ${"before interaction".padEnd(24)} ${"after terminal".padEnd(24)} ${"ready".padStart(7)}  goal`);
  for (const r of results) {
    const before = `${kb(r.before.gz)} (${kb(r.before.raw)})`;
    const after = r.after ? `${kb(r.after.gz)} (${kb(r.after.raw)})` : r.terminal ? "needs Chromium" : "no terminal";
    const ready = r.readyMs !== undefined ? `${r.readyMs} ms` : "–";
    const ok = r.terminal
      ? r.after && r.readyMs !== undefined
        ? r.after.gz <= GOALS.terminalPageGz && r.readyMs <= GOALS.terminalReadyMs
        : undefined
      : r.before.gz <= GOALS.plainPageGz;
    console.log(`${r.page.padEnd(48)} ${before.padEnd(24)} ${after.padEnd(24)} ${ready.padStart(7)} ${verdict(ok)}`);
  }
  const timed = results.filter((r) => r.startToReadyMs !== undefined);
  if (timed.length) {
    console.log(`\nwhere the time and bytes go (medians; "navigation → ready" = load event, then scroll to the terminal, then its start → ready)\n`);
    console.log(`${"page".padEnd(48)} ${"first paint".padStart(11)} ${"load".padStart(7)} ${"start → ready".padStart(14)} ${"xterm chunk".padStart(12)} ${"the rest".padStart(9)}`);
    for (const r of timed) {
      const rest = r.after && r.terminalChunk ? kb(r.after.gz - r.terminalChunk.gz - r.before.gz) : "–";
      console.log(`${r.page.padEnd(48)} ${`${r.fcpMs} ms`.padStart(11)} ${`${r.loadMs} ms`.padStart(7)} ${`${r.startToReadyMs} ms`.padStart(14)} ${(r.terminalChunk ? kb(r.terminalChunk.gz) : "–").padStart(12)} ${rest.padStart(9)}`);
    }
  }
  console.log(`\ngoals: page without terminal ≤ ${kb(GOALS.plainPageGz)} gz JS; terminal page ≤ ${kb(GOALS.terminalPageGz)} gz JS in total; terminal ready ≤ ${GOALS.terminalReadyMs} ms`);
  if (browserNote) console.log(browserNote);
  console.log(`\nengine: createHost ${engine.createHostMs} ms; 1,000 × echo hi ${engine.echo1000Ms} ms; 100 × unshare --pid --fork --mount-proc ${engine.unshare100Ms} ms`);

  if (cluster) console.log(`cluster: ${describeSettle(cluster.settle)}\ncluster: ${describeScheduler(cluster.scheduler)}`);
  if (boot) console.log(`\ncold boot (fresh process each):\n${describeBoot(boot)}`);

  mkdirSync(dirname(RESULTS), { recursive: true });
  const tmp = `${RESULTS}.tmp`;
  writeFileSync(tmp, JSON.stringify({ goals: GOALS, pages: results, engine, cluster, boot, note: browserNote || undefined }, null, 2) + "\n");
  renameSync(tmp, RESULTS);
  console.log(`\nwrote ${RESULTS.slice(ROOT.length)}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
