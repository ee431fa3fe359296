// Lesson 11 in headless Chromium against the built site: the page's world is exercise 11's lab
// (ConfigMap app-config, Secret app-secret, Service web with no endpoints); in its terminal a
// Deployment's pods are listed with their labels, the Service that selects nothing shows
// <unset> and kube-proxy's REJECT rule, and a Secret is read back from etcd in base64; the
// EngineSource excerpts rendered; the quiz grades; "Check my work" fails on the fresh lab with a
// hint from state and passes after the reference solution. No console errors.
// Screenshots: /tmp/shots/lesson11-page.png, lesson11-terminal.png, lesson11-check.png.
import { afterAll, expect, test } from "vitest";
import { mkdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { closeBrowser, describeBrowser, openPage } from "./browser";

const root = fileURLToPath(new URL("../../", import.meta.url));
const shots = "/tmp/shots";
mkdirSync(shots, { recursive: true });
const LESSON = "/lessons/11-labels-selectors-config-and-secrets/";

type Term = HTMLElement & { ready: Promise<void>; run(line: string): Promise<void>; text(): string };
const run = (page: Page, line: string) => page.evaluate((l) => (document.querySelector("kijl-terminal") as Term).run(l), line);
const screen = (page: Page) => page.evaluate(() => (document.querySelector("kijl-terminal") as Term).text());

/** A manifest typed into the terminal as a here-document (comments and blank lines dropped). */
function heredoc(path: string): string {
  const yaml = readFileSync(`${root}${path}`, "utf8")
    .split("\n")
    .filter((l) => !l.startsWith("#") && l.trim() !== "")
    .join("\n");
  return `kubectl apply -f - <<EOF\n${yaml}\nEOF`;
}

afterAll(async () => {
  await closeBrowser();
});

async function ready(page: Page): Promise<void> {
  await page.locator("kijl-terminal").first().scrollIntoViewIfNeeded();
  await page.evaluate(() => (document.querySelector("kijl-terminal") as Term).ready);
}

describeBrowser("lesson 11: labels, selectors, config and secrets", () => {
  test("the terminal is exercise 11's lab: labels, a Service selecting nothing, a Secret in etcd", async () => {
    const page = await openPage(LESSON);
    await page.setViewportSize({ width: 1100, height: 900 });
    expect(await page.locator("h1").first().textContent()).toMatch(/Labels, selectors, config and secrets/);
    expect(await page.locator("main[data-lab='cluster'][data-exercise='11']").count()).toBe(1);
    await ready(page);

    await run(page, "kubectl get pods -A --show-labels");
    await expect.poll(() => screen(page), { timeout: 15_000 }).toMatch(/kube-system\s+coredns-\S+\s+1\/1\s+Running\s+0\s+\S+\s+k8s-app=kube-dns,pod-template-hash=\w+/);

    // The first Run button with a Deployment: its here-document arrives intact.
    const shop = page.locator(".kijl-run-wrap").filter({ hasText: "name: shop" }).first();
    await shop.locator("button.kijl-run").click();
    await expect.poll(() => screen(page), { timeout: 15_000 }).toMatch(/shop-\w+\s+\d+\s+\d+\s+\d+\s+\S+\s+app=shop,pod-template-hash=\w+/);

    await run(page, "kubectl get endpointslices");
    await run(page, "ssh worker-1 iptables-save | grep 'default/web'");
    await expect.poll(() => screen(page), { timeout: 15_000 }).toContain('--comment "default/web has no endpoints"');
    expect(await screen(page)).toMatch(/web-\w+\s+IPv4\s+80\s+<unset>/);

    await run(page, "kubectl create secret generic db-creds --from-literal=password=s3cret");
    await run(page, "etcdctl get /registry/secrets/default/db-creds");
    await expect.poll(() => screen(page), { timeout: 15_000 }).toContain('"data":{"password":"czNjcmV0"}');
    await page.locator("kijl-terminal").first().screenshot({ path: `${shots}/lesson11-terminal.png` });

    const quoted = await page.locator("figure.engine-source").evaluateAll((els) => els.map((e) => `${(e as HTMLElement).dataset.file}#${(e as HTMLElement).dataset.symbol}`));
    expect(quoted).toEqual([
      "engine/k8s/api/labels.ts#matches",
      "engine/k8s/api/labels.ts#matchesMap",
      "engine/k8s/kubectl/create-config.ts#base64",
      "engine/k8s/api/config-sources.ts#containerEnv",
      "engine/k8s/components/pod-volumes.ts#setUpVolumes",
    ]);
    await page.screenshot({ path: `${shots}/lesson11-page.png` });
    expect(page.consoleErrors).toEqual([]);
    await page.close();
  });

  test("the quiz grades, and Check my work fails on the starter and passes after the solution", async () => {
    const page = await openPage(LESSON);
    await ready(page);

    const key = await page.$eval("quiz-box script[data-key]", (s) => JSON.parse(s.textContent ?? "[]") as { id: string; correct: number[] }[]);
    expect(key.length).toBeGreaterThanOrEqual(6);
    expect(key.some((q) => q.correct.length > 1)).toBe(true);
    for (const q of key) for (const i of q.correct) await page.locator(`[data-question="${q.id}"] [data-option="${i}"] input`).check();
    await page.click("quiz-box [data-check]");
    await expect.poll(() => page.locator("quiz-box [data-score]").textContent()).toBe(`Score: ${key.length}/${key.length}`);

    const check = page.locator("check-button[data-exercise='11']").first();
    await check.scrollIntoViewIfNeeded();
    await run(page, heredoc("exercises/11-labels-config-and-secrets/web.yaml"));
    await expect.poll(() => screen(page), { timeout: 15_000 }).toContain("deployment.apps/web created");
    await check.locator("[data-check]").click();
    await expect.poll(() => check.getAttribute("data-state"), { timeout: 15_000 }).toBe("fail");
    expect(await check.textContent()).toMatch(/Service web selects app=web, and that matches 0 pods; web's pods are labelled app=website/);

    // A Deployment's selector is immutable: the reader deletes the starter's Deployment first.
    await run(page, heredoc("exercises/solutions/11-labels-config-and-secrets/web.yaml"));
    await expect.poll(() => screen(page), { timeout: 15_000 }).toContain("spec.selector: Invalid value");
    await run(page, "kubectl delete deployment web");
    await run(page, heredoc("exercises/solutions/11-labels-config-and-secrets/web.yaml"));
    await expect.poll(() => screen(page), { timeout: 15_000 }).toContain("deployment.apps/web created");
    await run(page, "sleep 30");
    await check.locator("[data-check]").click();
    await expect.poll(() => check.getAttribute("data-state"), { timeout: 30_000 }).toBe("pass");
    expect(await check.textContent()).toMatch(/All 5 checks pass/);
    await check.screenshot({ path: `${shots}/lesson11-check.png` });
    expect(page.consoleErrors).toEqual([]);
    await page.close();
  });
});
