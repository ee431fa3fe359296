// Cold boot in the built site. The engine's chunks carry V8's compile hint as their first line
// (site/lib/compile-hints.ts), the page's own first script does not, and with the hint in place a
// cluster lesson's terminal still boots its exercise world and answers from it.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { COMPILE_HINT } from "../lib/compile-hints";
import { closeBrowser, describeBrowser, openPage } from "./browser";
import { closeWithoutErrors, outputOf, repoRoot, run, terminalReady } from "./lesson-page";

const ASSETS = join(repoRoot, "dist/_astro");
const chunks = () => readdirSync(ASSETS).filter((f) => f.endsWith(".js")).map((f) => ({ name: f, code: readFileSync(join(ASSETS, f), "utf8") }));
/** A chunk by a string only its source module writes (both survive minification: they are data). */
const chunkWith = (needle: string) => chunks().filter((c) => c.code.includes(needle));

afterAll(closeBrowser);

describeBrowser("cold boot", () => {
  test("the chunks that boot a cluster begin with the compile hint; the page's first script does not", async () => {
    // engine/k8s/cluster.ts (the kubeconfig it writes) and engine/linux (systemd's first unit).
    for (const needle of ["kubernetes-the-hard-way", "systemd-journald"]) {
      const found = chunkWith(needle);
      expect(found.length, needle).toBeGreaterThan(0);
      for (const c of found) expect(c.code.startsWith(`${COMPILE_HINT}\n`), c.name).toBe(true);
    }
    const page = await openPage("/lessons/10-pod-lifecycle-and-probes/");
    const first = await page.$$eval("script[type=module][src]", (els) => els.map((e) => (e as HTMLScriptElement).src.split("/").pop()!));
    expect(first.length).toBeGreaterThan(0);
    for (const name of first) expect(readFileSync(join(ASSETS, name), "utf8").startsWith(COMPILE_HINT), name).toBe(false);
    await closeWithoutErrors(page);
  });

  test("a cluster lesson's terminal boots its world and answers from it", async () => {
    const page = await openPage("/lessons/06-services-are-iptables-rules/");
    await terminalReady(page);
    await run(page, "kubectl get nodes");
    const out = await outputOf(page, "kubectl get nodes");
    expect(out[0]).toMatch(/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION/);
    expect(out.filter((l) => /^worker-\d\s+Ready\s/.test(l))).toHaveLength(2);
    await closeWithoutErrors(page);
  });
});
