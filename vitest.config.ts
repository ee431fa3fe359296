// Three projects, one run: `npm test` builds the site, then runs all of them.
//   engine     unit and property tests of the simulation (and the site's pure helpers)
//   exercises  every exercise is honest: fails on its starter, passes on its solution
//   e2e        headless Chromium against the built site (site/e2e/global-setup.ts serves dist/)
// The summary reporter prints the closing line CI reads: `N passed, N failed[, N skipped]`.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    reporters: ["default", "./.ci/summary-reporter.ts"],
    projects: [
      {
        test: {
          name: "engine",
          sequence: { groupOrder: 1 },
          include: ["engine/**/*.test.ts", "site/lib/**/*.test.ts"],
        },
      },
      {
        test: {
          name: "exercises",
          sequence: { groupOrder: 1 },
          include: ["exercises/**/*.test.ts"],
        },
      },
      {
        test: {
          name: "e2e",
          include: ["site/e2e/**/*.test.ts"],
          globalSetup: ["site/e2e/global-setup.ts"],
          // One Chromium per file, the files one after another, and only after the engine and
          // exercise projects (group 1) have finished: on 2 cores, Chromium next to the property
          // tests makes page timings (and timeouts) meaningless. (Explicit group numbers: vitest
          // runs single-worker projects left at groupOrder 0 in a group of their own, LAST.)
          fileParallelism: false,
          sequence: { groupOrder: 2 },
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
