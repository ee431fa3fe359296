// webapp: the course's demo web server (image kjl/app), made to have a health a reader can
// break. It takes STARTUP_DELAY seconds before it listens (a slow-starting app), then touches
// /tmp/healthy and /tmp/ready in its own writable layer and serves:
//   GET /healthz  200 while /tmp/healthy exists, 500 once it is gone
//   GET /ready    200 while /tmp/ready exists, 503 once it is gone
//   GET /         a greeting naming the pod that answered
// So `kubectl exec POD -- rm /tmp/healthy` makes the liveness probe fail, and a restart heals it:
// the new container gets a fresh overlay upper directory in which the app creates the file again.
import type { Command, CommandContext } from "../command";
import type { Program } from "../../linux/tasks";
import { serve } from "./sockets";

function exists(ctx: CommandContext, path: string): boolean {
  try {
    ctx.kernel.resolve(ctx.proc, path);
    return true;
  } catch {
    return false;
  }
}

function reply(code: number, body: string): string {
  const text = code === 200 ? "OK" : code === 404 ? "Not Found" : code === 500 ? "Internal Server Error" : "Service Unavailable";
  return `HTTP/1.1 ${code} ${text}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
}

export const webapp: Command = {
  name: "webapp",
  path: "/usr/local/bin/webapp",
  imageOnly: true,
  summary: "the course's demo web server with /healthz and /ready (images only)",
  usage: "Usage: webapp\n  env PORT (8080), STARTUP_DELAY (seconds before it listens, 0)\n",
  run(ctx) {
    const env = ctx.proc.env;
    const port = Number(env.get("PORT") ?? 8080) || 8080;
    const delay = Math.max(0, Number(env.get("STARTUP_DELAY") ?? 0) || 0);
    // The process installs a SIGTERM handler, as a well-behaved server does: as a container's
    // pid 1 it would otherwise ignore the kubelet's SIGTERM and wait for SIGKILL.
    ctx.proc.catches = new Set([15]);
    const log = (msg: string) => ctx.out(`${new Date(ctx.kernel.clock.epochMs()).toISOString().slice(0, 19)}Z webapp: ${msg}\n`);
    return (function* (): Program {
      log(delay ? `starting, warming up for ${delay}s` : "starting");
      if (delay) yield { kind: "sleep", until: ctx.kernel.clock.now() + delay * 1000 };
      ctx.kernel.writeFile(ctx.proc, "/tmp/healthy", "ok\n");
      ctx.kernel.writeFile(ctx.proc, "/tmp/ready", "ok\n");
      log(`listening on :${port}`);
      return yield* serve(ctx, {
        proto: "tcp",
        addr: 0,
        port,
        greet: () => null,
        respond(req) {
          const path = /^GET (\S+)/.exec(req)?.[1] ?? "/";
          if (path === "/healthz") return exists(ctx, "/tmp/healthy") ? reply(200, "ok\n") : reply(500, "unhealthy: /tmp/healthy is missing\n");
          if (path === "/ready") return exists(ctx, "/tmp/ready") ? reply(200, "ready\n") : reply(503, "not ready: /tmp/ready is missing\n");
          if (path === "/") return reply(200, `Hello from ${ctx.proc.ns.uts.hostname}\n`);
          return reply(404, "404 page not found\n");
        },
      });
    })();
  },
};
