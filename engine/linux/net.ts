// A network namespace's stack, reduced for now to its links and addresses. A new network
// namespace has exactly one device, lo, and it is down — which is why a fresh container
// cannot even ping 127.0.0.1 until something brings lo up.
import type { Namespace } from "./namespaces";

export interface Addr {
  cidr: string;
  brd?: string;
  scope: "host" | "global" | "link";
}

export interface Link {
  index: number;
  name: string;
  type: "loopback" | "ether" | "veth" | "bridge";
  up: boolean;
  mtu: number;
  mac: string;
  addrs: Addr[];
}

export class NetStack {
  links: Link[] = [];
  private nextIndex = 1;

  constructor() {
    this.addLink({ name: "lo", type: "loopback", up: false, mtu: 65536, mac: "00:00:00:00:00:00", addrs: [] });
  }

  addLink(l: Omit<Link, "index">): Link {
    const link = { ...l, index: this.nextIndex++ };
    this.links.push(link);
    return link;
  }

  /** Bringing lo up also gives it 127.0.0.1/8, as the kernel does. */
  setUp(l: Link, up: boolean): void {
    l.up = up;
    if (l.type === "loopback" && up && !l.addrs.length) l.addrs.push({ cidr: "127.0.0.1/8", scope: "host" });
  }
}

const stacks = new WeakMap<Namespace, NetStack>();

/** The stack of a network namespace (created on first use). */
export function netOf(ns: Namespace): NetStack {
  let s = stacks.get(ns);
  if (!s) {
    s = new NetStack();
    if (ns.initial) {
      s.setUp(s.links[0]!, true);
      s.addLink({ name: "eth0", type: "ether", up: true, mtu: 1500, mac: "52:54:00:12:34:56", addrs: [{ cidr: "10.0.0.10/24", brd: "10.0.0.255", scope: "global" }] });
    }
    stacks.set(ns, s);
  }
  return s;
}
