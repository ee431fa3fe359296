// top (procps-ng), batch mode: the summary area and one frame of the task list. %CPU comes
// from the CPU scheduler's last completed second, RES from the memory the process has charged.
import type { Command } from "../command";
import { usageError } from "../command";
import { readProc, userName } from "./procview";

function clockText(ms: number): string {
  const d = new Date(ms);
  return [d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()].map((n) => String(n).padStart(2, "0")).join(":");
}

/** TIME+ column: minutes:seconds.hundredths. */
function timePlus(usec: number): string {
  const cs = Math.floor(usec / 10_000);
  const m = Math.floor(cs / 6000);
  const s = Math.floor((cs % 6000) / 100);
  return `${m}:${String(s).padStart(2, "0")}.${String(cs % 100).padStart(2, "0")}`;
}

function uptimeText(sec: number): string {
  const days = Math.floor(sec / 86400);
  const h = Math.floor((sec % 86400) / 3600);
  const m = Math.floor((sec % 3600) / 60);
  const hm = h > 0 ? `${String(h).padStart(2)}:${String(m).padStart(2, "0")}` : `${m} min`;
  return days > 0 ? `${days} day${days > 1 ? "s" : ""}, ${hm}` : hm;
}

export const top: Command = {
  name: "top",
  path: "/usr/bin/top",
  summary: "display processes by CPU use (batch mode: top -b -n 1)",
  usage: "Usage:\n  top -hv | -bcEeHiOSs1 -d secs -n max -u|U user -p pid(s) -o field -w [cols]\n\n(This simulation prints one frame in batch mode.)\n",
  run(ctx) {
    const a = ctx.argv.slice(1);
    let limitPids: number[] | null = null;
    for (let i = 0; i < a.length; i++) {
      const o = a[i]!;
      if (o === "-b" || o === "-c" || o === "-1" || o === "-H" || o === "-i" || o === "-E" || o === "-e") continue;
      if (/^-bn\d+$/.test(o) || /^-n\d+$/.test(o)) continue;
      if (o === "-n" || o === "-d" || o === "-o" || o === "-w" || o === "-u" || o === "-U") {
        i++;
        continue;
      }
      if (o === "-p") {
        limitPids = (a[++i] ?? "").split(",").map(Number);
        continue;
      }
      return usageError(ctx, "top", `unknown option '${o.replace(/^-/, "")}'`);
    }
    const k = ctx.kernel;
    k.cpu.sync();
    const view = readProc(ctx);
    if (!view) {
      ctx.err("top: failed /proc read\n");
      return 1;
    }
    const memKiB = k.machine.memory / 1024;
    const rows = view.entries
      .filter((e) => !limitPids || limitPids.includes(e.pid))
      .map((e) => {
        const w = k.cpu.workloadOf(e.p);
        const cpu = k.cpu.recentPercent(e.p);
        const running = !!w && w.runnable && w.rate > 0;
        return { e, cpu, running, time: k.cpu.cpuTimeUsec(e.p) };
      })
      .sort((x, y) => y.cpu - x.cpu || x.e.pid - y.e.pid);
    const total = rows.length;
    const runningN = rows.filter((r) => r.running || r.e.p === ctx.proc).length;
    const zombies = rows.filter((r) => r.e.p.state === "Z").length;
    const rootCpu = k.cgroups.root.cpu.recentPercent / k.machine.cpus;
    const usedKiB = Math.min(memKiB, k.cgroups.root.memory.current / 1024 + 180_000);
    const cacheKiB = 220_000;
    const up = k.clock.now() / 1000 + 3600;
    const load = rows.filter((r) => r.running).length;
    const la = (n: number) => n.toFixed(2);
    const f1 = (n: number) => n.toFixed(1);
    ctx.out(
      [
        `top - ${clockText(k.clock.epochMs())} up ${uptimeText(up)},  1 user,  load average: ${la(load)}, ${la(load * 0.6)}, ${la(load * 0.3)}`,
        `Tasks: ${String(total).padStart(3)} total, ${String(runningN).padStart(3)} running, ${String(total - runningN - zombies).padStart(3)} sleeping,   0 stopped, ${String(zombies).padStart(3)} zombie`,
        `%Cpu(s): ${f1(rootCpu * 0.9).padStart(4)} us, ${f1(rootCpu * 0.1).padStart(4)} sy,  0.0 ni, ${f1(100 - rootCpu).padStart(4)} id,  0.0 wa,  0.0 hi,  0.0 si,  0.0 st `,
        `MiB Mem : ${f1(memKiB / 1024).padStart(8)} total, ${f1((memKiB - usedKiB - cacheKiB) / 1024).padStart(8)} free, ${f1(usedKiB / 1024).padStart(8)} used, ${f1(cacheKiB / 1024).padStart(8)} buff/cache     `,
        `MiB Swap:      0.0 total,      0.0 free,      0.0 used. ${f1((memKiB - usedKiB) / 1024).padStart(8)} avail Mem `,
        "",
        "    PID USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ COMMAND",
      ].join("\n") + "\n",
    );
    for (const r of rows) {
      const p = r.e.p;
      const state = r.running || p === ctx.proc ? "R" : p.state === "Z" ? "Z" : "S";
      const shr = Math.min(p.rssKb, 1400);
      ctx.out(
        `${String(r.e.pid).padStart(7)} ${userName(p.uid).padEnd(8)}  20   0 ${String(p.vszKb).padStart(7)} ${String(p.rssKb).padStart(6)} ${String(shr).padStart(6)} ${state} ${f1(r.cpu).padStart(5)} ${f1((p.rssKb / memKiB) * 100).padStart(5)} ${timePlus(r.time).padStart(9)} ${p.comm}\n`,
      );
    }
    return 0;
  },
};
