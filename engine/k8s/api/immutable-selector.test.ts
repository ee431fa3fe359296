// apps/v1 Deployments and ReplicaSets keep their selector for life: an update that changes it is
// the API server's 422 with Go's %#v of the new selector, and nothing is stored.
import { describe, expect, it } from "vitest";
import { createCluster } from "../cluster";

const dep = (app: string, extra = "") => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: ${app}${extra}
  template:
    metadata:
      labels:
        app: ${app}${extra.replace("\n      ", "\n        ")}
    spec:
      containers:
      - name: web
        image: nginx:1.27
`;

describe("immutable selectors", () => {
  it("kubectl apply with a new selector is refused; the old Deployment stays; delete and apply works", () => {
    const c = createCluster({ workers: 1, seed: 1 });
    expect(c.sh("kubectl apply -f -", { stdin: dep("website") }).stdout).toBe("deployment.apps/web created\n");
    const rev = c.etcd.revision;
    const r = c.sh("kubectl apply -f -", { stdin: dep("web", "\n      tier: frontend") });
    expect(r).toMatchObject({ exitCode: 1, stdout: "" });
    expect(r.stderr).toBe('The Deployment "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web", "tier":"frontend"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable\n');
    expect(c.etcd.revision).toBe(rev);
    expect(c.sh("kubectl get deployment web -o jsonpath={.spec.selector.matchLabels.app}").stdout).toBe("website");
    // The same selector with other changes is fine.
    expect(c.sh("kubectl apply -f -", { stdin: dep("website").replace("replicas: 1", "replicas: 2") }).stdout).toBe("deployment.apps/web configured\n");
    c.sh("kubectl delete deployment web");
    c.settle();
    expect(c.sh("kubectl apply -f -", { stdin: dep("web") }).stdout).toBe("deployment.apps/web created\n");
  });
});
