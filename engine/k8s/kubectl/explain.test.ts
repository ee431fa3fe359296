// kubectl explain: the API server's decoding schema, in kubectl's plaintext layout.
import { describe, expect, it } from "vitest";
import { createCluster } from "../cluster";

describe("kubectl explain", () => {
  const c = createCluster({ workers: 1, seed: 1 });

  it("a leaf field: GROUP/KIND/VERSION, FIELD with its type, DESCRIPTION", () => {
    expect(c.sh("kubectl explain deployment.spec.replicas")).toMatchObject({
      stdout: "GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n\nFIELD: replicas <integer>\n\n\nDESCRIPTION:\n    How many Pods the Deployment should run. Defaults to 1.\n    \n",
      exitCode: 0,
    });
  });

  it("a kind: no GROUP line for the core group, its fields sorted, typed, with descriptions", () => {
    const out = c.sh("kubectl explain pods").stdout;
    expect(out.startsWith("KIND:       Pod\nVERSION:    v1\n\nDESCRIPTION:\n    A Pod is")).toBe(true);
    const fields = [...out.matchAll(/^ {2}(\w+)\t<([^>]+)>/gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(fields).toEqual(["apiVersion string", "kind string", "metadata ObjectMeta", "spec PodSpec", "status Object"]);
  });

  it("walks through arrays and marks required fields; --recursive nests without descriptions", () => {
    const out = c.sh("kubectl explain pod.spec.containers").stdout;
    expect(out).toContain("FIELD: containers <[]Container>\n");
    expect(out).toContain("  name\t<string> -required-\n");
    expect(out).toContain("  resources\t<ResourceRequirements>\n");
    expect(out).toContain("  env\t<[]EnvVar>\n");
    expect(c.sh("kubectl explain deploy.spec.template.spec.containers.resources.limits").stdout).toContain("FIELD: limits <map[string]Quantity>\n");
    const rec = c.sh("kubectl explain deployment.spec.strategy --recursive").stdout;
    expect(rec).toContain("FIELDS:\n  rollingUpdate\t<RollingUpdateDeployment>\n    maxSurge\t<IntOrString>\n    maxUnavailable\t<IntOrString>\n  type\t<string>\n");
  });

  it("what explain says does not exist, the API server rejects (one schema for both)", () => {
    expect(c.sh("kubectl explain deployment.spec.replica")).toMatchObject({ stderr: 'error: field "replica" does not exist\n', exitCode: 1 });
    const bad = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  replica: 2\n  selector:\n    matchLabels: {a: b}\n  template:\n    metadata:\n      labels: {a: b}\n    spec:\n      containers:\n      - name: c\n        image: nginx:1.27\n";
    expect(c.sh("kubectl apply -f -", { stdin: bad }).stderr).toContain('strict decoding error: unknown field "spec.replica"');
  });

  it("bad input", () => {
    expect(c.sh("kubectl explain frobs")).toMatchObject({ stderr: 'error: the server doesn\'t have a resource type "frobs"\n', exitCode: 1 });
    expect(c.sh("kubectl explain")).toMatchObject({ stderr: 'You must specify the type of resource to explain. Use "kubectl api-resources" for a complete list of supported resources.\n\nerror: Required resource not specified.\n', exitCode: 1 });
    expect(c.sh("kubectl explain pod.metadata.labels.app").stderr).toBe('error: field "app" does not exist\n');
  });
});
