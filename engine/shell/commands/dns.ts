// Name lookups a learner types: nslookup and dig (BIND 9.18's dnsutils) and getent (glibc).
// They read the process's own /etc/resolv.conf — in a pod, the one the kubelet wrote — and
// send real queries over UDP 53, so a lookup crosses the kube-dns Service's chains like any
// other packet.
import type { Command, CommandContext } from "../command";
import type { Program } from "../../linux/tasks";
import { netOf } from "../../linux/net/registry";
import { parseIp } from "../../linux/net/ipv4";
import { exchange, fqdn, parseResolvConf, query, readText, resolveHost, searchCandidates, wireSize } from "../../linux/net/dns";
import type { DnsMessage, DnsRecord, Exchange, RRType } from "../../linux/net/dns";

const TYPES: RRType[] = ["A", "AAAA", "SRV", "PTR", "TXT", "NS", "SOA", "CNAME"];

function rng(ctx: CommandContext): () => number {
  const st = netOf(ctx.kernel, ctx.proc.ns.net);
  return () => st.rng();
}

function conf(ctx: CommandContext) {
  return parseResolvConf(readText(ctx.kernel, ctx.proc, "/etc/resolv.conf") ?? "");
}

/** Sleep for the virtual time a lookup took, then print. */
function after(ctx: CommandContext, delay: number, body: () => number): Program {
  return (function* (): Program {
    if (delay > 0) yield { kind: "sleep", until: ctx.kernel.clock.now() + delay };
    return body();
  })();
}

export const nslookup: Command = {
  name: "nslookup",
  path: "/usr/bin/nslookup",
  summary: "query a name server (nslookup NAME [SERVER]); uses the search list of /etc/resolv.conf",
  usage: "Usage:\n   nslookup [-opt ...]             # interactive mode using default server\n   nslookup [-opt ...] - server    # interactive mode using 'server'\n   nslookup [-opt ...] host        # just look up 'host' using default server\n   nslookup [-opt ...] host server # just look up 'host' using 'server'\n",
  run(ctx) {
    const args = ctx.argv.slice(1).filter((a) => !a.startsWith("-"));
    const type = (/^-(?:type|query|q)=(\w+)$/i.exec(ctx.argv.find((a) => /^-(type|query|q)=/i.test(a)) ?? "")?.[1]?.toUpperCase() ?? "A") as RRType;
    const name = args[0];
    if (!name) {
      ctx.err("nslookup: interactive mode is not available here; give a name: nslookup NAME [SERVER]\n");
      return 1;
    }
    const c = conf(ctx);
    if (args[1]) {
      if (parseIp(args[1]) === null) {
        ctx.err(`nslookup: couldn't get address for '${args[1]}': not found\n`);
        return 1;
      }
      c.nameservers = [args[1]];
    }
    // nslookup walks the same candidate list as the stub resolver and stops at the first answer.
    let delay = 0;
    let last: Exchange | null = null;
    let found: DnsMessage | null = null;
    const errors: string[] = [];
    const random = rng(ctx);
    outer: for (const cand of searchCandidates(name, c)) {
      for (const server of c.nameservers) {
        const ex = exchange(ctx.kernel, ctx.proc, server, query(Math.floor(random() * 65536), cand, TYPES.includes(type) ? type : "A"), c);
        delay += ex.delay;
        if (ex.outcome !== "answer") {
          const why = ex.outcome === "refused" ? "connection refused" : ex.outcome === "unreachable" ? "network unreachable" : "timed out";
          for (let i = 0; i < (ex.outcome === "timeout" ? c.attempts : 1); i++) errors.push(`;; communications error to ${server}#53: ${why}\n`);
          continue;
        }
        last = ex;
        if (ex.reply!.rcode === "NOERROR" && ex.reply!.answer.length) {
          found = ex.reply!;
          break outer;
        }
        if (ex.reply!.rcode !== "NXDOMAIN" && ex.reply!.rcode !== "NOERROR") break outer;
        break;
      }
    }
    return after(ctx, delay, () => {
      if (!last) {
        // BIND 9.18: one line per failed try, then the verdict.
        ctx.out(errors.join("") + ";; no servers could be reached\n\n");
        return 1;
      }
      ctx.out(`Server:\t\t${last.server}\nAddress:\t${last.server}#53\n\n`);
      if (!found) {
        const rc = last.reply!.rcode;
        ctx.out(rc === "NOERROR" ? `*** Can't find ${name}: No answer\n\n` : `** server can't find ${name}: ${rc}\n\n`);
        return 1;
      }
      for (const a of found.answer) {
        if (a.type === "A" || a.type === "AAAA") ctx.out(`Name:\t${a.name.replace(/\.$/, "")}\nAddress: ${a.data}\n`);
        else ctx.out(`${a.name.replace(/\.$/, "")}\t${a.type === "CNAME" ? "canonical name" : a.type.toLowerCase()} = ${a.data}\n`);
      }
      ctx.out("\n");
      return 0;
    });
  },
};

/** Tabs as dig prints them (a tab advances to the next multiple of 8). */
function tabbed(fields: string[], question = false): string {
  const stops = [24, 32, 40, 48];
  let out = "";
  let col = 0;
  const parts = question ? [fields[0]!, fields[2]!, fields[3]!] : fields.slice(0, 4);
  const partStops = question ? [32, 40] : stops;
  parts.forEach((f, i) => {
    out += f;
    col += f.length;
    if (i === parts.length - 1) return;
    const target = partStops[i]!;
    if (col >= target) {
      out += " ";
      col += 1;
    } else
      while (col < target) {
        out += "\t";
        col = (Math.floor(col / 8) + 1) * 8;
      }
  });
  return out;
}

function recordLine(r: DnsRecord): string {
  return `${tabbed([r.name, String(r.ttl), "IN", r.type])}\t${r.data}`;
}

function whenText(ms: number): string {
  const d = new Date(ms);
  const day = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][d.getUTCDay()];
  const mon = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][d.getUTCMonth()];
  const hms = [d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()].map((x) => String(x).padStart(2, "0")).join(":");
  return `${day} ${mon} ${String(d.getUTCDate()).padStart(2, " ")} ${hms} UTC ${d.getUTCFullYear()}`;
}

export const dig: Command = {
  name: "dig",
  path: "/usr/bin/dig",
  summary: "DNS lookup utility (dig [@server] NAME [TYPE] [+short] [+search])",
  usage: "Usage:  dig [@global-server] [domain] [q-type] [q-class] {q-opt}\n            {global-d-opt} host [@local-server] {local-d-opt}\n            [ host [@local-server] {local-d-opt} [...]]\n\nd-opts: +[no]short +[no]search\n",
  run(ctx) {
    let server: string | undefined;
    let name: string | undefined;
    let type: RRType = "A";
    let short = false;
    let search = false;
    for (const a of ctx.argv.slice(1)) {
      if (a.startsWith("@")) server = a.slice(1);
      else if (a === "+short") short = true;
      else if (a === "+search") search = true;
      else if (a === "+nosearch" || a === "+noall" || a === "+answer" || a.startsWith("+")) continue;
      else if (TYPES.includes(a.toUpperCase() as RRType) && name) type = a.toUpperCase() as RRType;
      else if (a === "IN") continue;
      else if (a.startsWith("-")) {
        ctx.err(`Invalid option: ${a}\n${dig.usage}`);
        return 1;
      } else name = a;
    }
    const c = conf(ctx);
    if (server) {
      if (parseIp(server) === null) {
        ctx.err(`dig: couldn't get address for '${server}': not found\n`);
        return 10;
      }
      c.nameservers = [server];
    }
    const qname = name ?? ".";
    // dig does not use the search list unless told (+search); it asks for the name as written.
    const candidates = search && name ? searchCandidates(name, c) : [fqdn(qname)];
    const random = rng(ctx);
    let delay = 0;
    let got: { ex: Exchange; q: DnsMessage } | null = null;
    const errors: string[] = [];
    for (const cand of candidates) {
      const q = query(Math.floor(random() * 65536), cand, type);
      let answered = false;
      for (const s of c.nameservers) {
        // dig: 3 tries of 5 s each per server.
        const ex = exchange(ctx.kernel, ctx.proc, s, q, { timeout: 5, attempts: 3 });
        delay += ex.delay;
        if (ex.outcome !== "answer") {
          const why = ex.outcome === "refused" ? "connection refused" : ex.outcome === "unreachable" ? "network unreachable" : "timed out";
          for (let i = 0; i < (ex.outcome === "timeout" ? 3 : 1); i++) errors.push(`;; communications error to ${s}#53: ${why}\n`);
          continue;
        }
        got = { ex, q };
        answered = true;
        break;
      }
      if (answered && got!.ex.reply!.rcode === "NOERROR" && got!.ex.reply!.answer.length) break;
      if (!answered) break;
    }
    const header = `\n; <<>> DiG 9.18.33-1~deb12u2-Debian <<>> ${ctx.argv.slice(1).join(" ")}\n;; global options: +cmd\n`;
    return after(ctx, delay, () => {
      if (!got) {
        ctx.out(errors.join("") + (short ? "" : header) + ";; no servers could be reached\n" + (short ? "" : "\n"));
        return 9;
      }
      const r = got.ex.reply!;
      if (short) {
        for (const a of r.answer) ctx.out(`${a.data}\n`);
        return 0;
      }
      const flags = ["qr", r.aa && "aa", r.rd && "rd", r.ra && "ra"].filter(Boolean).join(" ");
      let out = header;
      out += `;; Got answer:\n;; ->>HEADER<<- opcode: QUERY, status: ${r.rcode}, id: ${r.id}\n`;
      out += `;; flags: ${flags}; QUERY: 1, ANSWER: ${r.answer.length}, AUTHORITY: ${r.authority.length}, ADDITIONAL: 1\n`;
      if (!r.ra) out += ";; WARNING: recursion requested but not available\n";
      out += "\n;; OPT PSEUDOSECTION:\n; EDNS: version: 0, flags:; udp: 1232\n";
      out += `;; QUESTION SECTION:\n${tabbed([`;${r.question.name}`, "", "IN", r.question.type], true)}\n\n`;
      if (r.answer.length) out += `;; ANSWER SECTION:\n${r.answer.map(recordLine).join("\n")}\n\n`;
      if (r.authority.length) out += `;; AUTHORITY SECTION:\n${r.authority.map(recordLine).join("\n")}\n\n`;
      out += `;; Query time: ${got.ex.delay} msec\n;; SERVER: ${got.ex.server}#53(${got.ex.server}) (UDP)\n;; WHEN: ${whenText(ctx.kernel.clock.epochMs())}\n;; MSG SIZE  rcvd: ${wireSize(r)}\n\n`;
      ctx.out(out);
      return 0;
    });
  },
};

export const getent: Command = {
  name: "getent",
  path: "/usr/bin/getent",
  summary: "get entries from the name service databases (getent hosts|passwd|group [KEY...])",
  usage: "Usage: getent [OPTION...] database [key ...]\nGet entries from administrative database.\n\n  -s, --service=CONFIG       Service configuration to be used\n  -?, --help                 Give this help list\n",
  run(ctx) {
    const [db, ...keys] = ctx.argv.slice(1).filter((a) => !a.startsWith("-"));
    if (!db) {
      ctx.err("Usage: getent [OPTION...] database [key ...]\nTry `getent --help' or `getent --usage' for more information.\n");
      return 1;
    }
    const files: Record<string, string> = { passwd: "/etc/passwd", group: "/etc/group" };
    if (files[db]) {
      const lines = (readText(ctx.kernel, ctx.proc, files[db]) ?? "").split("\n").filter(Boolean);
      if (!keys.length) {
        ctx.out(lines.map((l) => l + "\n").join(""));
        return 0;
      }
      let missing = false;
      for (const k of keys) {
        const l = lines.find((x) => x.split(":")[0] === k || x.split(":")[2] === k);
        if (l) ctx.out(l + "\n");
        else missing = true;
      }
      return missing ? 2 : 0;
    }
    if (db !== "hosts" && db !== "ahosts") {
      ctx.err(`Unknown database: ${db}\nTry \`getent --help' or \`getent --usage' for more information.\n`);
      return 1;
    }
    if (!keys.length) {
      // Enumerating hosts lists /etc/hosts only (DNS cannot be enumerated).
      for (const line of (readText(ctx.kernel, ctx.proc, "/etc/hosts") ?? "").split("\n")) {
        const [ip, ...names] = line.replace(/#.*$/, "").trim().split(/\s+/);
        if (ip && names.length) ctx.out(`${ip.padEnd(15)} ${names.join(" ")}\n`);
      }
      return 0;
    }
    let delay = 0;
    const lines: string[] = [];
    let missing = false;
    for (const k of keys) {
      const r = resolveHost(ctx.kernel, ctx.proc, k, rng(ctx));
      delay += r.delay;
      if (!r.addrs.length) missing = true;
      for (const a of r.addrs) lines.push(db === "ahosts" ? `${a.padEnd(15)} STREAM ${r.name}\n${a.padEnd(15)} DGRAM  \n${a.padEnd(15)} RAW    \n` : `${a.padEnd(15)} ${r.name}\n`);
    }
    return after(ctx, delay, () => {
      ctx.out(lines.join(""));
      return missing ? 2 : 0;
    });
  },
};
