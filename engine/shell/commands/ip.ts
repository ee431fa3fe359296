// ip (iproute2), the part a new network namespace needs: links and addresses, and bringing
// lo up. The full network stack (veth, bridges, routes) builds on the same NetStack.
import type { Command, CommandContext } from "../command";
import type { Link } from "../../linux/net";
import { netOf } from "../../linux/net";

const USAGE = `Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }
       ip [ -force ] -batch filename
where  OBJECT := { address | link | netns | route | neighbour }
       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] | -br[ief] | -o[neline] | -n[etns] name }
`;

function flags(l: Link): string {
  const f: string[] = [];
  if (l.type === "loopback") f.push("LOOPBACK");
  else f.push("BROADCAST", "MULTICAST");
  if (l.up) f.push("UP", "LOWER_UP");
  return `<${f.join(",")}>`;
}

function state(l: Link): string {
  if (!l.up) return "DOWN";
  return l.type === "loopback" ? "UNKNOWN" : "UP";
}

function linkLines(l: Link, mode: boolean): string[] {
  const qdisc = l.up ? (l.type === "loopback" ? "noqueue" : "fq_codel") : "noop";
  return [
    `${l.index}: ${l.name}: ${flags(l)} mtu ${l.mtu} qdisc ${qdisc} state ${state(l)}${mode ? " mode DEFAULT" : ""} group default qlen 1000`,
    `    link/${l.type === "loopback" ? "loopback" : "ether"} ${l.mac} brd ${l.type === "loopback" ? "00:00:00:00:00:00" : "ff:ff:ff:ff:ff:ff"}`,
  ];
}

function addrLines(l: Link): string[] {
  const out = linkLines(l, false);
  for (const a of l.addrs) {
    out.push(`    inet ${a.cidr}${a.brd ? ` brd ${a.brd}` : ""} scope ${a.scope} ${l.name}`, "       valid_lft forever preferred_lft forever");
  }
  if (l.up && l.type === "loopback") out.push("    inet6 ::1/128 scope host ", "       valid_lft forever preferred_lft forever");
  return out;
}

export const ip: Command = {
  name: "ip",
  path: "/usr/sbin/ip",
  summary: "show / manipulate network links and addresses (per network namespace)",
  usage: USAGE,
  run(ctx: CommandContext) {
    let args = ctx.argv.slice(1);
    let brief = false;
    while (args[0]?.startsWith("-")) {
      const o = args.shift()!;
      if (o === "-br" || o === "-brief") brief = true;
      else if (o === "-d" || o === "-details" || o === "-s" || o === "-o" || o === "-4") continue;
      else {
        ctx.err(`Option "${o}" is unknown, try "ip -help".\n`);
        return 255;
      }
    }
    const stack = netOf(ctx.proc.ns.net);
    const obj = args[0] ?? "";
    const sub = args[1] ?? "show";
    const isObj = (full: string, min: number) => obj.length >= min && full.startsWith(obj);
    if (!obj || obj === "help") {
      ctx.err(USAGE);
      return obj ? 0 : 255;
    }
    if (isObj("link", 1) || isObj("address", 1)) {
      const isAddr = isObj("address", 1);
      if (sub === "set") {
        const name = args[2];
        const l = stack.links.find((x) => x.name === name);
        if (!l) {
          ctx.err(`Cannot find device "${name}"\n`);
          return 1;
        }
        if (args.includes("up")) stack.setUp(l, true);
        if (args.includes("down")) stack.setUp(l, false);
        return 0;
      }
      if (!["show", "list", "ls", "sh", "lst"].includes(sub) && !(sub.length <= 4 && "show".startsWith(sub))) {
        ctx.err(`Command "${sub}" is unknown, try "ip ${isAddr ? "address" : "link"} help".\n`);
        return 255;
      }
      const dev = args[2] === "dev" ? args[3] : args[2];
      const links = dev ? stack.links.filter((l) => l.name === dev) : stack.links;
      if (dev && !links.length) {
        ctx.err(`Device "${dev}" does not exist.\n`);
        return 1;
      }
      const out: string[] = [];
      for (const l of links) {
        if (brief) {
          const st = state(l).padEnd(14);
          out.push(isAddr ? `${l.name.padEnd(16)} ${st} ${l.addrs.map((a) => a.cidr).join(" ")}${l.up && l.type === "loopback" ? " ::1/128" : ""} `.trimEnd() + " " : `${l.name.padEnd(16)} ${st} ${l.mac} ${flags(l)} `);
        } else out.push(...(isAddr ? addrLines(l) : linkLines(l, true)));
      }
      ctx.out(out.map((x) => (brief ? x.replace(/ +$/, " ") : x) + "\n").join(""));
      return 0;
    }
    ctx.err(`Object "${obj}" is unknown, try "ip help".\n`);
    return 1;
  },
};
