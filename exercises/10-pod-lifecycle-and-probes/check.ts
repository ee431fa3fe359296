// Exercise 10: probes that let a slow starter start, keep traffic away until it is ready, and
// still restart it when it breaks later. The grader does not read the probes: it WATCHES the
// kubelet. It deletes the Deployment's pod so a fresh one starts, runs virtual time while the
// app warms up (60 s), then breaks the app's health the way the lesson does
// (`kubectl exec … -- rm /tmp/healthy`) and watches for the restart. Hints come from the
// manifest and the events the kubelet recorded.
import { clusterOf, createCluster, kernelOf } from "../../engine";
import type { Host } from "../../engine";
import type { KEvent } from "../../engine/k8s/api/events";
import type { Container, Deployment, Pod } from "../../engine/k8s/api/types";
import type { CheckResult, Exercise } from "../exercise";
import { applyYaml } from "../lib/cluster-lab";

export const IMAGE = "kjl/app:1.0";
/** Seconds the app needs before it listens (the task fixes it). */
export const STARTUP_DELAY = 60;
/** When during the warm-up the grader looks whether the pod is (wrongly) Ready. */
export const EARLY_LOOK_S = 30;
/** By then a good configuration has the pod Ready, on its first container. */
export const READY_BY_S = 90;
/** After /healthz starts failing, the restart must come within this long. */
export const RESTART_WITHIN_S = 60;

const NAMES = {
  manifest: `Deployment web runs ${IMAGE} with STARTUP_DELAY=60`,
  early: `web is not Ready while the app is still starting (at ${EARLY_LOOK_S} s)`,
  start: `web is never restarted while it starts, and is Ready by ${READY_BY_S} s`,
  restart: `web is restarted within ${RESTART_WITHIN_S} s once /healthz fails`,
};

function setup(): Host {
  return createCluster({ workers: 2, seed: 1 }).controlPlane;
}

const apply = applyYaml(1_000);

interface Watch {
  pod?: Pod;
  /** ms after the container started. */
  readyAt?: number;
  readyEarly?: boolean;
  restartsDuringStart: number;
  readyAtEnd: boolean;
  restartedAfter?: number;
  broke?: string;
}

function webContainer(d: Deployment): Container | undefined {
  return d.spec.template.spec.containers.find((c) => c.image === IMAGE || c.image === `docker.io/${IMAGE}`) ?? d.spec.template.spec.containers[0];
}

function check(host: Host): CheckResult[] {
  const ctx = clusterOf(kernelOf(host));
  if (!ctx) return Object.values(NAMES).map((name) => ({ name, ok: false, detail: "This lab is not a cluster.", hint: "Run the exercise in the lesson's cluster lab." }));
  const { api, clock } = ctx;
  const results: CheckResult[] = [];
  const dep = api.tryGet<Deployment>("Deployment", "default", "web");
  const c = dep && webContainer(dep);
  const delay = c?.env?.find((e) => e.name === "STARTUP_DELAY")?.value;
  const skipped = (why: string) => [NAMES.early, NAMES.start, NAMES.restart].forEach((name) => results.push({ name, ok: false, detail: `Not checked: ${why}`, hint: "Fix the first check first." }));
  if (!dep || !c) {
    results.push({ name: NAMES.manifest, ok: false, detail: "There is no Deployment called web in the default namespace.", hint: "kubectl apply -f web.yaml (the starter creates it)." });
    skipped("no Deployment web.");
    return results;
  }
  if (c.image !== IMAGE && c.image !== `docker.io/${IMAGE}`) {
    results.push({ name: NAMES.manifest, ok: false, detail: `Its container runs ${c.image}.`, hint: `Keep image: ${IMAGE}.` });
    skipped("wrong image.");
    return results;
  }
  if (Number(delay) !== STARTUP_DELAY) {
    results.push({ name: NAMES.manifest, ok: false, detail: delay === undefined ? "Its container has no STARTUP_DELAY: the app would start at once." : `STARTUP_DELAY is ${JSON.stringify(delay)}.`, hint: 'Keep env STARTUP_DELAY: "60" — the point is an app that needs a minute.' });
    skipped("the app does not start slowly.");
    return results;
  }
  results.push({ name: NAMES.manifest, ok: true, detail: `${c.name} runs ${c.image}, STARTUP_DELAY=${delay}.` });

  const w = watch(host, dep);
  const probes = [c.startupProbe && "startupProbe", c.readinessProbe && "readinessProbe", c.livenessProbe && "livenessProbe"].filter(Boolean).join(", ") || "no probes";
  if (!w.pod) {
    skipped(w.broke ?? "no pod of web started within 60 s.");
    return results;
  }
  const events = api.list<KEvent>("Event", "default").filter((e) => e.involvedObject.uid === w.pod!.metadata.uid);
  const said = (reason: string) => events.find((e) => e.reason === reason)?.message;

  results.push(
    w.readyEarly
      ? { name: NAMES.early, ok: false, detail: `At ${EARLY_LOOK_S} s the app was not listening yet, but the pod was Ready: a Service would send it traffic (${probes}).`, hint: c.readinessProbe ? "The readiness probe must check something the app only answers once it has started, e.g. httpGet /ready on port 8080." : "Without a readiness (or startup) probe a running container counts as ready. Add a readinessProbe: httpGet /ready on port 8080." }
      : { name: NAMES.early, ok: true, detail: `At ${EARLY_LOOK_S} s the pod was not Ready.` },
  );

  const readySecs = w.readyAt === undefined ? undefined : Math.round(w.readyAt / 1000);
  if (w.restartsDuringStart > 0) {
    results.push({ name: NAMES.start, ok: false, detail: `It was restarted ${w.restartsDuringStart === 1 ? "once" : `${w.restartsDuringStart} times`} in its first ${READY_BY_S} s. The kubelet said: "${said("Killing") ?? "?"}"${said("Unhealthy") ? ` after "${said("Unhealthy")}"` : ""}.`, hint: c.startupProbe ? "Give the startup probe enough tries: periodSeconds × failureThreshold must exceed 60 s." : "The liveness probe runs from the start and kills the app after 3 failures 10 s apart, long before it listens. Add a startupProbe (e.g. failureThreshold: 30, periodSeconds: 10): liveness waits until it succeeds." });
  } else if (!w.readyAtEnd) {
    results.push({ name: NAMES.start, ok: false, detail: `Not restarted, but not Ready at ${READY_BY_S} s either${said("Unhealthy") ? ` (last probe failure: "${said("Unhealthy")}")` : ""}.`, hint: "Check the probes' paths and port: the app answers on 8080, /healthz and /ready. A long initialDelaySeconds or periodSeconds also delays Ready." });
  } else {
    results.push({ name: NAMES.start, ok: true, detail: `No restart; Ready ${readySecs} s after the container started.` });
  }

  if (w.broke) results.push({ name: NAMES.restart, ok: false, detail: w.broke, hint: "Get the start right first (the check above); this one needs an app that is up." });
  else if (w.restartedAfter === undefined) results.push({ name: NAMES.restart, ok: false, detail: `/healthz has answered 500 for ${RESTART_WITHIN_S} s and the container is still the same one.`, hint: c.livenessProbe ? "Your liveness probe must check /healthz on port 8080, and periodSeconds × failureThreshold must stay under 60 s." : "Only a liveness probe makes the kubelet restart a running container. Add livenessProbe: httpGet /healthz on port 8080." });
  else results.push({ name: NAMES.restart, ok: true, detail: `Restarted ${Math.round(w.restartedAfter / 1000)} s after /healthz started failing: "${said("Killing") ?? ""}".` });
  return results;
}

/** Delete web's pod, watch the next one start, then break its health and watch for the restart. */
function watch(host: Host, dep: Deployment): Watch {
  const { api, clock } = clusterOf(kernelOf(host))!;
  const sel = dep.spec.selector.matchLabels ?? {};
  const selector = Object.entries(sel).map(([k, v]) => `${k}=${v}`).join(",");
  const mine = () => api.list<Pod>("Pod", "default").filter((p) => !p.metadata.deletionTimestamp && Object.entries(sel).every(([k, v]) => p.metadata.labels?.[k] === v));
  host.sh(`kubectl delete pod -l ${selector} --wait=false\n`);
  const w: Watch = { restartsDuringStart: 0, readyAtEnd: false };
  const status = () => {
    const p = w.pod && api.tryGet<Pod>("Pod", "default", w.pod.metadata.name);
    return p?.status?.containerStatuses?.[0];
  };
  for (let i = 0; i < 120 && !w.pod; i++) {
    host.tick(500);
    w.pod = mine().find((p) => p.status?.containerStatuses?.[0]?.state.running);
  }
  if (!w.pod) return w;
  const t0 = clock.now();
  while (clock.now() - t0 < READY_BY_S * 1000) {
    host.tick(1_000);
    const s = status();
    const at = clock.now() - t0;
    if (!s) {
      w.broke = "The pod disappeared during the warm-up.";
      return w;
    }
    w.restartsDuringStart = s.restartCount;
    if (at <= EARLY_LOOK_S * 1000 && at > (EARLY_LOOK_S - 1) * 1000) w.readyEarly = s.ready;
    if (s.ready && s.restartCount === 0 && w.readyAt === undefined) w.readyAt = at;
  }
  const end = status();
  w.readyAtEnd = !!end?.ready && end.restartCount === 0;
  if (!end?.state.running || !w.readyAtEnd) {
    w.broke = `At ${READY_BY_S} s the app was not up and Ready on its first container, so there was no health to break yet.`;
    return w;
  }
  const before = end.restartCount;
  const r = host.sh(`kubectl exec ${w.pod.metadata.name} -- rm /tmp/healthy\n`);
  if (r.exitCode !== 0) {
    w.broke = `kubectl exec failed: ${r.stderr.trim()}`;
    return w;
  }
  const t1 = clock.now();
  while (clock.now() - t1 < RESTART_WITHIN_S * 1000) {
    host.tick(1_000);
    if ((status()?.restartCount ?? before) > before) {
      w.restartedAfter = clock.now() - t1;
      break;
    }
  }
  return w;
}

const exercise: Exercise = {
  number: 10,
  slug: "10-pod-lifecycle-and-probes",
  title: "Probes for a slow starter",
  starter: "web.yaml",
  kind: "yaml",
  setup,
  apply,
  check,
  hints: [
    "Three questions, three probes: has it started yet (startupProbe)? should it get traffic now (readinessProbe)? is it stuck and in need of a restart (livenessProbe)?",
    "A liveness probe alone starts probing at once: 3 failures × 10 s = 30 s, and the app needs 60 s. That is the restart you see in kubectl get pods.",
    "A startupProbe holds the other two back until it succeeds once. Give it room: periodSeconds: 10 with failureThreshold: 30 allows up to 300 s.",
    "readinessProbe: httpGet path /ready port 8080. livenessProbe: httpGet path /healthz port 8080, with the defaults (period 10 s, 3 failures).",
  ],
};

export default exercise;
