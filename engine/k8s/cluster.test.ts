// End to end: kubectl apply on the control plane, then the Linux state on the nodes —
// processes, namespaces shared with the pause container, veth + IP from the node's pod CIDR,
// overlay root filesystems, cgroup paths — and the seed-000 story of a scheduler that never starts.
import { describe, expect, it } from "vitest";
import { createCluster } from "../index";
import { clusterWith, deploymentYaml } from "./testing/fixtures";

const DEPLOY = deploymentYaml("web", 3);

describe("a cluster built from Linux hosts", () => {
  it("kubectl apply → ReplicaSet → pods scheduled → processes in shared pod namespaces on the nodes", () => {
    const c = createCluster({ workers: 2, seed: 1 });
    expect(c.sh("kubectl apply -f -", { stdin: DEPLOY }).stdout).toBe("deployment.apps/web created\n");
    c.settle();
    const pods = c.sh("kubectl get pods -o wide").stdout.trim().split("\n").slice(1).map((l) => l.split(/\s+/));
    expect(pods).toHaveLength(3);
    for (const p of pods) {
      expect(p[2]).toBe("Running");
      expect(p[5]).toMatch(/^10\.200\.[01]\.\d+$/);
      expect(p[6]).toMatch(/^worker-[12]$/);
    }
    expect(c.sh("kubectl get deployment web").stdout).toMatch(/^web\s+3\/3\s+3\s+3\s+/m);

    // On a node: the nginx processes are children of a containerd shim, in the pause container's net/uts/ipc namespaces.
    const node = pods[0]![6]!;
    const w = c.node(node);
    const nginx = w.sh("pgrep -f 'nginx: master'").stdout.trim().split("\n")[0]!;
    const netOf = (pid: string) => w.sh(`readlink /proc/${pid}/ns/net`).stdout;
    const pause = w.sh("pidof pause").stdout.trim().split(" ").find((p) => netOf(p) === netOf(nginx))!;
    expect(pause).toBeDefined();
    for (const ns of ["net", "uts", "ipc"]) expect(w.sh(`readlink /proc/${nginx}/ns/${ns}`).stdout).toBe(w.sh(`readlink /proc/${pause}/ns/${ns}`).stdout);
    for (const ns of ["mnt", "pid"]) expect(w.sh(`readlink /proc/${nginx}/ns/${ns}`).stdout).not.toBe(w.sh(`readlink /proc/${pause}/ns/${ns}`).stdout);
    // The pod's IP sits on eth0 inside the sandbox's network namespace, its veth's host end on cni0.
    const ip = w.sh(`nsenter -t ${pause} -n ip -br addr show eth0`).stdout.split(/\s+/)[2]!.split("/")[0]!;
    expect(pods.some((p) => p[5] === ip && p[6] === node)).toBe(true);
    expect(w.sh("bridge link").stdout).toMatch(/veth\w+@if\d+: .* master cni0 /);
    expect(w.sh(`ls /var/lib/cni/networks/bridge`).stdout).toContain(ip);
    // Its root filesystem is an overlay of the image layers; its cgroup is under kubepods.slice.
    expect(w.sh("mount").stdout).toMatch(/^overlay on \/run\/containerd\/io\.containerd\.runtime\.v2\.task\/k8s\.io\/\w+\/rootfs type overlay/m);
    expect(w.sh(`cat /proc/${nginx}/cgroup`).stdout).toMatch(/^0::\/kubepods\.slice\/kubepods-besteffort\.slice\/kubepods-besteffort-pod\w+\.slice\/cri-containerd-\w+\.scope\n$/);
    // Pods on different nodes reach each other through the node routes.
    const other = pods.find((p) => p[6] !== node)!;
    expect(w.sh(`nsenter -t ${pause} -n ping -c 1 ${other[5]}`).exitCode).toBe(0);
  });

  it("a scheduler whose binary lost its execute bit never starts: apply succeeds, pods stay Pending", () => {
    const c = createCluster({ workers: 1, seed: 2 });
    c.sh("chmod -x /usr/local/bin/kube-scheduler");
    expect(c.sh("systemctl restart kube-scheduler").exitCode).toBe(1);
    expect(c.sh("kubectl apply -f -", { stdin: DEPLOY }).exitCode).toBe(0);
    c.settle();
    const lines = c.sh("kubectl get pods").stdout.trim().split("\n").slice(1);
    expect(lines).toHaveLength(3);
    expect(lines.every((l) => /\s0\/1\s+Pending\s/.test(l))).toBe(true);
    expect(c.sh("kubectl get pods -o wide").stdout).not.toMatch(/worker-1/);
    expect(c.sh("journalctl -u kube-scheduler").stdout).toContain("status=203/EXEC");
    c.sh("chmod +x /usr/local/bin/kube-scheduler");
    c.settle();
    expect(c.sh("kubectl get pods").stdout.trim().split("\n").slice(1).every((l) => /\s1\/1\s+Running\s/.test(l))).toBe(true);
  });

  it("a pod that fits nowhere gets the FailedScheduling message; kubectl errors read like kubectl", () => {
    const c = createCluster({ workers: 1, seed: 3 });
    const big = DEPLOY.replace("replicas: 3", "replicas: 1").replace("image: nginx:1.27", "image: nginx:1.27\n        resources:\n          requests: {cpu: '8'}");
    c.sh("kubectl apply -f -", { stdin: big });
    c.settle();
    const pod = c.sh("kubectl get pods -o name").stdout.trim();
    expect(c.sh(`kubectl describe ${pod.replace("pod/", "pod ")}`).stdout).toMatch(/Warning\s+FailedScheduling\s+.*0\/1 nodes are available: 1 Insufficient cpu\./);
    expect(c.sh("kubectl get deployment nope").stderr).toBe('Error from server (NotFound): deployments.apps "nope" not found\n');
    expect(c.sh("kubectl apply -f -", { stdin: "kind: Deployment\napiVersion: apps/v1\nmetadata:\n  name: x\n spec: {}\n" }).stderr).toMatch(/^error: error parsing STDIN: error converting YAML to JSON: yaml: line 5: did not find expected key\n$/);
    c.sh("systemctl stop kube-apiserver");
    expect(c.sh("kubectl get pods")).toMatchObject({ stderr: "The connection to the server 192.168.56.11:6443 was refused - did you specify the right host or port?\n", exitCode: 1 });
  });

  it("a rolling update replaces every pod; rollout undo goes back to revision 1's ReplicaSet", () => {
    const c = clusterWith({ seed: 4, apply: [DEPLOY] });
    c.settle();
    expect(c.sh("kubectl set image deployment/web nginx=nginx:1.27-alpine").stdout).toBe("deployment.apps/web image updated\n");
    c.settle();
    expect(c.sh("kubectl get pods").stdout).toMatch(/ImagePullBackOff|ErrImagePull/);
    expect(c.sh("kubectl rollout undo deployment/web").stdout).toBe("deployment.apps/web rolled back\n");
    c.settle();
    expect(c.sh("kubectl rollout status deployment/web").stdout).toContain('deployment "web" successfully rolled out');
    expect(c.sh("kubectl rollout history deployment/web").stdout).toBe("deployment.apps/web \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n\n");
  });

  it("deleting the Deployment garbage-collects its ReplicaSets and pods, and the nodes clean up", () => {
    const c = clusterWith({ workers: 1, seed: 5, apply: [DEPLOY] });
    c.settle();
    c.sh("kubectl delete deployment web");
    c.settle();
    expect(c.sh("kubectl get pods").stderr).toBe("No resources found in default namespace.\n");
    const w = c.node("worker-1");
    // Only the cluster DNS pods (kube-system) keep a sandbox on the node.
    const system = c.sh("kubectl get pods -n kube-system -o wide").stdout.split("\n").filter((l) => l.includes(" worker-1 ")).length;
    expect(w.sh("pidof pause").stdout.split(/\s+/).filter(Boolean)).toHaveLength(system);
    expect(w.sh("pgrep nginx").exitCode).toBe(1);
  });
});

describe("Services are iptables rules", () => {
  it("kube-proxy writes KUBE-SERVICES → KUBE-SVC → KUBE-SEP chains, and a pod's curl to the ClusterIP reaches every endpoint", () => {
    const c = createCluster({ workers: 2, seed: 1 });
    c.sh("kubectl apply -f -", { stdin: DEPLOY + "---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80, targetPort: 80}]\n" });
    c.settle();
    const ip = c.sh("kubectl get svc web -o jsonpath='{.spec.clusterIP}'").stdout;
    expect(ip).toMatch(/^10\.32\.0\.\d+$/);
    const w = c.node("worker-1");
    const nat = w.sh("iptables-save -t nat").stdout;
    const svc = /-A KUBE-SERVICES -d (\S+) -p tcp -m comment --comment "default\/web cluster IP" -m tcp --dport 80 -j (KUBE-SVC-[A-Z2-7]{16})/.exec(nat);
    expect(svc?.[1]).toBe(`${ip}/32`);
    const rules = nat.split("\n").filter((l) => l.startsWith(`-A ${svc![2]} `) && l.includes("KUBE-SEP-"));
    expect(rules).toHaveLength(3);
    expect(rules[0]).toContain("--probability 0.33333333349");
    expect(rules[1]).toContain("--probability 0.50000000000");
    // No process owns the ClusterIP: it is on no interface of the node.
    expect(w.sh("ip -br addr").stdout).not.toContain(ip);
    const pause = w.sh("pidof pause").stdout.trim().split(" ")[0]!;
    const seen = new Set<string>();
    for (let i = 0; i < 30; i++) seen.add(w.sh(`nsenter -t ${pause} -n curl -s http://${ip}/`).stdout.match(/served by (\S+)/)?.[1] ?? "none");
    expect(seen.size).toBe(3);
    expect([...seen].every((n) => n.startsWith("web-"))).toBe(true);
    expect(w.sh("conntrack -L").stdout).toContain(`dst=${ip}`);
  });

  it("a Service whose selector matches no pod is rejected by the filter table", () => {
    const c = createCluster({ workers: 1, seed: 2 });
    c.sh("kubectl apply -f -", { stdin: "apiVersion: v1\nkind: Service\nmetadata: {name: lonely}\nspec:\n  selector: {app: nothing}\n  ports: [{port: 80}]\n" });
    c.settle();
    expect(c.node("worker-1").sh("iptables-save -t filter").stdout).toMatch(/-A KUBE-SERVICES -d 10\.32\.0\.\d+\/32 -p tcp -m comment --comment "default\/lonely has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable/);
  });
});

describe("under kubectl: crictl on a node, etcdctl on the control plane", () => {
  it("crictl lists the pod sandbox and its container; etcd keeps a Secret only base64-encoded", () => {
    const c = createCluster({ workers: 1, seed: 6 });
    c.sh("kubectl create -f -", { stdin: "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: app, image: nginx:1.27}]\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: db}\nstringData: {password: s3cret}\n" });
    c.settle();
    const w = c.node("worker-1");
    expect(w.sh("crictl pods").stdout).toMatch(/^[0-9a-f]{13}\s+\d+ seconds ago\s+Ready\s+p\s+default\s+0\s+\(default\)$/m);
    expect(w.sh("crictl ps").stdout).toMatch(/^[0-9a-f]{13}\s+nginx:1\.27\s+.*Running\s+app\s+0\s+[0-9a-f]{13}\s+p$/m);
    const secret = c.sh("etcdctl get /registry/secrets/default/db").stdout;
    expect(secret).toContain('"password":"czNjcmV0"');
    expect(atob("czNjcmV0")).toBe("s3cret");
    expect(c.sh("etcdctl get --prefix --keys-only /registry/pods/default").stdout).toBe("/registry/pods/default/p\n\n");
  });
});

describe("node lifecycle", () => {
  it("a node whose kubelet stops turns NotReady after 40 s, is tainted unreachable, and its pods are evicted after their 300 s toleration", () => {
    const c = clusterWith({ seed: 7, apply: [DEPLOY] });
    c.settle();
    const onW1 = () => c.sh("kubectl get pods -o wide").stdout.split("\n").filter((l) => l.includes(" worker-1 ")).length;
    expect(onW1()).toBeGreaterThan(0);
    c.node("worker-1").sh("systemctl stop kubelet");
    c.tick(50_000);
    expect(c.sh("kubectl get nodes").stdout).toMatch(/^worker-1\s+NotReady\s/m);
    expect(c.sh("kubectl describe node worker-1").stdout).toContain("node.kubernetes.io/unreachable:NoExecute");
    expect(onW1()).toBeGreaterThan(0); // still tolerated (300 s)
    c.tick(300_000);
    c.settle();
    expect(c.sh("kubectl get pods -o wide").stdout.split("\n").filter((l) => / Running .* worker-2 /.test(l))).toHaveLength(3);
    // The node agent comes back: Ready again, taint removed.
    c.node("worker-1").sh("systemctl start kubelet");
    c.tick(10_000);
    expect(c.sh("kubectl get nodes").stdout).toMatch(/^worker-1\s+Ready\s/m);
    // …and cleans up the containers of the pods that were evicted while it was away.
    expect(c.node("worker-1").sh("pgrep nginx").exitCode).toBe(1);
  });
});

describe("kubectl logs and exec reach the node", () => {
  it("logs come from the CRI log file on the node; exec runs in the container's namespaces", () => {
    const c = createCluster({ workers: 1, seed: 8 });
    c.sh("kubectl create -f -", { stdin: "apiVersion: v1\nkind: Pod\nmetadata: {name: app}\nspec:\n  containers: [{name: web, image: 'registry.local/demo/web:1.0'}]\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: n}\nspec:\n  containers: [{name: nginx, image: nginx:1.27}]\n" });
    c.settle();
    expect(c.sh("kubectl logs app").stdout).toBe("Serving HTTP on 0.0.0.0 port 8080 (http://0.0.0.0:8080/) ...\n");
    expect(c.sh("kubectl exec n -- hostname").stdout).toBe("n\n");
    expect(c.sh("kubectl exec n -- ps -o pid=,comm=").stdout).toMatch(/^ {6}1 nginx\n {6}2 nginx\n +\d+ ps\n$/);
    const ip = c.sh("kubectl get pod app -o jsonpath='{.status.podIP}'").stdout;
    expect(c.sh(`kubectl exec n -- curl -s http://${ip}:8080/`).stdout).toContain("Hello from app");
    expect(c.sh("kubectl logs app --tail 1").stdout).toMatch(/"GET \/ HTTP\/1\.1" 200 -$/m);
    expect(c.node("worker-1").sh("ls /var/log/pods").stdout).toMatch(/^default_app_[0-9a-f-]+\s+default_n_/);
    expect(c.sh("kubectl exec n -- false")).toMatchObject({ stderr: "command terminated with exit code 1\n", exitCode: 1 });
    expect(c.sh("kubectl logs nope").stderr).toBe('Error from server (NotFound): pods "nope" not found\n');
  });
});

describe("one terminal, every machine", () => {
  it("ssh worker-1 moves the session to the node until exit; ssh HOST CMD runs one command", () => {
    const c = createCluster({ workers: 1, seed: 9 });
    expect(c.controlPlane.prompt()).toBe("root@controlplane:~# ");
    c.sh("ssh worker-1");
    expect(c.controlPlane.prompt()).toBe("root@worker-1:~# ");
    expect(c.sh("systemctl is-active kubelet").stdout).toBe("active\n");
    expect(c.sh("sleep 5; hostname").stdout).toBe("worker-1\n");
    expect(c.sh("exit").stderr).toBe("logout\nConnection to worker-1 closed.\n"); // bash, then ssh
    expect(c.controlPlane.prompt()).toBe("root@controlplane:~# ");
    expect(c.sh("ssh worker-1 hostname").stdout).toBe("worker-1\n");
    expect(c.sh("ssh nowhere")).toMatchObject({ stderr: "ssh: Could not resolve hostname nowhere: Name or service not known\n", exitCode: 255 });
  });
});

describe("imperative kubectl", () => {
  it("create deployment / run make the same objects a manifest would; a shell with no terminal exits and crash-loops", () => {
    const c = createCluster({ workers: 1, seed: 10 });
    expect(c.sh("kubectl create deployment web --image=nginx:1.27 --replicas=2").stdout).toBe("deployment.apps/web created\n");
    expect(c.sh("kubectl run one --image=busybox:1.36").stdout).toBe("pod/one created\n");
    expect(c.sh("kubectl create deployment web --image=nginx:1.27").stderr).toBe('Error from server (AlreadyExists): deployments.apps "web" already exists\n');
    c.settle();
    const pods = c.sh("kubectl get pods").stdout;
    expect(pods.split("\n").filter((l) => /^web-\S+\s+1\/1\s+Running/.test(l))).toHaveLength(2);
    expect(pods).toMatch(/^one\s+0\/1\s+CrashLoopBackOff\s/m);
  });
});
