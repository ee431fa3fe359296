// kubectl port-forward listens on the control plane's loopback and carries each connection into
// one pod's network namespace: no Service, no iptables rule, no pod IP on the way.
import { describe, expect, it } from "vitest";
import { createCluster } from "../cluster";
import { parsePortPair } from "./port-forward";

describe("kubectl port-forward", () => {
  it("forwards localhost:LOCAL to the pod's port, picking a pod for a Deployment or a Service", () => {
    const c = createCluster({ workers: 1, seed: 1 });
    c.sh("kubectl create deployment web --image=nginx:1.27 --port=80");
    c.settle();
    c.sh("kubectl expose deployment web --port=8080 --target-port=80");
    const h = c.controlPlane;
    expect(h.sh("kubectl port-forward deployment/web 8080:80 &").stdout).toBe("Forwarding from 127.0.0.1:8080 -> 80\nForwarding from [::1]:8080 -> 80\n");
    const page = h.sh("curl -s localhost:8080");
    expect(page.stdout).toContain("Handling connection for 8080\n");
    expect(page.stdout).toMatch(/<!-- served by web-[0-9a-f]+-\w{5} -->/);
    expect(h.sh("ss -ltn").stdout).toMatch(/127\.0\.0\.1:8080/);
    // The packets never touched the Service: its KUBE-SVC chain counts no new connection.
    expect(c.node("worker-1").sh("iptables -t nat -L KUBE-SERVICES -v -n | grep web").stdout).toMatch(/^\s+0\s+0 /m);
    h.sh("kill %1");
    expect(h.sh("kubectl port-forward svc/web 9090:8080 &").stdout).toContain("Forwarding from 127.0.0.1:9090 -> 80\n"); // the Service's targetPort
    expect(h.sh("curl -s http://127.0.0.1:9090/").stdout).toContain("served by web-");
  });

  it("refuses what kubectl refuses", () => {
    const c = createCluster({ workers: 1, seed: 1 });
    expect(c.sh("kubectl port-forward web").stderr).toBe("error: TYPE/NAME and list of ports are required for port-forward\nSee 'kubectl port-forward -h' for help and examples\n");
    expect(c.sh("kubectl port-forward pod/nope 80").stderr).toBe('Error from server (NotFound): pods "nope" not found\n');
    expect(c.sh("kubectl port-forward pod/x 0:80").stderr).toBe('error: Invalid port "0:80"\n');
    expect(parsePortPair(":8080")).toEqual({ local: 8080, remote: 8080 });
    expect(parsePortPair("5000:80")).toEqual({ local: 5000, remote: 80 });
    expect(parsePortPair("x")).toBeNull();
  });
});
