// The CNI bridge plugin, with host-local IPAM. The kubelet (through the runtime) runs it with
// CNI_COMMAND=ADD and the sandbox's network namespace; it does nothing a reader could not type:
// make the bridge, make a veth pair, move one end into the pod, give it an address and a route.
import type { Command, CommandContext } from "../../shell/command";
import { ShellState, runSource } from "../../shell/interpreter";
import type { Program } from "../../linux/tasks";
import { KernelError } from "../../linux/process";

export interface CniConfig {
  cniVersion: string;
  name: string;
  type: "bridge";
  bridge: string;
  isGateway?: boolean;
  ipMasq?: boolean;
  ipam: { type: "host-local"; ranges: { subnet: string }[][]; routes?: { dst: string }[] };
}

function ipToInt(ip: string): number {
  return ip.split(".").reduce((n, o) => n * 256 + Number(o), 0);
}
function intToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join(".");
}

/** host-local IPAM: the next free address of the subnet, recorded as a file per IP (as the real plugin does). */
export function allocateIp(ctx: CommandContext, network: string, subnet: string, containerId: string): { ip: string; prefix: number; gateway: string } {
  const [base, bits] = subnet.split("/") as [string, string];
  const prefix = Number(bits);
  const start = ipToInt(base) + 2;
  const end = ipToInt(base) + 2 ** (32 - prefix) - 2;
  const dir = `/var/lib/cni/networks/${network}`;
  const k = ctx.kernel;
  const d = k.mkdirp(ctx.proc, dir);
  const used = new Set(d.list?.({ proc: ctx.proc }) ?? []);
  let last = start - 1;
  try {
    last = ipToInt(k.resolve(ctx.proc, `${dir}/last_reserved_ip.0`).node.read?.({ proc: ctx.proc })?.trim() ?? "");
  } catch {
    /* first allocation */
  }
  for (let i = 0; i <= end - start; i++) {
    const candidate = start + ((last + 1 - start + i) % (end - start + 1));
    const ip = intToIp(candidate);
    if (used.has(ip)) continue;
    k.writeFile(ctx.proc, `${dir}/${ip}`, `${containerId}\neth0`);
    k.writeFile(ctx.proc, `${dir}/last_reserved_ip.0`, ip);
    return { ip, prefix, gateway: intToIp(ipToInt(base) + 1) };
  }
  throw new KernelError("ENOSPC", `no IP addresses available in range set: ${intToIp(start)}-${intToIp(end)}`);
}

/** The commands the plugin runs for ADD, in order — quoted by lesson 5. */
export function bridgeAddScript(cfg: CniConfig, netnsPid: number, hostVeth: string, ip: string, prefix: number, gateway: string): string {
  return [
    // 1. the node's bridge, once, with the pod subnet's gateway address
    `ip link add ${cfg.bridge} type bridge 2>/dev/null && ip addr add ${gateway}/${prefix} dev ${cfg.bridge} && ip link set ${cfg.bridge} up`,
    // 2. a veth pair: one end stays on the host, the other goes into the pod's namespace
    `ip link add ${hostVeth} type veth peer name ${hostVeth}p`,
    `ip link set ${hostVeth}p netns ${netnsPid}`,
    `nsenter -t ${netnsPid} -n ip link set ${hostVeth}p name eth0`,
    // 3. the pod's address and default route via the bridge
    `nsenter -t ${netnsPid} -n ip addr add ${ip}/${prefix} dev eth0`,
    `nsenter -t ${netnsPid} -n ip link set eth0 up`,
    `nsenter -t ${netnsPid} -n ip link set lo up`,
    `nsenter -t ${netnsPid} -n ip route add default via ${gateway}`,
    // 4. the host end joins the bridge
    `ip link set ${hostVeth} master ${cfg.bridge}`,
    // hairpinMode: a pod may reach itself through its own Service's IP
    `bridge link set dev ${hostVeth} hairpin on`,
    `ip link set ${hostVeth} up`,
  ].join("\n");
}

export const cniBridge: Command = {
  name: "cni-bridge",
  path: "/opt/cni/bin/bridge",
  summary: "the CNI bridge plugin (run by the container runtime with CNI_COMMAND=ADD|DEL)",
  usage: "CNI bridge plugin v1.6.2\nCNI protocol versions supported: 0.1.0, 0.2.0, 0.3.0, 0.3.1, 0.4.0, 1.0.0, 1.1.0\n",
  readsStdin: true,
  run(ctx) {
    const env = ctx.proc.env;
    const command = env.get("CNI_COMMAND");
    const netns = env.get("CNI_NETNS") ?? "";
    const containerId = env.get("CNI_CONTAINERID") ?? "";
    let cfg: CniConfig;
    try {
      cfg = JSON.parse(ctx.stdin) as CniConfig;
    } catch {
      ctx.out(JSON.stringify({ cniVersion: "1.0.0", code: 6, msg: "failed to parse network configuration" }) + "\n");
      return 1;
    }
    const pid = Number(/\/proc\/(\d+)\/ns\/net/.exec(netns)?.[1] ?? NaN);
    const hostVeth = `veth${containerId.slice(0, 8)}`;
    if (command === "DEL") {
      const sh = new ShellState(ctx.kernel, ctx.proc, "sh", false);
      return (function* (): Program {
        yield* runSource(sh, `ip link del ${hostVeth} 2>/dev/null; rm -f $(grep -l ${containerId} /var/lib/cni/networks/${cfg.name}/* 2>/dev/null) 2>/dev/null; true`, ctx.proc.fds);
        return 0;
      })();
    }
    if (command !== "ADD" || !Number.isFinite(pid)) {
      ctx.out(JSON.stringify({ cniVersion: "1.0.0", code: 4, msg: "required env variables [CNI_COMMAND CNI_NETNS] missing" }) + "\n");
      return 1;
    }
    let lease;
    try {
      lease = allocateIp(ctx, cfg.name, cfg.ipam.ranges[0]![0]!.subnet, containerId);
    } catch (e) {
      ctx.out(JSON.stringify({ cniVersion: "1.0.0", code: 11, msg: (e as KernelError).text }) + "\n");
      return 1;
    }
    const sh = new ShellState(ctx.kernel, ctx.proc, "sh", false);
    const script = bridgeAddScript(cfg, pid, hostVeth, lease.ip, lease.prefix, lease.gateway);
    return (function* (): Program {
      const status = yield* runSource(sh, script, ctx.proc.fds);
      if (status !== 0) return status;
      ctx.out(JSON.stringify({ cniVersion: cfg.cniVersion, interfaces: [{ name: hostVeth }, { name: "eth0", sandbox: netns }], ips: [{ address: `${lease.ip}/${lease.prefix}`, gateway: lease.gateway, interface: 1 }], routes: [{ dst: "0.0.0.0/0", gw: lease.gateway }] }) + "\n");
      return 0;
    })();
  },
};
