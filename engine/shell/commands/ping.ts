// ping, for now only to addresses of the caller's own network namespace (loopback and local
// addresses). Routed and bridged packets arrive with the network stack.
import type { Program } from "../../linux/tasks";
import type { Command } from "../command";
import { usageError } from "../command";
import { netOf } from "../../linux/net";

export const ping: Command = {
  name: "ping",
  path: "/usr/bin/ping",
  summary: "send ICMP echo requests (-c COUNT, -W TIMEOUT)",
  usage: "\nUsage\n  ping [options] <destination>\n\nOptions:\n  <destination>      dns name or ip address\n  -c <count>         stop after <count> replies\n  -W <timeout>       time to wait for response\n  -q                 quiet output\n",
  run(ctx) {
    const args = ctx.argv.slice(1);
    let count = 4;
    let dest: string | undefined;
    let quiet = false;
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a === "-c") count = Number(args[++i]);
      else if (/^-c\d+$/.test(a)) count = Number(a.slice(2));
      else if (a === "-W" || a === "-i" || a === "-w") i++;
      else if (/^-[Wiw][\d.]+$/.test(a)) continue;
      else if (a === "-q") quiet = true;
      else if (a.startsWith("-")) return usageError(ctx, "ping", `invalid option -- '${a.slice(1, 2)}'`, 2);
      else dest = a;
    }
    if (!dest) {
      ctx.err("ping: usage error: Destination address required\n");
      return 1;
    }
    if (!/^\d+\.\d+\.\d+\.\d+$/.test(dest)) {
      ctx.err(`ping: ${dest}: Temporary failure in name resolution\n`);
      return 2;
    }
    if (!Number.isInteger(count) || count < 1) {
      ctx.err(`ping: invalid argument: '${count}': out of range: 1 <= value <= 9223372036854775807\n`);
      return 1;
    }
    const stack = netOf(ctx.proc.ns.net);
    const local = stack.links.find((l) => l.up && (l.addrs.some((a) => a.cidr.split("/")[0] === dest) || (l.type === "loopback" && dest!.startsWith("127."))));
    if (!local) {
      ctx.err("ping: connect: Network is unreachable\n");
      return 2;
    }
    const clock = ctx.kernel.clock;
    return (function* (): Program {
      if (!quiet) ctx.out(`PING ${dest} (${dest}) 56(84) bytes of data.\n`);
      for (let i = 1; i <= count; i++) {
        if (!quiet) ctx.out(`64 bytes from ${dest}: icmp_seq=${i} ttl=64 time=0.0${30 + (i % 7)} ms\n`);
        if (i < count) yield { kind: "sleep", until: clock.now() + 1000 };
      }
      ctx.out(`\n--- ${dest} ping statistics ---\n${count} packets transmitted, ${count} received, 0% packet loss, time ${(count - 1) * 1000}ms\nrtt min/avg/max/mdev = 0.031/0.034/0.036/0.002 ms\n`);
      return 0;
    })();
  },
};

export const ipcs: Command = {
  name: "ipcs",
  path: "/usr/bin/ipcs",
  summary: "show System V IPC facilities (per IPC namespace)",
  usage: "\nUsage:\n ipcs [resource-option...] [output-option]\n\nShow information on IPC facilities.\n\n -m, --shmems      shared memory segments\n -q, --queues      message queues\n -s, --semaphores  semaphores\n",
  run(ctx) {
    const a = ctx.argv.slice(1);
    const all = a.length === 0 || a.includes("-a");
    const segs = ctx.proc.ns.ipc.shmSegments;
    if (all || a.includes("-q")) ctx.out("\n------ Message Queues --------\nkey        msqid      owner      perms      used-bytes   messages    \n\n");
    if (all || a.includes("-m")) {
      ctx.out("\n------ Shared Memory Segments --------\nkey        shmid      owner      perms      bytes      nattch     status      \n");
      for (let i = 0; i < segs; i++) ctx.out(`0x${(0x1000 + i).toString(16).padStart(8, "0")} ${String(i).padEnd(10)} root       600        4096       0                       \n`);
      ctx.out("\n");
    }
    if (all || a.includes("-s")) ctx.out("\n------ Semaphore Arrays --------\nkey        semid      owner      perms      nsems     \n\n");
    return 0;
  },
};
