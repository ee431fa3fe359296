// End to end: after `kubectl apply` of Deployments and Services, read each node's Linux state
// with the node's own tools and check it against what Kubernetes promises —
//   one network namespace per pod plus the host's (lsns -t net),
//   the pod cgroup's cpu.weight / cpu.max / memory.max as RULES.md converts requests and limits,
//   KUBE-SVC → KUBE-SEP rules with probabilities 1/(N-i) in iptables-save's 11-decimal form,
//   and an overlay root filesystem mounted for every container of every pod.
// The expected numbers are worked out by hand below from RULES.md, not computed by engine code.
import { describe, expect, it } from "vitest";
import { createCluster } from "./cluster";
import type { Cluster } from "./cluster";

const MANIFESTS = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 4
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        resources:
          requests: {cpu: 250m, memory: 64Mi}
          limits: {cpu: 500m, memory: 128Mi}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: db}
spec:
  replicas: 2
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
      - name: db
        image: nginx:1.27
        resources:
          limits: {cpu: 750m, memory: 256Mi}
---
apiVersion: v1
kind: Pod
metadata: {name: tools, labels: {app: tools}}
spec:
  containers:
  - name: tools
    image: nginx:1.27
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: db}
spec:
  selector: {app: db}
  ports: [{port: 5432, targetPort: 80}]
`;

/**
 * The pod cgroup files per app, from RULES.md:
 *   web (Burstable): request 250m → shares floor(250·1024/1000) = 256 → weight 1 + floor(254·9999/262142) = 10;
 *     every container has a CPU limit, 500m → quota 500·100000/1000 = 50000; memory limit 128Mi = 134217728.
 *   db (Guaranteed, requests defaulted from limits): 750m → shares 768 → weight 1 + floor(766·9999/262142) = 30;
 *     quota 75000; memory 256Mi = 268435456.
 *   tools (BestEffort): shares 2 → weight 1; no quota → "max 100000"; no memory limit → "max".
 */
const CGROUP: Record<string, { slice: RegExp; "cpu.weight": string; "cpu.max": string; "memory.max": string }> = {
  web: { slice: /^\/kubepods\.slice\/kubepods-burstable\.slice\/kubepods-burstable-pod[0-9a-f_]{36}\.slice$/, "cpu.weight": "10", "cpu.max": "50000 100000", "memory.max": "134217728" },
  db: { slice: /^\/kubepods\.slice\/kubepods-pod[0-9a-f_]{36}\.slice$/, "cpu.weight": "30", "cpu.max": "75000 100000", "memory.max": "268435456" },
  tools: { slice: /^\/kubepods\.slice\/kubepods-besteffort\.slice\/kubepods-besteffort-pod[0-9a-f_]{36}\.slice$/, "cpu.weight": "1", "cpu.max": "max 100000", "memory.max": "max" },
};

/** Probabilities iptables-save prints for the first N-1 of N endpoints: round(2^31/(N-i)) / 2^31, 11 decimals. */
const PROBABILITIES: Record<number, string[]> = {
  2: ["0.50000000000"],
  4: ["0.25000000000", "0.33333333349", "0.50000000000"],
};

interface PodRow {
  namespace: string;
  name: string;
  app: string;
  ip: string;
  node: string;
  uid: string;
  containerIDs: string[];
}

/** Every pod in the cluster (-A: add-ons in kube-system have namespaces and mounts on the nodes too). */
function pods(c: Cluster): PodRow[] {
  const list = JSON.parse(c.sh("kubectl get pods -A -o json").stdout) as { items: { metadata: { namespace: string; name: string; uid: string; labels: Record<string, string> }; spec: { nodeName: string }; status: { podIP: string; phase: string; containerStatuses?: { containerID?: string }[] } }[] };
  return list.items.map((p) => ({
    namespace: p.metadata.namespace,
    name: p.metadata.name,
    app: p.metadata.labels?.app ?? "",
    ip: p.status.podIP,
    node: p.spec.nodeName,
    uid: p.metadata.uid,
    containerIDs: (p.status.containerStatuses ?? []).map((s) => (s.containerID ?? "").replace(/^containerd:\/\//, "")),
  }));
}

describe("a Deployment and a Service, seen from the nodes' Linux", () => {
  const c = createCluster({ workers: 2, seed: 11 });
  c.sh("kubectl apply -f -", { stdin: MANIFESTS });
  c.settle();
  const everything = pods(c);
  const all = everything.filter((p) => p.namespace === "default");
  const workers = ["worker-1", "worker-2"];

  it("every pod is Running, with an IP, on a worker", () => {
    expect(all).toHaveLength(7);
    expect(c.sh("kubectl get pods").stdout.trim().split("\n").slice(1).every((l) => /\s1\/1\s+Running\s/.test(l))).toBe(true);
    for (const p of all) {
      expect(workers).toContain(p.node);
      expect(p.ip).toMatch(/^10\.200\.[01]\.\d+$/);
      expect(p.containerIDs).toHaveLength(1);
    }
    expect(everything.filter((p) => workers.includes(p.node)).every((p) => p.containerIDs.every((id) => /^[0-9a-f]{64}$/.test(id)))).toBe(true);
  });

  it("each node has one network namespace per pod on it, plus the host's own", () => {
    for (const w of workers) {
      const onNode = everything.filter((p) => p.node === w).length;
      const rows = c.node(w).sh("lsns -t net --noheadings").stdout.trim().split("\n").filter(Boolean);
      expect(rows).toHaveLength(onNode + 1);
      // lsns names each namespace's lowest PID: the host's is init, every pod's is its pause container.
      expect(rows.filter((r) => r.endsWith("/sbin/init"))).toHaveLength(1);
      expect(rows.filter((r) => r.endsWith("/pause"))).toHaveLength(onNode);
    }
  });

  // Needs the kubelet to write the pod cgroup (ResourceConfigForPod) — branch h-labs, commit b71ea3f.
  it("each pod's cgroup holds the cpu.weight, cpu.max and memory.max RULES.md gives for its requests and limits", () => {
    for (const p of all) {
      const want = CGROUP[p.app]!;
      const node = c.node(p.node);
      // The kubelet names the pod's slice after its UID (dashes become underscores) under its QoS slice.
      const found = node.sh(`find /sys/fs/cgroup/kubepods.slice -name 'kubepods*-pod${p.uid.replace(/-/g, "_")}.slice'`).stdout.trim().split("\n").filter(Boolean);
      expect(found, p.name).toHaveLength(1);
      const slice = found[0]!.replace(/^\/sys\/fs\/cgroup/, "");
      expect(slice).toMatch(want.slice);
      for (const file of ["cpu.weight", "cpu.max", "memory.max"] as const) expect(`${file}=${node.sh(`cat /sys/fs/cgroup${slice}/${file}`).stdout.trim()}`).toBe(`${file}=${want[file]}`);
    }
  });

  it("iptables-save on every node sends each ClusterIP to its endpoints with probabilities 1/(N-i)", () => {
    for (const svc of ["web", "db"]) {
      const clusterIP = c.sh(`kubectl get svc ${svc} -o jsonpath='{.spec.clusterIP}'`).stdout;
      const port = svc === "web" ? 80 : 5432;
      // Endpoints in kube-proxy's order: sorted by their "ip:port" string.
      const endpoints = all.filter((p) => p.app === svc).map((p) => `${p.ip}:80`).sort();
      for (const w of workers) {
        const nat = c.node(w).sh("iptables-save -t nat").stdout;
        const jump = new RegExp(`^-A KUBE-SERVICES -d ${clusterIP.replace(/\./g, "\\.")}/32 -p tcp -m comment --comment "default/${svc} cluster IP" -m tcp --dport ${port} -j (KUBE-SVC-[A-Z2-7]{16})$`, "m").exec(nat);
        expect(jump, `${w}: KUBE-SERVICES jump for ${svc}`).not.toBeNull();
        const svcChain = jump![1]!;
        const rules = nat.split("\n").filter((l) => l.startsWith(`-A ${svcChain} `) && l.includes("-j KUBE-SEP-"));
        expect(rules.map((r) => /"default\/\w+ -> (\S+)"/.exec(r)?.[1])).toEqual(endpoints);
        const probabilities = rules.map((r) => /--probability (\S+)/.exec(r)?.[1]);
        expect(probabilities).toEqual([...PROBABILITIES[endpoints.length]!, undefined]);
        // Each KUBE-SEP chain marks hairpin traffic and DNATs to exactly its endpoint.
        for (const [i, rule] of rules.entries()) {
          const sep = /-j (KUBE-SEP-[A-Z2-7]{16})$/.exec(rule)![1]!;
          const ip = endpoints[i]!.split(":")[0]!;
          expect(nat).toContain(`-A ${sep} -s ${ip}/32 -m comment --comment "default/${svc}" -j KUBE-MARK-MASQ\n`);
          expect(nat).toContain(`-A ${sep} -p tcp -m comment --comment "default/${svc}" -m tcp -j DNAT --to-destination ${endpoints[i]}\n`);
        }
      }
    }
  });

  it("every container of every pod, the pause container included, runs on an overlay root filesystem", () => {
    for (const w of workers) {
      const node = c.node(w);
      const overlays = node.sh("mount -t overlay").stdout.trim().split("\n").filter(Boolean);
      const onNode = everything.filter((p) => p.node === w);
      // One overlay per pause container and one per app container: nothing else is mounted there.
      expect(overlays).toHaveLength(onNode.reduce((n, p) => n + 1 + p.containerIDs.length, 0));
      // crictl pods: POD ID (13 hex digits) … NAME — the sandbox of each pod.
      const [header, ...lines] = node.sh("crictl pods").stdout.trim().split("\n");
      const nameAt = header!.indexOf("NAME");
      const sandboxes = new Map(lines.map((l) => [l.slice(nameAt).split(" ")[0]!, l.split(" ")[0]!] as const));
      for (const p of onNode) {
        expect(sandboxes.get(p.name), p.name).toMatch(/^[0-9a-f]{13}$/);
        for (const id of [sandboxes.get(p.name)!, ...p.containerIDs]) {
          expect(overlays.filter((m) => m.startsWith(`overlay on /run/containerd/io.containerd.runtime.v2.task/k8s.io/${id}`) && /\/rootfs type overlay \(rw,relatime,lowerdir=[^,]+,upperdir=[^,]+,workdir=/.test(m)), `${p.name} ${id}`).toHaveLength(1);
        }
      }
    }
  });
});
