// kubectl's output formats and its waiting delete in a lesson page's terminal (headless Chromium
// against the built site, lesson 11's cluster lab): -o custom-columns lays out columns,
// -o jsonpath with range prints one line per pod, --sort-by orders them, and kubectl delete
// returns after the pod is gone, so the next kubectl get no longer lists it. No console errors.
// Screenshot: /tmp/shots/kubectl-output-terminal.png.
import { afterAll, expect, test } from "vitest";
import { closeBrowser, describeBrowser, openPage } from "./browser";
import { closeWithoutErrors, DESKTOP, run, shots, terminalReady, terminalText } from "./lesson-page";

const LESSON = "/lessons/11-labels-selectors-config-and-secrets/";

afterAll(closeBrowser);

describeBrowser("kubectl output formats and delete in the page's terminal", () => {
  test("custom columns, a jsonpath range, --sort-by, and a delete that waits", async () => {
    const page = await openPage(LESSON);
    await page.setViewportSize(DESKTOP);
    await terminalReady(page);

    await run(page, "kubectl get pods -n kube-system -o custom-columns=POD:.metadata.name,NODE:.spec.nodeName --sort-by=.spec.nodeName");
    await expect.poll(() => terminalText(page), { timeout: 15_000 }).toMatch(/\nPOD +NODE\ncoredns-\S+ +worker-\d\n/);

    await run(page, "kubectl run web --image=nginx:1.27");
    await run(page, `kubectl get pods -o jsonpath='{range .items[*]}{.metadata.name}={.spec.containers[0].image}{"\\n"}{end}'`);
    await expect.poll(() => terminalText(page), { timeout: 15_000 }).toMatch(/\nweb=nginx:1\.27\n/);

    await run(page, "kubectl delete pod web");
    await run(page, "kubectl get pods web");
    await expect.poll(() => terminalText(page), { timeout: 15_000 }).toMatch(/pod "web" deleted\n[^\n]*kubectl get pods web\nError from server \(NotFound\): pods "web" not found\n/);

    await run(page, "kubectl get pods -o jsonpath='{.items[0'");
    await expect.poll(() => terminalText(page), { timeout: 15_000 }).toContain("error: error parsing jsonpath {.items[0, unterminated array");
    await page.locator("kijl-terminal").first().screenshot({ path: `${shots}/kubectl-output-terminal.png` });
    await closeWithoutErrors(page);
  });
});
