// Every lesson page the build produced, one test each, so a new lesson is covered the day it is
// added: it loads without console errors, its terminal (if any) becomes ready and answers, its
// quiz (if any) grades a perfect attempt, and its "Check my work" (if any) reports on the lab.
import { afterAll, expect, test } from "vitest";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { closeBrowser, describeBrowser, openPage } from "./browser";
import { clickCheck, closeWithoutErrors, passQuiz, type Term } from "./lesson-page";

const dist = fileURLToPath(new URL("../../dist/lessons/", import.meta.url));
const lessons = existsSync(dist) ? readdirSync(dist).filter((d) => existsSync(join(dist, d, "index.html"))).sort() : [];

afterAll(closeBrowser);

describeBrowser("every lesson page", () => {
  test("the build produced lesson pages", () => {
    expect(lessons.length).toBeGreaterThan(0);
  });

  test.each(lessons)("%s: loads, its terminal answers, its quiz grades, Check my work reports", async (slug) => {
    const page = await openPage(`/lessons/${slug}/`);
    expect(await page.locator("main h1").count()).toBeGreaterThan(0);

    const terminals = await page.locator("kijl-terminal").count();
    for (let i = 0; i < terminals; i++) {
      const term = page.locator("kijl-terminal").nth(i);
      await term.scrollIntoViewIfNeeded();
      await page.waitForFunction((n) => document.querySelectorAll("kijl-terminal")[n]?.hasAttribute("data-ready"), i, { timeout: 30_000 });
      await term.evaluate((el) => (el as Term).run("echo lesson-answers"));
      expect(await term.evaluate((el) => (el as Term).text())).toMatch(/^lesson-answers$/m);
    }

    if ((await page.locator("quiz-box").count()) > 0) {
      await passQuiz(page, 5);
    }

    const check = page.locator("check-button").first();
    if ((await check.count()) > 0) {
      await check.scrollIntoViewIfNeeded();
      await clickCheck(check);
      await page.waitForSelector("check-button[data-state]", { timeout: 30_000 });
      // The lab's start state is the exercise's starting point: never already solved.
      expect(await check.getAttribute("data-state")).toBe("fail");
      expect(await check.locator(".chk__item").count()).toBeGreaterThan(0);
    }

    await closeWithoutErrors(page);
  }, 90_000);
});
