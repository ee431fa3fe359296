// --dry-run=client|server with -o yaml|json: the object is printed, the cluster is untouched.
import { describe, expect, it } from "vitest";
import { clusterWith, deploymentYaml } from "../testing/fixtures";

const DEPLOY = deploymentYaml();

const cluster = () => clusterWith({ workers: 1, files: { "web.yaml": DEPLOY } });

describe("--dry-run", () => {
  it("create deployment --dry-run=client -o yaml prints what kubectl would send, and nothing is stored", () => {
    const c = cluster();
    const rev = c.etcd.revision;
    expect(c.sh("kubectl create deployment web --image=nginx:1.27 --replicas=3 --dry-run=client -o yaml").stdout).toBe(
      "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  labels:\n    app: web\n  name: web\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app: web\n  strategy: {}\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - image: nginx:1.27\n        name: nginx\n        resources: {}\nstatus: {}\n",
    );
    expect(JSON.parse(c.sh("kubectl create deployment web --image=nginx:1.27 --dry-run=client -o json").stdout)).toMatchObject({ kind: "Deployment", spec: { replicas: 1 } });
    expect(Object.keys(JSON.parse(c.sh("kubectl create deployment web --image=nginx:1.27 --dry-run=client -o json").stdout))[0]).toBe("kind");
    expect(c.sh("kubectl create deployment web --image=nginx:1.27 --dry-run=client").stdout).toBe("deployment.apps/web created (dry run)\n");
    expect(c.sh("kubectl create deployment web --image=nginx:1.27 --dry-run=server").stdout).toBe("deployment.apps/web created (server dry run)\n");
    expect(c.sh("kubectl create namespace dev --dry-run=client -o yaml").stdout).toBe("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: dev\nspec: {}\nstatus: {}\n");
    expect(c.sh("kubectl run box --image=busybox:1.36 --restart=Never --dry-run=client -o yaml -- sleep 3600").stdout).toBe(
      "apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    run: box\n  name: box\nspec:\n  containers:\n  - args:\n    - sleep\n    - \"3600\"\n    image: busybox:1.36\n    name: box\n    resources: {}\n  dnsPolicy: ClusterFirst\n  restartPolicy: Never\nstatus: {}\n",
    );
    expect(c.etcd.revision).toBe(rev);
    expect(c.sh("kubectl get deploy,ns dev").exitCode).toBe(1);
  });

  it("the printed manifest applies as it is (dry-run output is a starting manifest)", () => {
    const c = cluster();
    c.sh("kubectl create deployment web --image=nginx:1.27 --dry-run=client -o yaml > gen.yaml");
    expect(c.sh("kubectl apply -f gen.yaml").stdout).toBe("deployment.apps/web created\n");
    c.settle();
    expect(c.sh("kubectl get deploy web").stdout).toMatch(/^web\s+1\/1\s+1\s+1\s/m);
  });

  it("apply --dry-run=client -o yaml carries the last-applied-configuration; --dry-run=server shows defaults and a uid", () => {
    const c = cluster();
    const rev = c.etcd.revision;
    const client = c.sh("kubectl apply -f web.yaml --dry-run=client -o yaml").stdout;
    expect(client).toContain('  annotations:\n    kubectl.kubernetes.io/last-applied-configuration: |\n      {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"annotations":{},"name":"web","namespace":"default"},"spec":{"replicas":2,');
    expect(client).toContain("  namespace: default\n");
    expect(client).not.toContain("uid:");
    const server = JSON.parse(c.sh("kubectl apply -f web.yaml --dry-run=server -o json").stdout);
    expect(server.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(server.spec.strategy).toEqual({ rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" }, type: "RollingUpdate" });
    expect(c.sh("kubectl apply -f web.yaml --dry-run=server").stdout).toBe("deployment.apps/web created (server dry run)\n");
    expect(c.etcd.revision).toBe(rev);
    expect(c.api.tryGet("Deployment", "default", "web")).toBeNull();

    c.sh("kubectl apply -f web.yaml");
    const stored = c.etcd.revision;
    expect(c.sh("kubectl apply -f web.yaml --dry-run=client").stdout).toBe("deployment.apps/web unchanged (dry run)\n");
    c.sh("cat > web.yaml", { stdin: deploymentYaml("web", 5) });
    expect(c.sh("kubectl apply -f web.yaml --dry-run=client").stdout).toBe("deployment.apps/web configured (dry run)\n");
    expect(c.sh("kubectl apply -f web.yaml --dry-run=server -o jsonpath={.spec.replicas}").stdout).toBe("5");
    expect(c.api.get<{ spec: { replicas: number } } & import("../api/types").KObject>("Deployment", "default", "web").spec.replicas).toBe(2);
    expect(c.etcd.revision).toBe(stored);
  });

  it("server dry run validates like a real write; client dry run only maps the kind; bad values are refused", () => {
    const c = cluster();
    const rev = c.etcd.revision;
    c.sh("cat > typo.yaml", { stdin: DEPLOY.replace("replicas: 2", "replica: 2") });
    expect(c.sh("kubectl apply -f typo.yaml --dry-run=server")).toMatchObject({ stderr: 'Error from server (BadRequest): error when creating "typo.yaml": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.replica"\n', exitCode: 1 });
    expect(c.sh("kubectl apply -f typo.yaml --dry-run=client").exitCode).toBe(0);
    c.sh("cat > kind.yaml", { stdin: DEPLOY.replace("kind: Deployment", "kind: Deploymnt") });
    expect(c.sh("kubectl apply -f kind.yaml --dry-run=client")).toMatchObject({ stderr: 'error: resource mapping not found for name: "web" namespace: "" from "kind.yaml": no matches for kind "Deploymnt" in version "apps/v1"\nensure CRDs are installed first\n', exitCode: 1 });
    const bare = c.sh("kubectl apply -f web.yaml --dry-run");
    expect(bare).toMatchObject({ stdout: "deployment.apps/web created (dry run)\n", exitCode: 0 });
    expect(bare.stderr).toMatch(/^W\d{4} \d\d:\d\d:\d\d\.\d{6}\s+\d+ helpers\.go:\d+\] --dry-run is deprecated and can be replaced with --dry-run=client\.\n$/);
    expect(c.sh("kubectl apply -f web.yaml --dry-run=maybe")).toMatchObject({ stderr: 'error: Invalid dry-run value (maybe). Must be "none", "server", or "client".\n', exitCode: 1 });
    expect(c.sh("kubectl create deployment web --image=nginx:1.27 --dry-run=client -o table").exitCode).toBe(1);
    expect(c.sh("kubectl create deployment --image=nginx:1.27 --dry-run=client").stderr).toBe("error: exactly one NAME is required, got 0\nSee 'kubectl create deployment -h' for help and examples\n");
    expect(c.sh("kubectl run x --restart=Sometimes --image=nginx:1.27").stderr).toBe("error: invalid restart policy: Sometimes\n");
    expect(c.sh("kubectl create deployment x --image=nginx:1.27 --port=http").stderr).toBe('Error: invalid argument "http" for "--port" flag: strconv.ParseInt: parsing "http": invalid syntax\n');
    expect(c.sh("kubectl create deployment x --image=nginx:1.27 --replicas=many").exitCode).toBe(1);
    expect(c.etcd.revision).toBe(rev);
  });
});
