// Lesson 12 (capstone) in headless Chromium against the built site. The page has two worlds: the
// walk-through terminal (`lab="cluster"`, a fresh two-worker cluster) that the ClusterMap and the
// ServiceTrace follow, and the page's default terminal, exercise 12's broken cluster, graded by
// "Check my work". The lesson's Run buttons drive the first; the curl across nodes answers; the
// tracer follows a request through worker-1's chains; the quiz grades; the check fails on the
// broken lab with hints from state and passes after the reference solution is typed into the
// second terminal. No console errors. Screenshots: /tmp/shots/lesson12*.png.
import { afterAll, expect, test } from "vitest";
import type { Page } from "playwright-core";
import { closeBrowser, describeBrowser, openPage } from "./browser";
import { checkButton, checkWork, clickRunButton, closeWithoutErrors, DESKTOP, engineSources, passQuiz, readRepoFile, run, shots, terminalReady, terminalText, traceRequest, typeScript, waitForText } from "./lesson-page";

const LESSON = "/lessons/12-capstone-from-apply-to-a-packet/";
const WALK = "kijl-terminal[data-lab='cluster']";
const LAB = "kijl-terminal[data-lab='page']";

/** Wait until terminal `sel` shows `needle`. */
const waitFor = (page: Page, sel: string, needle: string) => waitForText(page, needle, { term: sel, timeout: 20_000 });

afterAll(closeBrowser);

describeBrowser("lesson 12: from kubectl apply to a packet", () => {
  test("the walk-through cluster follows the lesson: apply, pods on both workers, a request across nodes, the tracer", async () => {
    const page = await openPage(LESSON);
    await page.setViewportSize(DESKTOP);
    expect(await page.locator("main[data-lab='cluster'][data-exercise='12']").count()).toBe(1);
    expect(await page.locator("kijl-terminal").evaluateAll((ts) => ts.map((t) => (t as HTMLElement).dataset.lab))).toEqual(["cluster", "page"]);
    await terminalReady(page, WALK);

    // Stop 1's Run button types the manifest (a here-document) into the walk-through terminal.
    await clickRunButton(page, "targetPort: 8080");
    await waitFor(page, WALK, "service/web created");
    await run(page, "kubectl rollout status deployment web", WALK);
    await run(page, "kubectl get pods -o wide", WALK);
    await waitFor(page, WALK, "web-76d6cd9485-jxttx");
    const screen = await terminalText(page, WALK);
    expect(screen).toMatch(/^web-76d6cd9485-5clnf +1\/1 +Running +0 +\S+ +10\.200\.0\.3 +worker-1 /m);
    expect(screen).toMatch(/^web-76d6cd9485-jxttx +1\/1 +Running +0 +\S+ +10\.200\.1\.3 +worker-2 /m);

    // The ClusterMap follows the walk-through cluster: web's pods and the two CoreDNS pods.
    const map = page.locator("cluster-map").first();
    await map.scrollIntoViewIfNeeded();
    await expect.poll(() => map.getAttribute("data-pods"), { timeout: 15_000 }).toBe("4");
    await map.screenshot({ path: `${shots}/lesson12-map.png` });

    // The lesson's EngineSource excerpts rendered (a missing symbol would have failed the build).
    expect(await engineSources(page)).toEqual([
      "engine/k8s/runtime/runc.ts#runcRun",
      "engine/k8s/runtime/runc.ts#writeResources",
      "engine/k8s/proxy/chains.ts#endpointChain",
      "engine/k8s/components/cluster-dns.ts#answerQuery",
    ]);

    // Stop 9's clients, by their Run button; then stop 10's request, answered on both workers.
    await clickRunButton(page, "name: dnsutils");
    await waitFor(page, WALK, "pod/dnsutils created");
    await run(page, "kubectl exec dnsutils -- nslookup web", WALK);
    await waitFor(page, WALK, "Address: 10.32.0.173");
    await run(page, "for i in 1 2 3 4; do kubectl exec client -- curl -s http://web; done", WALK);
    await waitFor(page, WALK, "Hello from web-76d6cd9485-jxttx");
    const answers = (await terminalText(page, WALK)).split("\n").filter((l) => l.startsWith("Hello from "));
    expect(answers).toEqual(["Hello from web-76d6cd9485-5clnf", "Hello from web-76d6cd9485-5clnf", "Hello from web-76d6cd9485-5clnf", "Hello from web-76d6cd9485-jxttx"]);
    await run(page, "ssh worker-2 conntrack -L -d 10.200.1.3", WALK);
    await waitFor(page, WALK, "src=10.200.0.4 dst=10.200.1.3 sport=40030 dport=8080");
    await page.locator(WALK).screenshot({ path: `${shots}/lesson12-terminal.png` });

    // The tracer follows the same cluster: a request from client through worker-1's chains.
    const tracer = page.locator("service-trace").first();
    const chains = await traceRequest(page, "default/web#80", "default/client");
    expect(chains.slice(0, 3)).toEqual(["PREROUTING", "KUBE-SERVICES", "KUBE-SVC-LOLE4ISW44XBNF3G"]);
    expect(await tracer.getAttribute("data-chosen")).toMatch(/^web-76d6cd9485-/);
    await tracer.screenshot({ path: `${shots}/lesson12-trace.png` });
    await page.screenshot({ path: `${shots}/lesson12-page.png` });
    await closeWithoutErrors(page);
  });

  test("the quiz grades, and Check my work fails on the broken lab and passes after the repair", async () => {
    const page = await openPage(LESSON);
    await terminalReady(page, LAB);

    await passQuiz(page, 6, true);

    // The exercise terminal is the broken cluster: curl from client fails.
    await run(page, "kubectl exec client -- curl -s -m 2 http://web", LAB);
    await waitFor(page, LAB, "command terminated with exit code");

    const check = await checkButton(page, 12);
    const failed = await checkWork(check, "fail", 30_000);
    expect(failed).toMatch(/kube-proxy is inactive on worker-1\./);
    expect(failed).toMatch(/targetPort 80, but web's pods listen on 8080/);
    expect(failed).toMatch(/ssh worker-1 ip route add 10\.200\.1\.0\/24 via 192\.168\.56\.13/);
    await check.screenshot({ path: `${shots}/lesson12-check-fail.png` });

    // The reference solution's lines, here-document included.
    await typeScript(page, readRepoFile("exercises/solutions/12-fix-the-path/fix.sh"), LAB);
    expect(await checkWork(check, "pass", 30_000)).toMatch(/All 5 checks pass/);
    await check.screenshot({ path: `${shots}/lesson12-check-pass.png` });
    await closeWithoutErrors(page);
  });
});
