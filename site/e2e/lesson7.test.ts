// Lesson 7 (the control plane) in headless Chromium against the built site: the page's world is
// exercise 7's broken cluster; the terminal is root@controlplane and answers kubectl; the break is
// visible there (scheduler failed, worker-2 SchedulingDisabled, web Pending); the quiz grades;
// "Check my work" fails on the broken lab with a hint from state, and passes after the reference
// solution's commands. No console errors. Screenshots: /tmp/shots/lesson7*.png.
import { afterAll, expect, test } from "vitest";
import { closeBrowser, describeBrowser, openPage } from "./browser";
import { checkButton, checkWork, clickRunButton, closeWithoutErrors, DESKTOP, engineSources, passQuiz, readRepoFile, run, shots, terminalReady, terminalText, typeScript, waitForText } from "./lesson-page";

const LESSON = "/lessons/07-the-control-plane/";

afterAll(closeBrowser);

describeBrowser("lesson 7: the control plane", () => {
  test("the terminal is the broken cluster's control plane and answers kubectl", async () => {
    const page = await openPage(LESSON);
    await page.setViewportSize(DESKTOP);
    await terminalReady(page);
    expect(await page.locator("main[data-lab='cluster'][data-exercise='7']").count()).toBe(1);

    await run(page, "kubectl get nodes");
    await waitForText(page, "worker-2", { timeout: 15_000 });
    const nodes = await terminalText(page);
    expect(nodes).toMatch(/root@controlplane:~# kubectl get nodes\nNAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\nworker-1\s+Ready\s+<none>\s+\S+\s+v1\.34\.1\nworker-2\s+Ready,SchedulingDisabled\s+<none>/);

    await run(page, "systemctl is-active kube-scheduler");
    await run(page, "kubectl get pods");
    await waitForText(page, "web-");
    const screen = await terminalText(page);
    expect(screen).toMatch(/# systemctl is-active kube-scheduler\nfailed\n/);
    expect(screen.split("\n").filter((l) => /^web-\S+\s+0\/1\s+Pending\s/.test(l))).toHaveLength(4);

    // The lesson's EngineSource excerpts rendered (a missing symbol would have failed the build).
    expect(await engineSources(page)).toEqual([
      "engine/k8s/controllers/replicaset.ts#ReplicaSetController.sync",
      "engine/k8s/scheduler/framework.ts#schedule",
      "engine/k8s/components/controller-manager.ts#controllerManager",
      "engine/k8s/components/scheduler.ts#kubeScheduler",
    ]);

    // Stop 1's Run button types the here-document with its YAML indentation intact.
    await clickRunButton(page, "replicas: 2");
    await waitForText(page, "deployment.apps/hello created", { timeout: 15_000 });
    expect(await terminalText(page)).toMatch(/^> {3}name: hello$/m);

    await page.screenshot({ path: `${shots}/lesson7-page.png` });
    await page.locator("kijl-terminal").first().screenshot({ path: `${shots}/lesson7-terminal.png` });
    await page.locator("figure.engine-source").nth(1).screenshot({ path: `${shots}/lesson7-framework.png` });
    await closeWithoutErrors(page);
  });

  test("the quiz grades, and Check my work fails on the broken lab and passes after the repair", async () => {
    const page = await openPage(LESSON);
    await terminalReady(page);

    await passQuiz(page, 6, true);

    const check = await checkButton(page, 7);
    expect(await checkWork(check, "fail", 20_000)).toMatch(/kube-scheduler is failed on controlplane: systemctl status kube-scheduler says status=203\/EXEC/);
    expect(await check.textContent()).toMatch(/kubectl uncordon worker-2/);
    await check.screenshot({ path: `${shots}/lesson7-check-fail.png` });

    await typeScript(page, readRepoFile("exercises/solutions/07-fix-the-control-plane/fix.sh"));
    expect(await checkWork(check, "pass", 20_000)).toMatch(/All 4 checks pass/);
    await check.screenshot({ path: `${shots}/lesson7-check-pass.png` });
    await closeWithoutErrors(page);
  });
});
