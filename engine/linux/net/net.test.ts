// The network stack, layer by layer: links and routes, bridges, forwarding, netfilter
// counters, conntrack NAT reversal (property-tested), iptables-save normalisation.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { createHost, createLab } from "../../index";
import type { Host } from "../../index";

const ok = (h: Host, l: string) => {
  const r = h.sh(l);
  expect(r.exitCode, `${l}\n${r.stderr}`).toBe(0);
  return r.stdout;
};

function pods(h: Host, n: number): void {
  for (const l of ["ip link add br0 type bridge", "ip addr add 10.244.0.1/24 dev br0", "ip link set br0 up", "sysctl -w net.ipv4.ip_forward=1"]) ok(h, l);
  for (let i = 1; i <= n; i++) {
    for (const l of [`ip netns add pod${i}`, `ip link add veth${i} type veth peer name eth0 netns pod${i}`, `ip link set veth${i} master br0`, `ip link set veth${i} up`, `ip -n pod${i} addr add 10.244.0.${10 + i}/24 dev eth0`, `ip -n pod${i} link set eth0 up`, `ip -n pod${i} link set lo up`, `ip -n pod${i} route add default via 10.244.0.1`]) ok(h, l);
  }
}

describe("links, bridges and routes", () => {
  it("pods on one bridge reach each other; the bridge learns their MACs", () => {
    const h = createHost({ seed: 2 });
    pods(h, 3);
    expect(h.sh("ip netns exec pod1 ping -c 1 10.244.0.13").exitCode).toBe(0);
    const fdb = ok(h, "bridge fdb show br br0");
    expect(fdb).toMatch(/dev veth3 master br0 \n/);
    expect(ok(h, "ip -n pod1 route show")).toBe("default via 10.244.0.1 dev eth0 \n10.244.0.0/24 dev eth0 proto kernel scope link src 10.244.0.11 \n");
    expect(ok(h, "bridge link show")).toContain("master br0 state forwarding priority 32 cost 2 \n");
  });

  it("bad input gets the real message and changes nothing", () => {
    const h = createHost({ seed: 2 });
    expect(h.sh("ip link set nope up").stderr).toBe('Cannot find device "nope"\n');
    expect(h.sh("ip route add 10.9.0.0/16 via 172.16.0.1").stderr).toBe("Error: Nexthop has invalid gateway.\n");
    expect(h.sh("iptables -A NOPE -j ACCEPT").stderr).toBe("iptables: No chain/target/match by that name.\n");
    expect(ok(h, "iptables -S")).toBe("-P INPUT ACCEPT\n-P FORWARD ACCEPT\n-P OUTPUT ACCEPT\n");
  });

  it("a lab routes between pod subnets on two hosts", () => {
    const lab = createLab({ hosts: ["node-1", "node-2"], seed: 3 });
    const [a, b] = lab.hosts as [Host, Host];
    expect(a.sh("ping -c 1 192.168.56.12").exitCode).toBe(0);
    for (const l of ["ip netns add p", "ip link add v type veth peer name eth0 netns p", "ip addr add 10.244.1.1/32 dev v", "ip link set v up", "ip -n p addr add 10.244.1.2/24 dev eth0", "ip -n p link set eth0 up", "ip -n p route add default via 10.244.1.1 dev eth0 onlink", "sysctl -w net.ipv4.ip_forward=1"]) b.sh(l);
    ok(b, "ip route add 10.244.1.2/32 dev v");
    ok(a, "ip route add 10.244.1.0/24 via 192.168.56.12");
    b.sh("ip netns exec p python3 -m http.server 80 &");
    expect(ok(a, "curl -s http://10.244.1.2/")).toContain("you are 192.168.56.11");
  });
});

describe("netfilter and conntrack", () => {
  it("DNAT picks an endpoint and conntrack reverses it for the reply (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 4 }), (seed, n) => {
        const h = createHost({ seed });
        pods(h, n + 1);
        for (let i = 2; i <= n + 1; i++) h.sh(`ip netns exec pod${i} python3 -m http.server 8080 &`);
        const rules = ["*nat", ":KUBE-SVC - [0:0]", "-A PREROUTING -d 10.96.0.10/32 -p tcp --dport 80 -j KUBE-SVC"];
        for (let i = 2; i <= n + 1; i++) {
          const left = n + 2 - i;
          rules.push(`-A KUBE-SVC ${left > 1 ? `-m statistic --mode random --probability ${(1 / left).toFixed(10)} ` : ""}-p tcp -j DNAT --to-destination 10.244.0.${10 + i}:8080`);
        }
        rules.push("COMMIT", "");
        expect(h.sh("iptables-restore", { stdin: rules.join("\n") }).exitCode).toBe(0);
        const body = h.sh("ip netns exec pod1 curl -s http://10.96.0.10/").stdout;
        // The client saw the answer come from the service address it dialled (reply un-DNATed).
        expect(body).toContain("you are 10.244.0.11");
        const ct = h.sh("conntrack -L -p tcp").stdout.trim().split("\n");
        expect(ct).toHaveLength(1);
        const m = /src=(\S+) dst=10\.96\.0\.10 sport=(\d+) dport=80 src=(\S+) dst=10\.244\.0\.11 sport=8080 dport=(\d+)/.exec(ct[0]!);
        expect(m).not.toBeNull();
        expect(m![2]).toBe(m![4]);
      }),
      { numRuns: 15, seed: 7 },
    );
  });

  it("per-rule counters add up: policy + rule hits = packets through the chain (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 6 }), (pings) => {
        const h = createHost({ seed: 9 });
        pods(h, 2);
        h.sh("iptables -A FORWARD -s 10.244.0.11 -j ACCEPT");
        h.sh("sysctl -w net.bridge.bridge-nf-call-iptables=1");
        let sent = 0;
        for (const c of pings) {
          h.sh(`ip netns exec pod1 ping -c ${c} 10.244.0.12`);
          sent += c;
        }
        const lines = h.sh("iptables -L FORWARD -n -v -x").stdout.split("\n");
        const policy = Number(/policy ACCEPT (\d+) packets/.exec(lines[0]!)![1]);
        const rule = Number(lines[2]!.trim().split(/\s+/)[0]);
        expect(rule).toBe(sent);
        expect(rule + policy).toBe(2 * sent);
      }),
      { numRuns: 10, seed: 3 },
    );
  });

  it("iptables-save normalises as iptables does", () => {
    const h = createHost({ seed: 1 });
    ok(h, "iptables -t nat -N KUBE-SVC-X");
    ok(h, `iptables -t nat -A KUBE-SVC-X -m comment --comment "ns/svc -> 10.244.0.11:8080" -m statistic --mode random --probability 0.3333333333 -j MARK --or-mark 0x4000`);
    ok(h, "iptables -t nat -A PREROUTING -p tcp -d 10.96.0.10 -m comment --comment ns/svc --dport 80 -j KUBE-SVC-X");
    const s = ok(h, "iptables-save -t nat");
    expect(s).toContain(`-A KUBE-SVC-X -m comment --comment "ns/svc -> 10.244.0.11:8080" -m statistic --mode random --probability 0.33333333349 -j MARK --set-xmark 0x4000/0x4000\n`);
    expect(s).toContain(`-A PREROUTING -d 10.96.0.10/32 -p tcp -m comment --comment "ns/svc" -m tcp --dport 80 -j KUBE-SVC-X\n`);
  });
});
