import { describe, expect, it } from "vitest";
import { Clock } from "../../sim/clock";
import { Random } from "../../sim/random";
import { ApiError, ApiServer } from "./apiserver";
import { Etcd } from "./store";
import { parseSelector } from "./labels";
import type { Deployment, KObject } from "./types";

function server() {
  const etcd = new Etcd();
  const api = new ApiServer(etcd, new Clock(), new Random(1));
  for (const ns of ["default", "kube-system"]) etcd.put(`/registry/namespaces/${ns}`, JSON.stringify({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns } }));
  return { etcd, api };
}

const deploy = (over: Record<string, unknown> = {}): Deployment =>
  ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web" },
    spec: { replicas: 3, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "nginx", image: "nginx:1.27" }] } }, ...over },
  }) as Deployment;

function errorOf(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error("expected an ApiError");
}

describe("API server", () => {
  it("defaults a Deployment the way the real API server does and stores it in etcd", () => {
    const { api, etcd } = server();
    const d = api.create(deploy());
    expect(d.spec.strategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } });
    expect(d.spec.revisionHistoryLimit).toBe(10);
    expect(d.spec.template.spec.containers[0]!.imagePullPolicy).toBe("IfNotPresent");
    expect(d.metadata.generation).toBe(1);
    expect(d.metadata.namespace).toBe("default");
    const kv = etcd.get("/registry/deployments/default/web")!;
    expect(JSON.parse(kv.value).metadata.uid).toBe(d.metadata.uid);
    expect(d.metadata.resourceVersion).toBe(String(kv.modRevision));
  });

  it("rejects invalid objects with kubectl's exact message", () => {
    const { api } = server();
    expect(errorOf(() => api.create(deploy({ replicas: -1 }))).kubectl()).toBe('The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0');
    const both = errorOf(() => api.create(deploy({ replicas: -1, template: { metadata: { labels: { app: "other" } }, spec: { containers: [] } } })));
    expect(both.kubectl()).toBe(
      'The Deployment "web" is invalid: [spec.replicas: Invalid value: -1: must be greater than or equal to 0, spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`, spec.template.spec.containers: Required value]',
    );
  });

  it("rejects unknown fields and wrong types (strict decoding)", () => {
    const { api } = server();
    const typo = deploy() as unknown as Record<string, Record<string, unknown>>;
    typo.spec!.replicass = 2;
    expect(errorOf(() => api.create(typo as unknown as KObject)).kubectl()).toBe('Error from server (BadRequest): error when creating "STDIN": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.replicass"');
    expect(errorOf(() => api.create(deploy({ replicas: "3" }))).kubectl()).toBe('Error from server (BadRequest): error when creating "STDIN": Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32');
  });

  it("knows AlreadyExists, NotFound and missing namespaces", () => {
    const { api } = server();
    api.create(deploy());
    expect(errorOf(() => api.create(deploy())).kubectl()).toBe('Error from server (AlreadyExists): error when creating "STDIN": deployments.apps "web" already exists');
    expect(errorOf(() => api.get("Deployment", "default", "nope")).kubectl()).toBe('Error from server (NotFound): deployments.apps "nope" not found');
    const d = deploy();
    d.metadata.namespace = "team-a";
    expect(errorOf(() => api.create(d)).kubectl()).toBe('Error from server (NotFound): namespaces "team-a" not found');
  });

  it("bumps generation only when the spec changes, and detects stale writes", () => {
    const { api } = server();
    const d = api.create(deploy());
    const scaled = api.update({ ...d, spec: { ...d.spec, replicas: 5 } });
    expect(scaled.metadata.generation).toBe(2);
    const labelled = api.update({ ...scaled, metadata: { ...scaled.metadata, labels: { tier: "web" } } });
    expect(labelled.metadata.generation).toBe(2);
    expect(errorOf(() => api.update({ ...d, spec: { ...d.spec, replicas: 1 } })).reason).toBe("Conflict");
    const st = api.updateStatus({ ...labelled, status: { replicas: 5 } });
    expect(st.metadata.generation).toBe(2);
    expect(api.get<Deployment>("Deployment", "default", "web").status).toEqual({ replicas: 5 });
  });

  it("lists by label selector and watches changes", () => {
    const { api } = server();
    const seen: string[] = [];
    api.watch("Deployment", (t, o) => seen.push(`${t}:${o.metadata.name}`));
    api.create(deploy());
    const other = deploy();
    other.metadata = { name: "api", labels: { tier: "backend" } };
    api.create(other);
    expect(api.list("Deployment", "default", parseSelector("tier=backend")).map((o) => o.metadata.name)).toEqual(["api"]);
    api.patch("Deployment", "default", "web", { spec: { replicas: 1 } });
    api.delete("Deployment", "default", "api");
    expect(seen).toEqual(["ADDED:web", "ADDED:api", "MODIFIED:web", "DELETED:api"]);
  });

  it("keeps Secrets base64-encoded, never encrypted", () => {
    const { api, etcd } = server();
    api.create({ apiVersion: "v1", kind: "Secret", metadata: { name: "db" }, stringData: { password: "s3cret" } } as KObject);
    const stored = JSON.parse(etcd.get("/registry/secrets/default/db")!.value);
    expect(stored.data).toEqual({ password: "czNjcmV0" });
    expect(stored.stringData).toBeUndefined();
  });
});
