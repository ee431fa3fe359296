// Lesson 12 (capstone) in headless Chromium against the built site. The page has two worlds: the
// walk-through terminal (`lab="cluster"`, a fresh two-worker cluster) that the ClusterMap and the
// ServiceTrace follow, and the page's default terminal, exercise 12's broken cluster, graded by
// "Check my work". The lesson's Run buttons drive the first; the curl across nodes answers; the
// tracer follows a request through worker-1's chains; the quiz grades; the check fails on the
// broken lab with hints from state and passes after the reference solution is typed into the
// second terminal. No console errors. Screenshots: /tmp/shots/lesson12*.png.
import { afterAll, expect, test } from "vitest";
import { mkdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { closeBrowser, describeBrowser, openPage } from "./browser";

const root = fileURLToPath(new URL("../../", import.meta.url));
const shots = "/tmp/shots";
mkdirSync(shots, { recursive: true });
const LESSON = "/lessons/12-capstone-from-apply-to-a-packet/";
const WALK = "kijl-terminal[data-lab='cluster']";
const LAB = "kijl-terminal[data-lab='page']";

type Term = HTMLElement & { ready: Promise<void>; run(line: string): Promise<void>; text(): string };
const run = (page: Page, sel: string, line: string) => page.evaluate(([s, l]) => (document.querySelector(s!) as Term).run(l!), [sel, line]);
const text = (page: Page, sel: string) => page.evaluate((s) => (document.querySelector(s) as Term).text(), sel);
const waitFor = (page: Page, sel: string, needle: string) =>
  page.waitForFunction(([s, n]) => (document.querySelector(s!) as Term).text().includes(n!), [sel, needle], { timeout: 20_000 });

/** The reference solution's lines, here-document included (comments and blank lines dropped). */
const solution = readFileSync(`${root}exercises/solutions/12-fix-the-path/fix.sh`, "utf8")
  .split("\n")
  .filter((l) => l.trim() && !l.startsWith("#"));

afterAll(async () => {
  await closeBrowser();
});

async function ready(page: Page, sel: string): Promise<void> {
  await page.locator(sel).first().scrollIntoViewIfNeeded();
  await page.evaluate((s) => (document.querySelector(s) as Term).ready, sel);
}

describeBrowser("lesson 12: from kubectl apply to a packet", () => {
  test("the walk-through cluster follows the lesson: apply, pods on both workers, a request across nodes, the tracer", async () => {
    const page = await openPage(LESSON);
    await page.setViewportSize({ width: 1100, height: 900 });
    expect(await page.locator("main[data-lab='cluster'][data-exercise='12']").count()).toBe(1);
    expect(await page.locator("kijl-terminal").evaluateAll((ts) => ts.map((t) => (t as HTMLElement).dataset.lab))).toEqual(["cluster", "page"]);
    await ready(page, WALK);

    // Stop 1's Run button types the manifest (a here-document) into the walk-through terminal.
    const stop1 = page.locator(".kijl-run-wrap").filter({ hasText: "targetPort: 8080" }).first();
    await stop1.locator("button.kijl-run").click();
    await waitFor(page, WALK, "service/web created");
    await run(page, WALK, "kubectl rollout status deployment web");
    await run(page, WALK, "kubectl get pods -o wide");
    await waitFor(page, WALK, "web-76d6cd9485-jxttx");
    const screen = await text(page, WALK);
    expect(screen).toMatch(/^web-76d6cd9485-5clnf +1\/1 +Running +0 +\S+ +10\.200\.0\.3 +worker-1 /m);
    expect(screen).toMatch(/^web-76d6cd9485-jxttx +1\/1 +Running +0 +\S+ +10\.200\.1\.3 +worker-2 /m);

    // The ClusterMap follows the walk-through cluster: web's pods and the two CoreDNS pods.
    const map = page.locator("cluster-map").first();
    await map.scrollIntoViewIfNeeded();
    await expect.poll(() => map.getAttribute("data-pods"), { timeout: 15_000 }).toBe("4");
    await map.screenshot({ path: `${shots}/lesson12-map.png` });

    // The lesson's EngineSource excerpts rendered (a missing symbol would have failed the build).
    const quoted = await page.locator("figure.engine-source").evaluateAll((els) => els.map((e) => `${(e as HTMLElement).dataset.file}#${(e as HTMLElement).dataset.symbol}`));
    expect(quoted).toEqual([
      "engine/k8s/runtime/runc.ts#runcRun",
      "engine/k8s/runtime/runc.ts#writeResources",
      "engine/k8s/proxy/chains.ts#endpointChain",
      "engine/k8s/components/cluster-dns.ts#answerQuery",
    ]);

    // Stop 9's clients, by their Run button; then stop 10's request, answered on both workers.
    const clients = page.locator(".kijl-run-wrap").filter({ hasText: "name: dnsutils" }).first();
    await clients.locator("button.kijl-run").click();
    await waitFor(page, WALK, "pod/dnsutils created");
    await run(page, WALK, "kubectl exec dnsutils -- nslookup web");
    await waitFor(page, WALK, "Address: 10.32.0.173");
    await run(page, WALK, "for i in 1 2 3 4; do kubectl exec client -- curl -s http://web; done");
    await waitFor(page, WALK, "Hello from web-76d6cd9485-jxttx");
    const answers = (await text(page, WALK)).split("\n").filter((l) => l.startsWith("Hello from "));
    expect(answers).toEqual(["Hello from web-76d6cd9485-5clnf", "Hello from web-76d6cd9485-5clnf", "Hello from web-76d6cd9485-5clnf", "Hello from web-76d6cd9485-jxttx"]);
    await run(page, WALK, "ssh worker-2 conntrack -L -d 10.200.1.3");
    await waitFor(page, WALK, "src=10.200.0.4 dst=10.200.1.3 sport=40030 dport=8080");
    await page.locator(WALK).screenshot({ path: `${shots}/lesson12-terminal.png` });

    // The tracer follows the same cluster: a request from client through worker-1's chains.
    const tracer = page.locator("service-trace").first();
    await tracer.scrollIntoViewIfNeeded();
    await page.waitForSelector("service-trace select[name='service'] option[value='default/web#80']", { state: "attached", timeout: 15_000 });
    await expect.poll(() => tracer.locator("select[name='service']").inputValue()).toBe("default/web#80");
    expect(await tracer.locator("select[name='client']").inputValue()).toBe("default/client");
    await tracer.locator("button.st__send").click();
    await page.waitForSelector("service-trace[data-outcome='reply']", { timeout: 10_000 });
    const chains = await tracer.locator(".st__chain").evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.chain));
    expect(chains.slice(0, 3)).toEqual(["PREROUTING", "KUBE-SERVICES", "KUBE-SVC-LOLE4ISW44XBNF3G"]);
    expect(await tracer.getAttribute("data-chosen")).toMatch(/^web-76d6cd9485-/);
    await tracer.screenshot({ path: `${shots}/lesson12-trace.png` });
    await page.screenshot({ path: `${shots}/lesson12-page.png` });
    expect(page.consoleErrors).toEqual([]);
    await page.close();
  });

  test("the quiz grades, and Check my work fails on the broken lab and passes after the repair", async () => {
    const page = await openPage(LESSON);
    await ready(page, LAB);

    const key = await page.$eval("quiz-box script[data-key]", (s) => JSON.parse(s.textContent ?? "[]") as { id: string; correct: number[] }[]);
    expect(key.length).toBeGreaterThanOrEqual(6);
    expect(key.some((q) => q.correct.length > 1)).toBe(true);
    for (const q of key) for (const i of q.correct) await page.locator(`[data-question="${q.id}"] [data-option="${i}"] input`).check();
    await page.click("quiz-box [data-check]");
    await expect.poll(() => page.locator("quiz-box [data-score]").textContent()).toBe(`Score: ${key.length}/${key.length}`);

    // The exercise terminal is the broken cluster: curl from client fails.
    await run(page, LAB, "kubectl exec client -- curl -s -m 2 http://web");
    await waitFor(page, LAB, "command terminated with exit code");

    const check = page.locator("check-button[data-exercise='12']").first();
    await check.scrollIntoViewIfNeeded();
    await check.locator("[data-check]").click();
    await expect.poll(() => check.getAttribute("data-state"), { timeout: 30_000 }).toBe("fail");
    const failed = (await check.textContent()) ?? "";
    expect(failed).toMatch(/kube-proxy is inactive on worker-1\./);
    expect(failed).toMatch(/targetPort 80, but web's pods listen on 8080/);
    expect(failed).toMatch(/ssh worker-1 ip route add 10\.200\.1\.0\/24 via 192\.168\.56\.13/);
    await check.screenshot({ path: `${shots}/lesson12-check-fail.png` });

    for (const line of solution) await run(page, LAB, line);
    await check.locator("[data-check]").click();
    await expect.poll(() => check.getAttribute("data-state"), { timeout: 30_000 }).toBe("pass");
    expect(await check.textContent()).toMatch(/All 5 checks pass/);
    await check.screenshot({ path: `${shots}/lesson12-check-pass.png` });
    expect(page.consoleErrors).toEqual([]);
    await page.close();
  });
});
