// Programs that exist only inside images: busybox (one binary, many names) and nginx.
import type { Command } from "../command";
import type { Program } from "../../linux/tasks";
import { clone, execve } from "../../linux/process";
import { asProgram } from "../../linux/tasks";
import { serve } from "./sockets";

/** busybox: one binary; what it does depends on the name it was called by (argv[0]). */
export const busybox: Command = {
  name: "busybox",
  path: "/bin/busybox",
  imageOnly: true,
  summary: "one binary for many tools, chosen by the name it runs as (images only)",
  usage: "BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\nUsage: busybox [function [arguments]...]\n",
  run(ctx) {
    let argv = ctx.argv;
    let applet = argv[0]!.split("/").pop()!;
    if (applet === "busybox") {
      argv = argv.slice(1);
      applet = argv[0] ?? "";
      if (!applet) {
        ctx.out(busybox.usage);
        return 0;
      }
    }
    const fn = ctx.kernel.programs.get(applet);
    if (!fn || applet === "busybox") {
      ctx.err(`${applet}: applet not found\n`);
      return 127;
    }
    return asProgram(fn(ctx.proc, argv));
  },
};

/** nginx: a master process that forks one worker; both run until killed. */
export const nginx: Command = {
  name: "nginx",
  path: "/usr/sbin/nginx",
  imageOnly: true,
  summary: "HTTP server (images only): master + worker process",
  usage: "Usage: nginx [-?hvVtTq] [-s signal] [-p prefix] [-e filename] [-c filename] [-g directives]\n",
  run(ctx) {
    const master = ctx.proc;
    master.argv = ["nginx: master process nginx", "-g", "daemon off;"];
    // nginx handles TERM and INT (fast shutdown) and QUIT (graceful): as a container's pid 1 it
    // therefore stops on the kubelet's SIGTERM instead of waiting for SIGKILL.
    master.catches = new Set([2, 3, 15]);
    const worker = clone(ctx.kernel, master);
    execve(ctx.kernel, worker, ["nginx: worker process"]);
    worker.comm = "nginx";
    ctx.kernel.sched.start(worker, (function* (): Program { yield { kind: "forever" }; return 0; })());
    // The master listens on port 80 and serves the image's index page, naming the pod that answered.
    return serve(ctx, {
      proto: "tcp",
      addr: 0,
      port: 80,
      greet: () => null,
      respond(req) {
        const path = /^GET (\S+)/.exec(req)?.[1] ?? "/";
        let body: string;
        try {
          body = ctx.kernel.resolve(master, `/usr/share/nginx/html${path === "/" ? "/index.html" : path}`).node.read?.({ proc: master }) ?? "";
        } catch {
          return "HTTP/1.1 404 Not Found\r\nServer: nginx/1.27.3\r\nContent-Length: 0\r\n\r\n";
        }
        body += `<!-- served by ${master.ns.uts.hostname} -->\n`;
        return `HTTP/1.1 200 OK\r\nServer: nginx/1.27.3\r\nContent-Type: text/html\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
      },
    });
  },
};

/** pause: the pod sandbox's process. It sleeps forever so the pod's namespaces stay alive. */
export const pause: Command = {
  name: "pause",
  path: "/pause",
  imageOnly: true,
  summary: "hold a pod's namespaces open (images only)",
  usage: "Usage: /pause\n",
  run() {
    return (function* (): Program {
      yield { kind: "forever" };
      return 0;
    })();
  },
};
