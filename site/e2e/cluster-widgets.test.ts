// <cluster-map> and <request-timeline> in headless Chromium on lesson 7 (a broken cluster, repaired first): the page
// loads without console errors, the map shows the three machines and the cluster DNS add-on's two
// CoreDNS pods (kube-system, one on each worker, real pods like any other); after the reader types
// `kubectl create deployment web --image=nginx --replicas=3` in the terminal, the pods appear
// on the workers; a click on a pod shows its Linux pieces (its network namespace's inode, the
// same one `lsns` prints on its node), and the timeline lists the request's steps in order.
// Screenshots: /tmp/shots/cluster-map*.png, /tmp/shots/request-timeline*.png.
import { afterAll, expect, test } from "vitest";
import { closeBrowser, describeBrowser, openPage } from "./browser";
import { closeWithoutErrors, run, setTheme, shots, terminalText, typeKeys } from "./lesson-page";

/** The page both widgets are on. */
const PAGE = "/lessons/07-the-control-plane/";

afterAll(closeBrowser);

describeBrowser("cluster widgets", () => {
  test("ClusterMap places the pods kubectl made; a pod shows its Linux pieces; RequestTimeline lists the steps", async () => {
    const page = await openPage(PAGE);
    await page.locator("kijl-terminal").first().scrollIntoViewIfNeeded();
    await page.waitForSelector("kijl-terminal[data-ready]", { timeout: 30_000 });

    const map = page.locator("cluster-map").first();
    await map.scrollIntoViewIfNeeded();
    await expect.poll(() => map.getAttribute("data-machines"), { timeout: 15_000 }).toBe("3");
    expect(await map.locator("section[data-node]").evaluateAll((s) => s.map((x) => (x as HTMLElement).dataset.node))).toEqual(["controlplane", "worker-1", "worker-2"]);
    const units = () => map.locator("[data-unit]").evaluateAll((els) => els.map((e) => `${(e as HTMLElement).dataset.unit}=${(e as HTMLElement).dataset.state}`));
    // Lesson 7's lab starts broken (exercise 7): the map shows the failed scheduler.
    expect(await units()).toContain("kube-scheduler=failed");
    // Repair it as the lesson does and remove the stuck Deployment, so only kube-system's pods are left.
    for (const line of ["chmod +x /usr/local/bin/kube-scheduler", "systemctl restart kube-scheduler", "kubectl uncordon worker-2", "kubectl delete deployment web", "sleep 5"]) await run(page, line);
    // Every component is up: green dots, each unit named.
    await expect.poll(units).toEqual(["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "containerd", "containerd", "kubelet", "kube-proxy", "containerd", "kubelet", "kube-proxy"].map((u) => `${u}=active`));
    // The cluster DNS add-on: two CoreDNS pods, Running since boot, one on each worker, named
    // with their namespace (the reader's own pods, in default, go by name alone).
    await expect.poll(() => map.getAttribute("data-pods")).toBe("2");
    const dns = () => map.locator("[data-pod^='kube-system/coredns-']").evaluateAll((els) => els.map((e) => [(e.closest("section[data-node]") as HTMLElement).dataset.node, (e as HTMLElement).dataset.status, e.querySelector(".cmap__podname")!.textContent]));
    expect((await dns()).map(([n, st, name]) => [n, st, /^kube-system\/coredns-\S+$/.test(name ?? "")])).toEqual([["worker-1", "Running", true], ["worker-2", "Running", true]]);

    const timeline = page.locator("request-timeline").first();
    await timeline.scrollIntoViewIfNeeded();

    // The reader types the command; the pods exist and are bound at once.
    await typeKeys(page, "kubectl create deployment web --image=nginx --replicas=3", "Enter");
    await expect.poll(() => terminalText(page), { timeout: 10_000 }).toContain("deployment.apps/web created");
    await expect.poll(() => map.getAttribute("data-pods"), { timeout: 5_000 }).toBe("5");
    await expect.poll(() => map.locator("section[data-node^='worker-'] [data-pod^='default/web-']").count()).toBe(3);
    expect(await map.locator("section[data-node^='worker-'] [data-pod]").count()).toBe(5);
    expect(await map.locator("section[data-node='controlplane'] [data-pod]").count()).toBe(0);

    // Virtual time moves with the next command: the kubelets start the pods.
    await run(page, "kubectl rollout status deployment/web");
    await expect.poll(() => map.locator("[data-pod^='default/web-'][data-status='Running']").count(), { timeout: 5_000 }).toBe(3);
    expect(await map.locator("[data-pod][data-status='Running']").count()).toBe(5);
    const cpu = await map.locator("section[data-node='worker-1'] .cmap__text").first().textContent();
    expect(cpu).toMatch(/^requests \d+m? of 2 allocatable · using \d+m? of 2 CPUs$/);
    const pods1 = await map.locator("section[data-node='worker-1'] [data-pod]").count();
    expect(await map.locator("section[data-node='worker-1'] .cmap__text").nth(2).textContent()).toBe(`${pods1} of 110 allocatable`);

    // Click a pod: its Linux pieces, each with a command for the terminal.
    const pod = map.locator("section[data-node^='worker-'] [data-pod^='default/web-']").first();
    const key = (await pod.getAttribute("data-pod"))!;
    const node = await pod.evaluate((b) => (b.closest("section[data-node]") as HTMLElement).dataset.node!);
    await pod.click();
    await expect.poll(() => map.locator(`button[data-pod="${key}"]`).getAttribute("aria-expanded")).toBe("true");
    const detail = map.locator(".cmap__detail");
    await expect.poll(() => detail.getAttribute("data-selected")).toBe(key);
    const netns = map.locator("[data-piece='netns']");
    const inode = /^net:\[(\d+)\]$/.exec((await netns.getAttribute("data-value")) ?? "")?.[1];
    expect(inode, "the net namespace's inode is shown").toBeTruthy();
    for (const piece of ["sandbox", "cgroup", "veth", "eth0", "container:nginx", "mntns:nginx", "rootfs:nginx"]) expect(await map.locator(`[data-piece='${piece}']`).count(), piece).toBe(1);
    expect(await map.locator("[data-piece='cgroup']").getAttribute("data-value")).toMatch(/^\/kubepods\.slice\/kubepods-besteffort\.slice\/kubepods-besteffort-pod\w+\.slice$/);

    // Its ▶ Run button types `ssh NODE lsns -p PID` into the terminal: the node prints the same inode.
    const runNet = netns.locator("button.cmap__run");
    const command = (await runNet.getAttribute("data-command"))!;
    expect(command).toMatch(new RegExp(`^ssh ${node} lsns -p \\d+$`));
    await runNet.click();
    await expect.poll(() => terminalText(page), { timeout: 10_000 }).toMatch(new RegExp(`${inode} net\\s+\\d+\\s+\\d+ root /pause`));

    // The timeline: every stage reached, the steps in the walkthrough's order.
    await timeline.scrollIntoViewIfNeeded();
    expect(await timeline.locator(".rtl__command").textContent()).toBe("kubectl create deployment web --image=nginx --replicas=3");
    const counts = await timeline.locator(".rtl__stage").evaluateAll((els) => els.map((e) => [(e as HTMLElement).dataset.stage, Number((e as HTMLElement).dataset.count)] as const));
    expect(counts.map(([s]) => s)).toEqual(["kubectl", "apiserver", "etcd", "controller", "scheduler", "kubelet", "runtime"]);
    for (const [stage, n] of counts) expect(n, stage).toBeGreaterThan(0);
    expect(Object.fromEntries(counts)).toMatchObject({ scheduler: 3, kubelet: 9, runtime: 6 });
    const stages = await timeline.locator(".rtl__step").evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.stage!));
    const first = (s: string) => stages.indexOf(s);
    expect(first("kubectl")).toBe(0);
    expect(first("kubectl") < first("apiserver") && first("apiserver") < first("etcd") && first("etcd") < first("controller") && first("controller") < first("scheduler") && first("scheduler") < first("kubelet")).toBe(true);
    expect(await timeline.locator(".rtl__step").first().textContent()).toContain("POST /apis/apps/v1/namespaces/default/deployments");
    expect(await timeline.locator(".rtl__step[data-stage='scheduler']").first().textContent()).toMatch(/Bound default\/web-\S+ to worker-[12]/);

    // Screenshots of the whole figures (caption and legend), in a window tall enough for them.
    await page.setViewportSize({ width: 1280, height: 2400 });
    // Every pod's button stays inside its machine's card, the long kube-system/coredns-… names too.
    const spill = () => map.locator("section[data-node] [data-pod]").evaluateAll((els) => els.map((b) => b.getBoundingClientRect().right - (b.closest("section[data-node]") as HTMLElement).getBoundingClientRect().right));
    await expect.poll(async () => (await spill()).length).toBe(5);
    expect((await spill()).every((d) => d <= 0)).toBe(true);
    const mapFigure = page.locator("figure.cmap");
    const timelineFigure = page.locator("figure.rtl");
    await mapFigure.screenshot({ path: `${shots}/cluster-map.png` });
    await timelineFigure.screenshot({ path: `${shots}/request-timeline.png` });
    await setTheme(page, "dark");
    await mapFigure.screenshot({ path: `${shots}/cluster-map-dark.png` });
    await timelineFigure.screenshot({ path: `${shots}/request-timeline-dark.png` });
    // A phone's width: nothing overflows sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    await setTheme(page, "light");
    await map.scrollIntoViewIfNeeded();
    const overflow = await page.evaluate(() => [...document.querySelectorAll("cluster-map, request-timeline")].map((w) => w.scrollWidth - w.clientWidth));
    expect(overflow.every((o) => o <= 1)).toBe(true);
    await page.setViewportSize({ width: 390, height: 3000 });
    await mapFigure.screenshot({ path: `${shots}/cluster-map-phone.png` });
    await timelineFigure.screenshot({ path: `${shots}/request-timeline-phone.png` });

    // Close with the keyboard: focus returns to the pod.
    await map.locator(".cmap__close").focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => detail.isHidden()).toBe(true);
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.pod)).toBe(key);
    await closeWithoutErrors(page);
  });
});
