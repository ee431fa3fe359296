// The terminal and the widgets that share its world, driven in headless Chromium against
// the built site (npm run build first; site/e2e/browser.ts starts the preview server).
import { afterAll, expect, test } from "vitest";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import type { Page } from "playwright-core";
import { closeBrowser, describeBrowser, openPage } from "./browser";
import { clickCheck, outputOf, repoRoot as root, run, shots, terminalText as text, typeKeys, typeScript, waitForText, type Term } from "./lesson-page";

const dist = join(root, "dist");

/** Every built page that has a terminal; the namespaces lesson (02-) first. */
function terminalPages(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith(".html") && readFileSync(p, "utf8").includes("<kijl-terminal")) found.push(p);
    }
  };
  walk(dist);
  const url = (file: string) => "/" + relative(dist, file).replace(/index\.html$/, "").replace(/\\/g, "/");
  return found.map(url).sort((a, b) => Number(/\/02-/.test(b)) - Number(/\/02-/.test(a)) || a.localeCompare(b));
}

const lessonPath = terminalPages()[0];

async function terminalPage(): Promise<Page & { consoleErrors: string[] }> {
  const page = await openPage(lessonPath!);
  await page.locator("kijl-terminal").first().scrollIntoViewIfNeeded();
  await page.waitForSelector("kijl-terminal[data-ready]", { timeout: 15_000 });
  return page;
}
/** Type on the keyboard like a reader, then wait until the screen settles. */
async function type(page: Page, keys: string, press?: string) {
  await typeKeys(page, keys, press);
  await page.waitForTimeout(60);
}

/** Each test opens a fresh page and loads xterm and the engine: allow for a busy machine. */
const SLOW = 30_000;

afterAll(closeBrowser);

describeBrowser("the lesson terminal", () => {
  test("a page with a terminal was built", () => {
    expect(lessonPath, "some lesson uses <Terminal />").toBeTruthy();
  });

  test("becomes ready, answers hostname, and keeps a namespace's hostname inside it", async () => {
    const page = await terminalPage();
    const ms = Number(await page.getAttribute("kijl-terminal", "data-ready-ms"));
    expect(ms).toBeGreaterThan(0);
    await type(page, "hostname", "Enter");
    await waitForText(page, "hostname\nnode");
    expect(await outputOf(page, "hostname")).toEqual(["node"]);

    await run(page, "unshare --uts --fork sh -c 'hostname box; hostname'");
    expect(await outputOf(page, "unshare --uts --fork sh -c 'hostname box; hostname'")).toEqual(["box"]);
    await run(page, "unshare --uts --fork hostname box");
    await run(page, "hostname");
    expect(await outputOf(page, "hostname")).toEqual(["node"]);
    await page.locator("kijl-terminal").first().screenshot({ path: `${shots}/e2e-hostname.png` });
    expect(page.consoleErrors).toEqual([]);
  }, SLOW);

  test("the namespace view shows the new uts and pid namespaces of a background process", async () => {
    const page = await terminalPage();
    const view = page.locator("namespace-view").first();
    if ((await view.count()) === 0) return;
    await view.scrollIntoViewIfNeeded();
    await page.waitForSelector("namespace-view[data-namespaces]");
    const before = Number(await view.getAttribute("data-namespaces"));
    await run(page, "unshare --uts --pid --fork --mount-proc sh -c 'hostname box; exec sleep infinity' &");
    await page.waitForFunction((n) => Number(document.querySelector("namespace-view")?.getAttribute("data-namespaces")) >= n + 2, before);
    const legend = (await view.locator(".nsv__legend > li").allTextContents()).join("\n");
    expect(legend).toMatch(/^uts:\[\d+\] new, hostname box, /m);
    expect(legend).toMatch(/^pid:\[\d+\] new, 1 process$/m);
    const rows = await view.locator(".nsv__proc").allTextContents();
    expect(rows.some((r) => /^pid 1 in pid:\[\d+\] \(host \d+\)sleep infinity/.test(r))).toBe(true);
    await view.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${shots}/e2e-namespace-view.png`, fullPage: false });
    await view.screenshot({ path: `${shots}/e2e-namespace-view-only.png` });
    expect(page.consoleErrors).toEqual([]);
  }, SLOW);

  test("Tab completes a command name and ↑ recalls the previous command", async () => {
    const page = await terminalPage();
    await type(page, "unsh", "Tab");
    await page.waitForFunction(() => (document.querySelector("kijl-terminal") as Term).text().endsWith("# unshare"));
    await page.keyboard.press("Control+U");
    await type(page, "echo first", "Enter");
    await type(page, "echo second", "Enter");
    await page.keyboard.press("ArrowUp");
    await page.keyboard.press("ArrowUp");
    await page.waitForTimeout(60);
    expect((await text(page)).split("\n").at(-1)).toMatch(/# echo first$/);
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    await page.waitForTimeout(60);
    expect(await outputOf(page, "echo second")).toEqual(["second"]);
    expect(page.consoleErrors).toEqual([]);
  }, SLOW);

  test("a code block's Run button types its commands into the terminal", async () => {
    const page = await openPage(lessonPath!);
    const button = page.locator(".kijl-run").first();
    expect(await button.count(), "the lesson has a shell code block").toBeGreaterThan(0);
    const commands = (await button.getAttribute("data-commands"))!.split("\n");
    await button.click();
    await page.waitForSelector("kijl-terminal[data-ready]");
    const last = commands.at(-1)!;
    await waitForText(page, `# ${last}`);
    const screen = await text(page);
    let from = 0;
    for (const c of commands) {
      const at = screen.indexOf(`# ${c}`, from);
      expect(at, `ran "${c}" in order`).toBeGreaterThanOrEqual(from);
      from = at;
    }
    await page.locator("kijl-terminal").first().screenshot({ path: `${shots}/e2e-run-button.png` });
    expect(page.consoleErrors).toEqual([]);
  }, SLOW);

  test("Reset lab restores the start state", async () => {
    const page = await terminalPage();
    const view = page.locator("namespace-view").first();
    const hasView = (await view.count()) > 0;
    if (hasView) await page.waitForSelector("namespace-view[data-namespaces]");
    const before = hasView ? await view.getAttribute("data-namespaces") : null;
    await run(page, "hostname changed");
    await run(page, "unshare --uts --fork sleep infinity &");
    await page.locator("kijl-terminal [data-reset]").first().click();
    await waitForText(page, "[lab reset");
    await run(page, "hostname");
    expect(await outputOf(page, "hostname")).toEqual(["node"]);
    expect(await text(page)).not.toContain("changed");
    if (hasView) {
      await page.waitForFunction((n) => document.querySelector("namespace-view")?.getAttribute("data-namespaces") === n, before);
      expect(await view.locator(".nsv__tree").textContent()).not.toContain("sleep infinity");
    }
    expect(page.consoleErrors).toEqual([]);
  }, SLOW);

  test("Check my work fails on the start state and passes after the solution", async () => {
    const page = await terminalPage();
    const check = page.locator("check-button").first();
    if ((await check.count()) === 0) return; // this lesson has no exercise
    const n = Number(await check.getAttribute("data-exercise"));
    const folder = readdirSync(join(root, "exercises")).find((d) => d.startsWith(String(n).padStart(2, "0") + "-"));
    expect(folder, `exercises/${n}-* exists`).toBeTruthy();
    const ex = (await import(join(root, "exercises", folder!, "check.ts"))).default as { starter: string; kind: string };
    await clickCheck(check);
    await page.waitForSelector("check-button[data-state]");
    expect(await check.getAttribute("data-state")).toBe("fail");
    expect(await check.locator(".chk__item--no").count()).toBeGreaterThan(0);
    await check.screenshot({ path: `${shots}/e2e-check-fail.png` });

    const solution = join(root, "exercises", "solutions", folder!, ex.starter);
    expect(ex.kind, "the page's exercise is solved in the terminal").toBe("shell");
    await typeScript(page, readFileSync(solution, "utf8"));
    await clickCheck(check);
    await page.waitForSelector("check-button[data-state=pass]");
    expect(await check.locator(".chk__item--no").count()).toBe(0);
    await check.screenshot({ path: `${shots}/e2e-check-pass.png` });
    await page.locator("kijl-terminal").first().screenshot({ path: `${shots}/e2e-check-terminal.png` });
    expect(page.consoleErrors).toEqual([]);
  }, SLOW);
});
