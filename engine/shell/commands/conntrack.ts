// conntrack (conntrack-tools 1.4.7): list, count and flush the connection tracking table
// of this network namespace.
import type { Command } from "../command";
import { netOf } from "../../linux/net/registry";
import { fmtConn } from "../../linux/net/conntrack";
import { parseIp } from "../../linux/net/ipv4";

export const conntrack: Command = {
  name: "conntrack",
  path: "/usr/sbin/conntrack",
  summary: "list (-L), count (-C) or flush (-F) tracked connections",
  usage: "Command line interface for the connection tracking system. Version 1.4.7\nUsage: conntrack [commands] [options]\n\nCommands:\n  -L [table] [options]\t\tList conntrack or expectation table\n  -C [table]\t\t\tShow counter\n  -F [table]\t\t\tFlush table\n\nOptions:\n  -p, --proto\t\t\tLayer 4 Protocol, eg. 'tcp'\n  --orig-src/--orig-dst ip\tSource/destination address from original direction\n  -o extended\t\t\tOutput format\n",
  run(ctx) {
    const st = netOf(ctx.kernel, ctx.proc.ns.net);
    const a = ctx.argv.slice(1);
    const now = ctx.kernel.clock.now();
    let cmd = "";
    let proto: string | undefined;
    let origSrc: number | null = null;
    let origDst: number | null = null;
    let extended = false;
    for (let i = 0; i < a.length; i++) {
      const w = a[i]!;
      if (w === "-L" || w === "--dump" || w === "-C" || w === "--count" || w === "-F" || w === "--flush") cmd = w.replace(/^--?/, "")[0]!.toUpperCase();
      else if (w === "-p" || w === "--proto") proto = a[++i];
      else if (w === "--orig-src" || w === "-s" || w === "--src") origSrc = parseIp(a[++i] ?? "");
      else if (w === "--orig-dst" || w === "-d" || w === "--dst") origDst = parseIp(a[++i] ?? "");
      else if (w === "-o") extended = a[++i] === "extended";
      else if (w === "conntrack" || w === "-n" || w === "-x") continue;
      else {
        ctx.err(`conntrack v1.4.7 (conntrack-tools): Bad parameter \`${w}'\nTry \`conntrack -h' or 'conntrack --help' for more information.\n`);
        return 2;
      }
    }
    if (cmd === "C") {
      ctx.out(`${st.conntrack.size}\n`);
      return 0;
    }
    if (cmd === "F") {
      st.conntrack.flush();
      ctx.err("conntrack v1.4.7 (conntrack-tools): connection tracking table has been emptied.\n");
      return 0;
    }
    if (cmd !== "L") {
      ctx.err("conntrack v1.4.7 (conntrack-tools): no command specified\nTry `conntrack -h' or 'conntrack --help' for more information.\n");
      return 2;
    }
    const rows = st.connections().filter((c) => (!proto || c.orig.proto === proto) && (origSrc === null || c.orig.src === origSrc) && (origDst === null || c.orig.dst === origDst));
    for (const c of rows) ctx.out((extended ? "ipv4     2 " : "") + fmtConn(c, now) + "\n");
    ctx.err(`conntrack v1.4.7 (conntrack-tools): ${rows.length} flow entries have been shown.\n`);
    return 0;
  },
};
