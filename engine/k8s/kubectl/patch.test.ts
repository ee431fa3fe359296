// kubectl patch: strategic merge (containers merge by name), JSON merge and JSON patch, with
// kubectl's "patched" / "patched (no change)" lines and its errors leaving the object as it was.
import { describe, expect, it } from "vitest";
import { createCluster } from "../cluster";
import type { Deployment } from "../api/types";

function setup() {
  const c = createCluster({ workers: 2, seed: 1 });
  c.sh("kubectl create deployment web --image=nginx:1.27 --replicas=2");
  c.settle();
  const get = () => c.api.get<Deployment>("Deployment", "default", "web");
  return { c, get };
}

describe("kubectl patch", () => {
  it("strategic (default): a container in the patch merges into the live one of that name", () => {
    const { c, get } = setup();
    const r = c.sh(`kubectl patch deployment web -p '{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"busybox:1.36"},{"name":"nginx","image":"nginx:1.28"}]}}}}'`);
    expect(r.stdout).toBe("deployment.apps/web patched\n");
    const cs = get().spec.template.spec.containers;
    expect(cs.map((x) => [x.name, x.image])).toEqual([["nginx", "nginx:1.28"], ["sidecar", "busybox:1.36"]]);
    // Defaults the API server filled in on nginx survive the merge.
    expect(cs[0]!.imagePullPolicy).toBe("IfNotPresent");
    // $patch: delete removes one element by its key.
    expect(c.sh(`kubectl patch deploy/web -p '{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","$patch":"delete"}]}}}}'`).stdout).toBe("deployment.apps/web patched\n");
    expect(get().spec.template.spec.containers.map((x) => x.name)).toEqual(["nginx"]);
  });

  it("the same patch twice: the second is 'patched (no change)' and writes nothing", () => {
    const { c, get } = setup();
    expect(c.sh(`kubectl patch deployment web -p '{"spec":{"replicas":3}}'`).stdout).toBe("deployment.apps/web patched\n");
    const rv = get().metadata.resourceVersion;
    expect(c.sh(`kubectl patch deployment web -p '{"spec":{"replicas":3}}'`).stdout).toBe("deployment.apps/web patched (no change)\n");
    expect(get().metadata.resourceVersion).toBe(rv);
    // YAML is accepted too (kubectl converts it to JSON).
    expect(c.sh(`kubectl patch deployment web -p 'spec: {replicas: 4}'`).stdout).toBe("deployment.apps/web patched\n");
    expect(get().spec.replicas).toBe(4);
  });

  it("merge: lists are replaced whole and null deletes a key", () => {
    const { c, get } = setup();
    c.sh(`kubectl patch deployment web --type=merge -p '{"metadata":{"labels":{"tier":"front"}}}'`);
    expect(get().metadata.labels).toEqual({ app: "web", tier: "front" });
    c.sh(`kubectl patch deployment web --type merge -p '{"metadata":{"labels":{"tier":null}},"spec":{"template":{"spec":{"containers":[{"name":"c","image":"busybox:1.36"}]}}}}'`);
    expect(get().metadata.labels).toEqual({ app: "web" });
    expect(get().spec.template.spec.containers.map((x) => [x.name, x.image])).toEqual([["c", "busybox:1.36"]]);
  });

  it("json: add, replace, remove by RFC 6902 paths; a missing path is rejected and nothing changes", () => {
    const { c, get } = setup();
    const r = c.sh(`kubectl patch deployment web --type=json -p '[{"op":"replace","path":"/spec/replicas","value":5},{"op":"add","path":"/metadata/labels/tier","value":"front"},{"op":"add","path":"/spec/template/spec/containers/0/args","value":["-g","daemon off;"]}]'`);
    expect(r.stdout).toBe("deployment.apps/web patched\n");
    expect(get().spec.replicas).toBe(5);
    expect(get().metadata.labels?.tier).toBe("front");
    expect(get().spec.template.spec.containers[0]!.args).toEqual(["-g", "daemon off;"]);
    c.sh(`kubectl patch deployment web --type=json -p '[{"op":"remove","path":"/metadata/labels/tier"}]'`);
    expect(get().metadata.labels?.tier).toBeUndefined();
    const before = get().metadata.resourceVersion;
    const bad = c.sh(`kubectl patch deployment web --type=json -p '[{"op":"replace","path":"/spec/replicas","value":1},{"op":"remove","path":"/spec/nope"}]'`);
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toBe("The request is invalid: the server rejected our request due to an error in our request\n");
    expect(get().metadata.resourceVersion).toBe(before);
    expect(get().spec.replicas).toBe(5);
    expect(c.sh(`kubectl patch deployment web --type=json -p '{"op":"remove"}'`).stderr).toBe("Error from server (BadRequest): json: cannot unmarshal object into Go value of type jsonpatch.Patch\n");
  });

  it("bad input: kubectl's messages, state unchanged", () => {
    const { c, get } = setup();
    const rv = get().metadata.resourceVersion;
    expect(c.sh("kubectl patch deployment web").stderr).toBe("error: must specify --patch or --patch-file containing the contents of the patch\n");
    expect(c.sh(`kubectl patch deployment web --type=foo -p '{}'`).stderr).toBe('error: --type must be one of [json merge strategic], not "foo"\n');
    expect(c.sh(`kubectl patch deployment nope -p '{"spec":{"replicas":1}}'`).stderr).toBe('Error from server (NotFound): deployments.apps "nope" not found\n');
    expect(c.sh(`kubectl patch deployment -p '{}'`).stderr).toBe("error: resource(s) were provided, but no name was specified\n");
    expect(c.sh(`kubectl patch deployment web -p '{"spec":{"replicas":-1}}'`).exitCode).toBe(1);
    expect(c.sh(`kubectl patch deployment web -p '{"spec":'`).stderr).toMatch(/^error: unable to parse "\{"spec":": yaml: /);
    expect(get().metadata.resourceVersion).toBe(rv);
  });
});
