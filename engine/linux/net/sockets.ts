// Sockets: listening servers (nc -l, python3 -m http.server) and the client side of a
// connection. A server answers with text that names the host that answered, so a learner
// can see which pod a Service picked.
export interface Listener {
  proto: "tcp" | "udp";
  /** 0 = 0.0.0.0 (any local address). */
  addr: number;
  port: number;
  pid: number;
  comm: string;
  fd: number;
  /** Reply text for a new connection from peer (null: wait for the request first). */
  greet(peer: string): string | null;
  /** Reply to a request line (HTTP servers). */
  respond?(request: string, peer: string): string;
  /** Called for every accepted connection (nc -l prints what it receives, then exits). */
  onAccept?(peer: string, received: string): void;
}

export interface ClientResult {
  outcome: "connected" | "refused" | "no-route" | "net-unreachable" | "timeout" | "unreachable";
  data: string;
}

export class SocketTable {
  readonly listeners: Listener[] = [];
  /** Client sockets waiting for segments, by local port. */
  readonly clients = new Map<number, (p: import("./packet").Packet, delay: number) => void>();
  /** ping sockets by ICMP echo identifier. */
  readonly pings = new Map<number, (p: import("./packet").Packet, delay: number) => void>();
  private nextPort = 40000;

  listen(l: Listener): string | null {
    if (this.listeners.some((x) => x.proto === l.proto && x.port === l.port && (x.addr === 0 || l.addr === 0 || x.addr === l.addr))) return "Address already in use";
    this.listeners.push(l);
    return null;
  }

  close(pid: number): void {
    for (let i = this.listeners.length - 1; i >= 0; i--) if (this.listeners[i]!.pid === pid) this.listeners.splice(i, 1);
  }

  find(proto: "tcp" | "udp", addr: number, port: number): Listener | undefined {
    return this.listeners.find((l) => l.proto === proto && l.port === port && (l.addr === 0 || l.addr === addr));
  }

  /** An ephemeral port (net.ipv4.ip_local_port_range starts at 32768; seeded for variety). */
  ephemeral(rng: () => number): number {
    this.nextPort += 1 + Math.floor(rng() * 7);
    if (this.nextPort > 60999) this.nextPort = 32768;
    return this.nextPort;
  }
}
