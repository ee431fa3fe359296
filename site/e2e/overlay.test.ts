// Lesson 4's <overlay-stack> in headless Chromium against the built site: the page loads, an
// overlay mounted in the terminal appears with its layers, a write through the merged view
// moves the file into the upper column (copy-up), a delete leaves a whiteout, and nothing
// is logged to the console. Screenshot: /tmp/shots/overlay.png.
import { afterAll, expect, test } from "vitest";
import type { Page } from "playwright-core";
import { closeBrowser, describeBrowser, openPage } from "./browser";
import { builtLessonPath, run, shots, terminalReady } from "./lesson-page";

/** The rows of the merged table: path → the column headers of the layers marked in it. */
async function rows(page: Page): Promise<Record<string, { serves: string; hidden: string[]; whiteout: boolean }>> {
  return page.evaluate(() => {
    const table = document.querySelector("overlay-stack table")!;
    const heads = [...table.querySelectorAll("thead th")].map((th) => th.textContent ?? "");
    const out: Record<string, { serves: string; hidden: string[]; whiteout: boolean }> = {};
    for (const tr of table.querySelectorAll<HTMLElement>("tbody tr[data-path]")) {
      const cells = [...tr.children];
      const col = (sel: string) => cells.flatMap((c, i) => (c.querySelector(sel) ? [heads[i]!] : []));
      out[tr.dataset.path!] = { serves: col(".ovs__mark--serves")[0] ?? "", hidden: col(".ovs__mark--hidden"), whiteout: col(".ovs__mark--wh").length > 0 };
    }
    return out;
  });
}

afterAll(closeBrowser);

describeBrowser("lesson 4: the overlay stack", () => {
  test("shows the layers of an overlay mounted in the terminal, and follows copy-up and whiteouts", async () => {
    const page = await openPage(builtLessonPath("04-images-and-overlayfs"));
    await terminalReady(page);
    const view = page.locator("overlay-stack").first();
    await view.scrollIntoViewIfNeeded();
    await page.waitForSelector("overlay-stack[data-mounts='0']", { timeout: 15_000 });

    for (const line of [
      "mkdir -p /tmp/ov/lower1 /tmp/ov/lower2 /tmp/ov/upper /tmp/ov/work /tmp/ov/merged",
      "cd /tmp/ov",
      'echo "from lower1" > lower1/a.txt',
      'echo "from lower2" > lower2/a.txt',
      'echo "only in lower2" > lower2/b.txt',
      "mount -t overlay overlay -o lowerdir=lower1:lower2,upperdir=upper,workdir=work merged",
    ]) {
      await run(page, line);
    }
    await page.waitForSelector("overlay-stack[data-mountpoint='/tmp/ov/merged']", { timeout: 5_000 });
    const layers = await view.locator(".ovs__layer-name").allTextContents();
    expect(layers).toEqual(["upper", "lower 1", "lower 2", "merged"]);
    let r = await rows(page);
    expect(r["a.txt"]).toEqual({ serves: "lower 1", hidden: ["lower 2"], whiteout: false });
    expect(r["b.txt"]).toEqual({ serves: "lower 2", hidden: [], whiteout: false });

    await run(page, 'echo "edited" >> merged/b.txt');
    await run(page, "rm merged/a.txt");
    await page.waitForFunction(() => document.querySelector("overlay-stack tr[data-path='b.txt']")?.getAttribute("data-served-by") === "-1");
    r = await rows(page);
    expect(r["b.txt"]).toEqual({ serves: "upper", hidden: ["lower 2"], whiteout: false });
    expect(r["a.txt"]).toMatchObject({ whiteout: true, serves: "" });

    // Hovering a row explains which layer serves it.
    await view.locator("tr[data-path='b.txt']").hover();
    await expect.poll(() => view.locator(".ovs__info").textContent()).toMatch(/served by upper .*copied up/);

    await page.screenshot({ path: `${shots}/overlay-page.png` });
    await view.screenshot({ path: `${shots}/overlay.png` });
    expect(page.consoleErrors).toEqual([]);
  });
});
