// Which stack belongs to which network namespace, per kernel. A stack is made on first use;
// when its namespace dies the kernel tears it down (default_device_exit): veth pairs are
// destroyed with their peers, physical NICs go back to the initial namespace.
import type { Kernel } from "../kernel";
import type { Namespace } from "../namespaces";
import type { NetDevice } from "./link";
import { parseCidr, broadcast } from "./ipv4";
import { NetStack } from "./stack";

export interface NicConfig {
  /** "10.0.0.10/24" */
  cidr: string;
  mac: string;
  /** Attach eth0 to this wire (a lab's switch); a lone host gets its own. */
  wire?: { attach(d: NetDevice): void };
  gateway?: string;
}

interface Registry {
  byNs: Map<Namespace, NetStack>;
  nic: NicConfig;
}

const registries = new WeakMap<Kernel, Registry>();

function registry(kernel: Kernel): Registry {
  let r = registries.get(kernel);
  if (!r) {
    r = { byNs: new Map(), nic: { cidr: "10.0.0.10/24", mac: "52:54:00:12:34:56" } };
    registries.set(kernel, r);
    const reg = r;
    kernel.events.subscribe((e) => {
      if (e.type !== "ns.destroy" || e.kind !== "net" || e.host !== kernel.name) return;
      for (const [ns, st] of reg.byNs) if (ns.inode === e.inode) destroyStack(kernel, reg, ns, st);
    });
  }
  return r;
}

/** Configure the host's physical NIC before its network is first used (createLab does this). */
export function configureNic(kernel: Kernel, nic: NicConfig): void {
  registry(kernel).nic = nic;
}

/** The stack of a network namespace (created on first use). */
export function netOf(kernel: Kernel, ns: Namespace): NetStack {
  const reg = registry(kernel);
  let s = reg.byNs.get(ns);
  if (!s) {
    s = new NetStack(kernel, ns);
    reg.byNs.set(ns, s);
    if (ns.initial) bootInitial(s, reg.nic);
  }
  return s;
}

/** Every live stack of a kernel (for `ip netns`-independent views such as widgets). */
export function stacksOf(kernel: Kernel): NetStack[] {
  return [...registry(kernel).byNs.values()];
}

function bootInitial(s: NetStack, nic: NicConfig): void {
  s.setUp(s.device("lo")!, true);
  const eth0 = s.addDevice("eth0", "ether", nic.mac, 1500);
  const c = parseCidr(nic.cidr)!;
  eth0.addrs.push({ ip: c.ip, prefix: c.prefix, brd: broadcast(c.ip, c.prefix), scope: "global" });
  if (nic.wire) nic.wire.attach(eth0);
  else eth0.wire = { deliver: () => {}, peers: () => [] };
  eth0.up = true;
  if (nic.gateway) {
    const gw = parseCidr(nic.gateway)!.ip;
    s.fib.static.push({ dst: 0, prefix: 0, dev: eth0, via: gw, proto: "boot", scope: "global" });
  }
}

function destroyStack(kernel: Kernel, reg: Registry, ns: Namespace, st: NetStack): void {
  const init = netOf(kernel, kernel.initNs.net);
  for (const d of [...st.devices.values()]) {
    if (d.kind === "ether") init.adopt(d);
    else st.deleteDevice(d);
  }
  reg.byNs.delete(ns);
}
