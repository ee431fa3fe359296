// Lesson 7 (the control plane) in headless Chromium against the built site: the page's world is
// exercise 7's broken cluster; the terminal is root@controlplane and answers kubectl; the break is
// visible there (scheduler failed, worker-2 SchedulingDisabled, web Pending); the quiz grades;
// "Check my work" fails on the broken lab with a hint from state, and passes after the reference
// solution's commands. No console errors. Screenshots: /tmp/shots/lesson7*.png.
import { afterAll, expect, test } from "vitest";
import { mkdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { closeBrowser, describeBrowser, openPage } from "./browser";

const root = fileURLToPath(new URL("../../", import.meta.url));
const shots = "/tmp/shots";
mkdirSync(shots, { recursive: true });
const LESSON = "/lessons/07-the-control-plane/";

type Term = HTMLElement & { ready: Promise<void>; run(line: string): Promise<void>; text(): string };
const run = (page: Page, line: string) => page.evaluate((l) => (document.querySelector("kijl-terminal") as Term).run(l), line);
const text = (page: Page) => page.evaluate(() => (document.querySelector("kijl-terminal") as Term).text());

/** The reference solution's command lines (comments and blank lines dropped). */
const solution = readFileSync(`${root}exercises/solutions/07-fix-the-control-plane/fix.sh`, "utf8")
  .split("\n")
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith("#"));

afterAll(async () => {
  await closeBrowser();
});

async function ready(page: Page): Promise<void> {
  await page.locator("kijl-terminal").first().scrollIntoViewIfNeeded();
  await page.evaluate(() => (document.querySelector("kijl-terminal") as Term).ready);
}

describeBrowser("lesson 7: the control plane", () => {
  test("the terminal is the broken cluster's control plane and answers kubectl", async () => {
    const page = await openPage(LESSON);
    await page.setViewportSize({ width: 1100, height: 900 });
    await ready(page);
    expect(await page.locator("main[data-lab='cluster'][data-exercise='7']").count()).toBe(1);

    await run(page, "kubectl get nodes");
    await page.waitForFunction(() => (document.querySelector("kijl-terminal") as Term).text().includes("worker-2"), undefined, { timeout: 15_000 });
    const nodes = await text(page);
    expect(nodes).toMatch(/root@controlplane:~# kubectl get nodes\nNAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\nworker-1\s+Ready\s+<none>\s+\S+\s+v1\.34\.1\nworker-2\s+Ready,SchedulingDisabled\s+<none>/);

    await run(page, "systemctl is-active kube-scheduler");
    await run(page, "kubectl get pods");
    await page.waitForFunction(() => (document.querySelector("kijl-terminal") as Term).text().includes("web-"));
    const screen = await text(page);
    expect(screen).toMatch(/# systemctl is-active kube-scheduler\nfailed\n/);
    expect(screen.split("\n").filter((l) => /^web-\S+\s+0\/1\s+Pending\s/.test(l))).toHaveLength(4);

    // The lesson's EngineSource excerpts rendered (a missing symbol would have failed the build).
    const quoted = await page.locator("figure.engine-source").evaluateAll((els) => els.map((e) => `${(e as HTMLElement).dataset.file}#${(e as HTMLElement).dataset.symbol}`));
    expect(quoted).toEqual([
      "engine/k8s/controllers/replicaset.ts#ReplicaSetController.sync",
      "engine/k8s/scheduler/framework.ts#schedule",
      "engine/k8s/components/controller-manager.ts#controllerManager",
      "engine/k8s/components/scheduler.ts#kubeScheduler",
    ]);

    // Stop 1's Run button types the here-document with its YAML indentation intact.
    const stop1 = page.locator(".kijl-run-wrap").filter({ hasText: "replicas: 2" }).first();
    await stop1.locator("button.kijl-run").click();
    await page.waitForFunction(() => (document.querySelector("kijl-terminal") as Term).text().includes("deployment.apps/hello created"), undefined, { timeout: 15_000 });
    expect(await text(page)).toMatch(/^> {3}name: hello$/m);

    await page.screenshot({ path: `${shots}/lesson7-page.png` });
    await page.locator("kijl-terminal").first().screenshot({ path: `${shots}/lesson7-terminal.png` });
    await page.locator("figure.engine-source").nth(1).screenshot({ path: `${shots}/lesson7-framework.png` });
    expect(page.consoleErrors).toEqual([]);
    await page.close();
  });

  test("the quiz grades, and Check my work fails on the broken lab and passes after the repair", async () => {
    const page = await openPage(LESSON);
    await ready(page);

    const key = await page.$eval("quiz-box script[data-key]", (s) => JSON.parse(s.textContent ?? "[]") as { id: string; correct: number[] }[]);
    expect(key.length).toBeGreaterThanOrEqual(6);
    expect(key.some((q) => q.correct.length > 1)).toBe(true);
    for (const q of key) for (const i of q.correct) await page.locator(`[data-question="${q.id}"] [data-option="${i}"] input`).check();
    await page.click("quiz-box [data-check]");
    await expect.poll(() => page.locator("quiz-box [data-score]").textContent()).toBe(`Score: ${key.length}/${key.length}`);

    const check = page.locator("check-button[data-exercise='7']").first();
    await check.scrollIntoViewIfNeeded();
    await check.locator("[data-check]").click();
    await expect.poll(() => check.getAttribute("data-state"), { timeout: 20_000 }).toBe("fail");
    expect(await check.textContent()).toMatch(/kube-scheduler is failed on controlplane: systemctl status kube-scheduler says status=203\/EXEC/);
    expect(await check.textContent()).toMatch(/kubectl uncordon worker-2/);
    await check.screenshot({ path: `${shots}/lesson7-check-fail.png` });

    for (const line of solution) await run(page, line);
    await check.locator("[data-check]").click();
    await expect.poll(() => check.getAttribute("data-state"), { timeout: 20_000 }).toBe("pass");
    expect(await check.textContent()).toMatch(/All 4 checks pass/);
    await check.screenshot({ path: `${shots}/lesson7-check-pass.png` });
    expect(page.consoleErrors).toEqual([]);
    await page.close();
  });
});
