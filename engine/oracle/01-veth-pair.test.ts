// Scenario 01 (two network namespaces joined by a veth pair), computed through the engine's
// shell and compared with the outcomes a real kernel recorded — and, as root, with this
// machine's kernel.
import { expect } from "vitest";
import { describeOracle } from "./describe-oracle";
import { createHost } from "../index";
import type { Host } from "../index";
import { pingFrom } from "./probes";

const NAME = "01-veth-pair";

function out(h: Host, line: string): string {
  return h.sh(line).stdout.replace(/\s+$/, "");
}

const brief = (h: Host, ns: string, dev: string) => out(h, `ip -n ${ns} -br link show dev ${dev}`).split(/\s+/);

export function engineOutcomes(): Map<string, string> {
  const h = createHost({ seed: 1 });
  const kv = new Map<string, string>();
  const step = (l: string) => h.sh(l);
  const oneline = (ns: string, dev: string) => out(h, `ip -n ${ns} -o link show ${dev}`);
  step("ip netns add ns-a");
  step("ip netns add ns-b");
  step("ip link add veth-a netns ns-a type veth peer name veth-b netns ns-b");
  step("ip -n ns-a addr add 10.0.0.1/24 dev veth-a");
  step("ip -n ns-b addr add 10.0.0.2/24 dev veth-b");
  kv.set("netns_list", out(h, "ip netns list").split("\n").map((l) => l.split(" ")[0]).sort().join(","));
  kv.set("a.lo.state_new_netns", brief(h, "ns-a", "lo")[1]!);
  kv.set("a.ping_own_lo_while_lo_down", pingFrom(h, "ns-a", "127.0.0.1"));
  kv.set("a.veth.state_both_down", brief(h, "ns-a", "veth-a")[1]!);
  kv.set("a.ping_b_both_down", pingFrom(h, "ns-a", "10.0.0.2"));
  step("ip -n ns-a link set veth-a up");
  kv.set("a.veth.state_peer_down", brief(h, "ns-a", "veth-a")[1]!);
  kv.set("a.veth.flags_peer_down", brief(h, "ns-a", "veth-a").at(-1)!);
  kv.set("a.route_peer_down", out(h, "ip -n ns-a route show 10.0.0.0/24"));
  kv.set("a.ping_b_peer_down", pingFrom(h, "ns-a", "10.0.0.2"));
  step("ip -n ns-b link set veth-b up");
  step("ip -n ns-a link set lo up");
  kv.set("a.veth.state", brief(h, "ns-a", "veth-a")[1]!);
  kv.set("a.veth.flags", brief(h, "ns-a", "veth-a").at(-1)!);
  kv.set("a.route", out(h, "ip -n ns-a route show 10.0.0.0/24"));
  const aPeer = /veth-a@if(\d+):/.exec(oneline("ns-a", "veth-a"))?.[1];
  const bIdx = oneline("ns-b", "veth-b").split(":")[0];
  kv.set("a.veth.peer_ifindex_matches_b", aPeer === bIdx ? "yes" : "no");
  kv.set("a.veth.link_netns", /link-netns (\S+)/.exec(oneline("ns-a", "veth-a"))?.[1] ?? "");
  kv.set("b.veth.link_netns", /link-netns (\S+)/.exec(oneline("ns-b", "veth-b"))?.[1] ?? "");
  kv.set("a.veth.mtu", / mtu (\d+) /.exec(oneline("ns-a", "veth-a"))?.[1] ?? "");
  kv.set("a.ping_b", pingFrom(h, "ns-a", "10.0.0.2"));
  kv.set("b.ping_a", pingFrom(h, "ns-b", "10.0.0.1"));
  kv.set("a.ping_own_lo", pingFrom(h, "ns-a", "127.0.0.1"));
  kv.set("a.ping_other_subnet_10.0.1.2", pingFrom(h, "ns-a", "10.0.1.2"));
  const lladdr = out(h, "ip -n ns-a neigh show 10.0.0.2").split(/\s+/)[4];
  const bMac = /link\/ether ([0-9a-f:]+)/.exec(oneline("ns-b", "veth-b"))?.[1];
  kv.set("a.neigh_b_lladdr_is_b_mac", lladdr && lladdr === bMac ? "yes" : "no");
  step("ip netns del ns-b");
  kv.set("a.veth_gone_within_2s_after_peer_netns_deleted", h.sh("ip -n ns-a link show veth-a").exitCode === 0 ? "no" : "yes");
  kv.set("netns_list_after_del", out(h, "ip netns list").split("\n").map((l) => l.split(" ")[0]).sort().join(","));
  step("ip netns del ns-a");
  return kv;
}

describeOracle(NAME, engineOutcomes, { seed: 1 });
