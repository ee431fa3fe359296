// kubectl config reads the kubeconfig kubectl itself uses (~/.kube/config on the control plane,
// or $KUBECONFIG), and kubectl get all lists the workload kinds that have objects.
import { describe, expect, it } from "vitest";
import { createCluster } from "../cluster";

describe("kubectl config", () => {
  it("views, names and switches contexts from ~/.kube/config", () => {
    const c = createCluster({ workers: 1, seed: 1 });
    const view = c.sh("kubectl config view").stdout;
    expect(view).toMatch(/^apiVersion: v1\nclusters:\n- cluster:\n    server: https:\/\/192\.168\.56\.11:6443\n  name: kubernetes-the-hard-way\ncontexts:\n/);
    expect(view).toContain("\ncurrent-context: default\nkind: Config\npreferences: {}\nusers:\n");
    expect(c.sh("kubectl config current-context").stdout).toBe("default\n");
    expect(c.sh("kubectl config get-contexts").stdout).toMatch(/^CURRENT +NAME +CLUSTER +AUTHINFO +NAMESPACE\n\* +default +kubernetes-the-hard-way +admin\s*\n$/);
    expect(c.sh("kubectl config use-context nope")).toMatchObject({ stderr: 'error: no context exists with the name: "nope"\n', exitCode: 1 });
  });

  it("hides credentials unless --raw, and follows $KUBECONFIG", () => {
    const c = createCluster({ workers: 1, seed: 1 });
    const cfg = "apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    certificate-authority-data: LS0tLS1CRUdJTg==\n    server: https://10.0.0.1:6443\n  name: other\ncontexts:\n- context:\n    cluster: other\n    user: me\n    namespace: dev\n  name: dev\ncurrent-context: dev\nusers:\n- name: me\n  user:\n    token: abc\n";
    c.controlPlane.writeFile("/root/other.yaml", cfg);
    const view = c.sh("KUBECONFIG=/root/other.yaml kubectl config view").stdout;
    expect(view).toContain("certificate-authority-data: DATA+OMITTED\n");
    expect(view).toContain("token: REDACTED\n");
    expect(c.sh("KUBECONFIG=/root/other.yaml kubectl config view --raw").stdout).toContain("token: abc\n");
    expect(c.sh("KUBECONFIG=/root/other.yaml kubectl config get-contexts").stdout).toMatch(/\n\* +dev +other +me +dev\n$/);
  });
});

describe("kubectl get all", () => {
  it("prints a table per workload kind that has objects, and says so when none has", () => {
    const c = createCluster({ workers: 1, seed: 1 });
    c.sh("kubectl create deployment web --image=nginx:1.27");
    c.settle();
    const out = c.sh("kubectl get all").stdout;
    expect(out.match(/^NAME .*$/gm)).toHaveLength(4);
    expect(out).toMatch(/^pod\/web-[0-9a-f]+-\w{5} +1\/1 +Running/m);
    expect(out).toMatch(/^service\/kubernetes +ClusterIP/m);
    expect(out).toMatch(/^deployment\.apps\/web +1\/1/m);
    expect(out).toMatch(/^replicaset\.apps\/web-[0-9a-f]+ +1 +1 +1/m);
    expect(c.sh("kubectl get all -n kube-public")).toMatchObject({ stdout: "", stderr: "No resources found in kube-public namespace.\n", exitCode: 0 });
  });
});
