// The kubelet's prober: one worker per container and probe type, ticking every periodSeconds
// (pkg/kubelet/prober/worker.go). A probe is nothing exotic: an HTTP GET or a TCP connect from
// the node's own network stack to the pod IP, or a command run in the container's namespaces.
// A result only counts after failureThreshold (or successThreshold) identical results in a row.
import type { Kernel } from "../../linux/kernel";
import { Capture, TextReader } from "../../linux/io";
import type { Process } from "../../linux/process";
import type { Program } from "../../linux/tasks";
import { netOf } from "../../linux/net/registry";
import { parseIp } from "../../linux/net/ipv4";
import { tcpConnect } from "../../linux/net/tcp";
import { findExecutable, spawn } from "../../shell/exec";
import type { Clock } from "../../sim/clock";
import type { Container, Probe } from "../api/types";

export type ProbeType = "Liveness" | "Readiness" | "Startup";
export type ProbeResult = "Success" | "Failure" | "Unknown";

/** The API defaults for a probe (pkg/apis/core/v1/defaults.go SetDefaults_Probe). */
export const PROBE_DEFAULTS = { initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3, successThreshold: 1 } as const;

export type ProbeTiming = { [K in keyof typeof PROBE_DEFAULTS]: number };

export function probeTiming(p: Probe): ProbeTiming {
  return {
    initialDelaySeconds: p.initialDelaySeconds ?? PROBE_DEFAULTS.initialDelaySeconds,
    periodSeconds: p.periodSeconds || PROBE_DEFAULTS.periodSeconds,
    timeoutSeconds: p.timeoutSeconds || PROBE_DEFAULTS.timeoutSeconds,
    failureThreshold: p.failureThreshold || PROBE_DEFAULTS.failureThreshold,
    successThreshold: p.successThreshold || PROBE_DEFAULTS.successThreshold,
  };
}

/** Before a probe has an opinion: readiness says no, liveness says yes, startup does not know. */
export function initialResult(type: ProbeType): ProbeResult {
  return type === "Readiness" ? "Failure" : type === "Liveness" ? "Success" : "Unknown";
}

/** A named port ("http") resolves through the container's ports, as the kubelet does. */
export function resolvePort(port: number | string, c: Container): number | undefined {
  if (typeof port === "number") return port;
  if (/^\d+$/.test(port)) return Number(port);
  return c.ports?.find((p) => p.name === port)?.containerPort;
}

/** kubectl describe's probe line (DescribeProbe): "http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3". */
export function describeProbe(p: Probe): string {
  const t = probeTiming(p);
  const attrs = `delay=${t.initialDelaySeconds}s timeout=${t.timeoutSeconds}s period=${t.periodSeconds}s #success=${t.successThreshold} #failure=${t.failureThreshold}`;
  if (p.exec) return `exec [${(p.exec.command ?? []).join(" ")}] ${attrs}`;
  if (p.httpGet) {
    const h = p.httpGet as Probe["httpGet"] & { host?: string };
    return `http-get ${(h!.scheme ?? "HTTP").toLowerCase()}://${h!.host ?? ""}:${h!.port}${h!.path ?? ""} ${attrs}`;
  }
  if (p.tcpSocket) return `tcp-socket ${(p.tcpSocket as { host?: string }).host ?? ""}:${p.tcpSocket.port} ${attrs}`;
  return `unknown ${attrs}`;
}

/**
 * The result counter of a probe worker (worker.go doProbe): the same raw result must repeat
 * failureThreshold (or successThreshold) times before it replaces the reported one.
 */
export interface ResultRun {
  last: ProbeResult;
  run: number;
}

export function countResult(state: ResultRun, result: ProbeResult, t: ProbeTiming): { state: ResultRun; report: boolean } {
  const run = state.last === result ? state.run + 1 : 1;
  const next = { last: result, run };
  if ((result === "Failure" && run < t.failureThreshold) || (result === "Success" && run < t.successThreshold)) return { state: next, report: false };
  return { state: next, report: true };
}

/**
 * The kubelet's container restart back-off (client-go flowcontrol.Backoff with 10 s initial and
 * 300 s maximum, no jitter). The first restart is immediate; while a container keeps dying, each
 * restart waits twice as long as the last; an entry older than twice the maximum (10 min of
 * running) is forgotten, so a container that ran that long starts again at once.
 */
export class ContainerBackOff {
  static readonly INITIAL_MS = 10_000;
  static readonly MAX_MS = 300_000;
  private readonly entries = new Map<string, { backoff: number; lastUpdate: number }>();

  private expired(eventTime: number, lastUpdate: number): boolean {
    return eventTime - lastUpdate > ContainerBackOff.MAX_MS * 2;
  }

  /** IsInBackOffSince: must a container that finished at eventTime still wait at `now`? */
  isInBackOffSince(key: string, eventTime: number, now: number): boolean {
    const e = this.entries.get(key);
    if (!e || this.expired(eventTime, e.lastUpdate)) return false;
    return now - eventTime < e.backoff;
  }

  /** Next: record a restart at `now`, doubling the wait (or starting over after a long run). */
  next(key: string, eventTime: number, now: number): void {
    const e = this.entries.get(key);
    if (!e || this.expired(eventTime, e.lastUpdate)) this.entries.set(key, { backoff: ContainerBackOff.INITIAL_MS, lastUpdate: now });
    else this.entries.set(key, { backoff: Math.min(e.backoff * 2, ContainerBackOff.MAX_MS), lastUpdate: now });
  }

  get(key: string): number {
    return this.entries.get(key)?.backoff ?? 0;
  }

  forget(key: string): void {
    this.entries.delete(key);
  }
}

/** What a probe needs to know about the container it checks. */
export interface ProbeTarget {
  podIP: string;
  /** Host pid of the container's init process (exec probes enter its namespaces). */
  pid: number;
  container: Container;
}

/**
 * Run one probe from the kubelet process. httpGet/tcpSocket connect through the node's network
 * stack (the host network namespace) to the pod IP; exec runs the command with nsenter in the
 * container's namespaces. Returns the result and the output the kubelet puts in its event.
 */
export function* runProbe(kernel: Kernel, kubelet: Process, p: Probe, target: ProbeTarget): Generator<import("../../linux/tasks").Wait, { result: ProbeResult; output: string }, unknown> {
  const t = probeTiming(p);
  const timeoutMs = t.timeoutSeconds * 1000;
  if (p.exec) {
    const cmd = p.exec.command ?? [];
    const found = findExecutable(kernel, kubelet, "nsenter");
    if (!found.ok || !cmd.length) return { result: "Unknown", output: "" };
    const out = new Capture();
    const child = spawn(kernel, kubelet, ["nsenter", "-t", String(target.pid), "-a", ...cmd], found.node, { fds: { 0: new TextReader(""), 1: out, 2: out } });
    // timeoutSeconds holds for exec probes too (ExecProbeTimeout, on since 1.20): the runtime's
    // ExecSync gives up at the deadline and the probe fails with the runtime's message.
    let timedOut = false;
    const cancel = kernel.clock.after(timeoutMs, () => {
      if (!child.alive) return;
      timedOut = true;
      kernel.kill(child.pid, 9);
    });
    const status = child.alive ? ((yield { kind: "child", proc: child }) as number) : (child.exitStatus ?? 0);
    cancel();
    if (timedOut) return { result: "Failure", output: `command ${JSON.stringify(cmd.join(" "))} timed out` };
    return { result: status === 0 ? "Success" : "Failure", output: out.text };
  }
  const raw = p.httpGet?.port ?? p.tcpSocket?.port;
  const port = raw === undefined ? undefined : resolvePort(raw, target.container);
  const host = (p.httpGet as { host?: string } | undefined)?.host ?? (p.tcpSocket as { host?: string } | undefined)?.host ?? target.podIP;
  const dst = parseIp(host);
  if (port === undefined || dst === null) return { result: "Unknown", output: `unable to resolve port ${String(raw)}` };
  const st = netOf(kernel, kernel.initNs.net);
  if (p.tcpSocket) {
    const r = tcpConnect(st, dst, port, "", timeoutMs);
    if (r.outcome === "connected") return { result: "Success", output: "" };
    return { result: "Failure", output: `dial tcp ${host}:${port}: ${dialError(r.outcome)}` };
  }
  const h = p.httpGet!;
  const path = h.path ?? "";
  const url = `${(h.scheme ?? "HTTP").toLowerCase()}://${host}:${port}${path}`;
  const r = tcpConnect(st, dst, port, `GET ${path || "/"} HTTP/1.1\r\nHost: ${host}:${port}\r\nUser-Agent: kube-probe/1.34\r\nAccept: */*\r\nConnection: close\r\n\r\n`, timeoutMs);
  if (r.outcome === "timeout") return { result: "Failure", output: `Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)` };
  if (r.outcome !== "connected") return { result: "Failure", output: `Get "${url}": dial tcp ${host}:${port}: ${dialError(r.outcome)}` };
  const code = Number(/^HTTP\/\d(?:\.\d)? (\d{3})/.exec(r.data)?.[1]);
  if (!code) return { result: "Failure", output: `Get "${url}": EOF` };
  // pkg/probe/http: 200 ≤ code < 400 is success (redirects count as success too).
  if (code >= 200 && code < 400) return { result: "Success", output: "" };
  return { result: "Failure", output: `HTTP probe failed with statuscode: ${code}` };
}

function dialError(outcome: string): string {
  return outcome === "refused" ? "connect: connection refused" : outcome === "timeout" ? "i/o timeout" : outcome === "no-route" ? "connect: no route to host" : "connect: network is unreachable";
}

/** What a worker reads about its container on each tick. */
export interface ContainerView {
  /** The running container's id ("" when none). */
  id: string;
  running: boolean;
  /** Virtual ms at which it started. */
  startedAt: number;
  /** Has the startup probe (if any) succeeded? */
  started: boolean;
  target: ProbeTarget | null;
  /** Terminated and will not be restarted: the worker stops. */
  finished: boolean;
}

/**
 * One probe worker, as a goroutine of the kubelet: a ticker every periodSeconds from the moment
 * the worker starts, each tick one doProbe. Results go to `onResult` only when they change what
 * the kubelet reports.
 */
export class ProbeWorker {
  result: ProbeResult;
  private run: ResultRun = { last: "Unknown", run: 0 };
  private containerId = "";
  private onHold = false;
  private stopTimer: (() => void) | null = null;
  private busy = false;
  stopped = false;
  readonly timing: ProbeTiming;

  constructor(
    readonly type: ProbeType,
    readonly probe: Probe,
    private readonly kernel: Kernel,
    private readonly kubelet: Process,
    private readonly clock: Clock,
    private readonly view: () => ContainerView | null,
    private readonly onResult: (w: ProbeWorker, result: ProbeResult, output: string) => void,
    /** Every probe run (the kubelet records failures as "Unhealthy" events). */
    private readonly onRun: (w: ProbeWorker, result: ProbeResult, output: string) => void,
    readonly containerName = "",
  ) {
    this.timing = probeTiming(probe);
    this.result = initialResult(type);
  }

  /** The container instance the current result is about. */
  get currentId(): string {
    return this.containerId;
  }

  start(): void {
    this.tick();
  }

  stop(): void {
    this.stopped = true;
    this.stopTimer?.();
  }

  private tick(): void {
    // The workers are goroutines of the kubelet: they die with it.
    if (!this.kubelet.alive) this.stop();
    if (this.stopped) return;
    this.stopTimer = this.clock.after(this.timing.periodSeconds * 1000, () => this.tick());
    // A probe still running (a slow exec) is not started twice.
    if (this.busy) return;
    this.busy = true;
    const self = this;
    this.kernel.sched.start(
      this.kubelet,
      (function* (): Program {
        try {
          yield* self.doProbe();
        } finally {
          self.busy = false;
        }
        return 0;
      })(),
      true,
    );
  }

  private setResult(r: ProbeResult, output = ""): void {
    const changed = r !== this.result;
    this.result = r;
    if (changed) this.onResult(this, r, output);
  }

  private *doProbe(): Generator<import("../../linux/tasks").Wait, void, unknown> {
    const c = this.view();
    if (!c) return this.stop();
    if (!c.id) {
      if (this.type === "Readiness") this.setResult("Failure");
      if (c.finished) this.stop();
      return;
    }
    if (c.id !== this.containerId) {
      // A new container (a restart): forget the old verdict and start from the initial value.
      this.containerId = c.id;
      this.onHold = false;
      this.setResult(initialResult(this.type));
    }
    if (this.onHold) return;
    if (!c.running || !c.target) {
      if (this.type === "Readiness") this.setResult("Failure");
      if (c.finished) this.stop();
      return;
    }
    // initialDelaySeconds counts whole seconds since the container started.
    if (Math.floor((this.clock.now() - c.startedAt) / 1000) < this.timing.initialDelaySeconds) return;
    // The startup probe runs until it succeeds once; the others wait for it.
    if (c.started) {
      if (this.type === "Startup") return;
    } else if (this.type !== "Startup") return;
    const { result, output } = yield* runProbe(this.kernel, this.kubelet, this.probe, c.target);
    if (this.stopped || this.view()?.id !== this.containerId) return;
    this.onRun(this, result, output);
    // A prober error (a named port the container does not declare, say) is thrown away, not counted.
    if (result === "Unknown") return;
    const counted = countResult(this.run, result, this.timing);
    this.run = counted.state;
    if (!counted.report) return;
    this.setResult(result, output);
    if ((this.type === "Liveness" || this.type === "Startup") && result === "Failure") {
      // The container will be killed; stop probing it until a new one runs.
      this.onHold = true;
      this.run = { last: this.run.last, run: 0 };
    }
  }
}
