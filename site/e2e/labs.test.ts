// Two labs on one page (widgets/world.ts): lesson 2 has the exercise's host terminal and, in
// "The Kubernetes side", a cluster terminal. In headless Chromium against the built site: the
// two terminals are separate machines (hostname, kubectl), Reset lab on one leaves the other,
// the ManifestEditor writes its file into the cluster so `kubectl apply -f` there accepts it
// (and its Apply button types the command), a broken edit gets kubectl's own YAML error, Check
// my work still grades the exercise host, and nothing is logged to the console.
// Screenshots: /tmp/shots/labs.png (the cluster section), /tmp/shots/labs-editor.png.
import { afterAll, expect, test } from "vitest";
import type { Page } from "playwright-core";
import { closeBrowser, describeBrowser, openPage } from "./browser";
import { builtLessonPath, checkButton, clickCheck, DESKTOP, shots, type Term as LessonTerm } from "./lesson-page";

/** The terminal, with what this test needs beyond run() and text(): two labs on one page. */
type Term = LessonTerm & { start(): Promise<unknown>; reset(): Promise<void>; lab: string };
type Editor = HTMLElement & { value: string; save(): Promise<boolean>; apply(): Promise<void> };

/** Terminal i on the page (0: the host lab, 1: the cluster lab). */
const term = (i: number) => `kijl-terminal >> nth=${i}`;

async function run(page: Page, i: number, line: string): Promise<string> {
  return page.evaluate(
    async ([n, l]) => {
      const t = document.querySelectorAll("kijl-terminal")[n as number] as Term;
      await t.start();
      const before = t.text().length;
      await t.run(l as string);
      return t.text().slice(before);
    },
    [i, line] as const,
  );
}

const textOf = (page: Page, i: number) => page.evaluate((n) => (document.querySelectorAll("kijl-terminal")[n] as Term).text(), i);

afterAll(closeBrowser);

describeBrowser("lesson 2: a host lab and a cluster lab on one page", () => {
  test("two independent terminals, independent resets, a manifest editor that kubectl accepts", async () => {
    const page = await openPage(builtLessonPath("02-namespaces"));
    await page.setViewportSize(DESKTOP);

    const labs = await page.evaluate(() => [...document.querySelectorAll("kijl-terminal")].map((t) => (t as Term).lab));
    expect(labs).toEqual(["page", "cluster"]);

    // Different machines: the exercise host and the cluster's control plane.
    await page.locator(term(0)).scrollIntoViewIfNeeded();
    await run(page, 0, "hostname");
    const hostName = /# hostname\n(\S+)\n/.exec(await textOf(page, 0))?.[1];
    expect(hostName).toBeTruthy();
    await page.locator(term(1)).scrollIntoViewIfNeeded();
    expect(await run(page, 1, "hostname")).toContain("\ncontrolplane\n");
    expect(hostName).not.toBe("controlplane");

    // kubectl answers only in the cluster.
    expect(await run(page, 1, "kubectl get nodes")).toMatch(/^worker-1\s+Ready\s/m);
    expect(await run(page, 0, "kubectl get nodes")).not.toMatch(/worker-1/);

    // Something to lose in each lab.
    await run(page, 0, "touch /root/host-marker");
    await run(page, 1, "touch /root/cluster-marker");

    // Reset the host lab: the cluster keeps its file, the host loses its own.
    await page.evaluate(() => (document.querySelectorAll("kijl-terminal")[0] as Term).reset());
    expect(await run(page, 0, "ls /root/host-marker")).toMatch(/No such file or directory/);
    expect(await run(page, 1, "ls /root/cluster-marker")).toContain("/root/cluster-marker\n");
    expect(await textOf(page, 1)).not.toMatch(/lab reset/);

    // Reset the cluster lab: the host is untouched by it.
    await run(page, 0, "touch /root/host-marker");
    await page.evaluate(() => (document.querySelectorAll("kijl-terminal")[1] as Term).reset());
    expect(await textOf(page, 1)).toMatch(/lab reset to its start state/);
    expect(await run(page, 1, "ls /root/cluster-marker")).toMatch(/No such file or directory/);
    expect(await run(page, 0, "ls /root/host-marker")).toContain("/root/host-marker\n");

    // The editor writes /root/duo.yaml on the control plane; kubectl apply -f accepts it.
    const editor = page.locator("manifest-editor").first();
    await editor.scrollIntoViewIfNeeded();
    await page.evaluate(() => customElements.whenDefined("manifest-editor")); // loaded near the viewport
    expect(await editor.getAttribute("data-path")).toBe("/root/duo.yaml");
    expect(await page.evaluate(() => (document.querySelector("manifest-editor") as Editor).save())).toBe(true);
    expect(await run(page, 1, "cat duo.yaml")).toContain("name: sidecar");
    expect(await run(page, 1, "kubectl apply -f duo.yaml")).toContain("pod/duo created");
    // …and it is not on the host lab.
    expect(await run(page, 0, "ls /root/duo.yaml")).toMatch(/No such file or directory/);

    // Typing in the editor saves by itself; Apply types the command into the cluster terminal.
    const area = editor.locator("textarea");
    await area.click();
    await page.keyboard.press("Control+End");
    await page.keyboard.type('---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: solo\nspec:\n  containers:\n  - name: solo\n    image: busybox\n    command: ["sleep", "60"]\n');
    await expect.poll(() => run(page, 1, "grep -c name: duo.yaml"), { timeout: 5_000 }).toMatch(/\n5\n/);
    expect(await editor.locator("[data-gutter]").textContent()).toMatch(/\n22$/);
    await page.evaluate(() => (document.querySelector("manifest-editor") as Editor).apply());
    expect(await textOf(page, 1)).toMatch(/kubectl apply -f duo\.yaml\npod\/duo unchanged\npod\/solo created/);
    expect(await editor.locator("[data-status]").textContent()).toMatch(/Saved to \/root\/duo\.yaml on controlplane/);

    // A broken edit: kubectl's own error, with its line and column, in the terminal.
    await page.evaluate(() => {
      const e = document.querySelector("manifest-editor") as Editor;
      e.value = e.value.replace("  - name: web\n    image: nginx", "  - name: web\n     image: nginx");
    });
    await page.evaluate(() => (document.querySelector("manifest-editor") as Editor).apply());
    expect(await textOf(page, 1)).toMatch(/error: error parsing duo\.yaml: error converting YAML to JSON: yaml: line \d+/);
    // The editor itself points at the line and column, and says so in its status.
    await expect.poll(() => editor.getAttribute("data-yaml-error")).toMatch(/^line \d+, column \d+: /);
    await expect.poll(() => editor.locator("[data-status]").textContent()).toMatch(/YAML error at line \d+, column \d+/);

    // The namespace view under <div data-lab="cluster/worker-1"> draws worker-1, not the control plane.
    const nodeView = page.locator('[data-lab="cluster/worker-1"] namespace-view');
    await nodeView.scrollIntoViewIfNeeded();
    await expect.poll(async () => (await nodeView.locator(".nsv__proc").allTextContents()).join("\n"), { timeout: 10_000 }).toMatch(/pause/);
    const procs = (await nodeView.locator(".nsv__proc").allTextContents()).join("\n");
    expect(procs).toMatch(/kubelet/);
    expect(procs).not.toMatch(/kube-apiserver|etcd/);
    await nodeView.screenshot({ path: `${shots}/labs-worker-namespaces.png` });

    // Run buttons type into the terminal of their section.
    const runButton = (text: string) => page.locator(".kijl-run-wrap", { has: page.locator("pre", { hasText: text }) }).locator("button.kijl-run");
    await runButton("kubectl get pod duo -o wide").click();
    await expect.poll(() => textOf(page, 1), { timeout: 5_000 }).toMatch(/# kubectl get pod duo -o wide\nNAME .*\nduo\s+2\/2\s+Running/);
    await runButton("readlink /proc/self/ns/uts").first().click();
    await expect.poll(() => textOf(page, 0), { timeout: 5_000 }).toMatch(/# readlink \/proc\/self\/ns\/uts\nuts:\[\d+\]/);
    expect(await textOf(page, 0)).not.toMatch(/kubectl get pod duo/);
    expect(await textOf(page, 1)).not.toMatch(/readlink \/proc\/self\/ns\/uts/);

    await page.locator(term(1)).scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${shots}/labs.png` });
    await editor.screenshot({ path: `${shots}/labs-editor.png` });

    // Reset of the cluster writes the editor's text into the new cluster too.
    await page.evaluate(() => (document.querySelectorAll("kijl-terminal")[1] as Term).reset());
    expect(await run(page, 1, "grep -c name: duo.yaml")).toMatch(/\n5\n/);

    // Check my work grades the exercise host, not the cluster: the unchanged starter fails.
    const check = await checkButton(page);
    await clickCheck(check);
    await page.waitForSelector("check-button[data-state]", { timeout: 10_000 });
    expect(await check.getAttribute("data-state")).toBe("fail");
    expect(await check.textContent()).not.toMatch(/could not run/i);

    expect(page.consoleErrors).toEqual([]);
  });

  // Lessons 3-5: the section's Apply button starts the Pods, and the widget drawing worker-1 shows them.
  // Each pattern is one only the reader's Pod produces: worker-1 already runs the kube-system
  // CoreDNS Pod (a Burstable pod cgroup, two overlay mounts, 10.200.0.2) before anything is applied.
  for (const [slug, widget, shows] of [
    ["03-cgroups", "cgroup-meter", /of 200 MiB memory\.max/],
    ["04-images-and-overlayfs", "overlay-stack", /nginx\.conf/],
    ["05-veth-bridges-and-cni", "net-diagram", /10\.200\.0\.3/],
  ] as const) {
    test(`${slug}: Apply in the Kubernetes side starts the Pods, and the ${widget} for worker-1 draws them`, async () => {
      const page = await openPage(builtLessonPath(slug));
      await page.setViewportSize(DESKTOP);
      const editor = page.locator("manifest-editor").first();
      await editor.scrollIntoViewIfNeeded();
      await page.evaluate(() => customElements.whenDefined("manifest-editor")); // loaded near the viewport
      await editor.locator("[data-apply]").click();
      await expect.poll(() => textOf(page, 1), { timeout: 15_000 }).toMatch(/kubectl apply -f \S+\.yaml\npod\/\S+ created/);
      expect(await textOf(page, 0)).not.toMatch(/kubectl apply/);
      const view = page.locator(`[data-lab="cluster/worker-1"] ${widget}`);
      await view.scrollIntoViewIfNeeded();
      await expect.poll(async () => (await view.textContent()) ?? "", { timeout: 10_000 }).toMatch(shows);
      await view.screenshot({ path: `${shots}/labs-${slug}.png` });
      expect(page.consoleErrors).toEqual([]);
    });
  }
});
