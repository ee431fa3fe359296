// Lesson 3 in headless Chromium against the built site: the page loads without console errors;
// a cgroup made in the terminal with a capped busy loop appears in <cgroup-meter> with its
// throttling, and an OOM kill is marked; the quiz grades; "Check my work" fails on the fresh lab
// and passes after the reference solution's commands. Screenshot: /tmp/shots/cgroups.png.
import { afterAll, expect, test } from "vitest";
import { closeBrowser, describeBrowser, openPage } from "./browser";
import { checkButton, checkWork, closeWithoutErrors, passQuiz, readRepoFile, run, setTheme, shots, terminalReady, typeScript } from "./lesson-page";

const LESSON = "/lessons/03-cgroups/";

afterAll(closeBrowser);

describeBrowser("lesson 3: cgroups", () => {
  test("the meter follows a cgroup made in the terminal: throttling, then an OOM kill", async () => {
    const page = await openPage(LESSON);
    await terminalReady(page);
    const meter = page.locator("cgroup-meter").first();
    await meter.scrollIntoViewIfNeeded();
    // The lab's neighbour is already there.
    await page.waitForFunction(() => (document.querySelector("cgroup-meter") as HTMLElement | null)?.dataset.cgroups?.split(" ").includes("/neighbour"), undefined, { timeout: 15_000 });

    for (const line of ["mkdir /sys/fs/cgroup/demo", "yes > /dev/null &", "echo $! > /sys/fs/cgroup/demo/cgroup.procs", "echo 500 > /sys/fs/cgroup/demo/cpu.weight", 'echo "50000 100000" > /sys/fs/cgroup/demo/cpu.max', "sleep 3"]) {
      await run(page, line);
    }
    const demo = meter.locator("li[data-path='/demo']");
    await expect.poll(() => demo.getAttribute("data-cpu"), { timeout: 5_000 }).toBe("0.5");
    expect(Number(await demo.getAttribute("data-throttled"))).toBeGreaterThan(10);
    await expect.poll(() => demo.textContent()).toMatch(/0\.5 of 2 CPUs · cpu\.max 0\.5 CPU · cpu\.weight 500/);
    expect(await demo.locator(".cgm__tick--throttle").count()).toBeGreaterThan(10);

    for (const line of ["mkdir /sys/fs/cgroup/mem", "echo 100M > /sys/fs/cgroup/mem/memory.max", "echo $$ > /sys/fs/cgroup/mem/cgroup.procs", "stress --vm 1 --vm-bytes 300M"]) {
      await run(page, line);
    }
    const mem = meter.locator("li[data-path='/mem']");
    await expect.poll(() => mem.getAttribute("data-oom-kills"), { timeout: 5_000 }).toBe("1");
    expect(await mem.locator(".cgm__tick--oom").count()).toBe(1);
    expect(await mem.textContent()).toMatch(/of 100 MiB memory\.max.*1 OOM kill/);
    await run(page, "echo $$ > /sys/fs/cgroup/user.slice/user-0.slice/session-1.scope/cgroup.procs");

    await meter.screenshot({ path: `${shots}/cgroups.png` });
    await page.screenshot({ path: `${shots}/cgroups-page.png` });
    await setTheme(page, "dark");
    await meter.screenshot({ path: `${shots}/cgroups-dark.png` });
    await closeWithoutErrors(page);
  });

  test("the quiz grades, and Check my work fails on the fresh lab and passes after the solution", async () => {
    const page = await openPage(LESSON);
    await terminalReady(page);

    // Quiz: answer every question right from the page's answer key.
    await passQuiz(page, 6);

    const check = await checkButton(page, 3);
    expect(await checkWork(check, "fail", 15_000)).toMatch(/Hint: A cgroup is a directory: mkdir \/sys\/fs\/cgroup\/app/);

    await typeScript(page, readRepoFile("exercises/solutions/03-cgroups/confine.sh"));
    await run(page, "sleep 2");
    expect(await checkWork(check, "pass", 15_000)).toMatch(/All 9 checks pass/);
    await check.screenshot({ path: `${shots}/cgroups-check.png` });
    await closeWithoutErrors(page);
  });
});
