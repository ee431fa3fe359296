// The site shell in headless Chromium against the built site: home, a lesson page, theme toggle,
// quiz grading and persistence, a corrupt progress value, search (Pagefind) and a phone-width
// layout. Screenshots: /tmp/shots/site-*.png.
import { afterAll, expect, test } from "vitest";
import { gzipSync } from "node:zlib";
import type { Page } from "playwright-core";
import { baseUrl, closeBrowser, describeBrowser, openPage, type TestPage } from "./browser";
import { answerQuizRight, closeWithoutErrors, PHONE, quizKey, type QuizKeyEntry, shots, sideScroll, tickOption } from "./lesson-page";

const PROGRESS_KEY = "kijl.progress.v1";

/** The lessons listed on the home page, in order, as paths. */
async function lessonPaths(page: Page): Promise<string[]> {
  return page.$$eval(".lesson-card__title a", (as) => as.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
}

/** The first lesson with a quiz, found from the home page. */
async function quizLesson(): Promise<string> {
  const home = await openPage("/");
  const path = await home.$eval(".lesson-card[data-has-quiz] .lesson-card__title a", (a) => new URL((a as HTMLAnchorElement).href).pathname);
  await home.close();
  return path;
}

describeBrowser("site shell", () => {
  afterAll(closeBrowser);

  test("home lists the lessons in order, with summaries and progress", async () => {
    const page = await openPage("/");
    await expect.poll(() => page.title()).toBe("Kubernetes is just Linux");
    const paths = await lessonPaths(page);
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.every((p) => /^\/lessons\/[\w-]+\/$/.test(p))).toBe(true);
    const nums = await page.$$eval(".lesson-card__num", (els) => els.map((e) => Number(e.textContent)));
    expect(nums).toEqual([...nums].sort((a, b) => a - b));
    expect(await page.locator(".lesson-card__summary").first().textContent()).not.toBe("");
    expect(await page.locator('[data-status="read"]').first().textContent()).toBe("Not read yet");
    await page.screenshot({ path: `${shots}/site-home.png`, fullPage: true });
    await closeWithoutErrors(page);
  });

  test("a lesson page loads: sidebar, objectives, article, pager; no console errors", async () => {
    const path = await quizLesson();
    const page = await openPage(path);
    await expect.poll(() => page.locator("main[data-lesson]").count()).toBe(1);
    expect(await page.locator(".toc__item.is-current a").getAttribute("aria-current")).toBe("page");
    expect(await page.locator(".objectives li").count()).toBeGreaterThan(0);
    expect(await page.locator("article[data-pagefind-body] h1").count()).toBe(1);
    expect(await page.locator(".pager__link").count()).toBe(2);
    const exercise = await page.locator("main").getAttribute("data-exercise");
    if (exercise !== null) {
      expect(await page.locator(".exercise-box").textContent()).toContain(`npm run exercise ${exercise}`);
      expect(await page.locator("check-button").count()).toBeGreaterThan(0);
    }
    await page.screenshot({ path: `${shots}/site-lesson.png` });
    await closeWithoutErrors(page);
  });

  test("the page's own JavaScript before interaction stays under 10 KB gzip", async () => {
    // Count the scripts a lesson page loads without scrolling or clicking, except the terminal
    // and widget chunks that another budget covers: shell + quiz + theme + progress.
    const path = await quizLesson();
    const page = await openPage("about:blank");
    const sizes: { url: string; gz: number }[] = [];
    page.on("response", async (r) => {
      if (r.request().resourceType() !== "script") return;
      try {
        sizes.push({ url: r.url(), gz: gzipSync(await r.body()).length });
      } catch {
        // redirected or aborted
      }
    });
    await page.goto(new URL(path, baseUrl()).href);
    await page.waitForLoadState("networkidle");
    const inline = await page.$$eval("script:not([src])", (ss) => ss.map((s) => s.textContent ?? "").join("\n"));
    const own = sizes.filter((s) => /\/(Lesson|Quiz|Base|progress|quiz|theme|search)[.\w-]*\.js$/.test(new URL(s.url).pathname));
    const total = own.reduce((n, s) => n + s.gz, 0) + gzipSync(inline).length;
    console.log(`lesson page: own JS ${total} B gzip (${own.map((s) => new URL(s.url).pathname.split("/").pop()).join(", ")} + inline); all JS on load: ${sizes.reduce((n, s) => n + s.gz, 0)} B gzip in ${sizes.length} files`);
    expect(total).toBeLessThan(10 * 1024);
    await page.close();
  });

  test("the theme toggle switches and is remembered", async () => {
    const page = await openPage("/");
    const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
    const before = await theme();
    expect(["light", "dark"]).toContain(before);
    await page.click("[data-theme-toggle]");
    const after = await theme();
    expect(after).not.toBe(before);
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.reload();
    expect(await theme()).toBe(after);
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(bg);
    await page.screenshot({ path: `${shots}/site-home-${after}.png` });
    await page.click("[data-theme-toggle]");
    expect(await theme()).toBe(before);
    await closeWithoutErrors(page);
  });

  test("the quiz grades a right and a wrong answer, explains every option, and keeps the score", async () => {
    const path = await quizLesson();
    const page = await openPage(path);
    await page.evaluate((k) => localStorage.removeItem(k), PROGRESS_KEY);
    await page.reload();
    const key = await quizKey(page);
    expect(key.length).toBeGreaterThanOrEqual(2);
    const [q1, q2] = key as [QuizKeyEntry, QuizKeyEntry];
    for (const i of q1.correct) await tickOption(page, q1.id, i);
    const optionsOfQ2 = await page.locator(`[data-question="${q2.id}"] [data-option]`).count();
    const wrong = [...Array(optionsOfQ2).keys()].find((i) => !q2.correct.includes(i))!;
    await tickOption(page, q2.id, wrong);
    await page.click("quiz-box [data-check]");

    const total = key.length;
    await expect.poll(() => page.locator("quiz-box [data-score]").textContent()).toBe(`Score: 1/${total}`);
    expect(await page.locator(`[data-question="${q1.id}"]`).getAttribute("class")).toContain("is-right");
    expect(await page.locator(`[data-question="${q2.id}"]`).getAttribute("class")).toContain("is-wrong");
    // Every option of every question now shows its explanation; the right ones are marked.
    expect(await page.locator("quiz-box .quiz__explain[hidden]").count()).toBe(0);
    const q2right = page.locator(`[data-question="${q2.id}"] [data-option="${q2.correct[0]}"] .quiz__mark`);
    expect(await q2right.textContent()).toContain("Correct answer");
    expect(await page.locator(`[data-question="${q2.id}"] [data-option="${wrong}"] .quiz__mark`).textContent()).toContain("Your answer");
    await page.locator("quiz-box").screenshot({ path: `${shots}/site-quiz-graded.png` });

    // A reload shows the graded attempt again, and the home page shows the score.
    await page.reload();
    await expect.poll(() => page.locator("quiz-box [data-score]").textContent()).toBe(`Score: 1/${total}`);
    expect(await page.locator(`[data-question="${q1.id}"]`).getAttribute("class")).toContain("is-right");
    const stored = await page.evaluate((k) => JSON.parse(localStorage.getItem(k) ?? "null"), PROGRESS_KEY);
    const slug = path.split("/").filter(Boolean).pop()!;
    expect(stored.lessons[slug].quiz).toMatchObject({ best: 1, last: 1, total });

    // Retry clears the answers; a perfect second attempt becomes the best score.
    await page.click("quiz-box [data-retry]");
    expect(await page.locator("quiz-box input:checked").count()).toBe(0);
    expect(await page.locator("quiz-box .quiz__explain:not([hidden])").count()).toBe(0);
    await answerQuizRight(page, key);

    // (Same page: each openPage() is a fresh browser context with its own storage.)
    await page.goto(new URL("/", page.url()).href);
    await expect
      .poll(() => page.locator(`.lesson-card[data-slug="${slug}"] [data-status="quiz"]`).textContent())
      .toBe(`Quiz ${total}/${total} (best ${total}/${total})`);
    await closeWithoutErrors(page);
  });

  test("a corrupt or foreign progress value does not break the pages", async () => {
    const path = await quizLesson();
    for (const bad of ["{not json", '{"lessons":"nope"}', "[1,2,3]", '{"version":1,"lessons":{"x":{"quiz":{"best":"a"}}}}']) {
      const page = await openPage("/");
      await page.evaluate(([k, v]) => localStorage.setItem(k!, v!), [PROGRESS_KEY, bad]);
      await page.reload();
      expect(await page.locator('[data-status="read"]').first().textContent()).toBe("Not read yet");
      await page.goto(new URL(path, page.url()).href);
      expect(await page.locator("quiz-box [data-score]").textContent()).toBe("");
      const key = await quizKey(page);
      await answerQuizRight(page, key);
      expect(page.consoleErrors, `with ${bad}`).toEqual([]);
      await page.close();
    }
  });

  test("progress export, import (good and bad files) and reset on the home page", async () => {
    const page = await openPage("/");
    const slug = await page.$eval(".lesson-card[data-slug]", (li) => (li as HTMLElement).dataset.slug!);
    const message = page.locator("[data-progress-message]");
    const file = (name: string, text: string) => ({ name, mimeType: "application/json", buffer: Buffer.from(text) });

    await page.setInputFiles("[data-import]", file("bad.json", "{nope"));
    await expect.poll(() => message.textContent()).toMatch(/not JSON/);
    await page.setInputFiles("[data-import]", file("foreign.json", '{"hello":1}'));
    await expect.poll(() => message.textContent()).toMatch(/not a progress file/);

    const good = { version: 1, lessons: { [slug]: { visited: true, exercise: { passed: true, at: "2026-01-01T00:00:00.000Z" } } } };
    await page.setInputFiles("[data-import]", file("good.json", JSON.stringify(good)));
    await expect.poll(() => message.textContent()).toBe("Progress imported: 1 lesson.");
    expect(await page.locator(`.lesson-card[data-slug="${slug}"] [data-status="read"]`).textContent()).toBe("✓ Read");

    const [download] = await Promise.all([page.waitForEvent("download"), page.click("[data-export]")]);
    expect(download.suggestedFilename()).toMatch(/^kubernetes-is-just-linux-progress-\d{4}-\d{2}-\d{2}\.json$/);
    const exported = JSON.parse(await (await import("node:fs/promises")).readFile((await download.path())!, "utf8"));
    expect(exported.lessons).toEqual(good.lessons);

    page.once("dialog", (d) => void d.accept());
    await page.click("[data-reset]");
    await expect.poll(() => page.locator(`.lesson-card[data-slug="${slug}"] [data-status="read"]`).textContent()).toBe("Not read yet");
    await closeWithoutErrors(page);
  });

  test("search finds a lesson by a word in its text", async () => {
    const page = await openPage("/");
    await page.click("[data-search-open]");
    const input = page.locator("#search input");
    await input.waitFor({ timeout: 10_000 });
    await input.fill("overlayfs");
    const result = page.locator("#search .pagefind-ui__result-link").first();
    await result.waitFor({ timeout: 10_000 });
    expect(await result.getAttribute("href")).toMatch(/\/lessons\//);
    await page.screenshot({ path: `${shots}/site-search.png` });
    await page.keyboard.press("Escape");
    expect(await page.evaluate(() => (document.getElementById("search-dialog") as HTMLDialogElement).open)).toBe(false);
    // The "/" shortcut opens it again.
    await page.keyboard.press("/");
    expect(await page.evaluate(() => (document.getElementById("search-dialog") as HTMLDialogElement).open)).toBe(true);
    await closeWithoutErrors(page);
  });

  test("at phone width (375px) nothing scrolls sideways, and the sidebar folds into a menu", async () => {
    const path = await quizLesson();
    for (const [name, p] of [
      ["home", "/"],
      ["lesson", path],
    ] as const) {
      const page: TestPage = await openPage("about:blank");
      await page.setViewportSize(PHONE);
      await page.goto(new URL(p, baseUrl()).href);
      await page.waitForLoadState("networkidle");
      const overflow = await sideScroll(page);
      expect(overflow, `${name} scrolls sideways by ${overflow}px`).toBeLessThanOrEqual(0);
      await page.screenshot({ path: `${shots}/site-phone-${name}.png`, fullPage: name === "home" });
      if (name === "lesson") {
        expect(await page.locator(".toc__list").isVisible()).toBe(false);
        await page.click("[data-toc-toggle]");
        expect(await page.locator(".toc__list").isVisible()).toBe(true);
        await page.screenshot({ path: `${shots}/site-phone-menu.png` });
      }
      await closeWithoutErrors(page);
    }
  });
});
