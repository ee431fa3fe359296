// sysctl: kernel parameters under /proc/sys. The network ones are per network namespace
// (net.ipv4.ip_forward is why a Linux box routes, or does not).
import type { Command, CommandContext } from "../command";
import { netOf } from "../../linux/net/registry";

function kernelKeys(ctx: CommandContext): Map<string, string> {
  return new Map([
    ["kernel.hostname", ctx.proc.ns.uts.hostname],
    ["kernel.ostype", "Linux"],
    ["kernel.osrelease", "6.12.48-kijl"],
  ]);
}

export const sysctl: Command = {
  name: "sysctl",
  path: "/usr/sbin/sysctl",
  summary: "read or write kernel parameters (net.ipv4.ip_forward, …)",
  usage: "\nUsage:\n sysctl [options] [variable[=value] ...]\n\nOptions:\n  -a, --all            display all variables\n  -n, --values         print only values of the given variable(s)\n  -q, --quiet          do not echo variable set\n  -w, --write          enable writing a value to variable\n",
  run(ctx) {
    const st = netOf(ctx.kernel, ctx.proc.ns.net);
    let valuesOnly = false;
    let quiet = false;
    let status = 0;
    const items: string[] = [];
    for (const a of ctx.argv.slice(1)) {
      if (a === "-n" || a === "--values") valuesOnly = true;
      else if (a === "-q" || a === "--quiet") quiet = true;
      else if (a === "-w" || a === "--write") continue;
      else if (a === "-a" || a === "--all" || a === "-A") items.push("*");
      else items.push(a);
    }
    const all = new Map([...kernelKeys(ctx), ...st.sysctl]);
    for (const it of items) {
      if (it === "*") {
        for (const [k, v] of [...all].sort()) ctx.out(valuesOnly ? `${v}\n` : `${k} = ${v}\n`);
        continue;
      }
      const eq = it.indexOf("=");
      const key = (eq >= 0 ? it.slice(0, eq) : it).replace(/\//g, ".").trim();
      if (!all.has(key)) {
        ctx.err(`sysctl: cannot stat /proc/sys/${key.replace(/\./g, "/")}: No such file or directory\n`);
        status = 255;
        continue;
      }
      if (eq >= 0) {
        const v = it.slice(eq + 1).trim();
        if (!st.sysctl.has(key)) {
          ctx.err(`sysctl: permission denied on key "${key}"\n`);
          status = 255;
          continue;
        }
        if (!/^[01]$/.test(v)) {
          ctx.err(`sysctl: setting key "${key}": Invalid argument\n`);
          status = 255;
          continue;
        }
        setSysctl(st, key, v);
        if (!quiet) ctx.out(valuesOnly ? `${v}\n` : `${key} = ${v}\n`);
      } else ctx.out(valuesOnly ? `${all.get(key)}\n` : `${key} = ${all.get(key)}\n`);
    }
    return status;
  },
};

export function setSysctl(st: ReturnType<typeof netOf>, key: string, v: string): void {
  st.setSysctl(key, v);
}
