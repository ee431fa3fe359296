// systemctl and journalctl: how a node's services are started, stopped and inspected.
import type { Command, CommandContext } from "../command";
import { systemdOf } from "../../linux/systemd";
import type { JournalEntry, Unit } from "../../linux/systemd";
import type { KernelError } from "../../linux/process";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

function stamp(ctx: CommandContext, t: number): Date {
  return new Date(ctx.kernel.clock.epochMs() - ctx.kernel.clock.now() + t);
}

function short(d: Date): string {
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, "0")} ${d.toISOString().slice(11, 19)}`;
}

function ago(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}min ${s % 60}s ago`;
  return `${Math.floor(m / 60)}h ${m % 60}min ago`;
}

function unitName(arg: string): string {
  return arg.replace(/\.service$/, "");
}

function journalLine(ctx: CommandContext, e: JournalEntry): string {
  return `${short(stamp(ctx, e.t))} ${ctx.proc.ns.uts.hostname} ${e.ident}[${e.pid}]: ${e.msg}`;
}

function status(ctx: CommandContext, u: Unit): string {
  const now = ctx.kernel.clock.now();
  const since = stamp(ctx, u.since);
  const when = `since ${DAYS[since.getUTCDay()]} ${since.toISOString().slice(0, 10)} ${since.toISOString().slice(11, 19)} UTC; ${ago(now - u.since)}`;
  const dot = u.state === "active" ? "●" : u.state === "failed" ? "×" : "○";
  const active =
    u.state === "active" ? `active (running) ${when}` : u.state === "failed" ? `failed (Result: ${u.result}) ${when}` : `inactive (dead)${u.lastExit ? ` ${when}` : ""}`;
  const lines = [
    `${dot} ${u.name}.service - ${u.description}`,
    `     Loaded: loaded (/etc/systemd/system/${u.name}.service; ${u.enabled ? "enabled" : "disabled"}; preset: enabled)`,
    `     Active: ${active}`,
  ];
  if (u.documentation) lines.push(`       Docs: ${u.documentation}`);
  const sd = systemdOf(ctx.kernel);
  const main = sd.mainProcess(u.name);
  if (u.state === "active" && main) {
    lines.push(`   Main PID: ${main.pid} (${main.comm})`, `      Tasks: ${1 + main.children.size} (limit: 4915)`, `     Memory: ${(main.rssKb / 1024).toFixed(1)}M`, `     CGroup: /system.slice/${u.name}.service`, `             └─${main.pid} ${main.argv.join(" ")}`);
  } else if (u.lastExit) {
    const e = u.lastExit;
    const how = e.code === "killed" ? `code=killed, signal=${e.signal}` : `code=exited, status=${e.status}/${e.status === 203 ? "EXEC" : e.status === 0 ? "SUCCESS" : "FAILURE"}`;
    lines.push(`    Process: ${e.pid} ExecStart=${u.execStart.join(" ")} (${how})`, `   Main PID: ${e.pid} (${how})`);
  }
  const recent = sd.journal.filter((j) => j.unit === u.name).slice(-10);
  if (recent.length) lines.push("", ...recent.map((j) => journalLine(ctx, j)));
  return lines.join("\n") + "\n";
}

export const systemctl: Command = {
  name: "systemctl",
  path: "/usr/bin/systemctl",
  summary: "control the systemd services of this host (start, stop, restart, status)",
  usage: "systemctl [OPTIONS...] COMMAND ...\n\nQuery or send control commands to the system manager.\n\nUnit Commands:\n  list-units [PATTERN...]             List units currently in memory\n  is-active PATTERN...                Check whether units are active\n  status [PATTERN...|PID...]          Show runtime status of one or more units\n\nUnit File Commands:\n  enable UNIT...                      Enable one or more unit files\n  disable UNIT...                     Disable one or more unit files\n\nUnit Commands:\n  start UNIT...                       Start (activate) one or more units\n  stop UNIT...                        Stop (deactivate) one or more units\n  restart UNIT...                     Start or restart one or more units\n  daemon-reload                       Reload systemd manager configuration\n",
  run(ctx) {
    const args = ctx.argv.slice(1).filter((a) => !["--no-pager", "-l", "--full", "--quiet", "-q"].includes(a));
    const quiet = ctx.argv.includes("-q") || ctx.argv.includes("--quiet");
    const [verb, ...names] = args;
    const sd = systemdOf(ctx.kernel);
    const units = names.map(unitName);
    switch (verb) {
      case undefined:
      case "list-units": {
        const rows = [["UNIT", "LOAD", "ACTIVE", "SUB", "DESCRIPTION"], ...[...sd.units.values()].sort((a, b) => a.name.localeCompare(b.name)).map((u) => [`${u.name}.service`, "loaded", u.state, u.state === "active" ? "running" : u.state === "failed" ? "failed" : "dead", u.description])];
        const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
        ctx.out(rows.map((r) => "  " + r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(w[i]!))).join(" ")).join("\n") + `\n\n${rows.length - 1} loaded units listed.\n`);
        return 0;
      }
      case "daemon-reload":
        return 0;
      case "status": {
        let code = 0;
        for (const n of units) {
          const u = sd.units.get(n);
          if (!u) {
            ctx.err(`Unit ${n}.service could not be found.\n`);
            code = 4;
            continue;
          }
          ctx.out(status(ctx, u));
          if (u.state !== "active") code = 3;
        }
        return code;
      }
      case "is-active": {
        let code = 0;
        for (const n of units) {
          const st = sd.units.get(n)?.state ?? "inactive";
          if (!quiet) ctx.out(`${st}\n`);
          if (st !== "active") code = 3;
        }
        return code;
      }
      case "start":
      case "restart":
      case "stop":
      case "enable":
      case "disable": {
        if (!units.length) {
          ctx.err(`Too few arguments.\n`);
          return 1;
        }
        if (ctx.proc.uid !== 0) {
          ctx.err("Failed to " + verb + ` ${units[0]}.service: Access denied\n`);
          return 1;
        }
        for (const n of units) {
          const u = sd.units.get(n);
          if (!u) {
            ctx.err(`Failed to ${verb} ${n}.service: Unit ${n}.service not found.\n`);
            return 5;
          }
          try {
            if (verb === "enable" || verb === "disable") {
              u.enabled = verb === "enable";
              if (verb === "enable") ctx.err(`Created symlink /etc/systemd/system/multi-user.target.wants/${n}.service → /etc/systemd/system/${n}.service.\n`);
              else ctx.err(`Removed "/etc/systemd/system/multi-user.target.wants/${n}.service".\n`);
              continue;
            }
            const r = verb === "stop" ? (sd.stop(n), { ok: true }) : verb === "start" ? sd.start(n) : sd.restart(n);
            if (!r.ok) {
              ctx.err(`Job for ${n}.service failed because the control process exited with error code.\nSee "systemctl status ${n}.service" and "journalctl -xeu ${n}.service" for details.\n`);
              return 1;
            }
          } catch (e) {
            ctx.err(`Failed to ${verb} ${n}.service: ${(e as KernelError).text}\n`);
            return 5;
          }
        }
        return 0;
      }
      default:
        ctx.err(`Unknown command verb '${verb}'.\n`);
        return 1;
    }
  },
};

export const journalctl: Command = {
  name: "journalctl",
  path: "/usr/bin/journalctl",
  summary: "show the systemd journal (-u UNIT, -n N)",
  usage: "journalctl [OPTIONS...] [MATCHES...]\n\nQuery the journal.\n\n  -u --unit=UNIT             Show logs from the specified unit\n  -n --lines[=INTEGER]       Number of journal entries to show\n  -e --pager-end             Immediately jump to the end in the pager\n  -x --catalog               Add message explanations where available\n     --no-pager              Do not pipe output into a pager\n",
  run(ctx) {
    const a = ctx.argv.slice(1);
    let unit: string | undefined;
    let lines = Infinity;
    for (let i = 0; i < a.length; i++) {
      const x = a[i]!;
      if (x === "-u" || x === "--unit") unit = unitName(a[++i] ?? "");
      else if (x.startsWith("--unit=")) unit = unitName(x.slice(7));
      else if (/^-[xe]*u$/.test(x)) unit = unitName(a[++i] ?? "");
      else if (/^-[a-z]*u.+/.test(x)) unit = unitName(x.slice(x.indexOf("u") + 1));
      else if (x === "-n" || x === "--lines") lines = Number(a[++i] ?? 10);
      else if (/^-n\d+$/.test(x)) lines = Number(x.slice(2));
      else if (["--no-pager", "-e", "-x", "-xe", "-ex", "-f", "--follow", "-b"].includes(x)) {
        if (x === "-e" && lines === Infinity) lines = 1000;
      } else {
        ctx.err(`journalctl: unrecognized option '${x}'\n`);
        return 1;
      }
    }
    const sd = systemdOf(ctx.kernel);
    let entries = sd.journal.filter((e) => !unit || e.unit === unit);
    if (Number.isFinite(lines)) entries = entries.slice(-lines);
    if (!entries.length) {
      ctx.out("-- No entries --\n");
      return 0;
    }
    ctx.out(entries.map((e) => journalLine(ctx, e) + "\n").join(""));
    return 0;
  },
};
