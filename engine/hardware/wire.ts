// The physical network between machines: one Ethernet segment (a switch) that the hosts'
// eth0 NICs are cabled to. A frame goes to the NIC whose MAC it names, or to every NIC when
// broadcast — the same delivery a learning switch converges to.
import type { NetDevice } from "../linux/net/link";
import type { Frame } from "../linux/net/packet";
import { BROADCAST_MAC } from "../linux/net/link";
import type { Walk } from "../linux/net/stack";

export class Wire {
  readonly nics: NetDevice[] = [];

  attach(d: NetDevice): void {
    this.nics.push(d);
    d.wire = this;
  }

  peers(d: NetDevice): NetDevice[] {
    return this.nics.filter((n) => n !== d);
  }

  deliver(from: NetDevice, frame: Frame, walk: Walk): void {
    for (const n of this.peers(from)) {
      // Each host has its own kernel; the walk (trace, delay, hop budget) travels with the frame.
      if (frame.dstMac === n.mac || frame.dstMac === BROADCAST_MAC) n.stack.receive(n, frame, walk);
    }
  }
}
