// kubectl port-forward: a listener on this machine's loopback whose every connection is carried
// to a port inside one pod's network namespace. The real path is kubectl → API server → kubelet
// → the runtime's streaming server, which connects from inside the pod's netns; here the
// listener hands each request to a TCP connection made from that netns, so the pod sees it
// arrive on 127.0.0.1 as it does for real, and no Service, iptables rule or pod IP is involved.
import type { CommandContext } from "../../shell/command";
import type { Program } from "../../linux/tasks";
import type { Kernel } from "../../linux/kernel";
import { netOf } from "../../linux/net/registry";
import { parseIp } from "../../linux/net/ipv4";

const LOOPBACK = parseIp("127.0.0.1")!;
import { tcpConnect } from "../../linux/net/tcp";
import { serve } from "../../shell/commands/sockets";

/** LOCAL:REMOTE, :REMOTE (a free local port; here the same number) or PORT (both). */
export function parsePortPair(spec: string): { local: number; remote: number } | null {
  const m = /^(\d*)(?::(\d+))?$/.exec(spec);
  if (!m || (!m[1] && !m[2])) return null;
  const remote = Number(m[2] ?? m[1]);
  const local = m[1] ? Number(m[1]) : remote;
  if (!(local > 0 && local < 65536 && remote > 0 && remote < 65536)) return null;
  return { local, remote };
}

/** Listen on 127.0.0.1:local until killed; each connection goes to 127.0.0.1:remote in the pod. */
export function portForward(ctx: CommandContext, pod: { kernel: Kernel; pid: number }, pairs: { local: number; remote: number }[]): Program {
  const target = pod.kernel.processes.get(pod.pid);
  const podNet = target && netOf(pod.kernel, target.ns.net);
  return (function* (): Program {
    for (const p of pairs) ctx.out(`Forwarding from 127.0.0.1:${p.local} -> ${p.remote}\nForwarding from [::1]:${p.local} -> ${p.remote}\n`);
    const p = pairs[0]!;
    return yield* serve(ctx, {
      proto: "tcp",
      addr: LOOPBACK,
      port: p.local,
      greet: () => null,
      respond(request) {
        ctx.out(`Handling connection for ${p.local}\n`);
        if (!podNet) return "";
        const r = tcpConnect(podNet, LOOPBACK, p.remote, request, 5_000);
        if (r.outcome !== "connected") {
          ctx.err(`E0112 portforward.go:424] "Unhandled Error" err="an error occurred forwarding ${p.local} -> ${p.remote}: error forwarding port ${p.remote} to pod: failed to connect to localhost:${p.remote} inside namespace: connection refused"\n`);
          return "";
        }
        return r.data;
      },
    });
  })();
}
