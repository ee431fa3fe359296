// Every command of lesson 12, as its ▶ Run buttons type them, runs in the engine in the lesson's
// order on the page's walk-through cluster (createCluster({ workers: 2, seed: 1 }), the lab
// `<Terminal lab="cluster">` shows), and prints exactly the output the text quotes after it.
// The "Your turn" commands run on exercise 12's broken lab, where they must show the break.
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createCluster } from "../../engine";
import exercise from "./check";
import { asShown, blockCommands, lessonSteps } from "../lib/lesson-transcript";

const mdx = readFileSync(new URL("../../lessons/12-capstone-from-apply-to-a-packet.mdx", import.meta.url), "utf8");
const cut = mdx.indexOf("## Your turn");
const walk = lessonSteps(mdx.slice(0, cut));
const yourTurn = lessonSteps(mdx.slice(cut));

describe("lesson 12's commands", () => {
  it("splits here-documents into one command each, the way the terminal reads them", () => {
    const [apply] = blockCommands("kubectl apply -f - <<EOF\nkind: Pod\n  name: x\nEOF\nkubectl get pods\n");
    expect(apply).toBe("kubectl apply -f - <<EOF\nkind: Pod\n  name: x\nEOF\n");
    expect(blockCommands("# a comment\nPID=$(pgrep x)\n\nls /proc/$PID/ns\n")).toEqual(["PID=$(pgrep x)", "ls /proc/$PID/ns"]);
  });

  it("all run, in order, on a fresh cluster, with exactly the outputs the text quotes", () => {
    const host = createCluster({ workers: 2, seed: 1 }).controlPlane;
    expect(walk.length).toBeGreaterThan(20);
    let quoted = 0;
    for (const step of walk) {
      let out = "";
      for (const c of step.commands) {
        const r = host.sh(c);
        expect(r.exitCode, `${c}\n${r.stderr}`).toBe(0);
        out += r.stdout + r.stderr;
      }
      if (step.shown !== null) {
        quoted++;
        expect(asShown(out), step.commands.join("\n")).toBe(step.shown);
      }
    }
    expect(quoted).toBe(walk.length);
  });

  it("the text's claims hold on that cluster: one pod per worker, a request that crossed nodes", () => {
    const host = createCluster({ workers: 2, seed: 1 }).controlPlane;
    for (const step of walk) for (const c of step.commands) host.sh(c);
    // The pod followed from stop 4 on is the one on worker-2, and the cross-node connection is in
    // both nodes' conntrack tables with the client's own address as its source.
    const pods = host.sh("kubectl get pods -o wide").stdout;
    expect(pods).toMatch(/^web-76d6cd9485-jxttx +1\/1 +Running +0 +\S+ +10\.200\.1\.3 +worker-2 /m);
    expect(pods).toMatch(/^client +1\/1 +Running +0 +\S+ +10\.200\.0\.4 +worker-1 /m);
    expect(mdx).toContain("src=10.200.0.4 dst=10.32.0.173 sport=40030 dport=80 src=10.200.1.3 dst=10.200.0.4");
    expect(mdx).toContain("src=10.200.0.4 dst=10.200.1.3 sport=40030 dport=8080");
  });

  it("links back to a lesson for every layer, and every link names a lesson that exists", () => {
    const slugs = [...mdx.matchAll(/\]\(\/lessons\/([^/)]+)\/\)/g)].map((m) => m[1]!);
    expect(new Set(slugs.map((s) => s.slice(0, 2)))).toEqual(new Set(["01", "02", "03", "04", "05", "06", "07", "08", "09", "10"]));
    for (const s of slugs) expect(existsSync(new URL(`../../lessons/${s}.mdx`, import.meta.url)), s).toBe(true);
  });

  it("the Your turn commands run on exercise 12's lab and show that curl fails there", () => {
    const host = exercise.setup();
    const cmds = yourTurn.flatMap((s) => s.commands);
    expect(cmds).toEqual(["kubectl exec client -- curl -s -m 2 http://web", "echo $?"]);
    const curl = host.sh(cmds[0]!);
    expect(curl.exitCode).not.toBe(0);
    expect(curl.stderr).toMatch(/^command terminated with exit code (6|7|28)\n$/);
    expect(host.sh(cmds[1]!).stdout).toBe(`${curl.exitCode}\n`);
  });
});
