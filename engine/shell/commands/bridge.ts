// bridge (iproute2): ports of Linux bridges and their forwarding database.
import type { Command } from "../command";
import { netOf } from "../../linux/net/registry";
import type { NetDevice } from "../../linux/net/link";

function flags(d: NetDevice): string {
  const f = ["BROADCAST", "MULTICAST"];
  if (d.up) f.push("UP");
  if (d.carrier) f.push("LOWER_UP");
  return `<${f.join(",")}>`;
}

export const bridge: Command = {
  name: "bridge",
  path: "/usr/sbin/bridge",
  summary: "show bridge ports (bridge link) and forwarding databases (bridge fdb)",
  usage: "Usage: bridge [ OPTIONS ] OBJECT { COMMAND | help }\nwhere  OBJECT := { link | fdb | mdb | vlan | monitor }\n       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] }\n",
  run(ctx) {
    const a = ctx.argv.slice(1);
    let details = false;
    while (a[0]?.startsWith("-")) {
      const o = a.shift()!;
      if (o === "-d" || o === "-details") details = true;
    }
    const st = netOf(ctx.kernel, ctx.proc.ns.net);
    const obj = a.shift() ?? "";
    const cmd = a[0] && !["dev", "br", "brport"].includes(a[0]) ? a.shift()! : "show";
    const opt = (k: string) => {
      const i = a.indexOf(k);
      return i >= 0 ? a[i + 1] : undefined;
    };
    const ports = [...st.devices.values()].filter((d) => d.master).sort((x, y) => x.index - y.index);
    if ("link".startsWith(obj) && obj) {
      if (cmd === "set") {
        const d = st.device(opt("dev") ?? "");
        if (!d) {
          ctx.err(`Cannot find device "${opt("dev") ?? ""}"\n`);
          return 1;
        }
        const h = opt("hairpin");
        if (h !== undefined) d.hairpin = h === "on";
        return 0;
      }
      const dev = opt("dev");
      for (const d of ports.filter((p) => !dev || p.name === dev)) {
        // iproute2 names the peer's ifindex as it resolves in this namespace (hence "veth1@br0").
        const at = d.peer ? `@${st.byIndex(d.peer.index)?.name ?? `if${d.peer.index}`}` : "";
        ctx.out(`${d.index}: ${d.name}${at}: ${flags(d)} mtu ${d.mtu} master ${d.master!.name} state ${d.carrier ? "forwarding" : "disabled"} priority 32 cost 2 \n`);
        if (details) ctx.out(`    hairpin ${d.hairpin ? "on" : "off"} guard off root_block off fastleave off learning on flood on mcast_flood on bcast_flood on mcast_router 1 mcast_to_unicast off neigh_suppress off vlan_tunnel off isolated off locked off \n`);
      }
      return 0;
    }
    if ("fdb".startsWith(obj) && obj) {
      const brName = opt("br");
      const devName = opt("dev");
      for (const [brDev, br] of st.bridges) {
        if (brName && brDev.name !== brName) continue;
        const out: string[] = [];
        out.push(`33:33:00:00:00:01 dev ${brDev.name} self permanent`, `01:00:5e:00:00:01 dev ${brDev.name} self permanent`);
        for (const p of br.ports()) {
          for (const e of br.fdb.values()) if (e.port === p && !e.local) out.push(`${e.mac} dev ${p.name} master ${brDev.name} `);
          out.push(`${p.mac} dev ${p.name} master ${brDev.name} permanent`, `33:33:00:00:00:01 dev ${p.name} self permanent`, `01:00:5e:00:00:01 dev ${p.name} self permanent`);
        }
        ctx.out(out.filter((l) => !devName || l.includes(` dev ${devName} `)).map((l) => l + "\n").join(""));
      }
      return 0;
    }
    ctx.err(`Object "${obj}" is unknown, try "bridge help".\n`);
    return 1;
  },
};
