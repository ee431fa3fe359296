// What a lesson page loads, and when (issue 3's budget): in headless Chromium against the
// built site, on lesson 2 (an exercise host at the top, a cluster lab near the end):
//   - once the page is idle, xterm and the host engine are fetched for the first terminal,
//     but its lab is not booted until the terminal nears the viewport;
//   - the cluster's code is not fetched while the reader is at the top, although a widget of
//     that cluster (worker-1's namespace view) is on the page and its module is loaded;
//   - scrolling to that widget builds the cluster, and the widget draws worker-1's processes.
import { afterAll, expect, test } from "vitest";
import type { Page } from "playwright-core";
import { closeBrowser, describeBrowser, openPage } from "./browser";
import { builtLessonPath, closeWithoutErrors, DESKTOP } from "./lesson-page";

afterAll(closeBrowser);

/** Script URLs fetched so far, by chunk name without the hash ("terminal-session", "cluster"). */
const chunks = (page: Page): Promise<string[]> =>
  page.evaluate(() =>
    performance
      .getEntriesByType("resource")
      .map((e) => e.name.split("/").pop() ?? "")
      .filter((n) => n.endsWith(".js"))
      .map((n) => n.replace(/\.[\w-]+\.js$/, "")),
  );

describeBrowser("what a lesson page loads, and when", () => {
  test("xterm and the engine are prefetched when idle; a far cluster widget waits until it is near", async () => {
    const page = await openPage(builtLessonPath("02-namespaces"));
    // A short window, so that the first terminal is further than its start margin (150% of
    // the viewport) below the fold.
    await page.setViewportSize({ width: DESKTOP.width, height: 600 });
    await page.evaluate(() => scrollTo(0, 0));

    // The page settles without the reader doing anything: the terminal code arrives…
    await page.waitForFunction(() => performance.getEntriesByType("resource").some((e) => /\/terminal-session\.[\w-]+\.js$/.test(e.name)), undefined, {
      timeout: 15_000,
    });
    await page.waitForTimeout(500);
    let loaded = await chunks(page);
    expect(loaded).toContain("lab"); // the Linux floor, for the exercise's host
    // …but the terminal has not booted (it is below the fold) and no cluster was fetched.
    const state = await page.evaluate(() => {
      const t = document.querySelector("kijl-terminal")!;
      return { ready: t.hasAttribute("data-ready"), far: t.getBoundingClientRect().top > 2.5 * innerHeight };
    });
    expect(state).toEqual({ ready: false, far: true });
    expect(loaded).not.toContain("cluster");

    // The first terminal boots when scrolled to; the cluster is still not needed.
    await page.locator("kijl-terminal").first().scrollIntoViewIfNeeded();
    await page.evaluate(() => (document.querySelector("kijl-terminal") as HTMLElement & { ready: Promise<void> }).ready);
    await page.waitForTimeout(300);
    loaded = await chunks(page);
    expect(loaded).toContain("namespace-view"); // the widget module is defined for every copy…
    expect(loaded).not.toContain("cluster"); // …yet the far copy has not built its cluster

    // Near worker-1's namespace view, the cluster is built and drawn.
    const workerView = page.locator('[data-lab="cluster/worker-1"] namespace-view');
    await workerView.scrollIntoViewIfNeeded();
    await page.waitForFunction(() => (document.querySelector('[data-lab="cluster/worker-1"] namespace-view')?.textContent ?? "").includes("kubelet"), undefined, {
      timeout: 20_000,
    });
    expect(await chunks(page)).toContain("cluster");
    await closeWithoutErrors(page);
  });
});
