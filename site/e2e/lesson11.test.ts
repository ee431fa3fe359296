// Lesson 11 in headless Chromium against the built site: the page's world is exercise 11's lab
// (ConfigMap app-config, Secret app-secret, Service web with no endpoints); in its terminal a
// Deployment's pods are listed with their labels, the Service that selects nothing shows
// <unset> and kube-proxy's REJECT rule, and a Secret is read back from etcd in base64; the
// EngineSource excerpts rendered; the quiz grades; "Check my work" fails on the fresh lab with a
// hint from state and passes after the reference solution. No console errors.
// Screenshots: /tmp/shots/lesson11-page.png, lesson11-terminal.png, lesson11-check.png.
import { afterAll, expect, test } from "vitest";
import { closeBrowser, describeBrowser, openPage } from "./browser";
import { checkButton, checkWork, clickRunButton, closeWithoutErrors, DESKTOP, engineSources, heredoc, passQuiz, run, shots, terminalReady, terminalText } from "./lesson-page";

const LESSON = "/lessons/11-labels-selectors-config-and-secrets/";

afterAll(closeBrowser);

describeBrowser("lesson 11: labels, selectors, config and secrets", () => {
  test("the terminal is exercise 11's lab: labels, a Service selecting nothing, a Secret in etcd", async () => {
    const page = await openPage(LESSON);
    await page.setViewportSize(DESKTOP);
    expect(await page.locator("h1").first().textContent()).toMatch(/Labels, selectors, config and secrets/);
    expect(await page.locator("main[data-lab='cluster'][data-exercise='11']").count()).toBe(1);
    await terminalReady(page);

    await run(page, "kubectl get pods -A --show-labels");
    await expect.poll(() => terminalText(page), { timeout: 15_000 }).toMatch(/kube-system\s+coredns-\S+\s+1\/1\s+Running\s+0\s+\S+\s+k8s-app=kube-dns,pod-template-hash=\w+/);

    // The first Run button with a Deployment: its here-document arrives intact.
    await clickRunButton(page, "name: shop");
    await expect.poll(() => terminalText(page), { timeout: 15_000 }).toMatch(/shop-\w+\s+\d+\s+\d+\s+\d+\s+\S+\s+app=shop,pod-template-hash=\w+/);

    await run(page, "kubectl get endpointslices");
    await run(page, "ssh worker-1 iptables-save | grep 'default/web'");
    await expect.poll(() => terminalText(page), { timeout: 15_000 }).toContain('--comment "default/web has no endpoints"');
    expect(await terminalText(page)).toMatch(/web-\w+\s+IPv4\s+80\s+<unset>/);

    await run(page, "kubectl create secret generic db-creds --from-literal=password=s3cret");
    await run(page, "etcdctl get /registry/secrets/default/db-creds");
    await expect.poll(() => terminalText(page), { timeout: 15_000 }).toContain('"data":{"password":"czNjcmV0"}');
    await page.locator("kijl-terminal").first().screenshot({ path: `${shots}/lesson11-terminal.png` });

    expect(await engineSources(page)).toEqual([
      "engine/k8s/api/labels.ts#matches",
      "engine/k8s/api/labels.ts#matchesMap",
      "engine/k8s/kubectl/create-config.ts#base64",
      "engine/k8s/api/config-sources.ts#containerEnv",
      "engine/k8s/components/pod-volumes.ts#setUpVolumes",
    ]);
    await page.screenshot({ path: `${shots}/lesson11-page.png` });
    await closeWithoutErrors(page);
  });

  test("the quiz grades, and Check my work fails on the starter and passes after the solution", async () => {
    const page = await openPage(LESSON);
    await terminalReady(page);

    await passQuiz(page, 6, true);

    const check = await checkButton(page, 11);
    await run(page, heredoc("exercises/11-labels-config-and-secrets/web.yaml"));
    await expect.poll(() => terminalText(page), { timeout: 15_000 }).toContain("deployment.apps/web created");
    expect(await checkWork(check, "fail", 15_000)).toMatch(/Service web selects app=web, and that matches 0 pods; web's pods are labelled app=website/);

    // A Deployment's selector is immutable: the reader deletes the starter's Deployment first.
    await run(page, heredoc("exercises/solutions/11-labels-config-and-secrets/web.yaml"));
    await expect.poll(() => terminalText(page), { timeout: 15_000 }).toContain("spec.selector: Invalid value");
    await run(page, "kubectl delete deployment web");
    await run(page, heredoc("exercises/solutions/11-labels-config-and-secrets/web.yaml"));
    await expect.poll(() => terminalText(page), { timeout: 15_000 }).toContain("deployment.apps/web created");
    await run(page, "sleep 30");
    expect(await checkWork(check, "pass", 30_000)).toMatch(/All 5 checks pass/);
    await check.screenshot({ path: `${shots}/lesson11-check.png` });
    await closeWithoutErrors(page);
  });
});
