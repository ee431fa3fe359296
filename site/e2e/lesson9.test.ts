// Lesson 9 in headless Chromium against the built site: the page loads without console errors;
// <rollout-timeline> runs a scratch rollout whose bounds follow the sliders (25 % of 10: 13 pods
// and 8 available; 20 % / 10 %: 12 and 9; 0 % / 0 %: refused by the API server), replays it,
// and draws the page's own Deployment as the terminal rolls it out; the quiz grades; "Check my
// work" fails on the fresh lab and passes after the reference manifest. Screenshots:
// /tmp/shots/lesson9-*.png.
import { afterAll, expect, test } from "vitest";
import { closeBrowser, describeBrowser, openPage } from "./browser";
import { checkButton, checkWork, closeWithoutErrors, expectWidgetFitsPhone, passQuiz, readRepoFile, run, setTheme, shots, terminalReady } from "./lesson-page";

const LESSON = "/lessons/09-deployments-and-rolling-updates/";
const solution = readRepoFile("exercises/solutions/09-rolling-updates/shop.yaml");

afterAll(closeBrowser);

describeBrowser("lesson 9: deployments and rolling updates", () => {
  test("the timeline runs scratch rollouts from its sliders, and follows the page's Deployment", async () => {
    const page = await openPage(LESSON);
    await terminalReady(page);
    const tl = page.locator("rollout-timeline").first();
    await tl.scrollIntoViewIfNeeded();
    await expect.poll(() => tl.getAttribute("data-max-pods"), { timeout: 20_000 }).toBe("13");
    expect(await tl.getAttribute("data-min-available")).toBe("8");
    expect(Number(await tl.getAttribute("data-steps"))).toBeGreaterThan(20);
    await expect.poll(() => tl.locator(".rt__step").count(), { timeout: 5_000 }).toBe(Number(await tl.getAttribute("data-steps")));
    expect(await tl.textContent()).toContain("maxSurge 25% → 3 (rounded up), maxUnavailable 25% → 2 (rounded down)");
    await tl.screenshot({ path: `${shots}/lesson9-default.png` });

    await tl.locator("[data-rt-maxsurge]").fill("20");
    await tl.locator("[data-rt-maxunavailable]").fill("10");
    await expect.poll(() => tl.getAttribute("data-max-pods"), { timeout: 20_000 }).toBe("12");
    expect(await tl.getAttribute("data-min-available")).toBe("9");
    expect(await tl.locator("output").first().textContent()).toBe("20% → 2");
    await tl.locator("[data-rt-replay]").click();
    await expect.poll(() => tl.locator(".rt__step").count(), { timeout: 5_000 }).toBe(Number(await tl.getAttribute("data-steps")));
    expect(await tl.locator(".rt__avail--bad").count()).toBe(0);
    await tl.screenshot({ path: `${shots}/lesson9-sliders.png` });

    await tl.locator("[data-rt-maxsurge]").fill("0");
    await tl.locator("[data-rt-maxunavailable]").fill("0");
    await expect.poll(() => tl.getAttribute("data-error"), { timeout: 20_000 }).toContain("may not be 0 when `maxSurge` is 0");

    // The page's own Deployment, rolled out from the terminal.
    await run(page, "kubectl apply -f web.yaml");
    await run(page, "kubectl rollout status deployment/web");
    // The sources: the scratch rollout, the page's web and kube-system's coredns (the DNS add-on).
    await expect.poll(() => tl.locator("[data-rt-source] option").count(), { timeout: 5_000 }).toBe(3);
    expect(await tl.locator("[data-rt-source] option").evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual(["scratch", "default/web", "kube-system/coredns"]);
    await tl.locator("[data-rt-source]").selectOption("default/web");
    await run(page, "kubectl set image deployment/web nginx=nginx:1.28");
    await run(page, "kubectl rollout status deployment/web");
    await expect.poll(() => tl.getAttribute("data-max-pods"), { timeout: 5_000 }).toBe("5");
    expect(await tl.getAttribute("data-source")).toBe("default/web");
    expect(await tl.getAttribute("data-min-available")).toBe("3");
    expect(Number(await tl.getAttribute("data-steps"))).toBeGreaterThan(8);
    await tl.screenshot({ path: `${shots}/lesson9-live.png` });
    await setTheme(page, "dark");
    await tl.screenshot({ path: `${shots}/lesson9-dark.png` });
    await closeWithoutErrors(page);
  });

  test("the quiz grades, and Check my work fails on the fresh lab and passes after the solution", async () => {
    const page = await openPage(LESSON);
    await terminalReady(page);
    await passQuiz(page, 5);

    const check = await checkButton(page, 9);
    await run(page, "kubectl apply -f shop.yaml");
    expect(await checkWork(check, "fail", 20_000)).toMatch(/13 pods \d+ s into the rollout/);

    await run(page, `kubectl apply -f - <<'EOF'\n${solution}EOF`);
    expect(await checkWork(check, "pass", 20_000)).toMatch(/All 4 checks pass/);
    await check.screenshot({ path: `${shots}/lesson9-check.png` });
    await closeWithoutErrors(page);
  });

  test("at phone width (375px) the widget fits: nothing scrolls sideways", async () => {
    const page = await openPage(LESSON);
    await expectWidgetFitsPhone(page, "rollout-timeline", "lesson9-phone.png");
    await closeWithoutErrors(page);
  });
});
