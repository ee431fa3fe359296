// Global setup of the e2e project: serve the built site (dist/, made by `npm run build`, which
// `npm test` runs first) with Astro's own preview server on 127.0.0.1 and a free port, and hand
// its URL and the Chromium path to the test files (inject("baseUrl"), inject("chromiumPath")).
// Without Chromium nothing starts and the browser tests are skipped — with one line saying so,
// never silently. On CI (CI=true) a missing Chromium is an error: CI always installs it.
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import { findChromium, NO_CHROMIUM } from "./chromium";

declare module "vitest" {
  export interface ProvidedContext {
    /** e.g. "http://127.0.0.1:41234"; "" when the browser tests are skipped. */
    baseUrl: string;
    /** The Chromium binary to launch; "" when none was found. */
    chromiumPath: string;
  }
}

const root = fileURLToPath(new URL("../../", import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const chromium = findChromium();
  if (!chromium) {
    if (process.env.CI === "true") {
      throw new Error(`no Chromium found on CI (checked CHROMIUM_PATH, /usr/bin/chromium, /usr/bin/chromium-browser, /usr/bin/google-chrome): .ci/run must install Debian's chromium package`);
    }
    console.log(NO_CHROMIUM);
    project.provide("baseUrl", "");
    project.provide("chromiumPath", "");
    return async () => {};
  }
  if (!existsSync(`${root}dist/index.html`)) {
    throw new Error("dist/ is missing: the browser tests run against the built site. Run `npm run build` first (`npm test` does).");
  }
  const { preview } = await import("astro");
  const port = await freePort();
  const server = await preview({ root, logLevel: "warn", server: { host: "127.0.0.1", port } });
  project.provide("baseUrl", `http://127.0.0.1:${server.port}`);
  project.provide("chromiumPath", chromium);
  return async () => {
    await server.stop();
  };
}
