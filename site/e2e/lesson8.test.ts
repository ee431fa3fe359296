// Lesson 8 in headless Chromium against the built site: the page loads without console errors;
// <scheduler-table> shows the framework's table for a pod made in the terminal, recomputes for a
// what-if CPU request and for a taint it types into the terminal; the quiz grades; "Check my
// work" fails on the fresh lab and passes after the reference layout is applied.
// Screenshots: /tmp/shots/lesson8-*.png.
import { afterAll, expect, test } from "vitest";
import { mkdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { closeBrowser, describeBrowser, openPage } from "./browser";

const root = fileURLToPath(new URL("../../", import.meta.url));
const shots = "/tmp/shots";
mkdirSync(shots, { recursive: true });
const LESSON = "/lessons/08-scheduling/";

type Term = HTMLElement & { ready: Promise<void>; run(line: string): Promise<void>; text(): string };
const run = (page: Page, line: string) => page.evaluate((l) => (document.querySelector("kijl-terminal") as Term).run(l), line);
const screen = (page: Page) => page.evaluate(() => (document.querySelector("kijl-terminal") as Term).text());
const solution = readFileSync(`${root}exercises/solutions/08-scheduling/layout.yaml`, "utf8");

afterAll(async () => {
  await closeBrowser();
});

async function ready(page: Page): Promise<void> {
  await page.locator("kijl-terminal").first().scrollIntoViewIfNeeded();
  await page.evaluate(() => (document.querySelector("kijl-terminal") as Term).ready);
}

describeBrowser("lesson 8: scheduling", () => {
  test("the scheduler table follows a pod from the terminal, a what-if request and a taint", async () => {
    const page = await openPage(LESSON);
    await ready(page);
    const table = page.locator("scheduler-table").first();
    await table.scrollIntoViewIfNeeded();
    // Before the reader makes a pod, the table shows a CoreDNS pod (the DNS add-on): placed on a
    // worker when the cluster came up; recomputed now, worker-3's later taint rules it out.
    await expect.poll(() => table.getAttribute("data-pod"), { timeout: 15_000 }).toMatch(/^kube-system\/coredns-/);
    expect(await table.locator("td[data-node='worker-3'][data-plugin='TaintToleration']").first().getAttribute("data-result")).toBe("fail");

    await run(page, "kubectl run web --image=nginx:1.27");
    await expect.poll(() => table.getAttribute("data-pod"), { timeout: 5_000 }).toBe("default/web");
    expect(await table.getAttribute("data-feasible")).toBe("worker-1 worker-2");
    const winner = await table.getAttribute("data-winner");
    expect(["worker-1", "worker-2"]).toContain(winner);
    expect(await table.locator("td[data-node='worker-3'][data-plugin='TaintToleration']").first().getAttribute("data-result")).toBe("fail");
    expect(await table.locator("td[data-node='worker-3'][data-plugin='TaintToleration']").first().textContent()).toContain("node(s) had untolerated taint {dedicated: batch}");
    expect(await table.textContent()).toMatch(/kube-scheduler's real decision, at [\d.]+ s: worker-[12]\./);
    await table.screenshot({ path: `${shots}/lesson8-table.png` });

    // What if it asked for 2.5 CPUs? Every node is ruled out, and the message says why.
    await table.locator("[data-st-cpu]").fill("2500");
    await expect.poll(() => table.getAttribute("data-cpu")).toBe("2500");
    expect(await table.getAttribute("data-winner")).toBe("");
    expect(await table.locator(".st__message").textContent()).toBe("FailedScheduling: 0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: batch}, 2 Insufficient cpu.");
    await table.screenshot({ path: `${shots}/lesson8-whatif.png` });
    await table.locator("button", { hasText: "pod's own" }).click();
    await expect.poll(() => table.getAttribute("data-cpu")).toBe("0");

    // Taint the winner through the terminal: the table recomputes from the changed node.
    await table.locator("[data-st-node]").selectOption(winner!);
    await table.locator("[data-st-taint]").click();
    expect(await page.waitForFunction((w) => (document.querySelector("kijl-terminal") as Term).text().includes(`node/${w} tainted`), winner, { timeout: 5_000 }).then(() => true, () => false), await screen(page)).toBe(true);
    const other = winner === "worker-1" ? "worker-2" : "worker-1";
    await expect.poll(() => table.getAttribute("data-feasible"), { timeout: 5_000 }).toBe(other);
    expect(await table.locator(`td[data-node='${winner}'][data-plugin='TaintToleration']`).first().textContent()).toContain("{demo: widget}");
    await table.screenshot({ path: `${shots}/lesson8-taint.png` });
    await table.locator("[data-st-taint]").click();
    await expect.poll(() => table.getAttribute("data-feasible"), { timeout: 5_000 }).toBe("worker-1 worker-2");

    await page.screenshot({ path: `${shots}/lesson8-page.png`, fullPage: false });
    await page.evaluate(() => (document.documentElement.dataset.theme = "dark"));
    await table.screenshot({ path: `${shots}/lesson8-dark.png` });
    expect(page.consoleErrors).toEqual([]);
    await page.close();
  });

  test("the quiz grades, and Check my work fails on the fresh lab and passes after the layout", async () => {
    const page = await openPage(LESSON);
    await ready(page);

    const key = await page.$eval("quiz-box script[data-key]", (s) => JSON.parse(s.textContent ?? "[]") as { id: string; correct: number[] }[]);
    expect(key.length).toBeGreaterThanOrEqual(5);
    for (const q of key) for (const i of q.correct) await page.locator(`[data-question="${q.id}"] [data-option="${i}"] input`).check();
    await page.click("quiz-box [data-check]");
    await expect.poll(() => page.locator("quiz-box [data-score]").textContent()).toBe(`Score: ${key.length}/${key.length}`);

    const check = page.locator("check-button[data-exercise='8']").first();
    await check.scrollIntoViewIfNeeded();
    await check.locator("[data-check]").click();
    await expect.poll(() => check.getAttribute("data-state"), { timeout: 15_000 }).toBe("fail");
    expect(await check.textContent()).toMatch(/There is no pod db/);

    await run(page, `kubectl apply -f - <<'EOF'\n${solution}EOF`);
    await run(page, "sleep 5");
    await check.locator("[data-check]").click();
    await expect.poll(() => check.getAttribute("data-state"), { timeout: 15_000 }).toBe("pass");
    expect(await check.textContent()).toMatch(/All 4 checks pass/);
    await check.screenshot({ path: `${shots}/lesson8-check.png` });
    expect(page.consoleErrors).toEqual([]);
    await page.close();
  });

  test("at phone width (375px) the widget fits: nothing scrolls sideways", async () => {
    const page = await openPage(LESSON);
    await page.setViewportSize({ width: 375, height: 812 });
    const w = page.locator("scheduler-table").first();
    await w.scrollIntoViewIfNeeded();
    await expect.poll(() => w.locator("select").count(), { timeout: 20_000 }).toBeGreaterThan(0);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBe(0);
    await w.screenshot({ path: `${shots}/lesson8-phone.png` });
    expect(page.consoleErrors).toEqual([]);
    await page.close();
  });
});
