// Small network programs: nc (OpenBSD netcat) as client and server, curl, and python3 servers
// (`python3 -m http.server PORT`, and the oracle's name-server.py). Servers answer with text
// that names the host that answered, so a learner sees which pod a packet reached.
import type { Command, CommandContext } from "../command";
import type { Program } from "../../linux/tasks";
import { netOf } from "../../linux/net/registry";
import { fmtIp, parseIp } from "../../linux/net/ipv4";
import { tcpConnect } from "../../linux/net/tcp";
import { resolveHost } from "../../linux/net/dns";
import type { Listener } from "../../linux/net/sockets";
import { SERVICES } from "../../linux/net/netfilter/matches";

/** Keep a listening socket open until the program ends (killed, or done). */
export function* serve(ctx: CommandContext, l: Omit<Listener, "pid" | "comm" | "fd">, until?: () => boolean): Program {
  const st = netOf(ctx.kernel, ctx.proc.ns.net);
  const full: Listener = { ...l, pid: ctx.proc.pid, comm: ctx.proc.comm, fd: 3 };
  const e = st.sockets.listen(full);
  if (e) {
    ctx.err(`${ctx.proc.comm}: Address already in use\n`);
    return 1;
  }
  try {
    // A server that never stops by itself just waits (no timer); nc -l polls for its one peer.
    if (!until) yield { kind: "forever" };
    for (;;) {
      if (until?.()) return 0;
      yield { kind: "sleep", until: ctx.kernel.clock.now() + 100 };
    }
  } finally {
    st.sockets.close(ctx.proc.pid);
  }
}

function connectErr(outcome: string): string {
  return outcome === "refused" ? "Connection refused" : outcome === "no-route" ? "No route to host" : outcome === "unreachable" || outcome === "net-unreachable" ? "Network is unreachable" : "Operation timed out";
}

export const nc: Command = {
  name: "nc",
  path: "/usr/bin/nc",
  summary: "netcat: connect to (nc HOST PORT) or listen on (nc -l -p PORT) a TCP port",
  usage: "usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]\n\t  [-m minttl] [-O length] [-P proxy_username] [-p source_port]\n\t  [-q seconds] [-s sourceaddr] [-T keyword] [-V rtable] [-W recvlimit]\n\t  [-w timeout] [-X proxy_protocol] [-x proxy_address[:port]]\n\t  [destination] [port]\n",
  readsStdin: true,
  run(ctx) {
    const a = ctx.argv.slice(1);
    let listen = false;
    let keep = false;
    let zero = false;
    let verbose = false;
    let port: number | undefined;
    let wait = 10;
    const pos: string[] = [];
    for (let i = 0; i < a.length; i++) {
      const w = a[i]!;
      if (/^-[lkzvnNq]+$/.test(w) && !w.includes("q")) {
        listen ||= w.includes("l");
        keep ||= w.includes("k");
        zero ||= w.includes("z");
        verbose ||= w.includes("v");
      } else if (w === "-p") port = Number(a[++i]);
      else if (w === "-w") wait = Number(a[++i]);
      else if (w === "-q") i++;
      else if (w.startsWith("-")) {
        ctx.err(`nc: invalid option -- '${w.slice(1, 2)}'\n${this.usage}`);
        return 1;
      } else pos.push(w);
    }
    const stdin = ctx.stdinIsTty ? "" : ctx.stdin;
    if (listen) {
      const p = port ?? Number(pos[pos.length - 1]);
      if (!(p > 0 && p < 65536)) {
        ctx.err("nc: missing port number\n");
        return 1;
      }
      let served = 0;
      return serve(ctx, {
        proto: "tcp",
        addr: 0,
        port: p,
        greet: () => (stdin ? stdin : null),
        respond: () => stdin,
        onAccept(peer, received) {
          if (verbose) ctx.err(`Connection received on ${peer}\n`);
          if (received) ctx.out(received);
          served++;
        },
      }, () => !keep && served > 0);
    }
    const host = pos[0];
    const p = Number(pos[1]);
    const dst = parseIp(host ?? "");
    if (dst === null || !(p > 0)) {
      ctx.err(host ? `nc: getaddrinfo for host "${host}" port ${pos[1] ?? ""}: Name or service not known\n` : this.usage);
      return 1;
    }
    const st = netOf(ctx.kernel, ctx.proc.ns.net);
    const r = tcpConnect(st, dst, p, zero ? "" : stdin, wait * 1000);
    return (function* (): Program {
      if (r.delay) yield { kind: "sleep", until: ctx.kernel.clock.now() + r.delay };
      if (r.outcome !== "connected") {
        ctx.err(r.outcome === "timeout" ? `nc: connect to ${host} port ${p} (tcp) timed out: Operation now in progress\n` : `nc: connect to ${host} port ${p} (tcp) failed: ${connectErr(r.outcome)}\n`);
        return 1;
      }
      if (verbose || zero) ctx.err(`Connection to ${host} ${p} port [tcp/${SERVICES[p] ?? "*"}] succeeded!\n`);
      if (!zero) ctx.out(r.data);
      return 0;
    })();
  },
};

export const curl: Command = {
  name: "curl",
  path: "/usr/bin/curl",
  summary: "transfer a URL (HTTP GET over the simulated network)",
  usage: "Usage: curl [options...] <url>\n -m, --max-time <seconds>  Maximum time allowed for transfer\n     --connect-timeout <seconds>  Maximum time allowed for connection\n -s, --silent               Silent mode\n",
  run(ctx) {
    const a = ctx.argv.slice(1);
    let url: string | undefined;
    let timeout = 300;
    let silent = false;
    let showErr = false;
    for (let i = 0; i < a.length; i++) {
      const w = a[i]!;
      if (w === "-m" || w === "--max-time" || w === "--connect-timeout") timeout = Number(a[++i]);
      else if (w === "-s" || w === "--silent") silent = true;
      else if (w === "-S" || w === "--show-error") showErr = true;
      else if (w === "-sS" || w === "-Ss") silent = showErr = true;
      else if (w.startsWith("-")) continue;
      else url = w;
    }
    const m = /^(?:http:\/\/)?([^/:]+)(?::(\d+))?(\/.*)?$/.exec(url ?? "");
    if (!m) {
      ctx.err("curl: try 'curl --help' or 'curl --manual' for more information\n");
      return 2;
    }
    const [, host, portS, path] = m;
    // getaddrinfo: /etc/hosts, then the nameservers of /etc/resolv.conf through its search list.
    const found = resolveHost(ctx.kernel, ctx.proc, host!, () => netOf(ctx.kernel, ctx.proc.ns.net).rng());
    const dst = found.addrs.length ? parseIp(found.addrs[0]!) : null;
    if (dst === null) {
      return (function* (): Program {
        if (found.delay) yield { kind: "sleep", until: ctx.kernel.clock.now() + found.delay };
        if (!silent || showErr) ctx.err(`curl: (6) Could not resolve host: ${host}\n`);
        return 6;
      })();
    }
    const port = Number(portS ?? 80);
    const st = netOf(ctx.kernel, ctx.proc.ns.net);
    const r = tcpConnect(st, dst, port, `GET ${path ?? "/"} HTTP/1.1\r\nHost: ${host}${portS ? `:${portS}` : ""}\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n`, timeout * 1000);
    return (function* (): Program {
      if (r.delay) yield { kind: "sleep", until: ctx.kernel.clock.now() + r.delay };
      if (r.outcome !== "connected") {
        const code = r.outcome === "timeout" ? 28 : 7;
        const why = r.outcome === "timeout" ? "Timeout was reached" : r.outcome === "refused" ? "Couldn't connect to server" : connectErr(r.outcome);
        if (!silent || showErr) ctx.err(`curl: (${code}) Failed to connect to ${host} port ${port} after ${r.delay} ms: ${why}\n`);
        return code;
      }
      const body = r.data.includes("\r\n\r\n") ? r.data.slice(r.data.indexOf("\r\n\r\n") + 4) : r.data;
      ctx.out(body);
      return 0;
    })();
  },
};

function httpDate(ms: number): string {
  const d = new Date(ms);
  const mon = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][d.getUTCMonth()];
  return `${String(d.getUTCDate()).padStart(2, "0")}/${mon}/${d.getUTCFullYear()} ${[d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()].map((x) => String(x).padStart(2, "0")).join(":")}`;
}

export const python3: Command = {
  name: "python3",
  path: "/usr/bin/python3",
  summary: "python3 -m http.server PORT (a tiny web server that says which host answered)",
  usage: "usage: python3 [option] ... [-c cmd | -m mod | file | -] [arg] ...\n",
  run(ctx) {
    const a = ctx.argv.slice(1);
    const k = ctx.kernel;
    const host = () => ctx.proc.ns.uts.hostname;
    if (a[0] === "-m" && a[1] === "http.server") {
      let port = 8000;
      let bind = 0;
      for (let i = 2; i < a.length; i++) {
        if (a[i] === "--bind" || a[i] === "-b") bind = parseIp(a[++i] ?? "") ?? 0;
        else if (/^\d+$/.test(a[i]!)) port = Number(a[i]);
      }
      ctx.out(`Serving HTTP on ${fmtIp(bind)} port ${port} (http://${fmtIp(bind)}:${port}/) ...\n`);
      return serve(ctx, {
        proto: "tcp",
        addr: bind,
        port,
        greet: () => null,
        respond(req, peer) {
          const path = /^GET (\S+)/.exec(req)?.[1] ?? "/";
          ctx.err(`${peer} - - [${httpDate(k.clock.epochMs())}] "GET ${path} HTTP/1.1" 200 -\n`);
          const body = `Hello from ${host()} (${ctx.proc.ns.net === k.initNs.net ? "host network" : "netns"}), you are ${peer}\n`;
          return `HTTP/1.0 200 OK\r\nServer: SimpleHTTP/0.6 Python/3.11.2\r\nContent-type: text/plain\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
        },
      });
    }
    // The oracle's lib/name-server.py NAME PORT: answers "NAME from PEER" to every connection.
    if (a[0] && a[0].endsWith("name-server.py") && a.length >= 3) {
      const name = a[1]!;
      return serve(ctx, { proto: "tcp", addr: 0, port: Number(a[2]), greet: (peer) => `${name} from ${peer}\n` });
    }
    if (a[0] === "--version" || a[0] === "-V") {
      ctx.out("Python 3.11.2\n");
      return 0;
    }
    ctx.err(a[0] ? `python3: can't open file '${ctx.abs(a[0])}': [Errno 2] No such file or directory\n` : "Python 3.11.2: the simulated hosts have no interactive interpreter.\n");
    return 2;
  },
};

export const ss: Command = {
  name: "ss",
  path: "/usr/bin/ss",
  summary: "socket statistics (ss -tlnp: listening TCP sockets and their processes)",
  usage: "Usage: ss [ OPTIONS ]\n   -t, --tcp           display only TCP sockets\n   -u, --udp           display only UDP sockets\n   -l, --listening     display listening sockets\n   -n, --numeric       don't resolve service names\n   -p, --processes     show process using socket\n",
  run(ctx) {
    const flags = ctx.argv.slice(1).filter((x) => x.startsWith("-")).join("");
    const st = netOf(ctx.kernel, ctx.proc.ns.net);
    const proc = flags.includes("p");
    const numeric = flags.includes("n");
    const udp = flags.includes("u") && !flags.includes("t");
    const rows = st.sockets.listeners.filter((l) => l.proto === (udp ? "udp" : "tcp"));
    const local = (l: Listener) => `${fmtIp(l.addr)}:${numeric ? l.port : (SERVICES[l.port] ?? l.port)}`;
    const w = Math.max(17, ...rows.map((l) => local(l).length));
    let out = `State  Recv-Q Send-Q ${"Local Address:Port".padStart(w)} Peer Address:Port${proc ? "Process" : ""}\n`;
    for (const l of rows) {
      out += `${udp ? "UNCONN" : "LISTEN"} 0      ${udp ? "0     " : "5     "} ${local(l).padStart(w)}      0.0.0.0:*    ${proc ? `users:(("${l.comm}",pid=${l.pid},fd=${l.fd}))` : ""}`.trimEnd() + "\n";
    }
    ctx.out(out);
    return 0;
  },
};
