// Lesson 10 in headless Chromium against the built site: the page loads without console errors;
// in its cluster terminal a pod with a liveness probe is broken with rm and the kubelet restarts
// it (RESTARTS 1, describe's Liveness line and events); the quiz grades; "Check my work" fails on
// the fresh cluster and passes after the reference solution is applied in the terminal.
// <pod-probes> follows it (red liveness ticks, the ended instance, then green again).
// Screenshots: /tmp/shots/lesson10-page.png, lesson10-terminal.png, lesson10-widget.png, lesson10-check.png.
import { afterAll, expect, test } from "vitest";
import { closeBrowser, describeBrowser, openPage } from "./browser";
import { checkButton, checkWork, closeWithoutErrors, DESKTOP, heredoc, passQuiz, run, shots, terminalReady, terminalText } from "./lesson-page";

const LESSON = "/lessons/10-pod-lifecycle-and-probes/";

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

afterAll(closeBrowser);

describeBrowser("lesson 10: pod lifecycle and probes", () => {
  test("the terminal is a cluster: a liveness probe that fails gets the container restarted", async () => {
    const page = await openPage(LESSON);
    await page.setViewportSize(DESKTOP);
    expect(await page.locator("h1").first().textContent()).toMatch(/Pod lifecycle and probes/);
    await terminalReady(page);
    await run(page, WEB);
    await run(page, "sleep 3; kubectl get pod web");
    await expect.poll(() => terminalText(page), { timeout: 15_000 }).toMatch(/web\s+1\/1\s+Running\s+0\s+\d+s/);
    await run(page, "kubectl exec web -- rm /tmp/healthy");
    await run(page, "sleep 35; kubectl get pod web");
    await expect.poll(() => terminalText(page), { timeout: 15_000 }).toMatch(/web\s+1\/1\s+Running\s+1 \(\d+s ago\)\s+\d+s/);
    await run(page, "kubectl describe pod web | grep -E 'Liveness|Killing|Unhealthy'");
    await expect.poll(() => terminalText(page), { timeout: 15_000 }).toContain("Liveness:       http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3");
    // Exact ages are the engine tests' business: the page's world also moves while the page idles.
    const text = await terminalText(page);
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
    await closeWithoutErrors(page);
  });

  test("the quiz grades, and Check my work fails on the fresh cluster and passes after the solution", async () => {
    const page = await openPage(LESSON);
    await terminalReady(page);

    await passQuiz(page, 5);

    const check = await checkButton(page, 10);
    expect(await checkWork(check, "fail", 15_000)).toMatch(/There is no Deployment called web/);

    // The reference solution, applied the way a reader would: a heredoc typed into the terminal.
    await run(page, heredoc("exercises/solutions/10-pod-lifecycle-and-probes/web.yaml"));
    await expect.poll(() => terminalText(page), { timeout: 15_000 }).toContain("deployment.apps/web created");
    expect(await checkWork(check, "pass", 30_000)).toMatch(/All 4 checks pass/);
    await check.screenshot({ path: `${shots}/lesson10-check.png` });
    await closeWithoutErrors(page);
  });
});
