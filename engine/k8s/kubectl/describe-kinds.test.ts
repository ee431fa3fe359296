// kubectl describe service / deployment / replicaset: the real describers' layout, aligned
// as Go's tabwriter aligns it, with endpoints read from the Service's EndpointSlices.
import { describe, expect, it } from "vitest";
import { createCluster } from "../cluster";
import type { EndpointSlice, ReplicaSet } from "../api/types";

function setup(replicas = 4) {
  const c = createCluster({ workers: 2, seed: 1 });
  c.sh(`kubectl create deployment web --image=nginx:1.27 --replicas=${replicas}`);
  c.sh("cat > svc.yaml", { stdin: "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: NodePort\n  selector:\n    app: web\n  ports:\n  - port: 80\n    targetPort: 80\n    nodePort: 30080\n" });
  expect(c.sh("kubectl apply -f svc.yaml").exitCode).toBe(0);
  c.settle();
  return c;
}

describe("kubectl describe service", () => {
  it("prints the spec in kubectl's order and the first three endpoints of the EndpointSlice", () => {
    const c = setup();
    const out = c.sh("kubectl describe service web").stdout;
    const slice = c.api.list<EndpointSlice>("EndpointSlice", "default").find((s) => s.metadata.labels?.["kubernetes.io/service-name"] === "web")!;
    const eps = slice.endpoints.map((e) => `${e.addresses[0]}:80`);
    expect(eps).toHaveLength(4);
    const svc = c.api.get<{ spec: { clusterIP: string } } & import("../api/types").KObject>("Service", "default", "web");
    expect(out).toBe(
      [
        "Name:                     web",
        "Namespace:                default",
        "Labels:                   <none>",
        "Annotations:              <none>",
        "Selector:                 app=web",
        "Type:                     NodePort",
        "IP Family Policy:         SingleStack",
        "IP Families:              IPv4",
        `IP:                       ${svc.spec.clusterIP}`,
        `IPs:                      ${svc.spec.clusterIP}`,
        "Port:                     <unset>  80/TCP",
        "TargetPort:               80/TCP",
        "NodePort:                 <unset>  30080/TCP",
        `Endpoints:                ${eps.slice(0, 3).join(",")} + 1 more...`,
        "Session Affinity:         None",
        "External Traffic Policy:  Cluster",
        "Internal Traffic Policy:  Cluster",
        "Events:                   <none>",
        "",
      ].join("\n"),
    );
  });

  it("two services are separated by two blank lines; a missing one is NotFound", () => {
    const c = setup(1);
    const r = c.sh("kubectl describe svc");
    expect(r.stdout).toMatch(/Events: +<none>\n\n\nName: +web\n/);
    const bad = c.sh("kubectl describe service nope");
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toBe('Error from server (NotFound): services "nope" not found\n');
  });
});

describe("kubectl describe deployment / replicaset", () => {
  it("deployment: replicas summary, strategy, pod template, conditions, replica sets, events", () => {
    const c = setup(3);
    const out = c.sh("kubectl describe deployment web").stdout;
    const rs = c.api.list<ReplicaSet>("ReplicaSet", "default")[0]!.metadata.name;
    expect(out).toContain("Replicas:               3 desired | 3 updated | 3 total | 3 available | 0 unavailable\n");
    expect(out).toContain("StrategyType:           RollingUpdate\nMinReadySeconds:        0\nRollingUpdateStrategy:  25% max unavailable, 25% max surge\nPod Template:\n  Labels:  app=web\n  Containers:\n   nginx:\n    Image:         nginx:1.27\n");
    expect(out).toContain("  Volumes:         <none>\n  Node-Selectors:  <none>\n  Tolerations:     <none>\nConditions:\n  Type           Status  Reason\n  ----           ------  ------\n  Available      True    MinimumReplicasAvailable\n");
    expect(out).toContain(`OldReplicaSets:  <none>\nNewReplicaSet:   ${rs} (3/3 replicas created)\nEvents:\n`);
    expect(out).toMatch(/Normal {2}ScalingReplicaSet {2}\S+ +deployment-controller {2}Scaled up replica set web-\w+ from 0 to 3\n$/);
  });

  it("replicaset: owner, replicas current/desired and the pods' phases", () => {
    const c = setup(3);
    const out = c.sh("kubectl describe rs").stdout;
    expect(out).toContain("Controlled By:  Deployment/web\nReplicas:       3 current / 3 desired\nPods Status:    3 Running / 0 Waiting / 0 Succeeded / 0 Failed\nPod Template:\n");
    c.sh("kubectl scale deployment web --replicas=5");
    c.settle();
    expect(c.sh("kubectl describe rs").stdout).toContain("Replicas:       5 current / 5 desired\nPods Status:    5 Running / 0 Waiting / 0 Succeeded / 0 Failed\n");
  });
});
