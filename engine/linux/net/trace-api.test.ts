// host.network() and host.tracePacket(): the typed views widgets and exercise checks use.
// The trace must be the real walk (counters move, conntrack remembers), follow a packet
// across the wire in a lab, and say where and why a packet died.
import { describe, expect, it } from "vitest";
import { createHost, createLab } from "../../index";
import type { Host, PacketTraceSnapshot, PacketTraceStep } from "../../index";

const ok = (h: Host, script: string) => {
  for (const l of script.trim().split("\n")) {
    const r = h.sh(l.trim());
    expect(r.exitCode, `${l}\n${r.stderr}`).toBe(0);
  }
};

/** Two "pods" (red 10.244.1.2, blue 10.244.1.3) on bridge cni0 (10.244.1.1). */
function twoPods(h: Host): void {
  ok(
    h,
    `ip netns add red
    ip netns add blue
    ip link add cni0 type bridge
    ip addr add 10.244.1.1/24 dev cni0
    ip link set cni0 up
    ip link add veth-red type veth peer name eth0 netns red
    ip link set veth-red master cni0
    ip link set veth-red up
    ip -n red addr add 10.244.1.2/24 dev eth0
    ip -n red link set eth0 up
    ip -n red route add default via 10.244.1.1
    ip link add veth-blue type veth peer name eth0 netns blue
    ip link set veth-blue master cni0
    ip link set veth-blue up
    ip -n blue addr add 10.244.1.3/24 dev eth0
    ip -n blue link set eth0 up`,
  );
}

const kinds = (t: PacketTraceSnapshot) => t.steps.map((s) => s.kind);
const where = (s: PacketTraceStep) => (s.at.initial ? s.at.host : (s.at.netnsName ?? String(s.at.netns)));

describe("host.network()", () => {
  it("describes a fresh host: one namespace with lo and the cabled eth0", () => {
    const h = createHost({ seed: 1 });
    const n = h.network();
    expect(n.host).toBe("node");
    expect(n.namespaces).toHaveLength(1);
    const [init] = n.namespaces;
    expect(init).toMatchObject({ initial: true, name: null, ipForward: false, bridgeNfCallIptables: true });
    expect(init!.links.map((l) => [l.index, l.name, l.kind, l.operstate])).toEqual([
      [1, "lo", "loopback", "UNKNOWN"],
      [2, "eth0", "ether", "UP"],
    ]);
    expect(init!.links[1]).toMatchObject({ wired: true, mac: "52:54:00:12:34:56", addrs: [{ cidr: "10.0.0.10/24", scope: "global" }] });
    expect(init!.processes.map((p) => p.comm)).toContain("systemd");
    expect(init!.routes.map((r) => r.text)).toEqual(["10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.10"]);
  });

  it("shows named namespaces, veth peers, bridge ports, the FDB and routes, as ip prints them", () => {
    const h = createHost({ seed: 2 });
    twoPods(h);
    const n = h.network();
    expect(n.namespaces.map((ns) => ns.name)).toEqual([null, "red", "blue"]);
    const [host, red] = n.namespaces;
    const cni0 = host!.links.find((l) => l.name === "cni0")!;
    expect(cni0).toMatchObject({ kind: "bridge", up: true, carrier: true, ports: ["veth-red", "veth-blue"], addrs: [{ cidr: "10.244.1.1/24" }] });
    const vr = host!.links.find((l) => l.name === "veth-red")!;
    expect(vr).toMatchObject({ kind: "veth", master: "cni0", peer: { netns: red!.inode, netnsName: "red", name: "eth0" } });
    const eth0 = red!.links.find((l) => l.name === "eth0")!;
    expect(eth0.peer).toMatchObject({ netns: host!.inode, netnsName: null, name: "veth-red", index: vr.index });
    expect(red!.routes.map((r) => r.text)).toEqual(h.sh("ip -n red route").stdout.trimEnd().split("\n").map((l) => l.trimEnd()));
    expect(red!.routes[0]).toMatchObject({ dst: "default", via: "10.244.1.1", dev: "eth0", proto: "boot" });
    // The bridge learns the pods' MACs once they talk.
    expect(cni0.fdb!.filter((e) => !e.local)).toEqual([]);
    h.sh("ip netns exec red ping -c 1 10.244.1.3");
    const learned = h.network().namespaces[0]!.links.find((l) => l.name === "cni0")!.fdb!.filter((e) => !e.local);
    expect(learned.map((e) => e.port).sort()).toEqual(["veth-blue", "veth-red"]);
    expect(learned.find((e) => e.port === "veth-red")!.mac).toBe(eth0.mac);
  });

  it("lists the processes in a namespace and forgets a deleted one", () => {
    const h = createHost({ seed: 3 });
    ok(h, "ip netns add red");
    h.sh("ip netns exec red sleep 100 &");
    const red = h.network().namespaces.find((ns) => ns.name === "red")!;
    expect(red.processes.map((p) => p.comm)).toEqual(["sleep"]);
    expect(h.sh("sysctl -w net.ipv4.ip_forward=1").exitCode).toBe(0);
    expect(h.network().namespaces[0]!.ipForward).toBe(true);
    h.sh("kill %1");
    h.settle();
    ok(h, "ip netns delete red");
    expect(h.network().namespaces.map((ns) => ns.name)).toEqual([null]);
  });
});

describe("host.tracePacket()", () => {
  it("walks a ping from one pod to another through the bridge, and the reply back", () => {
    const h = createHost({ seed: 4 });
    twoPods(h);
    const t = h.tracePacket({ from: "red", proto: "icmp", dst: "10.244.1.3" });
    expect(t.outcome).toBe("reply");
    expect(t.summary).toBe("Echo reply from 10.244.1.3.");
    expect(t.request).toMatchObject({ proto: "icmp", dst: "10.244.1.3", dport: null, from: { netnsName: "red", initial: false } });
    expect(t.packets.map((p) => [p.role, p.summary])).toEqual([
      ["request", "10.244.1.2 > 10.244.1.3 icmp type 8 code 0"],
      ["reply", "10.244.1.3 > 10.244.1.2 icmp type 0 code 0"],
    ]);
    // The path of the request, device by device.
    const hops = t.steps.filter((s) => s.kind === "hop" && s.packet === 0).map((s) => s.kind === "hop" && `${where(s)}:${s.dev}:${s.dir}`);
    expect(hops).toEqual(["red:eth0:out", "node:veth-red:in", "node:veth-blue:out", "blue:eth0:in"]);
    expect(t.steps.find((s) => s.kind === "bridge")).toMatchObject({ bridge: "cni0", port: "veth-blue", action: "forward" });
    // bridge-nf-call-iptables=1: the bridged packet passes the host's FORWARD chain.
    expect(t.steps.some((s) => s.kind === "chain" && s.at.initial && s.table === "filter" && s.chain === "FORWARD")).toBe(true);
    expect(kinds(t).filter((k) => k === "deliver")).toHaveLength(2);
    expect(t.steps[t.packets[1]!.firstStep]).toMatchObject({ kind: "send", packet: 1 });
  });

  it("is the real walk: rule counters move and each rule tested is recorded with its verdict", () => {
    const h = createHost({ seed: 5 });
    twoPods(h);
    ok(h, `iptables -P FORWARD DROP
    iptables -A FORWARD -s 10.244.1.3/32 -j ACCEPT
    iptables -A FORWARD -d 10.244.1.9/32 -j ACCEPT`);
    const t = h.tracePacket({ from: "red", proto: "icmp", dst: "10.244.1.3" });
    expect(t.outcome).toBe("no-reply");
    expect(t.summary).toBe("Dropped in node (host) by filter FORWARD policy DROP.");
    const fwd = t.steps.find((s) => s.kind === "chain" && s.chain === "FORWARD" && s.table === "filter");
    expect(fwd).toMatchObject({ rules: ["-A FORWARD -s 10.244.1.3/32 -j ACCEPT", "-A FORWARD -d 10.244.1.9/32 -j ACCEPT"], policy: "DROP", hook: "FORWARD" });
    const rules = t.steps.filter((s) => s.kind === "rule").map((s) => s.kind === "rule" && [s.num, s.matched]);
    expect(rules).toEqual([
      [1, false],
      [2, false],
    ]);
    expect(t.steps.at(-1)).toMatchObject({ kind: "verdict", verdict: "DROP", policy: true });
    expect(h.sh("iptables -L FORWARD -v -n").stdout).toMatch(/policy DROP 1 packets, 84 bytes/);
    // Open the way and the same probe gets through: the first rule matches the reply.
    ok(h, "iptables -I FORWARD -s 10.244.1.2/32 -j ACCEPT");
    const t2 = h.tracePacket({ from: "red", proto: "icmp", dst: "10.244.1.3" });
    expect(t2.outcome).toBe("reply");
    const matched = t2.steps.filter((s) => s.kind === "rule" && s.matched).map((s) => s.kind === "rule" && `${s.packet}:${s.rule}`);
    expect(matched).toEqual(["0:-A FORWARD -s 10.244.1.2/32 -j ACCEPT", "1:-A FORWARD -s 10.244.1.3/32 -j ACCEPT"]);
  });

  it("shows DNAT before → after and the reply un-NATed by conntrack", () => {
    const h = createHost({ seed: 6 });
    twoPods(h);
    h.sh("ip netns exec blue python3 -m http.server 8080 &");
    ok(h, "iptables -t nat -A PREROUTING -d 10.96.0.10/32 -p tcp --dport 80 -j DNAT --to-destination 10.244.1.3:8080");
    const t = h.tracePacket({ from: "red", proto: "tcp", dst: "10.96.0.10", dport: 80 });
    expect(t.outcome).toBe("reply");
    const nats: [string, string, string][] = [];
    for (const s of t.steps) if (s.kind === "nat") nats.push([String(s.what), String(s.before), String(s.after)]);
    expect(nats[0]![0]).toBe("DNAT");
    expect(nats[0]![1]).toMatch(/^10\.244\.1\.2:\d+ > 10\.96\.0\.10:80 tcp \[S\]$/);
    expect(nats[0]![2]).toMatch(/^10\.244\.1\.2:\d+ > 10\.244\.1\.3:8080 tcp \[S\]$/);
    expect(nats[1]![0]).toBe("un-NAT");
    expect(nats[1]![2]).toMatch(/^10\.96\.0\.10:80 > 10\.244\.1\.2:\d+ tcp \[S\.\]$/);
    expect(t.summary).toBe("SYN-ACK from 10.96.0.10:80: something listens on port 80.");
    expect(h.sh("conntrack -L").stdout).toMatch(/dst=10\.96\.0\.10 .*dport=80 .*src=10\.244\.1\.3 .*sport=8080/);
  });

  it("reports refused ports, unanswered ARP, missing routes and local drops in the words ping and curl use", () => {
    const h = createHost({ seed: 7 });
    twoPods(h);
    expect(h.tracePacket({ from: "red", proto: "tcp", dst: "10.244.1.3", dport: 81 })).toMatchObject({ outcome: "reset" });
    const udp = h.tracePacket({ from: "red", proto: "udp", dst: "10.244.1.3", dport: 53 });
    expect(udp).toMatchObject({ outcome: "error", summary: "From 10.244.1.3: Destination Port Unreachable." });
    expect(udp.packets.map((p) => p.role)).toEqual(["request", "error"]);
    const arp = h.tracePacket({ from: "blue", proto: "icmp", dst: "10.244.1.99" });
    expect(arp).toMatchObject({ outcome: "error", summary: "From 10.244.1.3: Destination Host Unreachable." });
    expect(arp.steps.find((s) => s.kind === "drop")).toMatchObject({ reason: "no ARP reply for 10.244.1.99 on eth0" });
    expect(h.tracePacket({ from: "blue", proto: "icmp", dst: "8.8.8.8" })).toMatchObject({ outcome: "unreachable", summary: "No route to 8.8.8.8 in node (netns blue): connect: Network is unreachable." });
    ok(h, "ip netns exec red iptables -A OUTPUT -p icmp -j DROP");
    expect(h.tracePacket({ from: "red", proto: "icmp", dst: "10.244.1.3" })).toMatchObject({ outcome: "rejected-locally" });
    // The shell agrees.
    expect(h.sh("ip netns exec red ping -c 1 10.244.1.3").stdout).toContain("ping: sendmsg: Operation not permitted");
  });

  it("accepts an inode or 'host' and rejects what does not exist", () => {
    const h = createHost({ seed: 8 });
    twoPods(h);
    const blue = h.network().namespaces.find((n) => n.name === "blue")!.inode;
    expect(h.tracePacket({ from: blue, proto: "icmp", dst: "10.244.1.2" }).outcome).toBe("reply");
    expect(h.tracePacket({ from: String(blue), proto: "icmp", dst: "10.244.1.2" }).outcome).toBe("reply");
    const fromHost = h.tracePacket({ from: "host", proto: "icmp", dst: "10.244.1.2" });
    expect(fromHost).toMatchObject({ outcome: "reply", request: { from: { initial: true, host: "node" } } });
    expect(fromHost.steps.find((s) => s.kind === "bridge")).toMatchObject({ action: "forward", port: "veth-red" });
    expect(() => h.tracePacket({ from: "green", proto: "icmp", dst: "10.244.1.2" })).toThrow(/Cannot open network namespace "green"/);
    expect(() => h.tracePacket({ from: 12, proto: "icmp", dst: "10.244.1.2" })).toThrow(/no network namespace net:\[12\]/);
    expect(() => h.tracePacket({ from: "red", proto: "icmp", dst: "10.0.0" })).toThrow(/not an IPv4 address/);
    expect(() => h.tracePacket({ from: "red", proto: "tcp", dst: "10.244.1.3", dport: 70000 })).toThrow(/out of range/);
  });

  it("follows a packet across the wire to a pod on the other host of a lab, and back", () => {
    const lab = createLab({ hosts: ["node-1", "node-2"], seed: 9 });
    const [a, b] = lab.hosts as [Host, Host];
    ok(
      b,
      `sysctl -w net.ipv4.ip_forward=1
      ip link add cni0 type bridge
      ip addr add 10.244.2.1/24 dev cni0
      ip link set cni0 up
      ip netns add pod
      ip link add veth0 type veth peer name eth0 netns pod
      ip link set veth0 master cni0
      ip link set veth0 up
      ip -n pod addr add 10.244.2.5/24 dev eth0
      ip -n pod link set eth0 up
      ip -n pod route add default via 10.244.2.1`,
    );
    const before = a.tracePacket({ from: "host", proto: "icmp", dst: "10.244.2.5" });
    // No route to the pod subnet yet: it goes to the default gateway, which does not exist.
    expect(before).toMatchObject({ outcome: "error", summary: "From 192.168.56.11: Destination Host Unreachable." });
    expect(before.steps.every((s) => s.at.host === "node-1")).toBe(true);
    ok(a, "ip route add 10.244.2.0/24 via 192.168.56.12");
    const t = a.tracePacket({ from: "host", proto: "icmp", dst: "10.244.2.5" });
    expect(t.outcome).toBe("reply");
    const path = t.steps.filter((s) => s.kind === "hop").map((s) => s.kind === "hop" && `${s.at.host}/${where(s)}:${s.dev}:${s.dir}`);
    expect(path).toEqual([
      "node-1/node-1:eth0:out",
      "node-2/node-2:eth0:in",
      "node-2/node-2:cni0:out",
      "node-2/node-2:veth0:out",
      "node-2/pod:eth0:in",
      "node-2/pod:eth0:out",
      "node-2/node-2:veth0:in",
      "node-2/node-2:eth0:out",
      "node-1/node-1:eth0:in",
    ]);
    expect(t.steps.find((s) => s.kind === "route" && s.at.host === "node-2")).toMatchObject({ result: "forward 10.244.2.5 dev cni0" });
    // node-2's FORWARD chain, with its rules, is part of the trace.
    ok(b, "iptables -A FORWARD -d 10.244.2.5/32 -j ACCEPT");
    const t2 = a.tracePacket({ from: "host", proto: "icmp", dst: "10.244.2.5" });
    expect(t2.steps.find((s) => s.kind === "rule")).toMatchObject({ at: { host: "node-2", initial: true }, rule: "-A FORWARD -d 10.244.2.5/32 -j ACCEPT", matched: true });
  });

  it("is deterministic: the same world and probe give the same trace", () => {
    const run = () => {
      const h = createHost({ seed: 10 });
      twoPods(h);
      return JSON.stringify(h.tracePacket({ from: "red", proto: "tcp", dst: "10.244.1.3", dport: 80 }));
    };
    expect(run()).toBe(run());
  });
});
