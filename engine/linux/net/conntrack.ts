// Connection tracking (nf_conntrack): each flow is remembered as an original tuple and the
// tuple its replies will carry. NAT is decided on a connection's first packet only, by
// rewriting the expected reply tuple; every later packet — both ways — is rewritten from
// that entry without consulting the nat table again. That is why a Service's DNAT choice
// sticks to a connection, and why replies find their way back through MASQUERADE.
import { fmtIp } from "./ipv4";
import type { Packet, Proto, TcpFlags } from "./packet";
import { PROTO_NUM } from "./packet";

export interface Tuple {
  src: number;
  dst: number;
  proto: Proto;
  /** Ports; for ICMP echo the identifier in sport and 0 in dport. */
  sport: number;
  dport: number;
}

export type TcpState = "SYN_SENT" | "SYN_RECV" | "ESTABLISHED" | "FIN_WAIT" | "CLOSE_WAIT" | "LAST_ACK" | "TIME_WAIT" | "CLOSE";

export interface Conn {
  id: number;
  orig: Tuple;
  reply: Tuple;
  tcpState?: TcpState;
  seenReply: boolean;
  assured: boolean;
  /** Virtual ms when the entry expires. */
  expires: number;
  mark: number;
  /** NAT decided: the nat table is only consulted while this is false for that manipulation. */
  natDecided: { dst: boolean; src: boolean };
  finOrig: boolean;
  finReply: boolean;
  confirmed: boolean;
}

export function tupleOf(p: Packet): Tuple {
  if (p.proto === "icmp") return { src: p.src, dst: p.dst, proto: "icmp", sport: p.icmpId, dport: 0 };
  return { src: p.src, dst: p.dst, proto: p.proto, sport: p.sport, dport: p.dport };
}

export function invert(t: Tuple): Tuple {
  return { src: t.dst, dst: t.src, proto: t.proto, sport: t.dport === 0 && t.proto === "icmp" ? t.sport : t.dport, dport: t.proto === "icmp" ? 0 : t.sport };
}

function key(t: Tuple): string {
  return `${t.proto}|${t.src}|${t.dst}|${t.sport}|${t.dport}`;
}

/** Timeouts from net/netfilter/nf_conntrack_proto_*.c, in seconds. */
const TIMEOUT: Record<string, number> = {
  SYN_SENT: 120, SYN_RECV: 60, ESTABLISHED: 432000, FIN_WAIT: 120, CLOSE_WAIT: 60, LAST_ACK: 30, TIME_WAIT: 120, CLOSE: 10,
  udp: 30, udp_stream: 120, icmp: 30,
};

export class ConntrackTable {
  private readonly byTuple = new Map<string, { conn: Conn; dir: "orig" | "reply" }>();
  private nextId = 1;

  constructor(private readonly now: () => number) {}

  /** The entry a packet belongs to, and in which direction it travels. */
  lookup(p: Packet): { conn: Conn; dir: "orig" | "reply" } | null {
    const hit = this.byTuple.get(key(tupleOf(p)));
    if (!hit) return null;
    if (hit.conn.expires <= this.now()) {
      this.remove(hit.conn);
      return null;
    }
    return hit;
  }

  create(p: Packet): Conn {
    const orig = tupleOf(p);
    return {
      id: this.nextId++, orig, reply: invert(orig), seenReply: false, assured: false, expires: this.now() + 30_000, mark: 0,
      natDecided: { dst: false, src: false }, finOrig: false, finReply: false, confirmed: false,
    };
  }

  /** __nf_conntrack_confirm: an entry is inserted once its first packet survived the hooks. */
  confirm(c: Conn): void {
    if (c.confirmed) return;
    c.confirmed = true;
    this.byTuple.set(key(c.orig), { conn: c, dir: "orig" });
    this.byTuple.set(key(c.reply), { conn: c, dir: "reply" });
  }

  remove(c: Conn): void {
    this.byTuple.delete(key(c.orig));
    this.byTuple.delete(key(c.reply));
  }

  /** A NAT decision changed the expected reply: re-key the entry. */
  setReply(c: Conn, reply: Tuple): void {
    if (c.confirmed) this.byTuple.delete(key(c.reply));
    c.reply = reply;
    if (c.confirmed) this.byTuple.set(key(c.reply), { conn: c, dir: "reply" });
  }

  /** Advance the protocol state machine with one packet and refresh the timeout. */
  update(c: Conn, dir: "orig" | "reply", p: Packet): void {
    if (dir === "reply") c.seenReply = true;
    let t: number;
    if (p.proto === "tcp") {
      c.tcpState = nextTcpState(c, dir, p.tcp);
      if (c.tcpState === "ESTABLISHED" || (c.seenReply && dir === "orig" && p.tcp.ack)) c.assured = true;
      t = TIMEOUT[c.tcpState]!;
    } else if (p.proto === "udp") {
      if (c.seenReply) c.assured = true;
      t = c.seenReply ? TIMEOUT.udp_stream! : TIMEOUT.udp!;
    } else t = TIMEOUT.icmp!;
    c.expires = this.now() + t * 1000;
  }

  entries(): Conn[] {
    const now = this.now();
    const out: Conn[] = [];
    for (const [k, v] of this.byTuple) {
      if (v.dir !== "orig") continue;
      if (v.conn.expires <= now) {
        this.byTuple.delete(k);
        this.byTuple.delete(key(v.conn.reply));
        continue;
      }
      out.push(v.conn);
    }
    return out;
  }

  flush(): number {
    const n = this.entries().length;
    this.byTuple.clear();
    return n;
  }

  get size(): number {
    return this.entries().length;
  }
}

function nextTcpState(c: Conn, dir: "orig" | "reply", f: TcpFlags): TcpState {
  const s = c.tcpState;
  if (f.rst) return "CLOSE";
  if (f.syn && !f.ack) return s && s !== "CLOSE" && s !== "TIME_WAIT" ? s : "SYN_SENT";
  if (f.syn && f.ack) return "SYN_RECV";
  if (f.fin) {
    if (dir === "orig") c.finOrig = true;
    else c.finReply = true;
    return c.finOrig && c.finReply ? "LAST_ACK" : dir === "orig" ? "FIN_WAIT" : "CLOSE_WAIT";
  }
  if (f.ack) {
    if (s === "SYN_RECV") return "ESTABLISHED";
    if (s === "LAST_ACK") return "TIME_WAIT";
  }
  return s ?? "ESTABLISHED";
}

function fmtTuple(t: Tuple, icmpType: number): string {
  if (t.proto === "icmp") return `src=${fmtIp(t.src)} dst=${fmtIp(t.dst)} type=${icmpType} code=0 id=${t.sport}`;
  return `src=${fmtIp(t.src)} dst=${fmtIp(t.dst)} sport=${t.sport} dport=${t.dport}`;
}

/** One `conntrack -L` line (proc=true: the /proc/net/nf_conntrack variant). */
export function fmtConn(c: Conn, now: number, proc = false): string {
  const secs = Math.max(0, Math.floor((c.expires - now) / 1000));
  const p = c.orig.proto;
  let s = `${p.padEnd(8)} ${PROTO_NUM[p]} ${secs} `;
  if (c.tcpState) s += `${c.tcpState} `;
  s += fmtTuple(c.orig, 8) + " ";
  if (!c.seenReply) s += "[UNREPLIED] ";
  s += fmtTuple(c.reply, 0) + " ";
  if (c.assured) s += "[ASSURED] ";
  s += `mark=${c.mark} `;
  s += proc ? "zone=0 use=2" : "use=1";
  return proc ? `ipv4     2 ${s}` : s;
}
