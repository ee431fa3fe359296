// The probes of the oracle's lib/common.sh, computed from the engine's own command output.
import type { Host } from "../index";

/** lib/common.sh ping_from, from the same ping output. */
export function pingFrom(h: Host, ns: string, ip: string): string {
  const r = h.sh(`${ns === "node" ? "" : `ip netns exec ${ns} `}ping -c 1 -W 1 ${ip}`);
  const o = r.stdout + r.stderr;
  if (r.exitCode === 0) return "ok";
  if (o.includes("Network is unreachable")) return "unreachable";
  if (o.includes("Destination Host Unreachable")) return "host-unreachable";
  if (o.includes("Destination Net Unreachable")) return "net-unreachable";
  if (o.includes("Destination Port Unreachable")) return "port-unreachable";
  if (o.includes("Packet filtered")) return "admin-prohibited";
  if (o.includes("Destination Host Prohibited")) return "host-prohibited";
  if (o.includes("Time to live exceeded")) return "ttl-exceeded";
  return r.exitCode === 1 ? "no-reply" : "error";
}

