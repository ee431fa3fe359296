// tcpdump -i IFACE -n [-c COUNT]: prints the packets that cross a device, in tcpdump's
// one-line format, as they cross it (run it in the background with &, or with -c).
import type { Command } from "../command";
import type { Program } from "../../linux/tasks";
import { netOf } from "../../linux/net/registry";
import type { Capture } from "../../linux/net/stack";

export const tcpdump: Command = {
  name: "tcpdump",
  path: "/usr/bin/tcpdump",
  summary: "print packets crossing an interface (tcpdump -i IFACE -n [-c N])",
  usage: "tcpdump version 4.99.3\nlibpcap version 1.10.3 (with TPACKET_V3)\nUsage: tcpdump [-AbdDefhHIJKlLnNOpqStuUvxX#] [ -B size ] [ -c count ]\n\t\t[ -i interface ] [ expression ]\n",
  run(ctx) {
    const a = ctx.argv.slice(1);
    let iface: string | undefined;
    let count = Infinity;
    for (let i = 0; i < a.length; i++) {
      if (a[i] === "-i") iface = a[++i];
      else if (a[i] === "-c") count = Number(a[++i]);
      else if (/^-i\S+/.test(a[i]!)) iface = a[i]!.slice(2);
    }
    const st = netOf(ctx.kernel, ctx.proc.ns.net);
    const dev = st.device(iface ?? "eth0") ?? (iface ? undefined : [...st.devices.values()].find((d) => d.kind !== "loopback"));
    if (!dev) {
      ctx.err(`tcpdump: ${iface}: No such device exists\n(SIOCGIFHWADDR: No such device)\n`);
      return 1;
    }
    const cap: Capture = { dev, lines: [] };
    st.captures.add(cap);
    ctx.err(`tcpdump: verbose output suppressed, use -v[v]... for full protocol decode\nlistening on ${dev.name}, link-type EN10MB (Ethernet), snapshot length 262144 bytes\n`);
    const clock = ctx.kernel.clock;
    return (function* (): Program {
      let printed = 0;
      try {
        while (printed < count) {
          while (cap.lines.length && printed < count) {
            ctx.out(cap.lines.shift()! + "\n");
            printed++;
          }
          if (printed >= count) break;
          yield { kind: "sleep", until: clock.now() + 50 };
        }
      } finally {
        st.captures.delete(cap);
        ctx.err(`${printed} packet${printed === 1 ? "" : "s"} captured\n${printed} packet${printed === 1 ? "" : "s"} received by filter\n0 packets dropped by kernel\n`);
      }
      return 0;
    })();
  },
};
