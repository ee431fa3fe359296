// Network bench (plain tsx script): `npx tsx engine/bench/network.bench.ts`.
// 1. Packet delivery rate through a 3-hop path (pod → bridge → host → wire → host) with 50 rules.
// 2. A nat table of 10,000 services × 5 endpoints (50,000 KUBE-SEP chains): iptables-restore
//    time, and the rules evaluated for one new connection to the last service — iptables
//    mode's linear cost.
import { createHost, createLab } from "../index";
import { netOf } from "../linux/net/registry";
import { makePacket, parseIp } from "../linux/net/index";
import type { Kernel } from "../linux/kernel";

const now = () => performance.now();
const kernelOf = (h: unknown) => (h as { kernel: Kernel }).kernel;

function deliveryRate(): void {
  const lab = createLab({ hosts: ["node-1", "node-2"], seed: 1 });
  const [a, b] = lab.hosts;
  for (const l of ["ip link add br0 type bridge", "ip addr add 10.244.0.1/24 dev br0", "ip link set br0 up", "ip netns add pod", "ip link add veth1 type veth peer name eth0 netns pod", "ip link set veth1 master br0", "ip link set veth1 up", "ip -n pod addr add 10.244.0.11/24 dev eth0", "ip -n pod link set eth0 up", "ip -n pod route add default via 10.244.0.1", "sysctl -w net.ipv4.ip_forward=1"]) a!.sh(l);
  b!.sh("ip route add 10.244.0.0/24 via 192.168.56.11");
  for (let i = 0; i < 50; i++) a!.sh(`iptables -A FORWARD -s 10.9.${i}.0/24 -p tcp --dport ${1000 + i} -j DROP`);
  const k = kernelOf(a);
  const pod = [...k.namespaces].find((ns) => ns.kind === "net" && !ns.initial)!;
  const st = netOf(k, pod);
  const dst = parseIp("192.168.56.12")!;
  const N = 20_000;
  const t0 = now();
  for (let i = 0; i < N; i++) st.sendLocal(makePacket({ src: 0, dst, proto: "icmp", icmpType: 8, icmpId: 1, icmpSeq: i }), { trace: null, delay: 0, hops: 0 });
  const ms = now() - t0;
  console.log(`3-hop path, 50 FORWARD rules: ${N} echo requests (+ replies) in ${ms.toFixed(0)} ms → ${Math.round((N / ms) * 1000)} round trips/s`);
}

function bigNat(): void {
  const h = createHost({ seed: 1 });
  h.sh("ip route add default via 10.0.0.1");
  const S = 10_000;
  const E = 5;
  const lines = ["*nat", ":KUBE-SERVICES - [0:0]"];
  const rules: string[] = ["-A PREROUTING -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES", "-A OUTPUT -m comment --comment \"kubernetes service portals\" -j KUBE-SERVICES"];
  for (let s = 0; s < S; s++) {
    const svc = `KUBE-SVC-${String(s).padStart(16, "0")}`;
    lines.push(`:${svc} - [0:0]`);
    const vip = `10.96.${s >> 8}.${s & 255}`;
    rules.push(`-A KUBE-SERVICES -d ${vip}/32 -p tcp -m comment --comment "default/svc-${s} cluster IP" -m tcp --dport 80 -j ${svc}`);
    for (let e = 0; e < E; e++) {
      const sep = `KUBE-SEP-${String(s * E + e).padStart(16, "0")}`;
      lines.push(`:${sep} - [0:0]`);
      const ep = `10.${128 + (s >> 12)}.${(s >> 4) & 255}.${((s & 15) << 4) + e + 1}`;
      rules.push(`-A ${svc} -m comment --comment "default/svc-${s} -> ${ep}:8080"${e < E - 1 ? ` -m statistic --mode random --probability ${(1 / (E - e)).toFixed(10)}` : ""} -j ${sep}`);
      rules.push(`-A ${sep} -s ${ep}/32 -m comment --comment "default/svc-${s}" -j MARK --or-mark 0x4000`);
      rules.push(`-A ${sep} -p tcp -m comment --comment "default/svc-${s}" -m tcp -j DNAT --to-destination ${ep}:8080`);
    }
  }
  const doc = [...lines, ...rules, "COMMIT", ""].join("\n");
  const t0 = now();
  const r = h.sh("iptables-restore", { stdin: doc });
  const ms = now() - t0;
  console.log(`iptables-restore of ${S} services × ${E} endpoints (${S * E} KUBE-SEP chains, ${rules.length} rules, ${(doc.length / 1e6).toFixed(1)} MB): ${ms.toFixed(0)} ms, exit ${r.exitCode}`);
  const k = kernelOf(h);
  const st = netOf(k, k.initNs.net);
  const last = S - 1;
  const before = st.rulesEvaluated;
  const t1 = now();
  st.sendLocal(makePacket({ src: 0, dst: parseIp(`10.96.${last >> 8}.${last & 255}`)!, proto: "tcp", sport: 40000, dport: 80, tcp: { syn: true } }), { trace: null, delay: 0, hops: 0 });
  const us = (now() - t1) * 1000;
  console.log(`first packet to the last service: ${st.rulesEvaluated - before} rules evaluated (nat OUTPUT → KUBE-SERVICES scan → KUBE-SVC → KUBE-SEP), ${us.toFixed(0)} µs`);
  const first = st.rulesEvaluated;
  st.sendLocal(makePacket({ src: 0, dst: parseIp("10.96.0.0")!, proto: "tcp", sport: 40001, dport: 80, tcp: { syn: true } }), { trace: null, delay: 0, hops: 0 });
  console.log(`first packet to the first service: ${st.rulesEvaluated - first} rules evaluated`);
}

deliveryRate();
bigNat();
