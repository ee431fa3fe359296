// ip (iproute2): links, addresses, routes, neighbours and named network namespaces, in
// iproute2's own syntax and output format. Every change goes through the namespace's stack
// (engine/linux/net) — the same objects a CNI plugin or kube-proxy changes.
import type { Command, CommandContext } from "../command";
import type { Namespace } from "../../linux/namespaces";
import { setns } from "../../linux/namespaces";
import { KernelError } from "../../linux/process";
import type { Program } from "../../linux/tasks";
import { netOf } from "../../linux/net/registry";
import type { NetStack } from "../../linux/net/stack";
import type { NetDevice } from "../../linux/net/link";
import { broadcast, fmtIp, network, parseCidr, parseIp } from "../../linux/net/ipv4";
import { fmtRoute, fmtRouteDst } from "../../linux/net/route";
import type { Route } from "../../linux/net/route";
import { addNetns, delNetns, netnsByName, netnsName, netnsNames } from "../../linux/net/netns";
import { execOrFail } from "./unshare";

const USAGE = `Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }
       ip [ -force ] -batch filename
where  OBJECT := { address | link | netns | route | neighbour }
       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] | -br[ief] | -o[neline] | -n[etns] name }
`;

interface Opts {
  brief: boolean;
  details: boolean;
  oneline: boolean;
  stats: boolean;
}

class IpError extends Error {
  constructor(
    message: string,
    readonly status = 1,
  ) {
    super(message);
  }
}

const SHOW = (s: string | undefined) => s === undefined || ["show", "list", "ls", "sh", "lst", "s", "l"].includes(s);

function matchObj(word: string, full: string, min = 1): boolean {
  return word.length >= min && full.startsWith(word);
}

// ---- link formatting ----

function flagList(d: NetDevice): string {
  const f: string[] = [];
  if (d.up && !d.carrier && d.kind !== "loopback") f.push("NO-CARRIER");
  f.push(...(d.kind === "loopback" ? ["LOOPBACK"] : ["BROADCAST", "MULTICAST"]));
  if (d.up) f.push("UP");
  if (d.carrier) f.push("LOWER_UP");
  return `<${f.join(",")}>`;
}

/** "veth-a@if2" (peer in another namespace), "veth1@veth2" (same one), or just the name. */
function displayName(d: NetDevice): string {
  if (d.peer) return d.peer.stack === d.stack ? `${d.name}@${d.peer.name}` : `${d.name}@if${d.peer.index}`;
  return d.name;
}

function qdisc(d: NetDevice): string {
  if (!d.up) return "noop";
  return d.kind === "ether" ? "fq_codel" : "noqueue";
}

function linkHead(ctx: CommandContext, d: NetDevice, mode: boolean): string {
  return `${d.index}: ${displayName(d)}: ${flagList(d)} mtu ${d.mtu} qdisc ${qdisc(d)}${d.master ? ` master ${d.master.name}` : ""} state ${d.operstate}${mode ? " mode DEFAULT" : ""} group default qlen 1000`;
}

function linkEther(ctx: CommandContext, d: NetDevice, o: Opts): string {
  let s = d.kind === "loopback" ? `    link/loopback ${d.mac} brd 00:00:00:00:00:00` : `    link/ether ${d.mac} brd ff:ff:ff:ff:ff:ff`;
  if (d.peer && d.peer.stack !== d.stack) {
    const name = netnsName(ctx.proc, d.peer.stack.ns);
    s += name ? ` link-netns ${name}` : ` link-netnsid ${d.peer.stack.ns.initial ? 0 : 1}`;
  }
  if (o.details) {
    s += ` promiscuity ${d.kind === "bridge" || d.master ? 1 : 0}  allmulti 0 minmtu ${d.kind === "loopback" ? 0 : 68} maxmtu ${d.kind === "ether" ? 9000 : 65535} `;
    if (d.kind === "veth") s += "\n    veth ";
    else if (d.kind === "bridge") s += `\n    bridge forward_delay 1500 hello_time 200 max_age 2000 ageing_time 30000 stp_state 0 priority 32768 vlan_filtering 0 vlan_protocol 802.1Q `;
    else s += "\n    ";
    if (d.master) s += `\n    bridge_slave state ${d.carrier ? "forwarding" : "disabled"} priority 32 cost 2 hairpin ${d.hairpin ? "on" : "off"} guard off root_block off fastleave off learning on flood on `;
    s += "addrgenmode eui64 numtxqueues 2 numrxqueues 2 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 ";
  }
  return s;
}

/** EUI-64 link-local address the kernel gives an interface with a carrier. */
function linkLocal(mac: string): string {
  const b = mac.split(":").map((x) => parseInt(x, 16));
  b[0] = b[0]! ^ 2;
  const w = [(b[0]! << 8) | b[1]!, (b[2]! << 8) | 0xff, 0xfe00 | b[3]!, (b[4]! << 8) | b[5]!];
  return `fe80::${w.map((x) => x.toString(16)).join(":")}/64`;
}

function hasV6(d: NetDevice): boolean {
  return d.kind === "loopback" ? d.up : d.carrier;
}

function addrLines(ctx: CommandContext, d: NetDevice, o: Opts): string[] {
  const out = [linkHead(ctx, d, false), linkEther(ctx, d, o)];
  for (const a of d.addrs) {
    const lbl = d.name;
    out.push(`    inet ${fmtIp(a.ip)}/${a.prefix}${a.brd !== undefined ? ` brd ${fmtIp(a.brd)}` : ""} scope ${a.scope} ${lbl}`, "       valid_lft forever preferred_lft forever");
  }
  if (hasV6(d)) out.push(d.kind === "loopback" ? "    inet6 ::1/128 scope host " : `    inet6 ${linkLocal(d.mac)} scope link `, "       valid_lft forever preferred_lft forever");
  return out;
}

function briefLink(d: NetDevice): string {
  return `${displayName(d).padEnd(16)} ${d.operstate.padEnd(14)} ${d.mac} ${flagList(d)} `;
}

function briefAddr(d: NetDevice): string {
  const addrs = d.addrs.map((a) => `${fmtIp(a.ip)}/${a.prefix}`);
  if (hasV6(d)) addrs.push(d.kind === "loopback" ? "::1/128" : linkLocal(d.mac));
  return `${displayName(d).padEnd(16)} ${d.operstate.padEnd(14)} ${addrs.map((a) => a + " ").join("")}`;
}

function emit(ctx: CommandContext, records: string[][], o: Opts): void {
  for (const r of records) ctx.out(o.oneline ? r.join("\\").replace(/\n/g, "\\") + "\n" : r.join("\n") + "\n");
}

// ---- helpers ----

function dev(st: NetStack, name: string | undefined): NetDevice {
  const d = name === undefined ? undefined : st.device(name);
  if (!d) throw new IpError(`Cannot find device "${name}"`);
  return d;
}

function nsArg(ctx: CommandContext, v: string): Namespace {
  if (/^\d+$/.test(v)) {
    const p = ctx.kernel.processes.get(Number(v));
    if (!p) throw new IpError(`Invalid "netns" value "${v}"`, 1);
    return p.ns.net;
  }
  const ns = netnsByName(ctx.kernel, ctx.proc, v);
  if (!ns) throw new IpError(`Cannot open network namespace "${v}": No such file or directory`);
  return ns;
}

/** Parse "key value" words after the object/command (e.g. `dev eth0 via 10.0.0.1`). */
function kv(words: string[], keys: string[], flags: string[] = []): { map: Map<string, string>; rest: string[] } {
  const map = new Map<string, string>();
  const rest: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (flags.includes(w)) map.set(w, "");
    else if (keys.includes(w)) {
      const v = words[++i];
      if (v === undefined) throw new IpError(`Command line is not complete. Try option "help"`, 255);
      map.set(w, v);
    } else rest.push(w);
  }
  return { map, rest };
}

// ---- ip link ----

function ipLink(ctx: CommandContext, st: NetStack, args: string[], o: Opts): number {
  const cmd = args[0];
  if (SHOW(cmd)) {
    const { map, rest } = kv(args.slice(1), ["dev", "master", "type"], ["up"]);
    const name = map.get("dev") ?? rest[0];
    let ds = [...st.devices.values()].sort((a, b) => a.index - b.index);
    if (name !== undefined) {
      ds = ds.filter((d) => d.name === name);
      if (!ds.length) throw new IpError(`Device "${name}" does not exist.`);
    }
    if (map.has("master")) {
      const m = dev(st, map.get("master"));
      ds = ds.filter((d) => d.master === m);
    }
    if (map.has("type")) ds = ds.filter((d) => d.kind === map.get("type"));
    if (map.has("up")) ds = ds.filter((d) => d.up);
    if (o.brief) ctx.out(ds.map((d) => briefLink(d) + "\n").join(""));
    else emit(ctx, ds.map((d) => [linkHead(ctx, d, true), linkEther(ctx, d, o)]), o);
    return 0;
  }
  if (cmd === "add") {
    // ip link add NAME [netns NS] type veth peer name PEER [netns NS] | type bridge
    const words = args.slice(1);
    const ti = words.indexOf("type");
    if (ti < 0) throw new IpError(`Not enough information: "type" argument is required`, 2);
    const head = kv(words.slice(0, ti), ["name", "netns", "address", "mtu"]);
    const name = head.map.get("name") ?? head.rest[0];
    if (!name) throw new IpError(`Not enough information: "dev" argument is required.`, 2);
    const kind = words[ti + 1];
    const where = head.map.has("netns") ? netOf(ctx.kernel, nsArg(ctx, head.map.get("netns")!)) : st;
    if (name.length > 15) throw new IpError(`Error: argument "${name}" is wrong: "name" not a valid ifname`, 1);
    if (kind === "bridge") {
      if (where.device(name)) throw new IpError("RTNETLINK answers: File exists", 2);
      where.addDevice(name, "bridge");
      return 0;
    }
    if (kind !== "veth") throw new IpError(`Error: Unknown device type.`, 2);
    const tail = words.slice(ti + 2);
    let peerName = "";
    let peerWhere = where;
    if (tail[0] === "peer") {
      const p = kv(tail.slice(1), ["name", "netns", "address", "mtu"]);
      peerName = p.map.get("name") ?? p.rest[0] ?? "";
      if (p.map.has("netns")) peerWhere = netOf(ctx.kernel, nsArg(ctx, p.map.get("netns")!));
    }
    if (!peerName) {
      for (let i = 0; ; i++) if (!peerWhere.device(`veth${i}`) && `veth${i}` !== name) { peerName = `veth${i}`; break; }
    }
    if (where.device(name) || peerWhere.device(peerName) || (where === peerWhere && name === peerName)) throw new IpError("RTNETLINK answers: File exists", 2);
    // veth_newlink registers the peer first, then the device the command names.
    const peer = peerWhere.addDevice(peerName, "veth");
    const a = where.addDevice(name, "veth");
    a.peer = peer;
    peer.peer = a;
    if (head.map.has("mtu")) a.mtu = peer.mtu = Number(head.map.get("mtu"));
    return 0;
  }
  if (cmd === "del" || cmd === "delete") {
    const { map, rest } = kv(args.slice(1), ["dev", "type"]);
    const d = dev(st, map.get("dev") ?? rest[0]);
    if (d.kind === "loopback" || d.kind === "ether") throw new IpError("RTNETLINK answers: Operation not supported", 2);
    st.deleteDevice(d);
    return 0;
  }
  if (cmd === "set") {
    const { map, rest } = kv(args.slice(1), ["dev", "master", "netns", "mtu", "address", "name"], ["up", "down", "nomaster"]);
    const d = dev(st, map.get("dev") ?? rest[0]);
    const extra = rest.slice(map.has("dev") ? 0 : 1);
    if (extra.length) throw new IpError(`Error: either "dev" is duplicate, or "${extra[0]}" is a garbage.`, 1);
    if (map.has("mtu")) {
      const m = Number(map.get("mtu"));
      if (!Number.isInteger(m) || m < 68 || m > 65535) throw new IpError(`Error: mtu greater than device maximum.`, 2);
      d.mtu = m;
    }
    if (map.has("address")) {
      if (!/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i.test(map.get("address")!)) throw new IpError(`"${map.get("address")}" is invalid lladdr.`, 1);
      d.mac = map.get("address")!.toLowerCase();
      const br = st.bridges.get(d);
      if (br) br.fixedMac = true;
    }
    if (map.has("name")) {
      if (st.device(map.get("name")!)) throw new IpError("RTNETLINK answers: File exists", 2);
      if (d.up) throw new IpError("RTNETLINK answers: Device or resource busy", 2);
      st.devices.delete(d.name);
      d.name = map.get("name")!;
      st.devices.set(d.name, d);
    }
    if (map.has("nomaster")) st.setMaster(d, null);
    if (map.has("master")) {
      const br = dev(st, map.get("master"));
      if (br.kind !== "bridge" || br === d) throw new IpError("Error: Device does not allow enslaving to a master.", 2);
      st.setMaster(d, br);
    }
    if (map.has("netns")) {
      const target = netOf(ctx.kernel, nsArg(ctx, map.get("netns")!));
      if (target !== st) {
        if (target.device(d.name)) throw new IpError("RTNETLINK answers: File exists", 2);
        if (d.kind === "loopback") throw new IpError("RTNETLINK answers: Invalid argument", 2);
        target.adopt(d);
      }
      return 0;
    }
    if (map.has("up")) d.stack.setUp(d, true);
    if (map.has("down")) d.stack.setUp(d, false);
    return 0;
  }
  if (cmd === "help") {
    ctx.err("Usage: ip link add [link DEV] [ name ] NAME\n                   type TYPE [ ARGS ]\n       ip link delete DEV\n       ip link set DEV { up | down | master DEV | nomaster | netns { PID | NAME } | mtu MTU | address LLADDR | name NEWNAME }\n       ip link show [ DEVICE ]\n");
    return 255;
  }
  throw new IpError(`Command "${cmd}" is unknown, try "ip link help".`, 255);
}

// ---- ip address ----

function ipAddr(ctx: CommandContext, st: NetStack, args: string[], o: Opts): number {
  const cmd = args[0];
  if (SHOW(cmd)) {
    const { map, rest } = kv(args.slice(1), ["dev"], ["up"]);
    const name = map.get("dev") ?? rest[0];
    let ds = [...st.devices.values()].sort((a, b) => a.index - b.index);
    if (name !== undefined) {
      ds = ds.filter((d) => d.name === name);
      if (!ds.length) throw new IpError(`Device "${name}" does not exist.`);
    }
    if (map.has("up")) ds = ds.filter((d) => d.up);
    if (o.brief) ctx.out(ds.map((d) => briefAddr(d) + "\n").join(""));
    else emit(ctx, ds.map((d) => addrLines(ctx, d, o)), o);
    return 0;
  }
  if (cmd === "add" || cmd === "del" || cmd === "delete" || cmd === "replace") {
    const { map, rest } = kv(args.slice(1), ["dev", "brd", "broadcast", "scope", "label", "local"]);
    const spec = map.get("local") ?? rest[0];
    const c = spec ? parseCidr(spec) : null;
    if (!c) throw new IpError(`Error: inet prefix is expected rather than "${spec ?? ""}".`);
    if (!map.has("dev")) throw new IpError(`Not enough information: "dev" argument is required.`);
    const d = dev(st, map.get("dev"));
    const i = d.addrs.findIndex((a) => a.ip === c.ip && (cmd !== "del" && cmd !== "delete" ? true : !spec!.includes("/") || a.prefix === c.prefix));
    if (cmd === "del" || cmd === "delete") {
      if (i < 0) throw new IpError("RTNETLINK answers: Cannot assign requested address", 2);
      d.addrs.splice(i, 1);
      return 0;
    }
    if (i >= 0) {
      if (cmd === "replace") d.addrs.splice(i, 1);
      else throw new IpError("RTNETLINK answers: File exists", 2);
    }
    const b = map.get("brd") ?? map.get("broadcast");
    const brd = b === "+" ? broadcast(c.ip, c.prefix) : b !== undefined ? (parseIp(b) ?? undefined) : undefined;
    const scope = (map.get("scope") as "host" | "global" | "link" | undefined) ?? (c.ip >>> 24 === 127 ? "host" : "global");
    d.addrs.push({ ip: c.ip, prefix: c.prefix, ...(brd !== undefined ? { brd } : {}), scope });
    return 0;
  }
  if (cmd === "flush") {
    const { map, rest } = kv(args.slice(1), ["dev"]);
    dev(st, map.get("dev") ?? rest[0]).addrs = [];
    return 0;
  }
  throw new IpError(`Command "${cmd}" is unknown, try "ip address help".`, 255);
}

// ---- ip route ----

function parseDst(s: string | undefined): { dst: number; prefix: number } {
  if (s === "default" || s === "0/0" || s === "0.0.0.0/0") return { dst: 0, prefix: 0 };
  const c = s ? parseCidr(s) : null;
  if (!c) throw new IpError(`Error: any valid prefix is expected rather than "${s ?? ""}".`);
  if (network(c.ip, c.prefix) !== c.ip) throw new IpError(`Error: Invalid prefix for given prefix length.`, 2);
  return { dst: c.ip, prefix: c.prefix };
}

function ipRoute(ctx: CommandContext, st: NetStack, args: string[]): number {
  const cmd = args[0];
  if (SHOW(cmd)) {
    const { map, rest } = kv(args.slice(1), ["dev", "table", "proto", "via"]);
    let rs = st.fib.all();
    if (rest[0] && rest[0] !== "all") {
      const d = parseDst(rest[0]);
      rs = rs.filter((r) => r.dst === d.dst && r.prefix === d.prefix);
    }
    if (map.has("dev")) {
      const d = dev(st, map.get("dev"));
      rs = rs.filter((r) => r.dev === d);
    }
    ctx.out(rs.map((r) => fmtRoute(r) + "\n").join(""));
    return 0;
  }
  if (cmd === "get") {
    const { rest } = kv(args.slice(1), ["from", "iif", "oif", "mark"]);
    const ip = parseIp(rest[0] ?? "");
    if (ip === null) throw new IpError(`Error: inet address is expected rather than "${rest[0] ?? ""}".`);
    const rt = st.routeOutput(ip);
    if (!rt) throw new IpError("RTNETLINK answers: Network is unreachable", 2);
    if (rt.local) ctx.out(`local ${fmtIp(ip)} dev lo src ${fmtIp(rt.src)} uid 0 \n    cache <local> \n`);
    else ctx.out(`${fmtIp(ip)}${rt.route?.via !== undefined ? ` via ${fmtIp(rt.route.via)}` : ""} dev ${rt.dev.name} src ${fmtIp(rt.src)} uid 0 \n    cache \n`);
    return 0;
  }
  if (["add", "del", "delete", "replace", "append", "change"].includes(cmd!)) {
    const { map, rest } = kv(args.slice(1), ["via", "dev", "src", "metric", "proto", "scope", "table"], ["onlink"]);
    const { dst, prefix } = parseDst(rest[0]);
    const metric = map.has("metric") ? Number(map.get("metric")) : undefined;
    if (cmd === "del" || cmd === "delete") {
      const i = st.fib.static.findIndex((r) => r.dst === dst && r.prefix === prefix && (!map.has("dev") || r.dev.name === map.get("dev")) && (metric === undefined || (r.metric ?? 0) === metric));
      if (i < 0) throw new IpError("RTNETLINK answers: No such process", 2);
      st.fib.static.splice(i, 1);
      return 0;
    }
    let d = map.has("dev") ? dev(st, map.get("dev")) : undefined;
    let via: number | undefined;
    if (map.has("via")) {
      const v = parseIp(map.get("via")!);
      if (v === null) throw new IpError(`Error: inet address is expected rather than "${map.get("via")}".`);
      via = v;
      // The gateway must be reachable on a connected network (fib_check_nh).
      // (onlink: trust that the gateway is on the link, as Calico-style /32 setups need).
      const c = st.fib.connected().find((r) => (!d || r.dev === d) && network(v, r.prefix) === r.dst);
      if (!c && !(map.has("onlink") && d)) throw new IpError("Error: Nexthop has invalid gateway.", 2);
      d = c?.dev ?? d;
    }
    if (!d) throw new IpError("Error: Device for nexthop is not up.", 2);
    if (!d.up) throw new IpError("Error: Nexthop device is not up.", 2);
    const r: Route = { dst, prefix, dev: d, proto: "boot", scope: via === undefined ? "link" : "global", ...(via !== undefined ? { via } : {}), ...(metric ? { metric } : {}) };
    if (map.has("src")) r.src = parseIp(map.get("src")!) ?? undefined;
    const same = st.fib.static.findIndex((x) => x.dst === dst && x.prefix === prefix && (x.metric ?? 0) === (metric ?? 0));
    if (same >= 0) {
      if (cmd === "add" || cmd === "append") throw new IpError("RTNETLINK answers: File exists", 2);
      st.fib.static.splice(same, 1, r);
    } else st.fib.static.push(r);
    return 0;
  }
  if (cmd === "flush") {
    st.fib.static.length = 0;
    return 0;
  }
  throw new IpError(`Command "${cmd}" is unknown, try "ip route help".`, 255);
}

function ipNeigh(ctx: CommandContext, st: NetStack, args: string[]): number {
  const cmd = args[0];
  if (SHOW(cmd)) {
    const { map, rest } = kv(args.slice(1), ["dev", "nud"]);
    const now = ctx.kernel.clock.now();
    const ip = rest[0] ? parseIp(rest[0]) : null;
    const ns = [...st.neigh.entries.values()].filter((n) => (ip === null || n.ip === ip) && (!map.has("dev") || n.dev.name === map.get("dev")));
    ctx.out(ns.map((n) => st.neigh.fmt(n, now) + "\n").join(""));
    return 0;
  }
  if (cmd === "flush") {
    const { map } = kv(args.slice(1), ["dev"]);
    if (map.has("dev")) st.neigh.flushDev(dev(st, map.get("dev")));
    else st.neigh.entries.clear();
    return 0;
  }
  if (cmd === "add" || cmd === "replace") {
    const { map, rest } = kv(args.slice(1), ["lladdr", "dev", "nud"]);
    const ip = parseIp(rest[0] ?? "");
    if (ip === null) throw new IpError(`Error: inet address is expected rather than "${rest[0] ?? ""}".`);
    const n = st.neigh.set(ip, dev(st, map.get("dev")), map.get("lladdr") ?? null, ctx.kernel.clock.now());
    n.permanent = map.get("nud") === "permanent" || !map.has("nud");
    return 0;
  }
  throw new IpError(`Command "${cmd}" is unknown, try "ip neigh help".`, 255);
}

function* ipNetns(ctx: CommandContext, args: string[]): Program {
  const k = ctx.kernel;
  const cmd = args[0] ?? "list";
  const name = args[1];
  if (cmd === "list" || cmd === "ls" || cmd === "show") {
    ctx.out(netnsNames(k, ctx.proc).map((n) => n + "\n").join(""));
    return 0;
  }
  if (cmd === "add") {
    if (!name) throw new IpError("No netns name specified");
    try {
      addNetns(k, ctx.proc, name);
    } catch (e) {
      throw new IpError(`Cannot create namespace file "/run/netns/${name}": ${(e as KernelError).text ?? "File exists"}`);
    }
    return 0;
  }
  if (cmd === "del" || cmd === "delete") {
    if (!name) throw new IpError("No netns name specified");
    try {
      delNetns(k, ctx.proc, name);
    } catch {
      throw new IpError(`Cannot remove namespace file "/run/netns/${name}": No such file or directory`);
    }
    return 0;
  }
  if (cmd === "exec") {
    if (!name) throw new IpError("No netns name specified");
    const prog = args.slice(2);
    if (!prog.length) throw new IpError("No command specified");
    const ns = nsArg(ctx, name);
    setns(k, ctx.proc, ns);
    return yield* execOrFail(ctx, "exec of", ctx.proc, prog);
  }
  if (cmd === "identify") {
    const me = ctx.proc.ns.net;
    const n = netnsName(ctx.proc, me);
    if (n) ctx.out(n + "\n");
    return 0;
  }
  if (cmd === "pids") {
    const ns = nsArg(ctx, name ?? "");
    for (const p of [...k.processes.values()].filter((p) => p.alive && p.ns.net === ns).sort((a, b) => a.pid - b.pid)) ctx.out(`${p.pid}\n`);
    return 0;
  }
  throw new IpError(`Command "${cmd}" is unknown, try "ip netns help".`, 255);
}

export const ip: Command = {
  name: "ip",
  path: "/usr/sbin/ip",
  summary: "show / manipulate links, addresses, routes, neighbours and network namespaces",
  usage: USAGE,
  run(ctx: CommandContext) {
    const args = ctx.argv.slice(1);
    const o: Opts = { brief: false, details: false, oneline: false, stats: false };
    let netns: string | undefined;
    while (args[0]?.startsWith("-")) {
      const a = args.shift()!;
      if (a === "-br" || a === "-brief") o.brief = true;
      else if (a === "-d" || a === "-details") o.details = true;
      else if (a === "-o" || a === "-oneline") o.oneline = true;
      else if (a === "-s" || a === "-stats" || a === "-statistics") o.stats = true;
      else if (a === "-4" || a === "-c" || a === "-color") continue;
      else if (a === "-n" || a === "-netns") netns = args.shift();
      else if (a === "-V" || a === "-Version") {
        ctx.out("ip utility, iproute2-6.1.0, libbpf 1.1.0\n");
        return 0;
      } else {
        ctx.err(`Option "${a}" is unknown, try "ip -help".\n`);
        return 255;
      }
    }
    const obj = args.shift() ?? "";
    if (!obj || obj === "help") {
      ctx.err(USAGE);
      return 255;
    }
    try {
      if (matchObj(obj, "netns", 2)) {
        if (netns !== undefined) throw new IpError("Error: ip netns cannot be used with -n", 1);
        const gen = ipNetns(ctx, args);
        return (function* (): Program {
          try {
            return yield* gen;
          } catch (e) {
            if (!(e instanceof IpError)) throw e;
            ctx.err(e.message + "\n");
            return e.status;
          }
        })();
      }
      const st = netOf(ctx.kernel, netns !== undefined ? nsArg(ctx, netns) : ctx.proc.ns.net);
      if (matchObj(obj, "link", 1)) return ipLink(ctx, st, args, o);
      if (matchObj(obj, "address", 1)) return ipAddr(ctx, st, args, o);
      if (matchObj(obj, "route", 1)) return ipRoute(ctx, st, args);
      if (matchObj(obj, "neighbour", 1) || matchObj(obj, "neighbor", 1)) return ipNeigh(ctx, st, args);
    } catch (e) {
      if (e instanceof IpError) {
        ctx.err(e.message + "\n");
        return e.status;
      }
      throw e;
    }
    ctx.err(`Object "${obj}" is unknown, try "ip help".\n`);
    return 1;
  },
};

void fmtRouteDst;
