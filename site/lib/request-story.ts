// The story of one kubectl request, built from the engine's typed events (seed 002's walkthrough
// made live): kubectl sends an HTTP request → the API server admits it → etcd stores it → the
// controllers react → the scheduler binds the pods → each kubelet starts them → containerd and
// runc make the processes. A new story starts with the next kubectl command that writes
// something; a `kubectl get` in between only reads, so the story it follows keeps growing.
// Pure: no DOM, so it is unit-tested against a real cluster's event log.
import type { EngineEvent } from "../../engine/api";

export type Stage = "kubectl" | "apiserver" | "etcd" | "controller" | "scheduler" | "kubelet" | "runtime";

export const STAGES: readonly { id: Stage; label: string }[] = [
  { id: "kubectl", label: "kubectl" },
  { id: "apiserver", label: "API server" },
  { id: "etcd", label: "etcd" },
  { id: "controller", label: "controllers" },
  { id: "scheduler", label: "scheduler" },
  { id: "kubelet", label: "kubelet" },
  { id: "runtime", label: "runtime" },
];

export interface StoryStep {
  stage: Stage;
  /** Virtual time (ms) it happened. */
  time: number;
  /** The machine it happened on. */
  host: string;
  /** One short sentence. */
  title: string;
  /** The concrete facts: a path, a key and revision, a pid, an address. */
  detail: string;
}

export interface Story {
  /** The command line that started it: "kubectl apply -f web.yaml". */
  command: string;
  start: number;
  steps: StoryStep[];
  counts: Record<Stage, number>;
  /** Steps left out once the story grew past MAX_STEPS. */
  dropped: number;
}

export const MAX_STEPS = 400;

type Ev<T extends EngineEvent["type"]> = Extract<EngineEvent, { type: T }>;

/** Verbs whose writes real kubectl sends as PATCH (apply, scale, label, …), not PUT. */
const PATCHING = new Set(["apply", "scale", "set", "label", "annotate", "cordon", "uncordon", "drain", "taint", "rollout", "patch", "edit"]);

const STATUS_TEXT: Record<string, string> = { POST: "201 Created", PUT: "200 OK", PATCH: "200 OK", DELETE: "200 OK" };

function httpMethod(kubectlVerb: string, e: Ev<"k8s.api">): string {
  if (e.verb === "create") return "POST";
  if (e.verb === "delete") return "DELETE";
  return PATCHING.has(kubectlVerb) ? "PATCH" : "PUT";
}

/** A POST goes to the collection (the name is the server's to store); the others to the object. */
function requestPath(method: string, e: Ev<"k8s.api">): string {
  return method === "POST" ? e.path.slice(0, e.path.lastIndexOf("/")) : e.path;
}

const obj = (e: { kind: string; namespace: string; name: string }) => `${e.kind} ${e.namespace ? `${e.namespace}/` : ""}${e.name}`;

export class RequestStory {
  story: Story | null = null;
  /** The kubectl command running now (between its k8s.kubectl and its shell.command). */
  private pending: Ev<"k8s.kubectl"> | null = null;
  /** The kubectl event the current story started from. */
  private origin: Ev<"k8s.kubectl"> | null = null;

  /** Take one event; true when the story changed. */
  feed(e: EngineEvent): boolean {
    switch (e.type) {
      case "reset":
        this.story = null;
        this.pending = this.origin = null;
        return true;
      case "k8s.kubectl":
        this.pending = e;
        return false;
      case "shell.command":
        this.pending = null;
        return false;
      case "k8s.api":
        return this.write(e);
      case "k8s.controller":
        return this.add({ stage: "controller", time: e.time, host: e.host, title: `${e.controller}: ${e.reason}`, detail: e.message });
      case "k8s.schedule": {
        const others = e.candidates.map((c) => `${c.node} ${c.feasible ? c.score : "filtered out"}`).join(", ");
        if (e.node === null) return this.add({ stage: "scheduler", time: e.time, host: e.host, title: `FailedScheduling ${e.pod}`, detail: e.message ?? "" });
        return this.add({ stage: "scheduler", time: e.time, host: e.host, title: `Bound ${e.pod} to ${e.node}`, detail: `score ${e.score ?? "?"} (${others})` });
      }
      case "k8s.kubelet": {
        const where = `kubelet on ${e.host}`;
        if (e.step === "sandbox") return this.add({ stage: "kubelet", time: e.time, host: e.host, title: `${where}: sandbox for ${e.pod}`, detail: `pause pid ${e.pid} holds the pod's net, ipc and uts namespaces` });
        if (e.step === "network") return this.add({ stage: "kubelet", time: e.time, host: e.host, title: `${where}: CNI ADD for ${e.pod}`, detail: `eth0 ${e.ip || "(no address)"} in the pod, host end ${e.veth || "?"} on cni0` });
        return this.add({ stage: "kubelet", time: e.time, host: e.host, title: `${where}: started container ${e.container} of ${e.pod}`, detail: `pid ${e.pid}, container ${e.containerId.slice(0, 13)}` });
      }
      case "k8s.runtime":
        return this.add({ stage: "runtime", time: e.time, host: e.host, title: `containerd on ${e.host}: ${e.image}`, detail: `overlay rootfs mounted, shim pid ${e.shimPid}, runc started pid ${e.pid}` });
      default:
        return false;
    }
  }

  private write(e: Ev<"k8s.api">): boolean {
    if (e.kind === "Event") return false; // the Events the components record are not steps of their own
    // kubectl's own writes carry its User-Agent; the rest come from the components reacting.
    const byKubectl = this.pending !== null && (e.userAgent ?? "").startsWith("kubectl/");
    if (byKubectl && this.pending !== this.origin) {
      this.origin = this.pending;
      this.story = { command: this.pending!.argv.join(" "), start: this.pending!.time, steps: [], counts: { kubectl: 0, apiserver: 0, etcd: 0, controller: 0, scheduler: 0, kubelet: 0, runtime: 0 }, dropped: 0 };
    }
    if (!this.story) return false;
    const done = e.verb === "create" ? "created" : e.verb === "delete" ? "deleted" : "updated";
    const etcd: StoryStep = { stage: "etcd", time: e.time, host: e.host, title: `${e.verb === "delete" ? "DELETE" : "PUT"} ${e.key}`, detail: `${obj(e)} ${done} at revision ${e.revision}` };
    if (byKubectl) {
      const method = httpMethod(this.origin!.argv[1] ?? "", e);
      this.add({ stage: "kubectl", time: this.origin!.time, host: this.origin!.host, title: `${method} ${requestPath(method, e)}`, detail: this.story.command });
      this.add({ stage: "apiserver", time: e.time, host: e.host, title: `${obj(e)}: decoded, defaulted, validated`, detail: `answers ${STATUS_TEXT[method]} once etcd has stored it` });
      return this.add(etcd);
    }
    // The components' own status reports (kubelet, controllers) are not steps of the request.
    if (e.subresource === "status") return false;
    return this.add(etcd);
  }

  private add(step: StoryStep): boolean {
    const s = this.story;
    if (!s) return false;
    s.counts[step.stage]++;
    if (s.steps.length >= MAX_STEPS) {
      s.dropped++;
      return true;
    }
    s.steps.push(step);
    return true;
  }
}
