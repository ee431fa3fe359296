// Lesson 8 in headless Chromium against the built site: the page loads without console errors;
// <scheduler-table> shows the framework's table for a pod made in the terminal, recomputes for a
// what-if CPU request and for a taint it types into the terminal; the quiz grades; "Check my
// work" fails on the fresh lab and passes after the reference layout is applied.
// Screenshots: /tmp/shots/lesson8-*.png.
import { afterAll, expect, test } from "vitest";
import { closeBrowser, describeBrowser, openPage } from "./browser";
import { checkButton, checkWork, closeWithoutErrors, expectWidgetFitsPhone, passQuiz, readRepoFile, run, setTheme, shots, terminalReady, terminalText, waitForText } from "./lesson-page";

const LESSON = "/lessons/08-scheduling/";
const solution = readRepoFile("exercises/solutions/08-scheduling/layout.yaml");

afterAll(closeBrowser);

describeBrowser("lesson 8: scheduling", () => {
  test("the scheduler table follows a pod from the terminal, a what-if request and a taint", async () => {
    const page = await openPage(LESSON);
    await terminalReady(page);
    const table = page.locator("scheduler-table").first();
    await table.scrollIntoViewIfNeeded();
    // Before the reader makes a pod, the table shows a CoreDNS pod (the DNS add-on): placed on a
    // worker when the cluster came up; recomputed now, worker-3's later taint rules it out.
    await expect.poll(() => table.getAttribute("data-pod"), { timeout: 15_000 }).toMatch(/^kube-system\/coredns-/);
    expect(await table.locator("td[data-node='worker-3'][data-plugin='TaintToleration']").first().getAttribute("data-result")).toBe("fail");

    await run(page, "kubectl run web --image=nginx:1.27");
    await expect.poll(() => table.getAttribute("data-pod"), { timeout: 5_000 }).toBe("default/web");
    expect(await table.getAttribute("data-feasible")).toBe("worker-1 worker-2");
    const winner = await table.getAttribute("data-winner");
    expect(["worker-1", "worker-2"]).toContain(winner);
    expect(await table.locator("td[data-node='worker-3'][data-plugin='TaintToleration']").first().getAttribute("data-result")).toBe("fail");
    expect(await table.locator("td[data-node='worker-3'][data-plugin='TaintToleration']").first().textContent()).toContain("node(s) had untolerated taint {dedicated: batch}");
    expect(await table.textContent()).toMatch(/kube-scheduler's real decision, at [\d.]+ s: worker-[12]\./);
    await table.screenshot({ path: `${shots}/lesson8-table.png` });

    // What if it asked for 2.5 CPUs? Every node is ruled out, and the message says why.
    await table.locator("[data-st-cpu]").fill("2500");
    await expect.poll(() => table.getAttribute("data-cpu")).toBe("2500");
    expect(await table.getAttribute("data-winner")).toBe("");
    expect(await table.locator(".st__message").textContent()).toBe("FailedScheduling: 0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: batch}, 2 Insufficient cpu.");
    await table.screenshot({ path: `${shots}/lesson8-whatif.png` });
    await table.locator("button", { hasText: "pod's own" }).click();
    await expect.poll(() => table.getAttribute("data-cpu")).toBe("0");

    // Taint the winner through the terminal: the table recomputes from the changed node.
    await table.locator("[data-st-node]").selectOption(winner!);
    await table.locator("[data-st-taint]").click();
    expect(await waitForText(page, `node/${winner} tainted`, { timeout: 5_000 }).then(() => true, () => false), await terminalText(page)).toBe(true);
    const other = winner === "worker-1" ? "worker-2" : "worker-1";
    await expect.poll(() => table.getAttribute("data-feasible"), { timeout: 5_000 }).toBe(other);
    expect(await table.locator(`td[data-node='${winner}'][data-plugin='TaintToleration']`).first().textContent()).toContain("{demo: widget}");
    await table.screenshot({ path: `${shots}/lesson8-taint.png` });
    await table.locator("[data-st-taint]").click();
    await expect.poll(() => table.getAttribute("data-feasible"), { timeout: 5_000 }).toBe("worker-1 worker-2");

    await page.screenshot({ path: `${shots}/lesson8-page.png`, fullPage: false });
    await setTheme(page, "dark");
    await table.screenshot({ path: `${shots}/lesson8-dark.png` });
    await closeWithoutErrors(page);
  });

  test("the quiz grades, and Check my work fails on the fresh lab and passes after the layout", async () => {
    const page = await openPage(LESSON);
    await terminalReady(page);

    await passQuiz(page, 5);

    const check = await checkButton(page, 8);
    expect(await checkWork(check, "fail", 15_000)).toMatch(/There is no pod db/);

    await run(page, `kubectl apply -f - <<'EOF'\n${solution}EOF`);
    await run(page, "sleep 5");
    expect(await checkWork(check, "pass", 15_000)).toMatch(/All 4 checks pass/);
    await check.screenshot({ path: `${shots}/lesson8-check.png` });
    await closeWithoutErrors(page);
  });

  test("at phone width (375px) the widget fits: nothing scrolls sideways", async () => {
    const page = await openPage(LESSON);
    await expectWidgetFitsPhone(page, "scheduler-table", "lesson8-phone.png");
    await closeWithoutErrors(page);
  });
});
