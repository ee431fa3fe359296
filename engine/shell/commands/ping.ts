// ping (iputils): ICMP echo requests that really cross the simulated network — routing,
// ARP, veth pairs, bridges, the wire, other hosts' netfilter — and the replies or ICMP
// errors that come back, printed in iputils' format.
import type { Program } from "../../linux/tasks";
import type { Command } from "../command";
import { usageError } from "../command";
import { netOf } from "../../linux/net/registry";
import { fmtIp, parseIp } from "../../linux/net/ipv4";
import { makePacket } from "../../linux/net/packet";
import type { Packet } from "../../linux/net/packet";

const UNREACH: Record<number, string> = {
  0: "Destination Net Unreachable", 1: "Destination Host Unreachable", 2: "Destination Protocol Unreachable", 3: "Destination Port Unreachable",
  9: "Destination Net Prohibited", 10: "Destination Host Prohibited", 13: "Packet filtered",
};

export const ping: Command = {
  name: "ping",
  path: "/usr/bin/ping",
  summary: "send ICMP echo requests (-c COUNT, -W TIMEOUT, -t TTL, -i INTERVAL)",
  usage: "\nUsage\n  ping [options] <destination>\n\nOptions:\n  <destination>      dns name or ip address\n  -c <count>         stop after <count> replies\n  -i <interval>      seconds between sending each packet\n  -q                 quiet output\n  -t <ttl>           define time to live\n  -W <timeout>       time to wait for response\n",
  run(ctx) {
    const args = ctx.argv.slice(1);
    let count = Infinity;
    let dest: string | undefined;
    let quiet = false;
    let waitS = 10;
    let ttl = 64;
    let interval = 1;
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      const m = /^-([ciWtw])(.*)$/.exec(a);
      if (m) {
        const v = m[2] || args[++i];
        const n = Number(v);
        if (v === undefined || Number.isNaN(n)) return usageError(ctx, "ping", `invalid argument: '${v ?? ""}'`, 1);
        if (m[1] === "c") count = n;
        else if (m[1] === "W") waitS = n;
        else if (m[1] === "t") ttl = n;
        else if (m[1] === "i") interval = n;
        else if (m[1] === "w") waitS = n;
      } else if (a === "-q") quiet = true;
      else if (a === "-n") continue;
      else if (a.startsWith("-")) return usageError(ctx, "ping", `invalid option -- '${a.slice(1, 2)}'`, 2);
      else dest = a;
    }
    if (!dest) {
      ctx.err("ping: usage error: Destination address required\n");
      return 1;
    }
    const dst = parseIp(dest);
    if (dst === null) {
      ctx.err(`ping: ${dest}: Temporary failure in name resolution\n`);
      return 2;
    }
    if (!(count >= 1)) {
      ctx.err(`ping: invalid argument: '${count}': out of range: 1 <= value <= 9223372036854775807\n`);
      return 1;
    }
    if (ttl < 1 || ttl > 255) {
      ctx.err(`ping: invalid argument: '${ttl}': out of range: 1 <= value <= 255\n`);
      return 1;
    }
    const k = ctx.kernel;
    const stack = netOf(k, ctx.proc.ns.net);
    if (!stack.routeOutput(dst)) {
      ctx.err("ping: connect: Network is unreachable\n");
      return 2;
    }
    const id = ctx.proc.pid & 0xffff;
    const clock = k.clock;
    return (function* (): Program {
      if (!quiet) ctx.out(`PING ${dest} (${dest}) 56(84) bytes of data.\n`);
      let sent = 0;
      let received = 0;
      let errors = 0;
      const rtts: number[] = [];
      const start = clock.now();
      for (let seq = 1; seq <= count; seq++) {
        const got: { p: Packet; delay: number }[] = [];
        stack.sockets.pings.set(id, (p, delay) => got.push({ p, delay }));
        const err = stack.sendLocal(makePacket({ src: 0, dst, proto: "icmp", icmpType: 8, icmpId: id, icmpSeq: seq, ttl }), { trace: null, delay: 0, hops: 0 });
        stack.sockets.pings.delete(id);
        sent++;
        if (err === "EPERM") ctx.out(`ping: sendmsg: Operation not permitted\n`);
        const last = seq >= count;
        // Answers that arrive before the wait runs out (or before the next probe is due).
        const budget = (last ? waitS : Math.max(interval, 0)) * 1000;
        const hit = got.filter((g) => g.delay <= (last ? waitS * 1000 : Infinity)).sort((a, b) => a.delay - b.delay)[0];
        if (hit && hit.p.icmpType === 0) {
          const rtt = 0.03 + k.rng.next() * 0.04 + hit.delay;
          rtts.push(rtt);
          received++;
          if (!quiet) ctx.out(`64 bytes from ${fmtIp(hit.p.src)}: icmp_seq=${seq} ttl=${hit.p.ttl} time=${rtt.toFixed(3)} ms\n`);
        } else if (hit) {
          errors++;
          const text = hit.p.icmpType === 11 ? "Time to live exceeded" : (UNREACH[hit.p.icmpCode] ?? `Dest Unreachable, Bad Code: ${hit.p.icmpCode}`);
          if (!quiet) ctx.out(`From ${fmtIp(hit.p.src)} icmp_seq=${seq} ${text}\n`);
        }
        if (!last) yield { kind: "sleep", until: clock.now() + interval * 1000 };
        else if (!hit || hit.p.icmpType !== 0) {
          // Nothing came back: ping waits out -W before giving up (an error ends it at once).
          yield { kind: "sleep", until: clock.now() + (hit ? hit.delay : budget) };
        }
      }
      const elapsed = count > 1 ? clock.now() - start - (received === sent ? 0 : 0) : 0;
      const loss = Math.round(((sent - received) / sent) * 100);
      ctx.out(`\n--- ${dest} ping statistics ---\n${sent} packets transmitted, ${received} received, ${errors ? `+${errors} errors, ` : ""}${loss}% packet loss, time ${count > 1 ? Math.min(elapsed, (count - 1) * interval * 1000 + 8) : 0}ms\n`);
      if (rtts.length) {
        const min = Math.min(...rtts);
        const max = Math.max(...rtts);
        const avg = rtts.reduce((a, b) => a + b, 0) / rtts.length;
        const mdev = Math.sqrt(rtts.reduce((a, b) => a + (b - avg) ** 2, 0) / rtts.length);
        ctx.out(`rtt min/avg/max/mdev = ${min.toFixed(3)}/${avg.toFixed(3)}/${max.toFixed(3)}/${mdev.toFixed(3)} ms\n`);
      }
      return received > 0 ? 0 : 1;
    })();
  },
};

export { ipcs } from "./ipcs";
