// "The Kubernetes side" of lessons 2-5, run as the reader runs it. The test reads each lesson's
// MDX, takes the section's manifests (<ManifestEditor file=…> with a yaml block: written to
// /root/FILE as the editor does) and its shell blocks (the commands a "Run" button types, as
// exercises/lib/lesson-transcript.ts reads them), runs them in order on a fresh
// createCluster({ workers: 2, seed: 1 }) control plane, and checks that what the prose says is
// what the engine does. Change a command in a lesson and this test runs the new one.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createCluster } from "./cluster";
import type { Cluster } from "./cluster";
import { cpuMaxFor, memoryLimitToMax, milliCPUToShares, oomScoreAdj, runcSharesToWeight, sharesToWeight } from "../index";
import { blockCommands } from "../../exercises/lib/lesson-transcript";

type Step = { kind: "file"; file: string; text: string } | { kind: "sh"; commands: string[] } | { kind: "text"; text: string };

/** The steps of a lesson's "## The Kubernetes side" section, in page order. */
function kubernetesSide(lesson: string): Step[] {
  const mdx = readFileSync(new URL(`../../lessons/${lesson}`, import.meta.url), "utf8");
  const start = mdx.indexOf("\n## The Kubernetes side");
  if (start < 0) throw new Error(`${lesson} has no "The Kubernetes side" section`);
  const rest = mdx.slice(start);
  const end = rest.indexOf("\n## ", 1);
  const section = end < 0 ? rest : rest.slice(0, end);
  const steps: Step[] = [];
  const re = /<ManifestEditor\b[^>]*?\bfile="([^"]+)"[^>]*>\s*```yaml\n([\s\S]*?)```\s*<\/ManifestEditor>|```(sh|text)\n([\s\S]*?)```/g;
  for (const m of section.matchAll(re)) {
    if (m[1] !== undefined) steps.push({ kind: "file", file: m[1], text: m[2]!.replace(/^\n+/, "").replace(/\s+$/, "") + "\n" });
    else if (m[3] === "sh") steps.push({ kind: "sh", commands: blockCommands(m[4]!) });
    else steps.push({ kind: "text", text: m[4]! });
  }
  return steps;
}

interface Run {
  cluster: Cluster;
  /** Output (stdout + stderr) of every command, by command line: one entry per time it ran. */
  out: Map<string, string[]>;
  /** Exit status of every command. */
  status: Map<string, number>;
  /** The text blocks of the section (the output the lesson shows), each with the lines the shell block before it printed. */
  shown: { text: string; printed: string[] }[];
}

/** Run a section: files saved, each shell block's lines back to back, then a pause for reading. */
function runSection(lesson: string, readMs = 5_000): Run {
  const cluster = createCluster({ workers: 2, seed: 1 });
  const cp = cluster.controlPlane;
  const run: Run = { cluster, out: new Map(), status: new Map(), shown: [] };
  let printed: string[] = [];
  for (const step of kubernetesSide(lesson)) {
    if (step.kind === "file") expect(cp.writeFile(`/root/${step.file}`, step.text)).toBe(true);
    else if (step.kind === "text") run.shown.push({ text: step.text, printed });
    else {
      printed = [];
      for (const line of step.commands) {
        const r = cp.sh(line);
        printed.push(...(r.stdout + r.stderr).split("\n").map((l) => l.trimEnd()));
        run.out.set(line, [...(run.out.get(line) ?? []), r.stdout + r.stderr]);
        run.status.set(line, r.exitCode);
      }
      cp.tick(readMs);
    }
  }
  return run;
}

/** The lines a section shows that its commands did not print (trailing blanks aside). */
function notPrinted(run: Run): string[] {
  const missing: string[] = [];
  for (const { text, printed } of run.shown) for (const want of text.split("\n").map((l) => l.trimEnd())) if (want && !printed.includes(want)) missing.push(want);
  return missing;
}

/** The output of `line` the nth time the section ran it (default: the first). */
function out(run: Run, line: string, nth = 0): string {
  const o = run.out.get(line)?.[nth];
  if (o === undefined) throw new Error(`the section does not run: ${line}\nit runs:\n${[...run.out.keys()].join("\n")}`);
  return o;
}

describe("lesson 2, the Kubernetes side: a Pod's namespaces on worker-1", () => {
  const run = runSection("02-namespaces.mdx");

  it("runs every command without an error", () => {
    for (const [line, code] of run.status) expect([line, code]).toEqual([line, 0]);
  });

  it("shows, in every output block, only lines the commands before it printed", () => {
    expect(run.shown.length).toBeGreaterThan(2);
    expect(notPrinted(run)).toEqual([]);
  });

  it("puts the two-container Pod on worker-1, Running", () => {
    expect(out(run, "kubectl get pod duo -o wide")).toMatch(/^duo\s+2\/2\s+Running\s+0\s+\S+\s+10\.200\.0\.\d+\s+worker-1\s/m);
  });

  it("shows duo's sandbox and two containers in crictl, beside the kube-system CoreDNS Pod", () => {
    const pods = out(run, "crictl pods");
    expect(pods).toMatch(/^[0-9a-f]{13}\s+.*\bReady\s+duo\s+default\b/m);
    expect(pods).toMatch(/^[0-9a-f]{13}\s+.*\bReady\s+coredns-[0-9a-z]+-[0-9a-z]{5}\s+kube-system\b/m);
    expect(pods.trim().split("\n")).toHaveLength(3);
    const ps = out(run, "crictl ps");
    expect(ps).toMatch(/^[0-9a-f]{13}\s+nginx:latest\s.*Running\s+web\s/m);
    expect(ps).toMatch(/^[0-9a-f]{13}\s+busybox:latest\s.*Running\s+sidecar\s/m);
    expect(ps).toMatch(/^[0-9a-f]{13}\s+registry\.k8s\.io\/coredns\/coredns:v1\.11\.3\s.*Running\s+coredns\s/m);
    expect(ps.trim().split("\n")).toHaveLength(4);
  });

  it("has one pod network namespace per sandbox: CoreDNS's (pause + coredns), and duo's with exactly pause, nginx x2 and sleep in it", () => {
    const net = out(run, "lsns -t net").trim().split("\n");
    expect(net).toHaveLength(4);
    const w = run.cluster.node("worker-1").snapshot();
    const pauses = w.processes.filter((p) => p.comm === "pause").map((p) => p.pid).sort((a, b) => a - b);
    expect(pauses).toHaveLength(2);
    expect(net[2]).toMatch(new RegExp(`^\\d+ net\\s+2\\s+${pauses[0]} root\\s.*\\/pause$`));
    expect(net[3]).toMatch(new RegExp(`^\\d+ net\\s+4\\s+${pauses[1]} root\\s.*\\/pause$`));
    expect(out(run, "lsns -t mnt")).toMatch(/ mnt\s+1\s+\d+ root \/coredns -conf \/etc\/coredns\/Corefile$/m);
  });

  it("has a mount namespace per container plus the sandbox's", () => {
    const mnt = out(run, "lsns -t mnt");
    expect(mnt).toMatch(/ mnt\s+1\s+\d+ root \/pause$/m);
    expect(mnt).toMatch(/ mnt\s+2\s+\d+ root nginx: master process/m);
    expect(mnt).toMatch(/ mnt\s+1\s+\d+ root sleep 3600$/m);
  });

  it("shares net, ipc and uts with pause and keeps mnt and pid per container (readlink table)", () => {
    const line = [...run.out.keys()].find((l) => l.startsWith("for k in net ipc uts mnt pid"))!;
    const rows = Object.fromEntries(out(run, line).trim().split("\n").map((r) => [r.split(" ")[0], r.split(" ").slice(1)]));
    for (const k of ["net", "ipc", "uts"]) expect(new Set(rows[k]).size, k).toBe(1);
    for (const k of ["mnt", "pid"]) expect(new Set(rows[k]).size, k).toBe(3);
    // and the pause process's are not the host's initial namespaces
    expect(rows.net![0]).not.toBe("net:[4026531840]");
  });

  it("shows the container joining pause's namespaces by /proc path in the runtime spec", () => {
    // duo's pause: the one whose network namespace nginx is in (the other is CoreDNS's)
    const procs = run.cluster.node("worker-1").snapshot().processes;
    const nginx = procs.find((p) => p.comm === "nginx")!;
    const pause = procs.find((p) => p.comm === "pause" && p.ns.net === nginx.ns.net)!;
    const paths = out(run, "crictl inspect $(crictl ps --name sidecar -q) | grep path");
    for (const k of ["net", "ipc", "uts"]) expect(paths).toContain(`"path": "/proc/${pause.pid}/ns/${k}"`);
  });

  it("gives the sidecar the Pod's hostname and PID 1 in its own PID namespace", () => {
    expect(out(run, "nsenter -t $SIDE --uts hostname")).toBe("duo\n");
    expect(out(run, "grep NSpid /proc/$SIDE/status")).toMatch(/^NSpid:\t\d+\t1\n$/);
  });

  it("leaves the shims in the host's namespaces (runc init joins, not the shim)", () => {
    const w = run.cluster.node("worker-1").snapshot();
    const hostNet = w.processes.find((p) => p.pid === 1)!.ns.net;
    const shims = w.processes.filter((p) => p.comm.startsWith("containerd-shim"));
    // duo's sandbox, web and sidecar, and CoreDNS's sandbox and container
    expect(shims.length).toBe(5);
    for (const s of shims) expect(s.ns.net).toBe(hostNet);
  });

  it("ends back on the control plane", () => {
    expect(run.cluster.controlPlane.prompt()).toMatch(/^root@controlplane:/);
  });
});

describe("lesson 3, the Kubernetes side: a Pod's resources, written into files", () => {
  const run = runSection("03-cgroups.mdx");
  // The table's numbers, from the RULES.md conversions rather than typed in.
  const shares = milliCPUToShares(250);

  it("runs every command without an error", () => {
    for (const [line, code] of run.status) expect([line, code]).toEqual([line, 0]);
  });

  it("shows, in every output block, only lines the commands before it printed", () => {
    expect(run.shown.length).toBeGreaterThan(2);
    expect(notPrinted(run)).toEqual([]);
  });

  it("classes burst as Burstable and free as BestEffort", () => {
    expect(out(run, "kubectl describe pod burst | grep QoS")).toMatch(/^QoS Class:\s+Burstable\n$/);
    expect(out(run, "kubectl describe pod free | grep QoS")).toMatch(/^QoS Class:\s+BestEffort\n$/);
  });

  it("makes one slice per QoS class in use, the BestEffort one at weight 1", () => {
    expect(out(run, "ls /sys/fs/cgroup/kubepods.slice | grep slice")).toBe("kubepods-besteffort.slice\nkubepods-burstable.slice\n");
    expect(out(run, "cat /sys/fs/cgroup/kubepods.slice/kubepods-besteffort.slice/cpu.weight")).toBe(`${sharesToWeight(2)}\n`);
  });

  it("finds two Burstable Pod cgroups, burst's and the kube-system CoreDNS Pod's, and burst's by nginx's /proc/PID/cgroup", () => {
    const cp = run.cluster.controlPlane;
    const uid = (ns: string, name: string) => cp.sh(`kubectl get pod ${name} -n ${ns} -o jsonpath='{.metadata.uid}'`).stdout.replace(/-/g, "_");
    const coredns = cp.sh("kubectl get pods -n kube-system -o wide").stdout.split("\n").find((l) => / worker-1 /.test(l))!.split(/\s+/)[0]!;
    expect(coredns).toMatch(/^coredns-/);
    const slices = [uid("default", "burst"), uid("kube-system", coredns)].map((u) => `kubepods-burstable-pod${u}.slice`).sort();
    expect(out(run, "ls -d kubepods-burstable-pod*")).toBe(`${slices.join("  ")}\n`);
    const cid = run.cluster.node("worker-1").sh("crictl ps --name app --pod $(crictl pods --name burst -q) -q").stdout.trim();
    expect(out(run, "cat /proc/$(pidof -s nginx)/cgroup")).toBe(`0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${uid("default", "burst")}.slice/cri-containerd-${cid}.scope\n`);
  });

  it("writes the Pod cgroup with the kubelet's conversions", () => {
    expect(out(run, "cat cgroup.subtree_control cpu.weight cpu.max memory.max")).toBe(
      `cpu memory pids\n${sharesToWeight(shares)}\n${cpuMaxFor(500)}\n${memoryLimitToMax(200 * 2 ** 20)}\n`,
    );
    expect(sharesToWeight(shares)).toBe(10);
  });

  it("writes the container scope with runc's weight and the same limits, with nginx in it", () => {
    expect(out(run, "cat cpu.weight cpu.max memory.max")).toBe(`${runcSharesToWeight(shares)}\n${cpuMaxFor(500)}\n${memoryLimitToMax(200 * 2 ** 20)}\n`);
    expect(runcSharesToWeight(shares)).toBe(35);
    const procs = out(run, "cat cgroup.procs").trim().split("\n").map(Number);
    const w = run.cluster.node("worker-1").snapshot();
    expect(procs.map((p) => w.processes.find((x) => x.pid === p)?.comm)).toEqual(["nginx", "nginx"]);
  });

  it("sets oom_score_adj by QoS class: 976 for burst's nginx, 1000 for free's sleep", () => {
    const mem = run.cluster.node("worker-1").snapshot().machine.memory;
    const burst = { spec: { containers: [{ resources: { requests: { cpu: "250m", memory: "100Mi" }, limits: { cpu: "500m", memory: "200Mi" } } }] } };
    expect(out(run, "cat /proc/$(head -1 cgroup.procs)/oom_score_adj")).toBe(`${oomScoreAdj(burst.spec.containers[0]!, burst, mem)}\n`);
    expect(out(run, "cat /proc/$(head -1 cgroup.procs)/oom_score_adj")).toBe("976\n");
    expect(out(run, "cat /proc/$(pidof sleep)/oom_score_adj")).toBe("1000\n");
  });

  it("the try-it: deleted and re-applied with requests = limits, burst is Guaranteed, directly under kubepods.slice", () => {
    const cp = run.cluster.controlPlane;
    const yaml = cp.readFile("/root/qos.yaml")!.replace("cpu: 250m", "cpu: 500m").replace("memory: 100Mi", "memory: 200Mi");
    expect(cp.writeFile("/root/qos.yaml", yaml)).toBe(true);
    // (A real API server refuses this update of a running Pod; the engine does not check it yet,
    // so the lesson tells the reader to delete first and this test follows the lesson.)
    expect(cp.sh("kubectl delete pod burst").exitCode).toBe(0);
    run.cluster.tick(35_000);
    expect(cp.sh("kubectl get pods").stdout).not.toMatch(/^burst\s/m);
    expect(cp.sh("kubectl apply -f qos.yaml").exitCode).toBe(0);
    run.cluster.tick(5_000);
    expect(cp.sh("kubectl describe pod burst | grep QoS").stdout).toMatch(/Guaranteed/);
    const w = run.cluster.node("worker-1");
    const uid = cp.sh("kubectl get pod burst -o jsonpath='{.metadata.uid}'").stdout.replace(/-/g, "_");
    expect(w.sh(`cat /sys/fs/cgroup/kubepods.slice/kubepods-pod${uid}.slice/cpu.max`).stdout).toBe(`${cpuMaxFor(500)}\n`);
    const cid = w.sh("crictl ps --name app --pod $(crictl pods --name burst -q) -q").stdout.trim();
    expect(w.sh(`cat /proc/$(head -1 /sys/fs/cgroup/kubepods.slice/kubepods-pod${uid}.slice/cri-containerd-${cid}.scope/cgroup.procs)/oom_score_adj`).stdout).toBe("-997\n");
  });
});

describe("lesson 4, the Kubernetes side: a Pod's root filesystem on a node", () => {
  const run = runSection("04-images-and-overlayfs.mdx");
  const SNAP = "/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots";

  it("runs every command without an error", () => {
    for (const [line, code] of run.status) expect([line, code]).toEqual([line, 0]);
  });

  it("shows, in every output block, only lines the commands before it printed", () => {
    expect(run.shown.length).toBeGreaterThan(2);
    expect(notPrinted(run)).toEqual([]);
  });

  it("pulled the pause and nginx images on the node, beside the CoreDNS add-on's image", () => {
    const images = out(run, "crictl images");
    expect(images).toMatch(/^registry\.k8s\.io\/pause\s+3\.10\s/m);
    expect(images).toMatch(/^docker\.io\/library\/nginx\s+latest\s/m);
    expect(images).toMatch(/^registry\.k8s\.io\/coredns\/coredns\s+v1\.11\.3\s/m);
    expect(images.trim().split("\n")).toHaveLength(4);
  });

  /** The rootfs mounts of a Pod's sandbox and containers on worker-1, in the order they were made. */
  const rootfsOf = (pod: string) => {
    const w = run.cluster.node("worker-1");
    const ids = [w.sh(`crictl pods --name ${pod} -q`).stdout.trim(), ...w.sh(`crictl ps -a --pod $(crictl pods --name ${pod} -q) -q`).stdout.trim().split("\n")];
    return ids.map((id) => `/run/containerd/io.containerd.runtime.v2.task/k8s.io/${id}/rootfs`);
  };
  const coredns = () => run.cluster.controlPlane.sh("kubectl get pods -n kube-system -o wide").stdout.split("\n").find((l) => / worker-1 /.test(l))!.split(/\s+/)[0]!;

  it("mounted one overlay per container, named by container ID: the CoreDNS Pod's two, then web's two", () => {
    const targets = out(run, "findmnt -t overlay -o TARGET").trim().split("\n").slice(1);
    expect(targets).toEqual([...rootfsOf(coredns()), ...targets.slice(2)]);
    expect(targets).toHaveLength(4);
    for (const t of targets) expect(t).toMatch(/^\/run\/containerd\/io\.containerd\.runtime\.v2\.task\/k8s\.io\/[0-9a-f]+\/rootfs$/);
  });

  it("stacks nginx's layers as lowerdir (top first) with a fresh upper, after the CoreDNS Pod's snapshots", () => {
    const opts = out(run, "findmnt -n -o OPTIONS /run/containerd/io.containerd.runtime.v2.task/k8s.io/$CID/rootfs");
    expect(opts).toBe(`rw,relatime,lowerdir=${SNAP}/7/fs:${SNAP}/6/fs,upperdir=${SNAP}/8/fs,workdir=${SNAP}/8/work,uuid=on\n`);
    const w = run.cluster.node("worker-1");
    expect(w.sh(`findmnt -n -o OPTIONS ${rootfsOf(coredns())[1]}`).stdout).toBe(`rw,relatime,lowerdir=${SNAP}/3/fs,upperdir=${SNAP}/4/fs,workdir=${SNAP}/4/work,uuid=on\n`);
  });

  it("finds the container's write in its upper layer, beside the mount points runc made for /etc/hosts and /etc/resolv.conf", () => {
    expect(out(run, "ls $UPPER")).toBe("etc  tmp\n");
    expect(out(run, "cat $UPPER/tmp/note")).toBe("written by web\n");
    // (the lesson's Pod is deleted by now: look at a fresh one's upper)
    const c = createCluster({ workers: 2, seed: 1 });
    c.sh("kubectl apply -f -", { stdin: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  nodeName: worker-1\n  containers:\n  - name: web\n    image: nginx\n" });
    c.tick(5_000);
    expect(c.node("worker-1").sh(`ls -a ${SNAP}/8/fs/etc`).stdout).toBe(".  ..  hosts  resolv.conf\n");
    expect(c.node("worker-1").sh(`cat ${SNAP}/8/fs/etc/hosts ${SNAP}/8/fs/etc/resolv.conf`).stdout).toBe("");
  });

  it("shows the Pod Terminating right after the delete, and drops its uppers but keeps the image layers", () => {
    expect(out(run, "kubectl get pods")).toMatch(/^web\s+1\/1\s+Terminating\s/m);
    expect(out(run, `ls ${SNAP}`)).toBe("1  2  3  4  6  7\n");
    expect(out(run, "findmnt -t overlay -o TARGET", 1)).toBe(`TARGET\n${rootfsOf(coredns()).join("\n")}\n`);
    expect(run.cluster.controlPlane.sh("kubectl get pods").stdout + run.cluster.controlPlane.sh("kubectl get pods").stderr).toBe("No resources found in default namespace.\n");
  });
});

describe("lesson 5, the Kubernetes side: the same wiring, made by the bridge plugin", () => {
  const run = runSection("05-veth-bridges-and-cni.mdx");

  it("runs every command without an error", () => {
    for (const [line, code] of run.status) expect([line, code]).toEqual([line, 0]);
  });

  it("shows, in every output block, only lines the commands before it printed", () => {
    expect(run.shown.length).toBeGreaterThan(2);
    expect(notPrinted(run)).toEqual([]);
  });

  it("gives each Pod an address from its node's podCIDR", () => {
    const pods = out(run, "kubectl get pods -o wide");
    expect(pods).toMatch(/^pod-a\s+1\/1\s+Running\s.*\s10\.200\.0\.\d+\s+worker-1\s/m);
    // the reader's Pods only: the CoreDNS Pods live in kube-system
    expect(pods.trim().split("\n")).toHaveLength(3);
    expect(pods).toMatch(/^pod-b\s+1\/1\s+Running\s.*\s10\.200\.1\.\d+\s+worker-2\s/m);
    expect(out(run, "kubectl describe node worker-1 | grep PodCIDR")).toMatch(/^PodCIDR:\s+10\.200\.0\.0\/24\nPodCIDRs:\s+10\.200\.0\.0\/24\n$/);
    expect(out(run, "kubectl describe node worker-2 | grep PodCIDR")).toMatch(/^PodCIDR:\s+10\.200\.1\.0\/24\nPodCIDRs:\s+10\.200\.1\.0\/24\n$/);
    expect(out(run, "grep subnet /etc/cni/net.d/10-bridge.conf")).toContain('"subnet": "10.200.0.0/24"');
  });

  it("puts the gateway on cni0 and the Pod's host-side veth on the bridge, paired with the Pod's eth0", () => {
    const addr = out(run, "ip -br addr");
    expect(addr).toMatch(/^cni0\s+UP\s+10\.200\.0\.1\/24\s/m);
    // two veths: the CoreDNS Pod's (made when the cluster started), then pod-a's
    const veths = [...addr.matchAll(/^(veth[0-9a-f]{8})@if(\d+)\s+UP/gm)];
    expect(veths).toHaveLength(2);
    const veth = veths[1]!;
    // the host end is named after pod-a's sandbox ID
    expect(veth[1]).toBe(`veth${run.cluster.node("worker-1").sh("crictl pods --name pod-a -q").stdout.slice(0, 8)}`);
    const link = new RegExp(`^(\\d+): ${veth[1]}@if${veth[2]}: .* master cni0 state forwarding`, "m").exec(out(run, "bridge link"));
    expect(link).not.toBeNull();
    const hostIndex = link![1];
    // the Pod's eth0 is interface veth[2] and names the host end as its peer
    expect(out(run, "nsenter -t $PAUSE -n ip addr show eth0")).toMatch(new RegExp(`^${veth[2]}: eth0@if${hostIndex}: `));
    expect(out(run, "nsenter -t $PAUSE -n ip addr show eth0")).toContain("inet 10.200.0.3/24 scope global eth0");
    expect(out(run, "nsenter -t $PAUSE -n ip route")).toBe("default via 10.200.0.1 dev eth0 \n10.200.0.0/24 dev eth0 proto kernel scope link src 10.200.0.3 \n");
    expect(out(run, "nsenter -t $PAUSE -n ip -br link")).toMatch(/^lo\s+UNKNOWN\s/m);
  });

  it("records the address in host-local's file, owned by the Pod's sandbox", () => {
    // .2 is the CoreDNS Pod's, taken when the cluster started; pod-a has .3
    expect(out(run, "ls /var/lib/cni/networks/bridge")).toBe("10.200.0.2  10.200.0.3  last_reserved_ip.0\n");
    const w1 = run.cluster.node("worker-1");
    expect(w1.sh("cat /var/lib/cni/networks/bridge/10.200.0.2").stdout.split("\n")[0]).toBe(w1.sh("crictl pods --name coredns -q").stdout.trim());
    const [owner, ifname] = out(run, "cat /var/lib/cni/networks/bridge/10.200.0.3").split("\n");
    expect(ifname).toBe("eth0");
    const sandbox = run.cluster.node("worker-1").sh("crictl pods --name pod-a -q").stdout.trim();
    expect(sandbox).toBe(owner);
  });

  it("routes the other node's podCIDR via that node, and a ping crosses with ttl 62", () => {
    expect(out(run, "ip route")).toContain("10.200.1.0/24 via 192.168.56.13 dev eth0 \n");
    expect(out(run, "kubectl get pods -o wide")).toMatch(/^pod-b\s.*\s10\.200\.1\.3\s+worker-2\s/m);
    const ping = out(run, "nsenter -t $PAUSE -n ping -c 1 10.200.1.3");
    expect(ping).toMatch(/^64 bytes from 10\.200\.1\.3: icmp_seq=1 ttl=62 /m);
    expect(ping).toContain("1 packets transmitted, 1 received, 0% packet loss");
  });

  it("serves pod-b's nginx to pod-a across the nodes", () => {
    expect(out(run, "kubectl exec pod-a -- curl -s http://10.200.1.3/ | grep title")).toBe("<title>Welcome to nginx!</title>\n");
  });
});

describe("the kubelet's cgroups for quantities written as bare YAML numbers", () => {
  it("reads `cpu: 1` and `memory: 134217728` like their string forms (a Guaranteed Pod)", () => {
    const c = createCluster({ workers: 2, seed: 1 });
    const yaml = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: g\nspec:\n  nodeName: worker-1\n  containers:\n  - name: app\n    image: nginx\n    resources:\n      limits:\n        cpu: 1\n        memory: 134217728\n";
    expect(c.sh("kubectl apply -f -", { stdin: yaml }).exitCode).toBe(0);
    c.tick(2_000);
    const w = c.node("worker-1");
    expect(w.sh("cat /sys/fs/cgroup/kubepods.slice/kubepods-pod*.slice/cpu.max /sys/fs/cgroup/kubepods.slice/kubepods-pod*.slice/memory.max").stdout).toBe(`${cpuMaxFor(1000)}\n134217728\n`);
    expect(w.sh("cat /sys/fs/cgroup/kubepods.slice/kubepods-pod*.slice/cpu.weight").stdout).toBe(`${sharesToWeight(1024)}\n`);
  });
});
