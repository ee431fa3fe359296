// Lesson 10 in headless Chromium against the built site: the page loads without console errors;
// in its cluster terminal a pod with a liveness probe is broken with rm and the kubelet restarts
// it (RESTARTS 1, describe's Liveness line and events); the quiz grades; "Check my work" fails on
// the fresh cluster and passes after the reference solution is applied in the terminal.
// <pod-probes> follows it (red liveness ticks, the ended instance, then green again).
// Screenshots: /tmp/shots/lesson10-page.png, lesson10-terminal.png, lesson10-widget.png, lesson10-check.png.
import { afterAll, expect, test } from "vitest";
import { mkdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { closeBrowser, describeBrowser, openPage } from "./browser";

const root = fileURLToPath(new URL("../../", import.meta.url));
const shots = "/tmp/shots";
mkdirSync(shots, { recursive: true });
const LESSON = "/lessons/10-pod-lifecycle-and-probes/";

type Term = HTMLElement & { ready: Promise<void>; run(line: string): Promise<void>; text(): string };
const run = (page: Page, line: string) => page.evaluate((l) => (document.querySelector("kijl-terminal") as Term).run(l), line);
const screen = (page: Page) => page.evaluate(() => (document.querySelector("kijl-terminal") as Term).text());

/** The reference solution, applied the way a reader would: a heredoc typed into the terminal. */
const solution = readFileSync(`${root}exercises/solutions/10-pod-lifecycle-and-probes/web.yaml`, "utf8")
  .split("\n")
  .filter((l) => !l.startsWith("#") && l.trim() !== "")
  .join("\n");

const WEB = `kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: kjl/app:1.0
    livenessProbe:
      httpGet:
        path: /healthz
        port: 8080
EOF`;

afterAll(async () => {
  await closeBrowser();
});

async function ready(page: Page): Promise<void> {
  await page.locator("kijl-terminal").first().scrollIntoViewIfNeeded();
  await page.evaluate(() => (document.querySelector("kijl-terminal") as Term).ready);
}

describeBrowser("lesson 10: pod lifecycle and probes", () => {
  test("the terminal is a cluster: a liveness probe that fails gets the container restarted", async () => {
    const page = await openPage(LESSON);
    await page.setViewportSize({ width: 1100, height: 900 });
    expect(await page.locator("h1").first().textContent()).toMatch(/Pod lifecycle and probes/);
    await ready(page);
    await run(page, WEB);
    await run(page, "sleep 3; kubectl get pod web");
    await expect.poll(() => screen(page), { timeout: 15_000 }).toMatch(/web\s+1\/1\s+Running\s+0\s+\d+s/);
    await run(page, "kubectl exec web -- rm /tmp/healthy");
    await run(page, "sleep 35; kubectl get pod web");
    await expect.poll(() => screen(page), { timeout: 15_000 }).toMatch(/web\s+1\/1\s+Running\s+1 \(\d+s ago\)\s+\d+s/);
    await run(page, "kubectl describe pod web | grep -E 'Liveness|Killing|Unhealthy'");
    await expect.poll(() => screen(page), { timeout: 15_000 }).toContain("Liveness:       http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3");
    // Exact ages are the engine tests' business: the page's world also moves while the page idles.
    const text = await screen(page);
    expect(text).toMatch(/Warning\s+Unhealthy\s+\d+s \(x3 over \d+s\)\s+kubelet\s+Liveness probe failed: HTTP probe failed with statuscode: 500/);
    expect(text).toMatch(/Normal\s+Killing\s+\d+s\s+kubelet\s+Container web failed liveness probe, will be restarted/);
    await page.locator("kijl-terminal").first().screenshot({ path: `${shots}/lesson10-terminal.png` });

    // The widget: web's row shows the restart, three red liveness ticks and where the instance ended.
    const widget = page.locator("pod-probes").first();
    await widget.scrollIntoViewIfNeeded();
    await page.waitForSelector("pod-probes li[data-pod='web'][data-restarts='1']", { timeout: 15_000 });
    const row = widget.locator("li[data-pod='web']");
    expect(await row.locator("[data-lane='liveness'] .pp__tick--fail").count()).toBe(3);
    expect(await row.locator("[data-lane='liveness'] .pp__tick--fail").first().getAttribute("title")).toBe("Liveness probe failed: HTTP probe failed with statuscode: 500");
    expect(await row.locator("[data-lane='container'] .pp__mark--end").getAttribute("title")).toBe("an instance ended: Error, exit 143");
    // Ten more seconds: the new container's first probe is green, and the widget follows.
    await run(page, "sleep 10");
    await expect.poll(() => row.locator("[data-lane='liveness']").getAttribute("data-last"), { timeout: 5_000 }).toBe("success");
    await page.locator("figure.pp").first().screenshot({ path: `${shots}/lesson10-widget.png` });
    await page.screenshot({ path: `${shots}/lesson10-page.png` });
    expect(page.consoleErrors).toEqual([]);
    await page.close();
  });

  test("the quiz grades, and Check my work fails on the fresh cluster and passes after the solution", async () => {
    const page = await openPage(LESSON);
    await ready(page);

    const key = await page.$eval("quiz-box script[data-key]", (s) => JSON.parse(s.textContent ?? "[]") as { id: string; correct: number[] }[]);
    expect(key.length).toBeGreaterThanOrEqual(5);
    for (const q of key) for (const i of q.correct) await page.locator(`[data-question="${q.id}"] [data-option="${i}"] input`).check();
    await page.click("quiz-box [data-check]");
    await expect.poll(() => page.locator("quiz-box [data-score]").textContent()).toBe(`Score: ${key.length}/${key.length}`);

    const check = page.locator("check-button[data-exercise='10']").first();
    await check.scrollIntoViewIfNeeded();
    await check.locator("[data-check]").click();
    await expect.poll(() => check.getAttribute("data-state"), { timeout: 15_000 }).toBe("fail");
    expect(await check.textContent()).toMatch(/There is no Deployment called web/);

    await run(page, `kubectl apply -f - <<EOF\n${solution}\nEOF`);
    await expect.poll(() => screen(page), { timeout: 15_000 }).toContain("deployment.apps/web created");
    await check.locator("[data-check]").click();
    await expect.poll(() => check.getAttribute("data-state"), { timeout: 30_000 }).toBe("pass");
    expect(await check.textContent()).toMatch(/All 4 checks pass/);
    await check.screenshot({ path: `${shots}/lesson10-check.png` });
    expect(page.consoleErrors).toEqual([]);
    await page.close();
  });
});
