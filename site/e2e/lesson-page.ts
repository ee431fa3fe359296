// What the browser tests do on a lesson page, written once (browser.ts opens the page):
//   the terminal   terminalReady, run, terminalText, waitForText, outputOf, typeScript, typeKeys
//   the lesson     builtLessonPath, clickRunButton, engineSources
//   the quiz       quizKey, tickOption, answerQuizRight, passQuiz
//   the exercise   checkButton, clickCheck, checkWork, scriptLines, readRepoFile, heredoc
//   the end        closeWithoutErrors
//   the looks      shots, DESKTOP, PHONE, setTheme, sideScroll, expectWidgetFitsPhone
//   a widget       traceRequest (<service-trace>)
// Every helper takes the Page (or a Locator from it) and keeps the test's own assertions whole:
// a helper that checks something uses expect itself, so a broken page still fails the test.
import { expect } from "vitest";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Locator, Page } from "playwright-core";
import type { TestPage } from "./browser";

/** The repository's root folder (with a trailing slash). */
export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

/** Where screenshots go, for a person to look at; made on first import. */
export const shots = "/tmp/shots";
mkdirSync(shots, { recursive: true });

/** The window most tests use, wide enough for the sidebar and a widget side by side. */
export const DESKTOP = { width: 1100, height: 900 };
/** A small phone: the narrowest width the site promises not to scroll sideways at. */
export const PHONE = { width: 375, height: 812 };

/** The methods <kijl-terminal> offers to tests (site/widgets: the terminal element). */
export type Term = HTMLElement & { ready: Promise<void>; run(line: string): Promise<void>; text(): string };

/** The page's default terminal: the first one. Lessons with two labs pass their own selector. */
const FIRST = "kijl-terminal";

// ---- the terminal -------------------------------------------------------------------------

/** Scroll to the terminal (it loads when seen) and wait until its machine has booted. */
export async function terminalReady(page: Page, term = FIRST): Promise<void> {
  await page.locator(term).first().scrollIntoViewIfNeeded();
  await page.evaluate((s) => (document.querySelector(s) as Term).ready, term);
}

/** Run one line in the terminal, as if typed, and wait until the shell has answered. */
export function run(page: Page, line: string, term = FIRST): Promise<void> {
  return page.evaluate(([s, l]) => (document.querySelector(s!) as Term).run(l!), [term, line]);
}

/** Everything the terminal shows, scrollback included. */
export function terminalText(page: Page, term = FIRST): Promise<string> {
  return page.evaluate((s) => (document.querySelector(s) as Term).text(), term);
}

/** Wait until the terminal shows `needle` (for output that comes after run() returns). */
export async function waitForText(page: Page, needle: string, options: { term?: string; timeout?: number } = {}): Promise<void> {
  const wait = options.timeout === undefined ? {} : { timeout: options.timeout };
  await page.waitForFunction(([s, n]) => (document.querySelector(s!) as Term).text().includes(n!), [options.term ?? FIRST, needle], wait);
}

/** Output lines after the last prompt that shows `cmd`; fails the test if `cmd` was never typed. */
export async function outputOf(page: Page, cmd: string): Promise<string[]> {
  const lines = (await terminalText(page)).split("\n");
  let at = -1;
  lines.forEach((l, i) => {
    if (/[#$] /.test(l) && l.endsWith(`# ${cmd}`)) at = i;
  });
  expect(at, `"${cmd}" was typed`).toBeGreaterThanOrEqual(0);
  const out: string[] = [];
  for (const l of lines.slice(at + 1)) {
    if (/^\S+@\S+:\S*[#$]( |$)/.test(l)) break;
    out.push(l);
  }
  return out;
}

/** A shell script's command lines: blank lines and comments dropped, indentation kept (heredocs). */
export function scriptLines(script: string): string[] {
  return script.split("\n").filter((l) => l.trim() !== "" && !l.trim().startsWith("#"));
}

/** Type a (multi-line) script into the terminal line by line, as a reader would. */
export async function typeScript(page: Page, script: string, term = FIRST): Promise<void> {
  for (const line of scriptLines(script)) await run(page, line, term);
}

/** Type on the real keyboard into xterm (not through run()), then press `press` if given. */
export async function typeKeys(page: Page, keys: string, press?: string): Promise<void> {
  await page.locator("kijl-terminal .xterm").first().click();
  await page.keyboard.type(keys);
  if (press) await page.keyboard.press(press);
}

// ---- the lesson ---------------------------------------------------------------------------

/** A built lesson page's path, wherever the site puts lessons (/lessons/NN-…/ or /NN-…/). */
export function builtLessonPath(slug: string): string {
  const find = (dir: string, rel: string): string | null => {
    if (!existsSync(dir)) return null;
    for (const name of readdirSync(dir, { withFileTypes: true })) {
      if (!name.isDirectory()) continue;
      if (name.name.startsWith(slug) && existsSync(join(dir, name.name, "index.html"))) return `${rel}${name.name}/`;
      const deeper = find(join(dir, name.name), `${rel}${name.name}/`);
      if (deeper) return deeper;
    }
    return null;
  };
  return find(join(repoRoot, "dist"), "/") ?? `/lessons/${slug}/`;
}

/** Click the Run button of the first code block that contains `text`. */
export async function clickRunButton(page: Page, text: string): Promise<void> {
  await page.locator(".kijl-run-wrap").filter({ hasText: text }).first().locator("button.kijl-run").click();
}

/** The <EngineSource> excerpts the page rendered, as "file#symbol", in page order. */
export function engineSources(page: Page): Promise<string[]> {
  return page.locator("figure.engine-source").evaluateAll((els) => els.map((e) => `${(e as HTMLElement).dataset.file}#${(e as HTMLElement).dataset.symbol}`));
}

// ---- the quiz -----------------------------------------------------------------------------

/** One question of the quiz's answer key (the page ships it in <script data-key>). */
export interface QuizKeyEntry {
  id: string;
  kind?: "single" | "multiple";
  correct: number[];
}

/** The quiz's answer key, read from the page. */
export function quizKey(page: Page): Promise<QuizKeyEntry[]> {
  return page.$eval("quiz-box script[data-key]", (s) => JSON.parse(s.textContent ?? "[]") as QuizKeyEntry[]);
}

/** Tick option `i` of question `id`. */
export async function tickOption(page: Page, id: string, i: number): Promise<void> {
  await page.locator(`[data-question="${id}"] [data-option="${i}"] input`).check();
}

/** Tick every right answer in `key`, press Check, and expect full marks. */
export async function answerQuizRight(page: Page, key: QuizKeyEntry[]): Promise<void> {
  for (const q of key) for (const i of q.correct) await tickOption(page, q.id, i);
  await page.click("quiz-box [data-check]");
  await expect.poll(() => page.locator("quiz-box [data-score]").textContent()).toBe(`Score: ${key.length}/${key.length}`);
}

/**
 * The lesson's quiz: at least `atLeast` questions (and, with `multiple`, one with several right
 * options, so the checkbox kind is exercised too); a perfect attempt scores full marks.
 */
export async function passQuiz(page: Page, atLeast: number, multiple = false): Promise<void> {
  const key = await quizKey(page);
  expect(key.length).toBeGreaterThanOrEqual(atLeast);
  if (multiple) expect(key.some((q) => q.correct.length > 1)).toBe(true);
  await answerQuizRight(page, key);
}

// ---- the exercise -------------------------------------------------------------------------

/** The page's "Check my work" box, for exercise `n` (or the first one), scrolled into view. */
export async function checkButton(page: Page, n?: number): Promise<Locator> {
  const check = page.locator(n === undefined ? "check-button" : `check-button[data-exercise='${n}']`).first();
  await check.scrollIntoViewIfNeeded();
  return check;
}

/** Press "Check my work". */
export async function clickCheck(check: Locator): Promise<void> {
  await check.locator("[data-check]").click();
}

/**
 * Press "Check my work", expect it to end in `state` ("fail" or "pass") within `timeout`, and
 * return what it then says (the failed checks' hints, or "All N checks pass").
 */
export async function checkWork(check: Locator, state: "fail" | "pass", timeout: number): Promise<string> {
  await clickCheck(check);
  await expect.poll(() => check.getAttribute("data-state"), { timeout }).toBe(state);
  return (await check.textContent()) ?? "";
}

/** A file of the repository (an exercise's solution, a starter manifest), as text. */
export function readRepoFile(path: string): string {
  return readFileSync(join(repoRoot, path), "utf8");
}

/** `kubectl apply` of a manifest file typed as a here-document (comments and blank lines dropped). */
export function heredoc(path: string): string {
  const yaml = readRepoFile(path)
    .split("\n")
    .filter((l) => !l.startsWith("#") && l.trim() !== "")
    .join("\n");
  return `kubectl apply -f - <<EOF\n${yaml}\nEOF`;
}

// ---- the end ------------------------------------------------------------------------------

/** Nothing was logged as an error while the test drove the page; then close it. */
export async function closeWithoutErrors(page: TestPage): Promise<void> {
  expect(page.consoleErrors).toEqual([]);
  await page.close();
}

// ---- the looks ----------------------------------------------------------------------------

/** Switch the site's theme the way the toggle does: data-theme on <html>. */
export async function setTheme(page: Page, theme: "light" | "dark"): Promise<void> {
  await page.evaluate((t) => (document.documentElement.dataset.theme = t), theme);
}

/** How many pixels the page scrolls sideways (0 when everything fits). */
export function sideScroll(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** At phone width the first `<tag>` draws its controls and nothing scrolls sideways; screenshot it. */
export async function expectWidgetFitsPhone(page: Page, tag: string, shot: string): Promise<void> {
  await page.setViewportSize(PHONE);
  const widget = page.locator(tag).first();
  await widget.scrollIntoViewIfNeeded();
  await expect.poll(() => widget.locator("select").count(), { timeout: 20_000 }).toBeGreaterThan(0);
  expect(await sideScroll(page)).toBe(0);
  await widget.screenshot({ path: `${shots}/${shot}` });
}

// ---- a widget -----------------------------------------------------------------------------

/**
 * Send one request through <service-trace>: expect it to offer `service` from `client` (the
 * page's suggestion), press Send and wait for the reply. Returns the chains it walked, in order.
 */
export async function traceRequest(page: Page, service: string, client: string): Promise<string[]> {
  const tracer = page.locator("service-trace").first();
  await tracer.scrollIntoViewIfNeeded();
  await page.waitForSelector(`service-trace select[name='service'] option[value='${service}']`, { state: "attached", timeout: 15_000 });
  await expect.poll(() => tracer.locator("select[name='service']").inputValue()).toBe(service);
  expect(await tracer.locator("select[name='client']").inputValue()).toBe(client);
  await tracer.locator("button.svt__send").click();
  await page.waitForSelector("service-trace[data-outcome='reply']", { timeout: 10_000 });
  return tracer.locator(".svt__chain").evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.chain!));
}
