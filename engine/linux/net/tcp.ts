// The client side of a TCP connection, segment by segment: SYN, SYN-ACK, ACK with the
// request, the server's data and FIN, our FIN. Each segment walks the whole path, so
// netfilter counters, conntrack states and tcpdump see a real-looking exchange.
import { makePacket } from "./packet";
import type { Packet } from "./packet";
import type { ClientResult } from "./sockets";
import type { NetStack } from "./stack";

/** Connect to dst:port, send `request` (may be empty), collect the answer. Time budget in ms. */
export function tcpConnect(st: NetStack, dst: number, port: number, request: string, timeoutMs: number): ClientResult & { delay: number } {
  const sport = st.sockets.ephemeral(() => st.rng());
  let result: ClientResult | null = null;
  let data = "";
  let peerFin = false;
  const walk = { trace: null, delay: 0, hops: 0 };
  const send = (flags: Packet["tcp"], payload = "") =>
    st.sendLocal(makePacket({ src: src!, dst, proto: "tcp", sport, dport: port, tcp: flags, payload }), { trace: null, delay: 0, hops: 0 });
  const rt = st.routeOutput(dst);
  const src = rt?.src;
  if (!rt) return { outcome: "unreachable", data: "", delay: 0 };
  let established = false;
  st.sockets.clients.set(sport, (p, delay) => {
    if (delay > timeoutMs) return;
    if (p.proto === "icmp") {
      // ICMP errors: port unreachable → ECONNREFUSED; prohibited/host unreachable → EHOSTUNREACH.
      if (!established && !result) result = { outcome: p.icmpCode === 3 ? "refused" : p.icmpCode === 0 ? "net-unreachable" : "no-route", data: "" };
      return;
    }
    if (p.tcp.rst) {
      if (!established && !result) result = { outcome: "refused", data: "" };
      return;
    }
    if (p.tcp.syn && p.tcp.ack) {
      established = true;
      send({ ack: true });
      if (request) send({ ack: true, psh: true }, request);
      return;
    }
    if (p.payload) data += p.payload;
    if (p.tcp.fin && !peerFin) {
      peerFin = true;
      send({ fin: true, ack: true });
    }
  });
  try {
    const err = send({ syn: true });
    if (err === "ENETUNREACH") return { outcome: "unreachable", data: "", delay: 0 };
  } finally {
    st.sockets.clients.delete(sport);
  }
  if (result) return { ...(result as ClientResult), delay: walk.delay };
  if (!established) return { outcome: "timeout", data: "", delay: timeoutMs };
  return { outcome: "connected", data, delay: 0 };
}
