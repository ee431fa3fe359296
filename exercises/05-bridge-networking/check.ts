// Exercise 5: connect three network namespaces through a bridge, and keep a fourth isolated.
// The grader SENDS PACKETS: every pair of namespaces pings the other through the engine's real
// stack (host.tracePacket, the walk ping itself uses), and the hints come from typed state
// (host.network(): links, bridge ports, addresses). It never reads the learner's script.
//
// The lab is node-1 of a two-host lab (node-2 sits on the same wire, its pod subnet ready):
// lesson 5, whose page world this is, routes between the two hosts' pod subnets. The exercise
// itself only uses node-1.
import { createLab } from "../../engine/linux";
import type { Host, NetLinkSnapshot, NetnsSnapshot, NetSnapshot, PacketTraceSnapshot, ShResult } from "../../engine/linux";
import type { CheckResult, Exercise } from "../exercise";

/** The namespaces the task names, with the address each must have on its eth0. */
export const PODS = { red: "10.0.0.2", green: "10.0.0.3", blue: "10.0.0.4" } as const;
export const ISOLATED = { name: "black", ip: "10.0.0.5" } as const;
export const PREFIX = 24;
type Pod = keyof typeof PODS;
const NAMES = Object.keys(PODS) as Pod[];

/**
 * node-2's side of the lesson's two-host network, made with the same commands a reader would
 * type there: a bridge cni0 with pod subnet 10.244.2.0/24, one pod "pod-c" (10.244.2.5), and a
 * route back to node-1's pod subnet.
 */
export const NODE2_SCRIPT = `sysctl -w net.ipv4.ip_forward=1
ip link add cni0 type bridge
ip addr add 10.244.2.1/24 dev cni0
ip link set cni0 up
ip netns add pod-c
ip link add veth-c type veth peer name eth0 netns pod-c
ip link set veth-c master cni0
ip link set veth-c up
ip -n pod-c addr add 10.244.2.5/24 dev eth0
ip -n pod-c link set eth0 up
ip -n pod-c link set lo up
ip -n pod-c route add default via 10.244.2.1
ip route add 10.244.1.0/24 via 192.168.56.11
`;

function setup(): Host {
  const lab = createLab({ hosts: ["node-1", "node-2"], seed: 5 });
  const node2 = lab.host("node-2");
  // One multi-line script: the shell keeps it out of history.
  const r = node2.sh(NODE2_SCRIPT);
  if (r.exitCode !== 0) throw new Error(`exercise 5 setup failed on node-2: ${r.stderr}`);
  // A small server in node-2's pod, so curl across hosts has something to talk to.
  node2.sh("ip netns exec pod-c python3 -m http.server 80 &\n");
  return lab.host("node-1");
}

function apply(host: Host, work: string): ShResult {
  return host.sh(work.endsWith("\n") ? work : work + "\n");
}

// ---- reading state ----

interface PodState {
  name: string;
  ns?: NetnsSnapshot;
  /** The veth in the namespace whose other end is in the host (normally eth0). */
  inner?: NetLinkSnapshot;
  /** Its host end. */
  outer?: NetLinkSnapshot;
  /** The bridge the host end is a port of. */
  bridge?: NetLinkSnapshot;
}

function podState(net: NetSnapshot, name: string): PodState {
  const ns = net.namespaces.find((n) => n.name === name);
  const host = net.namespaces.find((n) => n.initial)!;
  if (!ns) return { name };
  const veths = ns.links.filter((l) => l.kind === "veth");
  const inner = veths.find((l) => l.peer?.netns === host.inode) ?? veths[0];
  const outer = inner?.peer?.netns === host.inode ? host.links.find((l) => l.index === inner.peer!.index) : undefined;
  const bridge = outer?.master ? host.links.find((l) => l.name === outer.master && l.kind === "bridge") : undefined;
  return { name, ns, ...(inner ? { inner } : {}), ...(outer ? { outer } : {}), ...(bridge ? { bridge } : {}) };
}

const cidr = (ip: string) => `${ip}/${PREFIX}`;
const addrsOf = (s: PodState) => (s.ns?.links ?? []).filter((l) => l.kind !== "loopback").flatMap((l) => l.addrs.map((a) => ({ link: l, a })));

/** The first thing standing between a namespace and the bridge, as a hint (or null). */
function wiringProblem(s: PodState, ip: string): { detail: string; hint: string } | null {
  const n = s.name;
  if (!s.ns) return { detail: `There is no network namespace called ${n}.`, hint: `Create it: ip netns add ${n}` };
  if (!s.inner) return { detail: `${n} has no veth: only ${s.ns.links.map((l) => l.name).join(", ")}.`, hint: `Make a veth pair with one end inside ${n}: ip link add veth-${n} type veth peer name eth0 netns ${n}` };
  if (!s.outer) return { detail: `${n}'s ${s.inner.name} is a veth whose other end is not in the host's namespace.`, hint: `The other end must stay in the host, where the bridge is: ip link add veth-${n} type veth peer name eth0 netns ${n}` };
  if (!s.bridge) return { detail: `${n}'s veth (${s.outer.name} on the host) is not attached to a bridge.`, hint: `Plug it into the bridge: ip link set ${s.outer.name} master br0` };
  if (!s.outer.up) return { detail: `${s.outer.name}, ${n}'s host end on ${s.bridge.name}, is down.`, hint: `ip link set ${s.outer.name} up` };
  if (!s.inner.up) return { detail: `${n}'s ${s.inner.name} is down.`, hint: `ip -n ${n} link set ${s.inner.name} up` };
  const addrs = addrsOf(s);
  const mine = addrs.find((x) => x.a.ip === ip);
  if (!mine) {
    const other = addrs.find((x) => x.a.scope === "global");
    return other
      ? { detail: `${n} has ${other.a.cidr} on ${other.link.name}, not ${cidr(ip)}.`, hint: `Give ${n} the address the task asks for: ip -n ${n} addr add ${cidr(ip)} dev ${s.inner.name}` }
      : { detail: `${n} has no address on 10.0.0.0/${PREFIX}.`, hint: `ip -n ${n} addr add ${cidr(ip)} dev ${s.inner.name}` };
  }
  if (mine.a.prefix !== PREFIX) return { detail: `${n} has ${mine.a.cidr}: with /${mine.a.prefix} the others are not on its link.`, hint: `Use /${PREFIX}, so that 10.0.0.0/${PREFIX} is on-link: ip -n ${n} addr del ${mine.a.cidr} dev ${mine.link.name}; ip -n ${n} addr add ${cidr(ip)} dev ${mine.link.name}` };
  if (mine.link.name !== s.inner.name) return { detail: `${n} has ${cidr(ip)} on ${mine.link.name}, not on its veth ${s.inner.name}.`, hint: `Put the address on the veth: ip -n ${n} addr add ${cidr(ip)} dev ${s.inner.name}` };
  return null;
}

/** ping, one packet, both ways: a's request must reach b and b's reply come back (and the same from b). */
function pingBothWays(host: Host, a: string, b: string, aIp: string, bIp: string): { ok: boolean; traces: [PacketTraceSnapshot | string, PacketTraceSnapshot | string] } {
  const probe = (from: string, dst: string): PacketTraceSnapshot | string => {
    try {
      return host.tracePacket({ from, proto: "icmp", dst });
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  };
  const ab = probe(a, bIp);
  const ba = probe(b, aIp);
  const good = (t: PacketTraceSnapshot | string) => typeof t !== "string" && t.outcome === "reply";
  return { ok: good(ab) && good(ba), traces: [ab, ba] };
}

const said = (t: PacketTraceSnapshot | string) => (typeof t === "string" ? t : t.summary);

function check(host: Host): CheckResult[] {
  const net = host.network();
  const hostNs = net.namespaces.find((n) => n.initial)!;
  const pods = Object.fromEntries(NAMES.map((n) => [n, podState(net, n)])) as Record<Pod, PodState>;
  const results: CheckResult[] = [];

  // 1. A bridge, up, that the three share.
  const bridges = hostNs.links.filter((l) => l.kind === "bridge");
  const used = new Map<string, Pod[]>();
  for (const n of NAMES) if (pods[n].bridge) used.set(pods[n].bridge!.name, [...(used.get(pods[n].bridge!.name) ?? []), n]);
  const main = [...used.entries()].sort((a, b) => b[1].length - a[1].length)[0];
  const name = "red, green and blue are ports of one bridge that is up";
  if (bridges.length === 0) {
    results.push({ name, ok: false, detail: "The host has no bridge: ip -br link shows no device of type bridge.", hint: "Create one and bring it up: ip link add br0 type bridge; ip link set br0 up" });
  } else if (!main) {
    results.push({ name, ok: false, detail: `Bridge ${bridges.map((b) => b.name).join(", ")} exists but none of the three veths is plugged into it.`, hint: `Attach each host end: ip link set veth-red master ${bridges[0]!.name} (and the same for green and blue)` });
  } else {
    const br = hostNs.links.find((l) => l.name === main[0])!;
    const others = [...used.entries()].filter(([b]) => b !== main[0]);
    const missing = NAMES.filter((n) => !main[1].includes(n));
    if (others.length) {
      const [ob, on] = others[0]!;
      results.push({ name, ok: false, detail: `${main[1].join(" and ")} ${main[1].length > 1 ? "are" : "is"} on ${br.name}, but ${on.join(" and ")} on ${ob}: two bridges are two separate switches.`, hint: `Move ${on.map((n) => pods[n].outer!.name).join(" and ")} onto ${br.name}: ip link set ${pods[on[0]!].outer!.name} master ${br.name}` });
    } else if (!br.up) {
      results.push({ name, ok: false, detail: `${br.name} is down, so it forwards nothing.`, hint: `ip link set ${br.name} up` });
    } else if (missing.length) {
      results.push({ name, ok: false, detail: `${br.name} has ports ${(br.ports ?? []).join(", ")}; ${missing.join(" and ")} ${missing.length > 1 ? "are" : "is"} not plugged in.`, hint: wiringProblem(pods[missing[0]!], PODS[missing[0]!])?.hint ?? `Attach ${missing[0]}'s host end to ${br.name}.` });
    } else {
      results.push({ name, ok: true, detail: `${br.name} is up with ports ${(br.ports ?? []).join(", ")}.` });
    }
  }

  // 2. Each namespace: its veth, plugged in, up, with its address.
  for (const n of NAMES) {
    const cname = `${n} has ${cidr(PODS[n])} on a veth plugged into the bridge`;
    const p = wiringProblem(pods[n], PODS[n]);
    if (p) results.push({ name: cname, ok: false, ...p });
    else results.push({ name: cname, ok: true, detail: `${n}: ${pods[n].inner!.name} ${cidr(PODS[n])}, host end ${pods[n].outer!.name} on ${pods[n].bridge!.name}, both up.` });
  }

  // 3. Packets: every pair pings both ways.
  for (const [a, b] of [["red", "green"], ["red", "blue"], ["green", "blue"]] as [Pod, Pod][]) {
    const cname = `${a} and ${b} can ping each other`;
    const r = pingBothWays(host, a, b, PODS[a], PODS[b]);
    if (r.ok) {
      results.push({ name: cname, ok: true, detail: `${a} → ${PODS[b]}: ${said(r.traces[0])} — ${b} → ${PODS[a]}: ${said(r.traces[1])}` });
      continue;
    }
    const broken = [a, b].map((n) => ({ n, p: wiringProblem(pods[n], PODS[n]) })).find((x) => x.p);
    const sameBridge = pods[a].bridge && pods[b].bridge && pods[a].bridge.name !== pods[b].bridge.name;
    const hint = broken
      ? `Fix ${broken.n} first: ${broken.p!.detail} ${broken.p!.hint}`
      : sameBridge
        ? `${a} is on ${pods[a].bridge!.name} and ${b} on ${pods[b].bridge!.name}: put both on the same bridge.`
        : `Look at the path with: ip netns exec ${a} ping -c 1 ${PODS[b]}, then ip -n ${a} route and bridge link.`;
    results.push({ name: cname, ok: false, detail: `${a} → ${PODS[b]}: ${said(r.traces[0])} — ${b} → ${PODS[a]}: ${said(r.traces[1])}`, hint });
  }

  // 4. black: present, addressed, and unreachable both ways.
  const black = podState(net, ISOLATED.name);
  const bname = `${ISOLATED.name} has ${cidr(ISOLATED.ip)} but reaches no one, and no one reaches it`;
  const blackAddr = black.ns ? addrsOf(black).find((x) => x.a.ip === ISOLATED.ip && x.link.up) : undefined;
  if (!black.ns) {
    results.push({ name: bname, ok: false, detail: `There is no network namespace called ${ISOLATED.name}.`, hint: `Create it with its own veth and address, but leave the host end off the bridge: ip netns add ${ISOLATED.name}` });
  } else if (!blackAddr) {
    results.push({ name: bname, ok: false, detail: `${ISOLATED.name} has no ${cidr(ISOLATED.ip)} on an interface that is up, so its isolation proves nothing.`, hint: `Give it a veth and the address, and bring its end up: ip link add veth-${ISOLATED.name} type veth peer name eth0 netns ${ISOLATED.name}; ip -n ${ISOLATED.name} addr add ${cidr(ISOLATED.ip)} dev eth0; ip -n ${ISOLATED.name} link set eth0 up` });
  } else {
    const leaks: string[] = [];
    for (const n of NAMES) {
      if (!pods[n].ns) continue;
      for (const [from, dst, label] of [[ISOLATED.name, PODS[n], `${ISOLATED.name} → ${n}`], [n, ISOLATED.ip, `${n} → ${ISOLATED.name}`]] as const) {
        try {
          const t = host.tracePacket({ from, proto: "icmp", dst });
          if (t.outcome === "reply") leaks.push(label);
        } catch {
          // A namespace that cannot send cannot leak.
        }
      }
    }
    if (leaks.length === 0) results.push({ name: bname, ok: true, detail: `${ISOLATED.name} has ${cidr(ISOLATED.ip)}${black.outer ? ` and its host end ${black.outer.name} is ${black.bridge ? `on ${black.bridge.name}` : "on no bridge"}` : ""}; no ping gets through in either direction.` });
    else
      results.push({
        name: bname,
        ok: false,
        detail: `These pings got an answer: ${leaks.join(", ")}.`,
        hint: black.bridge ? `${black.outer!.name} is a port of ${black.bridge.name}: take it off (ip link set ${black.outer!.name} nomaster).` : `Something connects ${ISOLATED.name} to the others; its host end must be on no bridge the others use.`,
      });
  }
  return results;
}

const exercise: Exercise = {
  number: 5,
  slug: "05-bridge-networking",
  title: "Three pods on a bridge, one left out",
  starter: "network.sh",
  kind: "shell",
  setup,
  apply,
  check,
  hints: [
    "Start with the switch: ip link add br0 type bridge, then ip link set br0 up. Only the host's namespace needs it.",
    "Each pod gets a cable: ip link add veth-red type veth peer name eth0 netns red makes the pair and puts one end in red in one go.",
    "A cable does nothing until both ends are up, and the host end is plugged into the bridge: ip link set veth-red master br0.",
    "Inside each namespace: ip -n red addr add 10.0.0.2/24 dev eth0, then ip -n red link set eth0 up. The /24 tells red that the others are on its link.",
    "black gets a veth and its address like the others, but its host end is never attached to br0.",
  ],
};

export default exercise;
