// What every browser test uses:
//   describeBrowser(name, fn)  describe, or describe.skip when there is no Chromium
//   baseUrl()                  the preview server's URL (see global-setup.ts)
//   openPage(path)             a new playwright-core Page on baseUrl()+path, with consoleErrors
//   closeBrowser()             for afterAll: closes this file's shared browser
import { describe, inject } from "vitest";
import { chromium } from "playwright-core";
import type { Browser, Page } from "playwright-core";
import { CHROMIUM_ARGS } from "./chromium";

export type TestPage = Page & { consoleErrors: string[] };

const chromiumPath = (): string => inject("chromiumPath") ?? "";

export const hasBrowser = (): boolean => chromiumPath() !== "";

export function describeBrowser(name: string, fn: () => void): void {
  (hasBrowser() ? describe : describe.skip)(name, fn);
}

export function baseUrl(): string {
  const url = inject("baseUrl");
  if (!url) throw new Error("no preview server: run the browser tests through the e2e project (vitest run --project e2e), which starts one");
  return url;
}

let browser: Promise<Browser> | undefined;

function sharedBrowser(): Promise<Browser> {
  browser ??= chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS });
  return browser;
}

export async function openPage(path: string): Promise<TestPage> {
  const b = await sharedBrowser();
  const page = (await b.newPage()) as TestPage;
  page.consoleErrors = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") page.consoleErrors.push(msg.text());
  });
  page.on("pageerror", (err) => page.consoleErrors.push(String(err)));
  await page.goto(new URL(path, baseUrl()).href);
  return page;
}

export async function closeBrowser(): Promise<void> {
  const b = browser;
  browser = undefined;
  if (b) await (await b).close();
}
