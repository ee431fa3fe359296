// kubectl apply on objects that already exist: the three-way merge, and a Pod's immutable spec.
import { describe, expect, it } from "vitest";
import { createCluster } from "../cluster";
import type { Deployment, Pod } from "../api/types";
import { threeWayMerge } from "./three-way-merge";

const podYaml = (image: string, cpu: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: ${image}\n    resources:\n      requests:\n        cpu: ${cpu}\n`;

describe("threeWayMerge", () => {
  it("sets what the manifest says, drops what only the last apply said, keeps the rest", () => {
    const last = { spec: { replicas: 2, paused: true } };
    const desired = { spec: { replicas: 3 } };
    const live = { spec: { replicas: 2, paused: true, revisionHistoryLimit: 10 }, status: { x: 1 } };
    expect(threeWayMerge(last, desired, live)).toEqual({ spec: { replicas: 3, revisionHistoryLimit: 10 }, status: { x: 1 } });
  });

  it("merges containers by name and keeps fields the server filled in", () => {
    const last = { containers: [{ name: "a", image: "x:1" }, { name: "b", image: "y:1" }] };
    const desired = { containers: [{ name: "a", image: "x:2" }] };
    const live = { containers: [{ name: "a", image: "x:1", imagePullPolicy: "IfNotPresent" }, { name: "b", image: "y:1" }] };
    expect(threeWayMerge(last, desired, live)).toEqual({ containers: [{ name: "a", image: "x:2", imagePullPolicy: "IfNotPresent" }] });
  });

  it("replaces lists without a merge key", () => {
    expect(threeWayMerge({ args: ["a"] }, { args: ["b", "c"] }, { args: ["a"] })).toEqual({ args: ["b", "c"] });
  });
});

describe("kubectl apply to a running Pod", () => {
  const setup = () => {
    const c = createCluster({ workers: 1, seed: 1 });
    c.controlPlane.writeFile("/root/p.yaml", podYaml("nginx:1.27", "100m"));
    expect(c.sh("kubectl apply -f /root/p.yaml").stdout).toBe("pod/p created\n");
    c.settle();
    return c;
  };

  it("a new image is allowed and keeps the pod on its node", () => {
    const c = setup();
    const before = c.api.get<Pod>("Pod", "default", "p");
    c.controlPlane.writeFile("/root/p.yaml", podYaml("nginx:1.28", "100m"));
    expect(c.sh("kubectl apply -f /root/p.yaml")).toMatchObject({ stdout: "pod/p configured\n", exitCode: 0 });
    const after = c.api.get<Pod>("Pod", "default", "p");
    expect(after.spec.containers[0]!.image).toBe("nginx:1.28");
    expect(after.spec.nodeName).toBe(before.spec.nodeName);
    expect(after.spec.tolerations).toEqual(before.spec.tolerations);
  });

  it("a changed request is refused with the API server's words, and nothing changes", () => {
    const c = setup();
    const rev = c.etcd.revision;
    c.controlPlane.writeFile("/root/p.yaml", podYaml("nginx:1.27", "200m"));
    const r = c.sh("kubectl apply -f /root/p.yaml");
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe(
      'The Pod "p" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n',
    );
    expect(c.etcd.revision).toBe(rev);
    expect(c.api.get<Pod>("Pod", "default", "p").spec.containers[0]!.resources?.requests?.cpu).toBe("100m");
  });

  it("a pod made imperatively gets kubectl's missing-annotation warning, then is patched", () => {
    const c = createCluster({ workers: 1, seed: 1 });
    c.sh("kubectl run p --image=nginx:1.27");
    c.settle();
    c.controlPlane.writeFile("/root/p.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    run: p\n    tier: web\nspec:\n  containers:\n  - name: p\n    image: nginx:1.27\n");
    const r = c.sh("kubectl apply -f /root/p.yaml");
    expect(r.stderr).toMatch(/^Warning: resource pods\/p is missing the kubectl.kubernetes.io\/last-applied-configuration annotation which is required by kubectl apply\./);
    expect(r.stdout).toBe("pod/p configured\n");
    expect(c.api.get<Pod>("Pod", "default", "p").metadata.labels).toEqual({ run: "p", tier: "web" });
  });
});

describe("kubectl apply to a Deployment", () => {
  it("removing a field the last apply set restores its default", () => {
    const c = createCluster({ workers: 1, seed: 1 });
    const dep = (extra: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n${extra}  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n`;
    c.controlPlane.writeFile("/root/d.yaml", dep("  revisionHistoryLimit: 3\n"));
    c.sh("kubectl apply -f /root/d.yaml");
    expect(c.api.get<Deployment>("Deployment", "default", "web").spec.revisionHistoryLimit).toBe(3);
    c.controlPlane.writeFile("/root/d.yaml", dep(""));
    expect(c.sh("kubectl apply -f /root/d.yaml").stdout).toBe("deployment.apps/web configured\n");
    expect(c.api.get<Deployment>("Deployment", "default", "web").spec.revisionHistoryLimit).toBe(10);
  });
});

describe("kubectl set image on a Pod", () => {
  it("changes the container's image in place (the one mutable field)", () => {
    const c = createCluster({ workers: 1, seed: 1 });
    c.sh("kubectl run p --image=nginx:1.27");
    c.settle();
    expect(c.sh("kubectl set image pod/p p=nginx:1.28")).toMatchObject({ stdout: "pod/p image updated\n", exitCode: 0 });
    expect(c.api.get<Pod>("Pod", "default", "p").spec.containers[0]!.image).toBe("nginx:1.28");
    expect(c.sh("kubectl set image pod/p nope=nginx:1.28")).toMatchObject({ stderr: 'error: unable to find container named "nope"\n', exitCode: 1 });
  });
});
