// host.network(): every network namespace of a host as typed data — its devices, addresses,
// routes and the processes that live in it — for widgets and exercise checks. It reads the
// same kernel objects `ip link`, `ip addr`, `ip route` and `bridge fdb` print, so a diagram
// and the terminal can never disagree; it never parses command output.
import type { NetAddrSnapshot, NetLinkSnapshot, NetRouteSnapshot, NetSnapshot, NetnsSnapshot } from "../../api";
import type { Kernel } from "../kernel";
import type { Namespace } from "../namespaces";
import type { Process } from "../process";
import { fmtIp } from "./ipv4";
import type { NetDevice } from "./link";
import { netnsName } from "./netns";
import { netOf } from "./registry";
import { fmtRoute, fmtRouteDst } from "./route";
import type { NetStack } from "./stack";

/** The process whose view names namespaces: init, in the host's mount namespace (/run/netns). */
export function initProcess(kernel: Kernel): Process {
  return kernel.processes.get(1)!;
}

/** The /run/netns name of a namespace as the host sees it. */
export function nameOf(kernel: Kernel, ns: Namespace): string | null {
  return netnsName(initProcess(kernel), ns);
}

function link(kernel: Kernel, st: NetStack, d: NetDevice): NetLinkSnapshot {
  const addrs: NetAddrSnapshot[] = d.addrs.map((a) => ({ ip: fmtIp(a.ip), prefix: a.prefix, cidr: `${fmtIp(a.ip)}/${a.prefix}`, scope: a.scope }));
  const s: NetLinkSnapshot = {
    index: d.index,
    name: d.name,
    kind: d.kind,
    up: d.up,
    carrier: d.carrier,
    operstate: d.operstate,
    mac: d.mac,
    mtu: d.mtu,
    master: d.master?.name ?? null,
    peer: d.peer ? { netns: d.peer.stack.nsInode, netnsName: d.peer.stack.kernel === kernel ? nameOf(kernel, d.peer.stack.ns) : null, name: d.peer.name, index: d.peer.index } : null,
    wired: d.kind === "ether" && d.wire !== null,
    addrs,
    rx: { ...d.rx },
    tx: { ...d.tx },
  };
  const br = st.bridges.get(d);
  if (br) {
    s.ports = br.ports().sort((a, b) => a.index - b.index).map((p) => p.name);
    const fdb: NonNullable<NetLinkSnapshot["fdb"]> = [];
    for (const p of br.ports()) fdb.push({ mac: p.mac, port: p.name, local: true });
    for (const e of br.fdb.values()) if (!e.local) fdb.push({ mac: e.mac, port: e.port.name, local: false });
    s.fdb = fdb;
  }
  return s;
}

function routes(st: NetStack): NetRouteSnapshot[] {
  return st.fib.all().map((r) => ({
    dst: fmtRouteDst(r),
    via: r.via !== undefined ? fmtIp(r.via) : null,
    dev: r.dev.name,
    proto: r.proto,
    scope: r.scope,
    src: r.src !== undefined ? fmtIp(r.src) : null,
    metric: r.metric ?? 0,
    linkdown: !r.dev.carrier,
    text: fmtRoute(r).trimEnd(),
  }));
}

/** One namespace's network state. */
export function netnsSnapshot(kernel: Kernel, ns: Namespace): NetnsSnapshot {
  const st = netOf(kernel, ns);
  const processes: NetnsSnapshot["processes"] = [];
  for (const p of kernel.processes.values()) if (p.alive && p.ns.net === ns) processes.push({ pid: p.pid, comm: p.comm });
  processes.sort((a, b) => a.pid - b.pid);
  return {
    inode: ns.inode,
    name: nameOf(kernel, ns),
    initial: ns.initial,
    processes,
    links: [...st.devices.values()].sort((a, b) => a.index - b.index).map((d) => link(kernel, st, d)),
    routes: routes(st),
    ipForward: st.forwarding,
    bridgeNfCallIptables: st.sysctl.get("net.bridge.bridge-nf-call-iptables") === "1",
  };
}

/** Every live network namespace of the kernel: the initial one first, then by inode. */
export function networkSnapshot(kernel: Kernel): NetSnapshot {
  const all = [...kernel.namespaces].filter((ns) => ns.kind === "net" && ns.alive).sort((a, b) => Number(b.initial) - Number(a.initial) || a.inode - b.inode);
  return { host: kernel.name, time: kernel.clock.now(), namespaces: all.map((ns) => netnsSnapshot(kernel, ns)) };
}
