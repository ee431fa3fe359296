// <cgroup-meter>: one row per interesting cgroup of the page's live engine (not the root, not
// systemd's system.slice / user.slice, and only when it holds processes or has a limit or an
// OOM kill to show). Each row has
//   - a CPU bar: use over the last second, on a scale of the machine's CPUs, with the cpu.max
//     quota drawn as a hard line and the cpu.weight share under contention as a dashed one;
//   - a memory bar: memory.current against memory.max (peak marked);
//   - a time axis of the last 30 s of virtual time with a tick for every throttled period
//     (cgroup.throttle events) and a cross for every OOM kill (oom.kill events).
// Every number is also written out as text, so nothing depends on colour alone.
//
// It reads host.snapshot().cgroups and engine events, never terminal text. Loaded by
// CgroupMeter.astro when it nears the viewport; redraws at most once per animation frame.
import { LiveWidget } from "./live-widget";
import type { CgroupSnapshot, EngineEvent, Host } from "../../engine";
import { el } from "./dom";

/** Seconds of virtual time on the time axis. */
const WINDOW_MS = 30_000;
/** Cgroups systemd owns: not what the reader made. */
const SYSTEM = /^\/(system\.slice|user\.slice|init\.scope)(\/|$)/;

interface Mark {
  time: number;
  kind: "throttle" | "oom";
  text: string;
}

const pct = (x: number) => `${Math.max(0, Math.min(100, x * 100)).toFixed(2)}%`;
const fmtCpu = (c: number) => String(Number(c.toFixed(2)));
function fmtBytes(b: number): string {
  if (b >= 1024 ** 3) return `${Number((b / 1024 ** 3).toFixed(2))} GiB`;
  if (b >= 1024 ** 2) return `${Number((b / 1024 ** 2).toFixed(1))} MiB`;
  return `${Math.round(b / 1024)} KiB`;
}

export class CgroupMeter extends LiveWidget {
  private marks = new Map<string, Mark[]>();
  private list!: HTMLOListElement;
  private empty!: HTMLParagraphElement;
  private status!: HTMLParagraphElement;
  private clock!: HTMLSpanElement;
  private lastOoms = 0;

  protected setup(): void {
    const root = this.querySelector<HTMLElement>("[data-cgm-body]") ?? this;
    root.replaceChildren();
    const head = el("p", "cgm__head");
    this.clock = el("span", "cgm__clock");
    head.append(el("span", undefined, "Last second of CPU, memory now, and the last 30 s of events. "), this.clock);
    this.list = el("ol", "cgm__list");
    this.list.setAttribute("aria-label", "cgroups and their use");
    this.empty = el("p", "cgm__empty", "No cgroup of yours is busy yet. Make one (mkdir /sys/fs/cgroup/demo), put a process in it (echo PID > /sys/fs/cgroup/demo/cgroup.procs), and it appears here.");
    this.status = el("p", "cgm__sr");
    this.status.setAttribute("role", "status");
    root.append(head, this.empty, this.list, this.status);
  }

  /** A new world: take the throttles and OOM kills it already logged. */
  protected attached(host: Host): void {
    this.marks = new Map();
    this.lastOoms = 0;
    const now = host.snapshot().time;
    for (const e of host.events()) if (e.time >= now - WINDOW_MS) this.note(e);
  }

  protected redrawOn(e: EngineEvent): boolean {
    this.note(e);
    return e.type.startsWith("cgroup.") || e.type === "oom.kill" || e.type === "shell.command" || e.type === "reset" || e.type.startsWith("process.");
  }

  private note(e: EngineEvent): void {
    let path: string;
    let mark: Mark;
    if (e.type === "cgroup.throttle") {
      path = e.path;
      mark = { time: e.time, kind: "throttle", text: `throttled (period ${e.nrThrottled})` };
    } else if (e.type === "oom.kill") {
      path = e.memcg;
      mark = { time: e.time, kind: "oom", text: `OOM kill: ${e.comm} (pid ${e.pid})` };
    } else return;
    let list = this.marks.get(path);
    if (!list) this.marks.set(path, (list = []));
    list.push(mark);
    // Keep the window bounded (10 throttles a second per cgroup at most).
    if (list.length > 400) list.splice(0, list.length - 400);
  }

  protected render(host: Host): void {
    const s = host.snapshot();
    const now = s.time;
    const cpus = s.machine.cpus;
    const shown = s.cgroups.filter((c) => c.path !== "/" && !SYSTEM.test(c.path) && (c.procs.length > 0 || c.cpu.max.quota !== null || c.memory.max !== null || c.memory.events.oom_kill > 0 || c.cpu.weight !== 100));
    for (const [p, list] of this.marks) {
      const keep = list.filter((m) => m.time >= now - WINDOW_MS);
      if (keep.length) this.marks.set(p, keep);
      else this.marks.delete(p);
    }
    this.clock.textContent = `Virtual time ${(now / 1000).toFixed(1)} s.`;
    this.dataset.cgroups = shown.map((c) => c.path).join(" ");
    this.empty.hidden = shown.length > 0;
    this.list.hidden = shown.length === 0;

    const rows = shown.map((c) => this.row(c, s.cgroups, cpus, now));
    this.list.replaceChildren(...rows);

    const ooms = shown.reduce((n, c) => n + c.memory.events.oom_kill, 0);
    const summary = shown.map((c) => `${c.path}: ${fmtCpu(c.cpu.recentCpuPercent / 100)} CPU, ${fmtBytes(c.memory.current)}`).join("; ");
    this.status.textContent = shown.length ? `${summary}.${ooms > this.lastOoms ? " An OOM kill happened." : ""}` : "No busy cgroups.";
    this.lastOoms = ooms;
  }

  /** The CPU this cgroup gets under contention: its weight among its busy siblings, times the parent's capacity. */
  private share(c: CgroupSnapshot, all: CgroupSnapshot[], cpus: number): number | null {
    const parent = c.path.slice(0, c.path.lastIndexOf("/")) || "/";
    if (parent !== "/") return null; // only for top-level cgroups, where the capacity is the machine
    const siblings = all.filter((o) => o.path !== c.path && o.path !== "/" && (o.path.slice(0, o.path.lastIndexOf("/")) || "/") === "/" && o.cpu.recentCpuPercent > 0);
    const sum = siblings.reduce((n, o) => n + o.cpu.weight, c.cpu.weight);
    return (cpus * c.cpu.weight) / sum;
  }

  private row(c: CgroupSnapshot, all: CgroupSnapshot[], cpus: number, now: number): HTMLLIElement {
    const li = el("li", "cgm__row");
    li.dataset.path = c.path;
    const used = c.cpu.recentCpuPercent / 100;
    const quota = c.cpu.max.quota === null ? null : c.cpu.max.quota / c.cpu.max.period;
    // The share under contention only means something for a cgroup that wants CPU.
    const share = used > 0 ? this.share(c, all, cpus) : null;
    const marks = this.marks.get(c.path) ?? [];
    const throttles = marks.filter((m) => m.kind === "throttle").length;
    li.dataset.cpu = fmtCpu(used);
    li.dataset.memory = String(c.memory.current);
    li.dataset.throttled = String(c.cpu.nrThrottled);
    li.dataset.oomKills = String(c.memory.events.oom_kill);

    const title = el("div", "cgm__title");
    title.append(el("code", "cgm__path", c.path), el("span", "cgm__procs", `${c.procs.length} process${c.procs.length === 1 ? "" : "es"}`));
    li.append(title);

    // CPU: scale = every CPU of the machine.
    const cpuText: string[] = [`${fmtCpu(used)} of ${cpus} CPUs`];
    if (quota !== null) cpuText.push(`cpu.max ${fmtCpu(quota)} CPU`);
    cpuText.push(`cpu.weight ${c.cpu.weight}${share !== null && share < cpus ? ` → ${fmtCpu(share)} CPU under contention` : ""}`);
    if (c.cpu.nrThrottled) cpuText.push(`throttled in ${c.cpu.nrThrottled} of ${c.cpu.nrPeriods} periods`);
    const cpuBar = this.bar("CPU", used / cpus, quota !== null && used >= quota - 0.01 ? "cgm__fill--capped" : "", [
      ...(quota !== null ? [{ at: quota / cpus, cls: "cgm__line--max", label: "cpu.max" }] : []),
      ...(share !== null && share < cpus ? [{ at: share / cpus, cls: "cgm__line--share", label: "weight share" }] : []),
    ]);
    li.append(this.metric("CPU", cpuBar, cpuText.join(" · ")));

    // Memory: scale = memory.max, or a little above what is used when there is no limit.
    const max = c.memory.max;
    const scale = max ?? Math.max(c.memory.peak * 1.25, 64 * 1024 * 1024);
    const memText = [`${fmtBytes(c.memory.current)}${max !== null ? ` of ${fmtBytes(max)} memory.max` : " (memory.max: max)"}`, `peak ${fmtBytes(c.memory.peak)}`];
    if (c.memory.events.oom_kill) memText.push(`${c.memory.events.oom_kill} OOM kill${c.memory.events.oom_kill === 1 ? "" : "s"}`);
    const memBar = this.bar("memory", c.memory.current / scale, max !== null && c.memory.current >= max * 0.98 ? "cgm__fill--full" : "", [
      ...(c.memory.peak > c.memory.current ? [{ at: c.memory.peak / scale, cls: "cgm__line--peak", label: "memory.peak" }] : []),
    ]);
    li.append(this.metric("Memory", memBar, memText.join(" · "), "mem"));

    // Time axis: the last 30 s.
    const axis = el("div", "cgm__axis");
    axis.setAttribute("role", "img");
    const ooms = marks.filter((m) => m.kind === "oom");
    axis.setAttribute("aria-label", `Last 30 seconds: ${throttles} throttled period${throttles === 1 ? "" : "s"}, ${ooms.length} OOM kill${ooms.length === 1 ? "" : "s"}`);
    for (const m of marks) {
      const x = 1 - (now - m.time) / WINDOW_MS;
      const tick = el("span", `cgm__tick cgm__tick--${m.kind}`, m.kind === "oom" ? "✕" : "");
      tick.style.left = pct(x);
      tick.title = `${m.text} at ${(m.time / 1000).toFixed(1)} s`;
      axis.append(tick);
    }
    const axisRow = el("div", "cgm__metric cgm__metric--axis");
    axisRow.append(el("span", "cgm__label", "Events"), axis, el("span", "cgm__text", `${throttles ? `${throttles} throttled` : "no throttling"}${ooms.length ? ` · ${ooms.map((m) => m.text).join(", ")}` : ""} (last 30 s)`));
    li.append(axisRow);
    return li;
  }

  private bar(name: string, fill: number, fillCls: string, lines: { at: number; cls: string; label: string }[]): HTMLElement {
    const bar = el("div", "cgm__bar");
    bar.setAttribute("role", "meter");
    bar.setAttribute("aria-label", name);
    bar.setAttribute("aria-valuemin", "0");
    bar.setAttribute("aria-valuemax", "100");
    bar.setAttribute("aria-valuenow", String(Math.round(Math.min(1, fill) * 100)));
    const f = el("span", `cgm__fill ${fillCls}`.trim());
    f.style.width = pct(fill);
    bar.append(f);
    for (const l of lines) {
      const line = el("span", `cgm__line ${l.cls}`);
      line.style.left = pct(l.at);
      line.title = l.label;
      bar.append(line);
    }
    return bar;
  }

  private metric(label: string, bar: HTMLElement, text: string, kind = "cpu"): HTMLElement {
    const m = el("div", `cgm__metric cgm__metric--${kind}`);
    m.append(el("span", "cgm__label", label), bar, el("span", "cgm__text", text));
    return m;
  }
}

if (!customElements.get("cgroup-meter")) customElements.define("cgroup-meter", CgroupMeter);
