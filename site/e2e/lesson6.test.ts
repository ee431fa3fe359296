// Lesson 6 ("Services are iptables rules") in headless Chromium against the built site: the page
// loads on a cluster lab, a Deployment and a Service made in the terminal appear in the
// <service-trace> widget, a request is traced through KUBE-SERVICES → KUBE-SVC → KUBE-SEP with a
// DNAT to a web pod, "Send 30" spreads over the three pods, exercise 6's check fails on the
// start state and passes after the reference rules are typed on worker-1, and the quiz grades.
// Screenshots: /tmp/shots/lesson6-page.png, lesson6-trace.png, lesson6-check.png.
import { afterAll, expect, test } from "vitest";
import { closeBrowser, describeBrowser, openPage } from "./browser";
import { checkButton, checkWork, DESKTOP, passQuiz, readRepoFile, run, setTheme, shots, terminalReady, terminalText, traceRequest, typeScript } from "./lesson-page";

const PATH = "/lessons/06-services-are-iptables-rules/";

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

afterAll(closeBrowser);

describeBrowser("lesson 6: Services are iptables rules", () => {
  test("a Service made in the terminal is traced through kube-proxy's chains; the exercise check and the quiz grade", async () => {
    const page = await openPage(PATH);
    await page.setViewportSize(DESKTOP);
    expect(await page.locator("main").getAttribute("data-exercise")).toBe("6");
    await terminalReady(page);

    await run(page, "kubectl create deployment web --image=nginx:1.27 --replicas=3");
    await typeScript(page, SERVICE);
    await run(page, "sleep 10");
    await run(page, "kubectl get svc web");
    await expect.poll(() => terminalText(page)).toMatch(/web\s+ClusterIP\s+10\.32\.0\.\d+\s+<none>\s+80\/TCP/);
    await page.screenshot({ path: `${shots}/lesson6-page.png` });

    // The tracer lists the new Service and picks it (the page suggests default/web from client).
    const tracer = page.locator("service-trace").first();
    const chains = await traceRequest(page, "default/web#80", "default/client");
    expect(chains.slice(0, 3)).toEqual(["PREROUTING", "KUBE-SERVICES", "KUBE-SVC-LOLE4ISW44XBNF3G"]);
    expect(chains[3]).toMatch(/^KUBE-SEP-[A-Z2-7]{16}$/);
    expect(await tracer.getAttribute("data-chosen")).toMatch(/^web-/);
    expect(await tracer.locator(".svt__dnat").textContent()).toMatch(/DNAT 10\.200\.0\.5:\d+ > 10\.32\.0\.\d+:80 .*→ 10\.200\.0\.5:\d+ > 10\.200\.\d+\.\d+:80/);
    expect(await tracer.locator(".svt__chosen").textContent()).toMatch(/^KUBE-SEP-\S+ chose 10\.200\.\d+\.\d+:80: pod web-\S+ on worker-\d/);

    // Thirty new connections spread over the three endpoints.
    await tracer.locator("button.svt__btn").click();
    await expect.poll(() => tracer.getAttribute("data-tally")).toMatch(/^\d+,\d+,\d+$/);
    const tally = (await tracer.getAttribute("data-tally"))!.split(",").map(Number);
    expect(tally.reduce((a, b) => a + b, 0)).toBe(30);
    expect(Math.min(...tally)).toBeGreaterThan(0);
    await tracer.screenshot({ path: `${shots}/lesson6-trace.png` });

    // Exercise 6: the untouched lab fails; the reference rules typed on worker-1 pass.
    const check = await checkButton(page, 6);
    await checkWork(check, "fail", 30_000);
    expect(await check.locator(".chk__item--no").first().textContent()).toContain("10.32.0.200:80 answers from the client pod on worker-1");
    await run(page, "ssh worker-1");
    await typeScript(page, readRepoFile("exercises/solutions/06-service-rules/rules.sh"));
    await run(page, "exit");
    await checkWork(check, "pass", 30_000);
    await check.screenshot({ path: `${shots}/lesson6-check.png` });

    // The quiz: every right answer scores full marks.
    await passQuiz(page, 5);

    // Phone width and dark theme: the tracer fits and follows the theme.
    await page.setViewportSize({ width: 390, height: 844 });
    await setTheme(page, "dark");
    await tracer.scrollIntoViewIfNeeded();
    const fits = await tracer.evaluate((e) => e.scrollWidth <= e.clientWidth + 1);
    expect(fits).toBe(true);
    expect(await tracer.evaluate((e) => getComputedStyle(e.closest(".svt")!).backgroundColor)).toBe("rgb(13, 17, 23)");
    await tracer.screenshot({ path: `${shots}/lesson6-trace-phone.png` });

    expect(page.consoleErrors).toEqual([]);
  });
});
