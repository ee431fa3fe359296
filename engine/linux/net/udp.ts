// The client side of a UDP exchange (what a resolver does with sendto + recvfrom): one
// datagram out from an ephemeral port, and the first datagram (or ICMP error) that comes back.
import { makePacket } from "./packet";
import type { Listener } from "./sockets";
import type { NetStack } from "./stack";

export interface UdpResult {
  outcome: "reply" | "refused" | "unreachable" | "timeout";
  data: string;
  /** Virtual ms the exchange took (the whole timeout when nothing came back). */
  delay: number;
}

export function udpExchange(st: NetStack, dst: number, port: number, payload: string, timeoutMs: number): UdpResult {
  const rt = st.routeOutput(dst);
  if (!rt) return { outcome: "unreachable", data: "", delay: 0 };
  const sport = st.sockets.ephemeral(() => st.rng());
  let result: UdpResult | null = null;
  // Our bound socket: the answer datagram lands here.
  const sock: Listener = {
    proto: "udp", addr: rt.src, port: sport, pid: 0, comm: "resolver", fd: 3,
    greet: () => null,
    respond: (data) => {
      result ??= { outcome: "reply", data, delay: 0 };
      return "";
    },
  };
  st.sockets.listen(sock);
  // ICMP errors about our datagram (port unreachable: nobody listens on the server).
  st.sockets.pings.set(sport, (p) => {
    if (p.proto === "icmp" && p.icmpType === 3) result ??= { outcome: p.icmpCode === 3 ? "refused" : "unreachable", data: "", delay: 0 };
  });
  const walk = { trace: null, delay: 0, hops: 0 };
  try {
    const err = st.sendLocal(makePacket({ src: rt.src, dst, proto: "udp", sport, dport: port, payload }), walk);
    if (err === "ENETUNREACH") return { outcome: "unreachable", data: "", delay: 0 };
  } finally {
    st.sockets.pings.delete(sport);
    st.sockets.listeners.splice(st.sockets.listeners.indexOf(sock), 1);
  }
  if (result) return { ...(result as UdpResult), delay: walk.delay };
  return { outcome: "timeout", data: "", delay: timeoutMs };
}
