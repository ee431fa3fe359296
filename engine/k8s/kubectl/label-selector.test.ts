// kubectl label / annotate with -l: every object the selector matches, one line each; an
// empty match is kubectl's "No resources found"; a bad selector is its parse error.
import { describe, expect, it } from "vitest";
import { createCluster } from "../cluster";

describe("kubectl label -l SELECTOR", () => {
  it("labels every matching pod, and the pods then match the new selector", () => {
    const c = createCluster({ workers: 1, seed: 1 });
    c.sh("kubectl create deployment web --image=nginx:1.27 --replicas=2");
    c.sh("kubectl run other --image=nginx:1.27");
    c.settle();
    const r = c.sh("kubectl label pods -l app=web tier=frontend");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^pod\/web-\w+-\w+ labeled\npod\/web-\w+-\w+ labeled\n$/);
    expect(c.sh("kubectl get pods -l tier=frontend -o name").stdout.split("\n").filter(Boolean)).toHaveLength(2);
    expect(c.sh("kubectl get pod other --show-labels").stdout).not.toContain("tier");
    expect(c.sh("kubectl label pods -l app=web tier-").stdout).toMatch(/^(pod\/web-\w+-\w+ unlabeled\n){2}$/);
    expect(c.sh("kubectl annotate pods -l run=other note=hi").stdout).toBe("pod/other annotated\n");
  });

  it("no match and bad selectors: kubectl's messages, nothing changed", () => {
    const c = createCluster({ workers: 1, seed: 1 });
    const rev = c.etcd.revision;
    expect(c.sh("kubectl label pods -l app=nope tier=x")).toMatchObject({ stdout: "", stderr: "No resources found in default namespace.\n", exitCode: 0 });
    expect(c.sh("kubectl label pods -l 'app in (' tier=x").exitCode).toBe(1);
    expect(c.etcd.revision).toBe(rev);
  });
});
