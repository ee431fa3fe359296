// kubectl expose builds a Service from the object it is pointed at, as the real command does,
// and the Service then really routes: an EndpointSlice for the pods and kube-proxy's rules.
import { describe, expect, it } from "vitest";
import { createCluster } from "../cluster";
import type { Service } from "../api/types";

function withDeployment() {
  const c = createCluster({ workers: 1, seed: 1 });
  c.sh("kubectl create deployment web --image=nginx:1.27 --port=80 --replicas=2");
  c.settle();
  return c;
}

describe("kubectl expose", () => {
  it("takes the selector, labels and ports from a Deployment, and the Service answers", () => {
    const c = withDeployment();
    expect(c.sh("kubectl expose deployment web")).toMatchObject({ stdout: "service/web exposed\n", exitCode: 0 });
    const svc = c.api.get<Service>("Service", "default", "web");
    expect(svc.metadata.labels).toEqual({ app: "web" });
    expect(svc.spec.selector).toEqual({ app: "web" });
    expect(svc.spec.ports).toEqual([{ port: 80, protocol: "TCP", targetPort: 80 }]);
    c.settle();
    expect(c.sh("kubectl get endpointslices -l kubernetes.io/service-name=web -o jsonpath={.items[0].endpoints[*].addresses[0]}").stdout.split(" ")).toHaveLength(2);
    expect(c.node("worker-1").sh(`curl -s --max-time 2 http://${svc.spec.clusterIP}/`).stdout).toContain("<!-- served by web-");
  });

  it("honours --port, --target-port, --name, --type and TYPE/NAME; -o yaml with a client dry run", () => {
    const c = withDeployment();
    expect(c.sh("kubectl expose deployment/web --port 8080 --target-port=80 --name=web2 --type=NodePort").stdout).toBe("service/web2 exposed\n");
    expect(c.sh("kubectl get svc web2").stdout).toMatch(/^web2 +NodePort +10\.32\.\d+\.\d+ +<none> +8080:3\d{4}\/TCP +\d+s$/m);
    const yaml = c.sh("kubectl expose deployment web --port=80 --name=preview --dry-run=client -o yaml").stdout;
    expect(yaml).toContain("kind: Service\n");
    expect(yaml).toContain("  - port: 80\n    protocol: TCP\n    targetPort: 80\n");
    expect(c.api.tryGet("Service", "default", "preview")).toBeFalsy();
  });

  it("says why it cannot, as kubectl does", () => {
    const c = withDeployment();
    c.sh("kubectl run p --image=nginx:1.27");
    expect(c.sh("kubectl expose pod p")).toMatchObject({ stderr: "error: couldn't find port via --port flag or introspection\n", exitCode: 1 });
    expect(c.sh("kubectl expose node worker-1 --port=80")).toMatchObject({ stderr: "error: cannot expose a Node\n", exitCode: 1 });
    expect(c.sh("kubectl expose deployment nope --port=80").stderr).toBe('Error from server (NotFound): deployments.apps "nope" not found\n');
    expect(c.sh("kubectl expose").stderr).toMatch(/^error: You must provide one or more resources by argument or filename\.\n/);
    expect(c.sh("kubectl expose pod p --port=80 --selector=bad").stderr).toBe("error: unexpected label spec: bad\n");
  });
});

describe("kubectl's unknown-command message", () => {
  it("suggests the verbs a typo is close to, and none when nothing is", () => {
    const c = createCluster({ workers: 1, seed: 1 });
    expect(c.sh("kubectl gett pods").stderr).toBe('error: unknown command "gett" for "kubectl"\n\nDid you mean this?\n\tget\n\tset\n');
    expect(c.sh("kubectl expos").stderr).toContain("\texpose\n");
    expect(c.sh("kubectl frobnicate")).toMatchObject({ stderr: 'error: unknown command "frobnicate" for "kubectl"\n', exitCode: 1 });
  });
});

describe("TYPE/NAME arguments of different types", () => {
  it("get, describe and delete take pod/a service/b in one command, one table per type", () => {
    const c = withDeployment();
    c.sh("kubectl run a --image=nginx:1.27");
    c.sh("kubectl expose deployment web");
    c.settle();
    const got = c.sh("kubectl get pod/a deployment/web service/web");
    expect(got.exitCode).toBe(0);
    expect(got.stdout).toMatch(/^NAME +READY +STATUS +RESTARTS +AGE\npod\/a +1\/1 +Running .*\n\nNAME +READY +UP-TO-DATE +AVAILABLE +AGE\ndeployment\.apps\/web +2\/2 .*\n\nNAME +TYPE .*\nservice\/web +ClusterIP /);
    expect(c.sh("kubectl get pod/a deployment/nope")).toMatchObject({ stderr: 'Error from server (NotFound): deployments.apps "nope" not found\n', exitCode: 1 });
    expect(c.sh("kubectl describe pod/a service/web").stdout.match(/^Name: +\S+$/gm)?.map((l) => l.split(/ +/)[1])).toEqual(["a", "web"]);
    expect(c.sh("kubectl delete pod/a service/web")).toMatchObject({ stdout: 'pod "a" deleted\nservice "web" deleted\n', exitCode: 0 });
    expect(c.api.tryGet("Service", "default", "web")).toBeFalsy();
  });
});
