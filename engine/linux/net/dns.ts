// DNS on the simulated wire: the message a resolver sends and a name server answers, and the
// stub resolver every libc carries — /etc/hosts first, then /etc/resolv.conf's nameservers,
// trying the search domains in the order `ndots` dictates. The message travels as one UDP
// datagram to port 53 (its fields are the real ones; the engine carries them as JSON text).
import type { Kernel } from "../kernel";
import type { Process } from "../process";
import { parseIp } from "./ipv4";
import { netOf } from "./registry";
import { udpExchange } from "./udp";

export type RCode = "NOERROR" | "FORMERR" | "SERVFAIL" | "NXDOMAIN" | "REFUSED";
export type RRType = "A" | "AAAA" | "SRV" | "PTR" | "TXT" | "NS" | "SOA" | "CNAME";

export interface DnsRecord {
  name: string;
  ttl: number;
  type: RRType;
  data: string;
}

export interface DnsMessage {
  id: number;
  /** A response (qr), authoritative (aa), recursion desired/available (rd/ra). */
  qr: boolean;
  aa: boolean;
  rd: boolean;
  ra: boolean;
  rcode: RCode;
  question: { name: string; type: RRType };
  answer: DnsRecord[];
  authority: DnsRecord[];
}

export function fqdn(name: string): string {
  return name.endsWith(".") ? name : `${name}.`;
}

export function encodeDns(m: DnsMessage): string {
  return JSON.stringify(m);
}

export function decodeDns(text: string): DnsMessage | null {
  try {
    const m = JSON.parse(text) as DnsMessage;
    return typeof m.id === "number" && m.question && Array.isArray(m.answer) ? m : null;
  } catch {
    return null;
  }
}

export function query(id: number, name: string, type: RRType = "A"): DnsMessage {
  return { id, qr: false, aa: false, rd: true, ra: false, rcode: "NOERROR", question: { name: fqdn(name).toLowerCase(), type }, answer: [], authority: [] };
}

/** The size the message would have on the wire (RFC 1035 with name compression, plus an EDNS OPT record). */
export function wireSize(m: DnsMessage): number {
  const name = (n: string) => (n === "." ? 1 : n.length + 1);
  const rdata = (r: DnsRecord) => (r.type === "A" ? 4 : r.type === "AAAA" ? 16 : r.type === "SOA" ? 2 + 2 + 20 + r.data.length : r.data.length + 2);
  let size = 12 + name(m.question.name) + 4;
  for (const r of [...m.answer, ...m.authority]) size += 2 + 10 + rdata(r);
  return size + 11;
}

export interface ResolvConf {
  nameservers: string[];
  search: string[];
  ndots: number;
  /** Seconds to wait for one answer, and how many rounds over the nameservers. */
  timeout: number;
  attempts: number;
}

/** resolv.conf(5): nameserver, search (or domain), options ndots:/timeout:/attempts:. */
export function parseResolvConf(text: string): ResolvConf {
  const conf: ResolvConf = { nameservers: [], search: [], ndots: 1, timeout: 5, attempts: 2 };
  for (const raw of text.split("\n")) {
    const line = raw.replace(/[#;].*$/, "").trim();
    const [key, ...rest] = line.split(/\s+/);
    if (key === "nameserver" && rest[0] && parseIp(rest[0]) !== null && conf.nameservers.length < 3) conf.nameservers.push(rest[0]);
    else if (key === "search" || key === "domain") conf.search = rest.filter(Boolean).slice(0, 32);
    else if (key === "options") {
      for (const o of rest) {
        const [k, v] = o.split(":");
        const n = Math.max(0, Number(v));
        if (k === "ndots" && Number.isFinite(n)) conf.ndots = Math.min(15, n);
        else if (k === "timeout" && Number.isFinite(n)) conf.timeout = Math.min(30, Math.max(1, n));
        else if (k === "attempts" && Number.isFinite(n)) conf.attempts = Math.min(5, Math.max(1, n));
      }
    }
  }
  if (!conf.nameservers.length) conf.nameservers.push("127.0.0.1");
  return conf;
}

/**
 * The names res_search tries, in order: a name ending in "." only as written; a name with at
 * least `ndots` dots as written first, then with each search domain; otherwise the search
 * domains first and the name as written last. (That is why `web` in a pod becomes
 * web.default.svc.cluster.local on the first query, and why example.com costs four.)
 */
export function searchCandidates(name: string, conf: Pick<ResolvConf, "search" | "ndots">): string[] {
  if (name.endsWith(".")) return [name];
  const dots = name.split(".").length - 1;
  const searched = conf.search.map((d) => `${name}.${d.replace(/\.$/, "")}.`);
  return dots >= conf.ndots ? [`${name}.`, ...searched] : [...searched, `${name}.`];
}

export function readText(kernel: Kernel, proc: Process, path: string): string | null {
  try {
    return kernel.resolve(proc, path).node.read?.({ proc }) ?? null;
  } catch {
    return null;
  }
}

export interface Exchange {
  outcome: "answer" | "timeout" | "refused" | "unreachable";
  server: string;
  reply?: DnsMessage;
  /** Virtual ms spent. */
  delay: number;
}

/** Send one query to one server over UDP/53 (retrying `attempts` times on silence). */
export function exchange(kernel: Kernel, proc: Process, server: string, q: DnsMessage, conf: Pick<ResolvConf, "timeout" | "attempts">): Exchange {
  const st = netOf(kernel, proc.ns.net);
  const [host, portS] = server.split("#");
  const dst = parseIp(host!);
  if (dst === null) return { outcome: "unreachable", server, delay: 0 };
  let delay = 0;
  for (let i = 0; i < conf.attempts; i++) {
    const r = udpExchange(st, dst, Number(portS ?? 53), encodeDns(q), conf.timeout * 1000);
    delay += r.delay;
    if (r.outcome === "reply") {
      const reply = decodeDns(r.data);
      if (reply && reply.id === q.id) return { outcome: "answer", server, reply, delay };
    } else if (r.outcome !== "timeout") return { outcome: r.outcome, server, delay };
  }
  return { outcome: "timeout", server, delay };
}

export interface Lookup {
  /** The name that answered (canonical), its addresses, and the server that said so. */
  name?: string;
  addrs: string[];
  source: "files" | "dns" | "none";
  /** NXDOMAIN everywhere, or no server answered at all. */
  error?: "NXDOMAIN" | "SERVFAIL" | "timeout";
  server?: string;
  delay: number;
}

/** getaddrinfo's view: /etc/hosts, then DNS through the search list (IPv4 A records). */
export function resolveHost(kernel: Kernel, proc: Process, name: string, rng: () => number): Lookup {
  if (parseIp(name) !== null) return { name, addrs: [name], source: "files", delay: 0 };
  const hosts = readText(kernel, proc, "/etc/hosts") ?? "";
  for (const line of hosts.split("\n")) {
    const [ip, ...names] = line.replace(/#.*$/, "").trim().split(/\s+/);
    if (ip && parseIp(ip) !== null && names.some((n) => n.toLowerCase() === name.toLowerCase().replace(/\.$/, ""))) return { name: names[0]!, addrs: [ip], source: "files", delay: 0 };
  }
  const conf = parseResolvConf(readText(kernel, proc, "/etc/resolv.conf") ?? "");
  return searchDns(kernel, proc, name, conf, rng);
}

/** res_search over the candidates; each candidate asks the nameservers in order. */
export function searchDns(kernel: Kernel, proc: Process, name: string, conf: ResolvConf, rng: () => number, type: RRType = "A"): Lookup {
  let delay = 0;
  let sawAnswer = false;
  let lastServer: string | undefined;
  let servfail = false;
  for (const cand of searchCandidates(name, conf)) {
    const q = query(Math.floor(rng() * 65536), cand, type);
    for (const server of conf.nameservers) {
      const ex = exchange(kernel, proc, server, q, conf);
      delay += ex.delay;
      if (ex.outcome !== "answer") continue;
      sawAnswer = true;
      lastServer = server;
      const r = ex.reply!;
      if (r.rcode === "NOERROR" && r.answer.some((a) => a.type === type)) {
        return { name: cand.replace(/\.$/, ""), addrs: r.answer.filter((a) => a.type === type).map((a) => a.data), source: "dns", server, delay };
      }
      if (r.rcode === "SERVFAIL") servfail = true;
      break; // an authoritative "no" from this server: next candidate
    }
  }
  if (!sawAnswer) return { addrs: [], source: "none", error: "timeout", delay };
  return { addrs: [], source: "dns", error: servfail ? "SERVFAIL" : "NXDOMAIN", server: lastServer, delay };
}
