// Lesson 6 ("Services are iptables rules") in headless Chromium against the built site: the page
// loads on a cluster lab, a Deployment and a Service made in the terminal appear in the
// <service-trace> widget, a request is traced through KUBE-SERVICES → KUBE-SVC → KUBE-SEP with a
// DNAT to a web pod, "Send 30" spreads over the three pods, exercise 6's check fails on the
// start state and passes after the reference rules are typed on worker-1, and the quiz grades.
// Screenshots: /tmp/shots/lesson6-page.png, lesson6-trace.png, lesson6-check.png.
import { afterAll, expect, test } from "vitest";
import { mkdirSync, readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { closeBrowser, describeBrowser, openPage } from "./browser";

const shots = "/tmp/shots";
mkdirSync(shots, { recursive: true });
const PATH = "/lessons/06-services-are-iptables-rules/";

type Term = HTMLElement & { ready: Promise<void>; run(line: string): Promise<void>; text(): string };
const run = (page: Page, line: string) => page.evaluate((l) => (document.querySelector("kijl-terminal") as Term).run(l), line);
/** Type a (multi-line) script into the terminal line by line, as a reader would. */
const type = async (page: Page, script: string) => {
  for (const line of script.split("\n")) if (line.trim() && !line.startsWith("#")) await run(page, line);
};
const termText = (page: Page) => page.evaluate(() => (document.querySelector("kijl-terminal") as Term).text());

const SERVICE = `kubectl apply -f - <<EOF
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
EOF`;

afterAll(async () => {
  await closeBrowser();
});

describeBrowser("lesson 6: Services are iptables rules", () => {
  test("a Service made in the terminal is traced through kube-proxy's chains; the exercise check and the quiz grade", async () => {
    const page = await openPage(PATH);
    await page.setViewportSize({ width: 1100, height: 900 });
    expect(await page.locator("main").getAttribute("data-exercise")).toBe("6");
    await page.locator("kijl-terminal").first().scrollIntoViewIfNeeded();
    await page.evaluate(() => (document.querySelector("kijl-terminal") as Term).ready);

    await run(page, "kubectl create deployment web --image=nginx:1.27 --replicas=3");
    await type(page, SERVICE);
    await run(page, "sleep 10");
    await run(page, "kubectl get svc web");
    await expect.poll(() => termText(page)).toMatch(/web\s+ClusterIP\s+10\.32\.0\.\d+\s+<none>\s+80\/TCP/);
    await page.screenshot({ path: `${shots}/lesson6-page.png` });

    // The tracer lists the new Service and picks it (the page suggests default/web from client).
    const tracer = page.locator("service-trace").first();
    await tracer.scrollIntoViewIfNeeded();
    await page.waitForSelector("service-trace select[name='service'] option[value='default/web#80']", { state: "attached", timeout: 15_000 });
    await expect.poll(() => tracer.locator("select[name='service']").inputValue()).toBe("default/web#80");
    expect(await tracer.locator("select[name='client']").inputValue()).toBe("default/client");
    await tracer.locator("button.st__send").click();
    await page.waitForSelector("service-trace[data-outcome='reply']", { timeout: 10_000 });
    const chains = await tracer.locator(".st__chain").evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.chain));
    expect(chains.slice(0, 3)).toEqual(["PREROUTING", "KUBE-SERVICES", "KUBE-SVC-LOLE4ISW44XBNF3G"]);
    expect(chains[3]).toMatch(/^KUBE-SEP-[A-Z2-7]{16}$/);
    expect(await tracer.getAttribute("data-chosen")).toMatch(/^web-/);
    expect(await tracer.locator(".st__dnat").textContent()).toMatch(/DNAT 10\.200\.0\.5:\d+ > 10\.32\.0\.\d+:80 .*→ 10\.200\.0\.5:\d+ > 10\.200\.\d+\.\d+:80/);
    expect(await tracer.locator(".st__chosen").textContent()).toMatch(/^KUBE-SEP-\S+ chose 10\.200\.\d+\.\d+:80: pod web-\S+ on worker-\d/);

    // Thirty new connections spread over the three endpoints.
    await tracer.locator("button.st__btn").click();
    await expect.poll(() => tracer.getAttribute("data-tally")).toMatch(/^\d+,\d+,\d+$/);
    const tally = (await tracer.getAttribute("data-tally"))!.split(",").map(Number);
    expect(tally.reduce((a, b) => a + b, 0)).toBe(30);
    expect(Math.min(...tally)).toBeGreaterThan(0);
    await tracer.screenshot({ path: `${shots}/lesson6-trace.png` });

    // Exercise 6: the untouched lab fails; the reference rules typed on worker-1 pass.
    const check = page.locator("check-button[data-exercise='6']").first();
    await check.scrollIntoViewIfNeeded();
    await check.locator("[data-check]").click();
    await expect.poll(() => check.getAttribute("data-state"), { timeout: 30_000 }).toBe("fail");
    expect(await check.locator(".chk__item--no").first().textContent()).toContain("10.32.0.200:80 answers from the client pod on worker-1");
    await run(page, "ssh worker-1");
    await type(page, readFileSync(new URL("../../exercises/solutions/06-service-rules/rules.sh", import.meta.url), "utf8"));
    await run(page, "exit");
    await check.locator("[data-check]").click();
    await expect.poll(() => check.getAttribute("data-state"), { timeout: 30_000 }).toBe("pass");
    await check.screenshot({ path: `${shots}/lesson6-check.png` });

    // The quiz: every right answer scores full marks.
    const key = await page.$eval("quiz-box script[data-key]", (s) => JSON.parse(s.textContent ?? "[]") as { id: string; correct: number[] }[]);
    expect(key.length).toBeGreaterThanOrEqual(5);
    for (const q of key) for (const i of q.correct) await page.locator(`[data-question="${q.id}"] [data-option="${i}"] input`).check();
    await page.click("quiz-box [data-check]");
    await expect.poll(() => page.locator("quiz-box [data-score]").textContent()).toBe(`Score: ${key.length}/${key.length}`);

    // Phone width and dark theme: the tracer fits and follows the theme.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.evaluate(() => document.documentElement.setAttribute("data-theme", "dark"));
    await tracer.scrollIntoViewIfNeeded();
    const fits = await tracer.evaluate((e) => e.scrollWidth <= e.clientWidth + 1);
    expect(fits).toBe(true);
    expect(await tracer.evaluate((e) => getComputedStyle(e.closest(".st")!).backgroundColor)).toBe("rgb(13, 17, 23)");
    await tracer.screenshot({ path: `${shots}/lesson6-trace-phone.png` });

    expect(page.consoleErrors).toEqual([]);
  });
});
