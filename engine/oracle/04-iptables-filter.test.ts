// Scenario 04 (the filter table of host B decides what host A can reach), computed through
// the engine's shell and compared with a real kernel's outcomes.
import { expect } from "vitest";
import { describeOracle } from "./describe-oracle";
import { createHost } from "../index";
import type { Host } from "../index";
import { pingFrom } from "./probes";

const NAME = "04-iptables-filter";

function out(h: Host, line: string): string {
  return h.sh(line).stdout.replace(/\s+$/, "");
}

/** lib/common.sh tcp_from, with nc as the client. */
function tcpFrom(h: Host, ns: string, ip: string, port: number): string {
  const r = h.sh(`ip netns exec ${ns} nc -w 2 ${ip} ${port}`);
  if (r.exitCode === 0) return `reply:${r.stdout.split("\n")[0]}`;
  if (r.stderr.includes("timed out")) return "timeout";
  if (r.stderr.includes("Connection refused")) return "refused";
  if (r.stderr.includes("No route to host")) return "no-route";
  if (r.stderr.includes("Network is unreachable")) return "unreachable";
  return `error:${r.stderr.trim()}`;
}

export function engineOutcomes(): Map<string, string> {
  const h = createHost({ seed: 4 });
  const kv = new Map<string, string>();
  const step = (l: string) => h.sh(l);
  const b = (args: string) => `ip netns exec b iptables ${args}`;
  for (const c of ["ip netns add a", "ip netns add b", "ip link add veth-a netns a type veth peer name veth-b netns b", "ip -n a addr add 10.0.0.1/24 dev veth-a", "ip -n b addr add 10.0.0.2/24 dev veth-b", "ip -n a link set veth-a up", "ip -n b link set veth-b up", "ip -n a link set lo up", "ip -n b link set lo up"]) step(c);
  step("ip netns exec b python3 /oracle/lib/name-server.py web-b 8080 >/dev/null 2>&1 &");
  kv.set("iptables_version", out(h, b("-V")));
  kv.set("b.filter_empty_rules", out(h, b("-S")).split("\n").join(";"));
  kv.set("a.ping_b_no_rules", pingFrom(h, "a", "10.0.0.2"));
  kv.set("a.tcp_b_8080_no_rules", tcpFrom(h, "a", "10.0.0.2", 8080));
  kv.set("a.tcp_b_9090_closed_port", tcpFrom(h, "a", "10.0.0.2", 9090));
  step(b("-A INPUT -p icmp -j DROP"));
  kv.set("a.ping_b_icmp_drop", pingFrom(h, "a", "10.0.0.2"));
  kv.set("b.icmp_drop_rule_pkts", out(h, b("-L INPUT -n -v -x")).split("\n").slice(2).map((l) => l.trim().split(/\s+/)).filter((f) => f[2] === "DROP").map((f) => f[0]).join("\n"));
  step(b("-R INPUT 1 -p icmp -j REJECT"));
  kv.set("a.ping_b_icmp_reject", pingFrom(h, "a", "10.0.0.2"));
  step(b("-R INPUT 1 -p icmp -j REJECT --reject-with icmp-admin-prohibited"));
  kv.set("a.ping_b_icmp_reject_admin_prohibited", pingFrom(h, "a", "10.0.0.2"));
  step(b("-R INPUT 1 -p icmp -j REJECT --reject-with icmp-host-prohibited"));
  kv.set("a.ping_b_icmp_reject_host_prohibited", pingFrom(h, "a", "10.0.0.2"));
  step(b("-F INPUT"));
  kv.set("a.ping_b_after_flush", pingFrom(h, "a", "10.0.0.2"));
  step(b("-A INPUT -p tcp --dport 8080 -j DROP"));
  kv.set("a.tcp_b_8080_drop", tcpFrom(h, "a", "10.0.0.2", 8080));
  step(b("-R INPUT 1 -p tcp --dport 8080 -j REJECT --reject-with tcp-reset"));
  kv.set("a.tcp_b_8080_reject_tcp_reset", tcpFrom(h, "a", "10.0.0.2", 8080));
  step(b("-R INPUT 1 -p tcp --dport 8080 -j REJECT"));
  kv.set("a.tcp_b_8080_reject_default", tcpFrom(h, "a", "10.0.0.2", 8080));
  step(b("-R INPUT 1 -p tcp --dport 8080 -j REJECT --reject-with icmp-host-prohibited"));
  kv.set("a.tcp_b_8080_reject_host_prohibited", tcpFrom(h, "a", "10.0.0.2", 8080));
  step(b("-I INPUT 1 -s 10.0.0.1 -p tcp --dport 8080 -j ACCEPT"));
  kv.set("a.tcp_b_8080_insert_accept_first", tcpFrom(h, "a", "10.0.0.2", 8080));
  kv.set("b.input_rules", out(h, b("-S INPUT")).split("\n").join(";"));
  kv.set("b.input_rules_hit", out(h, b("-L INPUT -n -v -x")).split("\n").slice(2).map((l) => (Number(l.trim().split(/\s+/)[0]) > 0 ? "yes" : "no")).join(","));
  step(b("-D INPUT 1"));
  step(b("-D INPUT -p tcp --dport 8080 -j REJECT --reject-with icmp-host-prohibited"));
  kv.set("b.input_rules_after_deletes", out(h, b("-S INPUT")).split("\n").join(";"));
  const del = h.sh(b("-D INPUT -p udp -j DROP"));
  kv.set("b.delete_missing_rule", `rc=${del.exitCode} ${(del.stdout + del.stderr).trim()}`);
  step(b("-P INPUT DROP"));
  kv.set("a.ping_b_policy_drop", pingFrom(h, "a", "10.0.0.2"));
  kv.set("b.ping_own_lo_policy_drop", pingFrom(h, "b", "127.0.0.1"));
  step(b("-A INPUT -i lo -j ACCEPT"));
  kv.set("b.ping_own_lo_lo_accepted", pingFrom(h, "b", "127.0.0.1"));
  kv.set("b.policy_line", out(h, b("-L INPUT -n")).split("\n")[0]!);
  step(b("-P INPUT ACCEPT"));
  step(b("-F"));
  kv.set("a.tcp_b_8080_after_reset", tcpFrom(h, "a", "10.0.0.2", 8080));
  return kv;
}

describeOracle(NAME, engineOutcomes, { seed: 4 });
