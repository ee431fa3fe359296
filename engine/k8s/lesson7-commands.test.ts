// Lesson 7 ("The control plane") runs these commands, in this order, in the page's terminal:
// the world is exercise 7's broken cluster (kube-scheduler failed with 203/EXEC, worker-2
// cordoned, Deployment web Pending). Every output the lesson shows or describes is asserted
// here, so the text cannot promise what the engine does not do. Between commands the test
// advances virtual time a little, as a reader's pauses do on the page.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { Secret } from "kubernetes-models/v1/Secret";
import exercise, { WEB_YAML } from "../../exercises/07-fix-the-control-plane/check";
import type { Host } from "../index";

export const HELLO = (replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: hello
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: hello
  template:
    metadata:
      labels:
        app: hello
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
`;
const SECRET = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: s3cret\n";

/** A reader at the terminal: each line runs after a short pause of virtual time. */
function reader(h: Host) {
  return (line: string, pauseMs = 3_000) => {
    h.tick(pauseMs);
    return h.sh(line);
  };
}
const rows = (out: string) => out.trim().split("\n").slice(1);

describe("lesson 7's commands, in the lesson's order, on the page's world", () => {
  it("walks one request from kubectl to the runtime, through a broken scheduler and back", () => {
    const h = exercise.setup();
    const $ = reader(h);
    expect(h.prompt()).toBe("root@controlplane:~# ");

    // The cluster you are on.
    expect($("kubectl get nodes").stdout).toMatch(/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\nworker-1\s+Ready\s+<none>\s+\S+\s+v1\.34\.1\nworker-2\s+Ready,SchedulingDisabled\s+<none>/);
    const units = $("systemctl list-units --type=service").stdout;
    for (const u of ["etcd", "kube-apiserver", "kube-controller-manager"]) expect(units).toMatch(new RegExp(`^  ${u}\\.service\\s+loaded active running `, "m"));
    expect(units).toMatch(/^ {2}kube-scheduler\.service\s+loaded failed failed\s+Kubernetes Scheduler$/m);
    expect($("ls -l /usr/local/bin").stdout).toMatch(/^-rwxr-xr-x 1 root root \d+ .* kube-apiserver\n.*\n-rw-r--r-- 1 root root \d+ .* kube-scheduler\n/m);
    expect($("cat /etc/systemd/system/kube-scheduler.service").stdout).toContain("ExecStart=/usr/local/bin/kube-scheduler \\\n  --config=/etc/kubernetes/config/kube-scheduler.yaml \\\n  --v=2\nRestart=on-failure\nRestartSec=5\n");
    expect($("ssh worker-1 ls /usr/local/bin").stdout).toBe("crictl  kube-proxy  kubectl  kubelet\n");
    expect($("ssh worker-1 systemctl is-active kubelet kube-proxy containerd").stdout).toBe("active\nactive\nactive\n");

    // Stop 1–2: kubectl apply with a here-document; the API server validates.
    expect($(`kubectl apply -f - <<EOF\n${HELLO(2)}EOF`).stdout).toBe("deployment.apps/hello created\n");
    const bad = $(`kubectl apply -f - <<EOF\n${HELLO(-1).replace("name: hello\n", "name: broken\n")}EOF`);
    expect(bad).toMatchObject({ stdout: "", stderr: 'The Deployment "broken" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n', exitCode: 1 });
    expect($("kubectl get deployment broken").stderr).toBe('Error from server (NotFound): deployments.apps "broken" not found\n');

    // Stop 3: etcd has it.
    expect($("etcdctl get --prefix --keys-only /registry/deployments").stdout).toBe("/registry/deployments/default/hello\n\n/registry/deployments/default/web\n\n/registry/deployments/kube-system/coredns\n\n");
    const stored = $("etcdctl get /registry/deployments/default/hello").stdout.split("\n");
    expect(stored[0]).toBe("/registry/deployments/default/hello");
    expect(JSON.parse(stored[1]!)).toMatchObject({ kind: "Deployment", spec: { replicas: 2, strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } } } });

    // Stop 4: the controllers made a ReplicaSet and pods — objects in etcd, nothing on a node.
    expect(rows($("kubectl get deployments").stdout)).toEqual([expect.stringMatching(/^hello\s+0\/2\s+2\s+0\s/), expect.stringMatching(/^web\s+0\/4\s+4\s+0\s/)]);
    expect(rows($("kubectl get replicasets").stdout)).toEqual([expect.stringMatching(/^hello-[a-z0-9]{9,10}\s+2\s+2\s+0\s/), expect.stringMatching(/^web-[a-z0-9]{9,10}\s+4\s+4\s+0\s/)]);
    expect($("kubectl describe rs -l app=hello").stdout).toMatch(/Normal\s+SuccessfulCreate\s+\S+\s+replicaset-controller\s+Created pod: hello-/);
    // Eight keys: the six pods of default, and the two of the cluster DNS add-on in kube-system.
    const podKeys = $("etcdctl get --prefix --keys-only /registry/pods").stdout.split("\n").filter(Boolean);
    expect(podKeys).toHaveLength(8);
    expect(podKeys.filter((k) => k.startsWith("/registry/pods/default/"))).toHaveLength(6);
    expect(podKeys.filter((k) => /^\/registry\/pods\/kube-system\/coredns-[a-z0-9]{9,10}-[a-z0-9]{5}$/.test(k))).toHaveLength(2);

    // Stop 5: the scheduler — where this request stops.
    const pending = rows($("kubectl get pods -o wide").stdout);
    expect(pending).toHaveLength(6);
    for (const p of pending) expect(p).toMatch(/^\S+\s+0\/1\s+Pending\s+0\s+\S+\s+<none>\s+<none>\s/);
    // -A adds kube-system: the CoreDNS pods were placed at boot, before the scheduler broke and
    // worker-2 was cordoned — Running, one on each worker, each at the first address of its range.
    const all = rows($("kubectl get pods -A -o wide").stdout);
    expect(all).toHaveLength(8);
    expect(all.slice(0, 6).every((l) => l.startsWith("default "))).toBe(true);
    expect(all.slice(6).map((l) => l.split(/\s+/)).map((r) => [r[0], r[1]!.replace(/-[a-z0-9]+-[a-z0-9]{5}$/, ""), r[3], r[6], r[7]]).sort((a, b) => a[4]!.localeCompare(b[4]!))).toEqual([
      ["kube-system", "coredns", "Running", "10.200.0.2", "worker-1"],
      ["kube-system", "coredns", "Running", "10.200.1.2", "worker-2"],
    ]);
    expect($("kubectl describe pods -l app=hello").stdout).toMatch(/Node:\s+<none>[\s\S]*Events:\s+<none>/);
    const status = $("systemctl status kube-scheduler");
    expect(status.stdout).toMatch(/^× kube-scheduler\.service - Kubernetes Scheduler\n/);
    expect(status.stdout).toMatch(/Active: failed \(Result: exit-code\)/);
    expect(status.stdout).toContain("(code=exited, status=203/EXEC)");
    expect($("journalctl -u kube-scheduler").stdout).toContain("kube-scheduler.service: Failed at step EXEC spawning /usr/local/bin/kube-scheduler: Permission denied");
    expect($("ls -l /usr/local/bin/kube-scheduler").stdout).toMatch(/^-rw-r--r-- 1 root root /);
    expect($("chmod +x /usr/local/bin/kube-scheduler").exitCode).toBe(0);
    expect($("systemctl restart kube-scheduler")).toMatchObject({ stdout: "", stderr: "", exitCode: 0 });
    expect($("systemctl is-active kube-scheduler").stdout).toBe("active\n");
    const placed = rows($("kubectl get pods -o wide").stdout);
    for (const p of placed) expect(p).toMatch(/^\S+\s+1\/1\s+Running\s+0\s+\S+\s+10\.200\.0\.\d+\s+worker-1\s/);
    // .2 is worker-1's CoreDNS pod, so the reader's pods start at .3 (the lesson says so).
    expect(placed.map((l) => l.split(/\s+/)[5])).toEqual(["10.200.0.3", "10.200.0.4", "10.200.0.5", "10.200.0.6", "10.200.0.7", "10.200.0.8"]);
    const bound = $("journalctl -u kube-scheduler | grep 'bound pod'").stdout.trim().split("\n");
    expect(bound).toHaveLength(8);
    // The scheduler's first life, at boot: both workers feasible, one CoreDNS pod to each.
    expect(bound.slice(0, 2).map((l) => /pod="kube-system\/coredns-\S+" node="(worker-\d)" evaluatedNodes=2 feasibleNodes=2$/.exec(l)?.[1]).sort()).toEqual(["worker-1", "worker-2"]);
    for (const l of bound.slice(2)) expect(l).toMatch(/^Jan 12 [\d:]+ controlplane kube-scheduler\[\d+\]: I0112 [\d:.]+ +\d+ schedule_one\.go:314\] "Successfully bound pod to node" pod="default\/\S+" node="worker-1" evaluatedNodes=2 feasibleNodes=1$/);

    // Stop 6: the kubelet on worker-1.
    const hello = rows($("kubectl get pods -l app=hello").stdout).map((l) => l.split(/\s+/)[0]!);
    const events = $(`kubectl describe pod ${hello[0]}`).stdout;
    expect(events).toMatch(/Events:\n {2}Type\s+Reason\s+Age\s+From\s+Message\n/);
    const reasons = [...events.matchAll(/^ {2}Normal\s+(\w+)\s+\S+\s+(\S+)\s+/gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(reasons[0]).toBe("Scheduled default-scheduler");
    expect(reasons).toContain("Created kubelet");
    expect(reasons[reasons.length - 1]).toBe("Started kubelet");
    expect(events).toMatch(/Pulled\s+\S+\s+kubelet\s+(Successfully pulled image "nginx:1\.27"|Container image "nginx:1\.27" already present on machine)/);
    const kubeletLog = $("ssh worker-1 journalctl -u kubelet").stdout;
    expect(kubeletLog).toContain(`kubelet.go:2427] "SyncLoop ADD" source="api" pods=["default/${hello[0]}"]`);
    expect(kubeletLog.indexOf('"SyncLoop ADD" source="api" pods=["kube-system/coredns-')).toBeGreaterThan(-1);
    expect(kubeletLog.indexOf('"SyncLoop ADD" source="api" pods=["kube-system/coredns-')).toBeLessThan(kubeletLog.indexOf(`pods=["default/${hello[0]}"]`));
    // containerd lists worker-1's CoreDNS sandbox first (the oldest), then the reader's.
    expect(rows($("ssh worker-1 crictl pods").stdout)[0]).toMatch(/^[0-9a-f]{13}\s+.*Ready\s+coredns-\S+\s+kube-system\s+0\s+\(default\)$/);
    expect(rows($("ssh worker-1 crictl ps").stdout)[0]).toMatch(/^[0-9a-f]{13}\s+registry\.k8s\.io\/coredns\/coredns:v1\.11\.3\s+.*Running\s+coredns\s+0\s+[0-9a-f]{13}\s+coredns-\S+$/);
    expect($("ssh worker-1 crictl pods").stdout).toMatch(new RegExp(`^[0-9a-f]{13}\\s+.*Ready\\s+${hello[0]}\\s+default\\s+0\\s+\\(default\\)$`, "m"));
    expect($("ssh worker-1 crictl ps").stdout).toMatch(new RegExp(`^[0-9a-f]{13}\\s+nginx:1\\.27\\s+.*Running\\s+nginx\\s+0\\s+[0-9a-f]{13}\\s+${hello[0]}$`, "m"));

    // Stop 7: the runtime, as Linux: log in to the node.
    $("ssh worker-1");
    expect(h.prompt()).toBe("root@worker-1:~# ");
    const tree = $("ps axf").stdout;
    expect(tree).toMatch(/\\_ \/usr\/bin\/containerd-shim-runc-v2 -namespace k8s\.io -id [0-9a-f]+ -address \/run\/containerd\/containerd\.sock\n.*\\_ \/pause\n/);
    expect(tree).toMatch(/\\_ nginx: master process nginx -g daemon off;\n.*\\_ nginx: worker process\n/);
    // The first shims are CoreDNS's, from boot: its pause, then its server.
    expect(tree.indexOf("\\_ /coredns -conf /etc/coredns/Corefile\n")).toBeGreaterThan(-1);
    expect(tree.indexOf("\\_ /coredns -conf /etc/coredns/Corefile\n")).toBeLessThan(tree.indexOf("\\_ nginx: master process"));
    // Seven sandboxes on worker-1: the reader's six pods and one CoreDNS pod; plus the host's netns.
    expect(rows($("ps -o pid,ppid,cmd -C pause").stdout)).toHaveLength(7);
    expect(rows($("lsns -t net").stdout)).toHaveLength(8);
    const master = $("pgrep -f 'nginx: master'").stdout.trim().split("\n")[0]!;
    const nsOf = $(`lsns -p ${master}`).stdout;
    for (const t of ["net", "ipc", "uts"]) expect(nsOf).toMatch(new RegExp(`^\\d+ ${t}\\s+\\d+\\s+\\d+ root /pause$`, "m"));
    for (const t of ["pid", "mnt", "cgroup"]) expect(nsOf).toMatch(new RegExp(`^\\d+ ${t}\\s+\\d+\\s+${master} root nginx: master process`, "m"));
    expect($("exit").stderr).toBe("logout\nConnection to worker-1 closed.\n");
    expect(h.prompt()).toBe("root@controlplane:~# ");

    // Declarative vs imperative.
    expect($(`kubectl apply -f - <<EOF\n${HELLO(2)}EOF`).stdout).toBe("deployment.apps/hello unchanged\n");
    expect($(`kubectl apply -f - <<EOF\n${HELLO(3)}EOF`).stdout).toBe("deployment.apps/hello configured\n");
    expect(rows($("kubectl get pods -l app=hello").stdout)).toHaveLength(3);
    expect($("kubectl create deployment hi --image=nginx:1.27 --replicas=2").stdout).toBe("deployment.apps/hi created\n");
    expect($("kubectl create deployment hi --image=nginx:1.27 --replicas=2")).toMatchObject({ stderr: 'Error from server (AlreadyExists): deployments.apps "hi" already exists\n', exitCode: 1 });

    // The reconcile loop: delete a pod, the ReplicaSet makes another.
    const victim = rows($("kubectl get pods -l app=hello").stdout)[0]!.split(/\s+/)[0]!;
    expect($(`kubectl delete pod ${victim}`, 1_000).stdout).toBe(`pod "${victim}" deleted\n`);
    const after = rows($("kubectl get pods -l app=hello", 5_000).stdout);
    expect(after).toHaveLength(3);
    expect(after.map((l) => l.split(/\s+/)[0])).not.toContain(victim);
    expect(after.every((l) => /\s1\/1\s+Running\s/.test(l))).toBe(true);
    expect($("kubectl describe rs -l app=hello").stdout).toMatch(/SuccessfulCreate[\s\S]*SuccessfulCreate[\s\S]*SuccessfulCreate[\s\S]*SuccessfulCreate/);

    // kubectl is just HTTP.
    expect($("cat /root/.kube/config").stdout).toContain("server: https://192.168.56.11:6443");
    expect($("kubectl get --raw /healthz").stdout).toBe("ok");
    expect($("kubectl get --raw /apis/apps/v1/namespaces/default/deployments/hello | grep -o '\"replicas\":[0-9]*'").stdout).toBe('"replicas":3\n"replicas":3\n');
    const list = JSON.parse($("kubectl get --raw /api/v1/namespaces/default/pods").stdout);
    expect(list).toMatchObject({ kind: "PodList", apiVersion: "v1" });
    expect(list.items.filter((p: { metadata: { labels: Record<string, string> } }) => p.metadata.labels.app === "hello")).toHaveLength(3);
    expect($("kubectl get --raw /api/v1/namespaces/default/pods/nope").stderr).toBe('Error from server (NotFound): pods "nope" not found\n');

    // etcd holds the truth — and the Secrets, base64-encoded only.
    expect($(`kubectl apply -f - <<EOF\n${SECRET}EOF`).stdout).toBe("secret/db created\n");
    expect($("kubectl get secret db -o jsonpath='{.data.password}'").stdout).toBe("czNjcmV0");
    expect($("etcdctl get /registry/secrets/default/db").stdout).toContain('"data":{"password":"czNjcmV0"}');
    expect($("echo czNjcmV0 | base64 -d").stdout).toBe("s3cret");

    // Break it yourself: the seed's exact story, by your own hand.
    expect($("chmod -x /usr/local/bin/kube-scheduler && systemctl restart kube-scheduler")).toMatchObject({ exitCode: 1, stderr: 'Job for kube-scheduler.service failed because the control process exited with error code.\nSee "systemctl status kube-scheduler.service" and "journalctl -xeu kube-scheduler.service" for details.\n' });
    expect($("kubectl scale deployment hello --replicas=5").stdout).toBe("deployment.apps/hello scaled\n");
    const five = rows($("kubectl get pods -l app=hello", 10_000).stdout);
    expect(five.filter((l) => /\s0\/1\s+Pending\s/.test(l))).toHaveLength(2);
    expect($("chmod +x /usr/local/bin/kube-scheduler && systemctl restart kube-scheduler").exitCode).toBe(0);
    expect(rows($("kubectl get pods -l app=hello", 5_000).stdout).filter((l) => /\s1\/1\s+Running\s/.test(l))).toHaveLength(5);

    // …and the controller-manager: the Deployment is stored, but no ReplicaSet, no pods at all.
    expect($("chmod -x /usr/local/bin/kube-controller-manager && systemctl restart kube-controller-manager").exitCode).toBe(1);
    expect($("kubectl create deployment ghost --image=nginx:1.27").stdout).toBe("deployment.apps/ghost created\n");
    expect(rows($("kubectl get deployment ghost", 10_000).stdout)).toEqual([expect.stringMatching(/^ghost\s+0\/1\s+0\s+0\s/)]);
    expect($("kubectl get replicasets -l app=ghost").stderr).toBe("No resources found in default namespace.\n");
    expect($("kubectl get pods -l app=ghost").stderr).toBe("No resources found in default namespace.\n");
    expect($("chmod +x /usr/local/bin/kube-controller-manager && systemctl restart kube-controller-manager").exitCode).toBe(0);
    expect(rows($("kubectl get pods -l app=ghost", 5_000).stdout)).toEqual([expect.stringMatching(/^ghost-\S+\s+1\/1\s+Running\s/)]);

    // …and the API server: kubectl has no one to talk to, the rest keeps running.
    expect($("systemctl stop kube-apiserver").exitCode).toBe(0);
    expect($("kubectl get pods")).toMatchObject({ stderr: "The connection to the server 192.168.56.11:6443 was refused - did you specify the right host or port?\n", exitCode: 1 });
    expect($("ssh worker-1 crictl ps --name nginx").stdout.split("\n").filter((l) => l.includes("Running")).length).toBeGreaterThanOrEqual(5);
    expect($("systemctl start kube-apiserver").exitCode).toBe(0);
    expect($("kubectl get nodes").exitCode).toBe(0);

    // The exercise is still to do: worker-2 is cordoned and every pod sits on worker-1.
    expect(exercise.check(h).filter((r) => !r.ok).map((r) => r.name)).toEqual(["worker-1 and worker-2 both accept new pods", "web's pods run on both workers"]);
    // The page's Check my work after the lesson: the hinted repair (uncordon, then two of web's
    // pods deleted so that the ReplicaSet's replacements land on worker-2) passes.
    expect($("kubectl uncordon worker-2").stdout).toBe("node/worker-2 uncordoned\n");
    const webOnW1 = rows($("kubectl get pods -l app=web -o wide").stdout).map((l) => l.split(/\s+/)[0]!);
    expect($(`kubectl delete pod ${webOnW1.slice(0, 2).join(" ")}`).exitCode).toBe(0);
    expect(exercise.check(h).filter((r) => !r.ok)).toEqual([]);
  });

  it("every manifest lesson 7 and exercise 7 ship is valid for a real API server (kubernetes-models schemas)", () => {
    const mdx = readFileSync(new URL("../../lessons/07-the-control-plane.mdx", import.meta.url), "utf8");
    const docs = [...mdx.matchAll(/<<EOF\n([\s\S]*?)\nEOF\n/g)].map((m) => YAML.parse(m[1]!) as { kind: string; metadata: { name: string } });
    docs.push(YAML.parse(WEB_YAML));
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual(["Deployment/hello", "Deployment/broken", "Deployment/hello", "Secret/db", "Deployment/web"]);
    for (const d of docs) {
      const model = d.kind === "Secret" ? new Secret(d as ConstructorParameters<typeof Secret>[0]) : new Deployment(d as ConstructorParameters<typeof Deployment>[0]);
      // The schema has no minimum for replicas: "broken" (replicas: -1) is caught by the API
      // server's validation, as the lesson shows, not by the OpenAPI types.
      expect(() => model.validate(), `${d.kind}/${d.metadata.name}`).not.toThrow();
    }
    // The schemas check types and required fields (unknown fields are the engine's strict
    // decoding, which accepted these manifests above); a control proves the validator is awake.
    expect(() => new Deployment({ ...docs[0], spec: { ...(docs[0] as unknown as { spec: object }).spec, replicas: "two" } } as never).validate()).toThrow();
  });

  it("ssh hands the remote command its own options; base64 round-trips and rejects garbage", () => {
    const h = exercise.setup();
    expect(h.sh("ssh worker-1 ps -o comm= -p 1").stdout).toBe("systemd\n");
    expect(h.sh("ssh -p 22 worker-1 hostname -s").stdout).toBe("worker-1\n");
    expect(h.sh("ssh worker-1 journalctl -u kubelet").stdout).toContain('"Successfully registered node" node="worker-1"');
    expect(h.sh("echo -n s3cret | base64").stdout).toBe("czNjcmV0\n");
    expect(h.sh("echo 'héllo wörld' | base64 | base64 -d").stdout).toBe("héllo wörld\n");
    expect(h.sh("echo '%%%' | base64 -d")).toMatchObject({ stderr: "base64: invalid input\n", exitCode: 1 });
    expect(h.sh("base64 --bogus")).toMatchObject({ stderr: "base64: unrecognized option '--bogus'\nTry 'base64 --help' for more information.\n", exitCode: 1 });
    expect(h.sh("kubectl get --raw")).toMatchObject({ stderr: "error: flag needs an argument: --raw\n", exitCode: 1 });
    expect(h.sh("kubectl get pods --raw /api/v1/pods")).toMatchObject({ stderr: "error: arguments may not be passed when --raw is specified\n", exitCode: 1 });
    expect(h.sh("kubectl get --raw /api/v1/pods").stdout).toMatch(/^\{"kind":"PodList","apiVersion":"v1","metadata":\{"resourceVersion":"\d+"\},"items":\[\{"metadata":\{"name":"web-/);
    expect(h.sh("kubectl get --raw /api/v1/nodes/worker-2").stdout).toContain('"unschedulable":true');
    expect(h.sh("kubectl get --raw /apis/apps/v1/deployments/web").stderr).toBe("Error from server (NotFound): the server could not find the requested resource\n");
  });
});
