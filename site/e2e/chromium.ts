// Where is a Chromium to drive? CHROMIUM_PATH first, then the usual Debian/Ubuntu/Google paths.
// playwright-core never downloads a browser: without one, the browser tests are skipped (and
// the run says so), or, on CI, fail.
import { existsSync } from "node:fs";

export const CHROMIUM_CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const fromEnv = env.CHROMIUM_PATH?.trim();
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  return CHROMIUM_CANDIDATES.find((p) => existsSync(p));
}

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  // Without these, Chromium keeps calling home and floods a closed network with refused connections.
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export const NO_CHROMIUM =
  "browser tests skipped: no Chromium found (install Debian's chromium package or set CHROMIUM_PATH)";
