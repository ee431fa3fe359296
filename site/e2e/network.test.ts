// Lesson 5's <net-diagram> and <packet-trace> in headless Chromium against the built site: the
// page loads, namespaces, a veth pair and a bridge made in the terminal appear in the diagram
// (with the pair's line drawn), the tracer steps through a ping hop by hop and rule by rule,
// and nothing is logged to the console. Screenshots: /tmp/shots/network.png (+ -page, -trace).
import { afterAll, expect, test } from "vitest";
import { closeBrowser, describeBrowser, openPage } from "./browser";
import { builtLessonPath, DESKTOP, run, setTheme, shots, terminalReady } from "./lesson-page";

const POD = (name: string, ip: string) => [
  `ip netns add ${name}`,
  `ip link add veth-${name} type veth peer name eth0 netns ${name}`,
  `ip link set veth-${name} master cni0`,
  `ip link set veth-${name} up`,
  `ip -n ${name} addr add ${ip}/24 dev eth0`,
  `ip -n ${name} link set eth0 up`,
];

afterAll(closeBrowser);

describeBrowser("lesson 5: network diagram and packet trace", () => {
  test("draws what the terminal builds and steps through a ping", async () => {
    const page = await openPage(builtLessonPath("05-veth-bridges-and-cni"));
    await page.setViewportSize(DESKTOP);
    await terminalReady(page);
    const diagram = page.locator("net-diagram").first();
    await diagram.scrollIntoViewIfNeeded();
    await page.waitForSelector("net-diagram[data-namespaces='1']", { timeout: 15_000 });
    expect(await diagram.locator(".nd__hint").textContent()).toMatch(/ip netns add/);

    // One namespace: it appears above the host, empty.
    await run(page, "ip netns add red");
    await page.waitForSelector("net-diagram[data-names='red']", { timeout: 5_000 });
    expect(await diagram.locator(".nd__ns:not(.nd__ns--host) .nd__ns-title").allTextContents()).toEqual(["netns red"]);

    // A bridge and two pods on it: interfaces, addresses, ports and veth lines.
    for (const line of ["ip link add cni0 type bridge", "ip addr add 10.244.1.1/24 dev cni0", "ip link set cni0 up", ...POD("red", "10.244.1.2").slice(1), ...POD("blue", "10.244.1.3")]) {
      await run(page, line);
    }
    await page.waitForSelector("net-diagram[data-names='red blue']", { timeout: 5_000 });
    const red = diagram.locator(".nd__ns[data-netns]:has(.nd__ns-title:text('netns red'))");
    await expect.poll(() => red.locator(".nd__if[data-name='eth0']").textContent()).toMatch(/eth0.*veth.*UP.*10\.244\.1\.2\/24.*↔ veth-red in node-1/);
    const ports = await diagram.locator(".nd__ns--host .nd__ports .nd__if").evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.name));
    expect(ports).toEqual(["veth-red", "veth-blue"]);
    await expect.poll(() => diagram.locator("svg.nd__wires path").count()).toBe(2);
    expect(await red.locator(".nd__route").allTextContents()).toEqual(["10.244.1.0/24 dev eth0 proto kernel scope link src 10.244.1.2"]);

    await page.screenshot({ path: `${shots}/network-page.png` });
    await diagram.screenshot({ path: `${shots}/network.png` });

    // The tracer: pick red, ping blue, step through.
    const tracer = page.locator("packet-trace").first();
    await tracer.scrollIntoViewIfNeeded();
    await page.waitForSelector("packet-trace select[name='from'] option[value='red']", { state: "attached", timeout: 10_000 });
    await tracer.locator("select[name='from']").selectOption("red");
    await tracer.locator("input[name='dst']").fill("10.244.1.3");
    await tracer.locator("select[name='proto']").selectOption("icmp");
    await tracer.locator("button.pt__send").click();
    await page.waitForSelector("packet-trace[data-outcome='reply']", { timeout: 5_000 });
    expect(await tracer.locator(".pt__outcome").textContent()).toMatch(/Answered.*Echo reply from 10\.244\.1\.3/);
    expect(await tracer.locator(".pt__counter").textContent()).toMatch(/^Step 1 of \d+$/);
    expect(await tracer.locator(".pt__what").textContent()).toBe("A socket in node-1 · netns red sends 10.244.1.2 > 10.244.1.3 icmp type 8 code 0");
    // Keyboard: the arrow key moves on; the steps say where the packet is.
    await tracer.locator(".pt__detail").focus();
    const seen: string[] = [];
    for (let i = 0; i < 12; i++) {
      seen.push((await tracer.locator(".pt__what").textContent()) ?? "");
      await page.keyboard.press("ArrowRight");
    }
    expect(seen).toContain("Leaves node-1 · netns red by eth0");
    expect(seen).toContain("Arrives in node-1 on veth-red");
    expect(seen).toContain("Bridge cni0 forwards it out of port veth-blue");
    await page.keyboard.press("ArrowLeft");
    expect(await tracer.getAttribute("data-step")).toBe("12");

    // A rule in the host's FORWARD chain: the tracer shows it tested and matched.
    await run(page, "iptables -A FORWARD -s 10.244.1.2 -j ACCEPT");
    await tracer.locator("button.pt__send").click();
    await tracer.locator(".pt__item--hit .pt__jump").first().click();
    await expect.poll(() => tracer.locator(".pt__rule--hit").textContent()).toMatch(/▶ matches.*-A FORWARD -s 10\.244\.1\.2\/32 -j ACCEPT/);
    await tracer.screenshot({ path: `${shots}/network-trace.png` });

    // Dark theme: the widgets follow data-theme on <html>.
    await setTheme(page, "dark");
    const bg = await diagram.evaluate((e) => getComputedStyle(e.closest(".nd")!).backgroundColor);
    expect(bg).toBe("rgb(13, 17, 23)");

    expect(page.consoleErrors).toEqual([]);
  });
});
