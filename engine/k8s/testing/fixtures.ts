// Fixtures for the k8s tests: the "web" Deployment most of them apply, and a fresh cluster with
// files written and manifests applied. For tests only; nothing in the engine imports this.
import { createCluster } from "../cluster";
import type { Cluster } from "../cluster";
import type { ShResult } from "../../api";

export interface DeploymentExtras {
  /** The container's name; kubectl create deployment would name it after the image ("nginx"). */
  container?: string;
  /** resources.requests of the container, as flow-style YAML values. */
  requests?: { cpu: string; memory: string };
}

/** A Deployment whose pods carry app=NAME, written the way a reader would type it by hand. */
export function deploymentYaml(name = "web", replicas = 2, image = "nginx:1.27", extras: DeploymentExtras = {}): string {
  const requests = extras.requests ? `        resources:\n          requests: {cpu: ${extras.requests.cpu}, memory: ${extras.requests.memory}}\n` : "";
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: ${extras.container ?? "nginx"}
        image: ${image}
${requests}`;
}

export interface ClusterFixture {
  workers?: number;
  seed?: number;
  /** Files written on the control plane before anything is applied (path → content). */
  files?: Record<string, string>;
  /** Manifests given to `kubectl apply -f -`, in order. The cluster is not settled afterwards. */
  apply?: string[];
}

/** A new cluster (seed 1, two workers unless told) with the fixture's files and manifests in it. */
export function clusterWith(fixture: ClusterFixture = {}): Cluster {
  const c = createCluster({ workers: fixture.workers ?? 2, seed: fixture.seed ?? 1 });
  for (const [path, text] of Object.entries(fixture.files ?? {})) must(c.sh(`cat > ${path}`, { stdin: text }), `writing ${path}`);
  for (const manifest of fixture.apply ?? []) must(c.sh("kubectl apply -f -", { stdin: manifest }), "kubectl apply");
  return c;
}

// A fixture that did not take is a broken test, not a finding: say so at once.
function must(r: ShResult, what: string): void {
  if (r.exitCode !== 0) throw new Error(`fixture: ${what} failed (exit ${r.exitCode}): ${r.stderr}`);
}
