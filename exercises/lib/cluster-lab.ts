// Helpers the cluster exercises share: apply the learner's work to the lab, reach the cluster
// behind the lab's control-plane host, let it settle in virtual time, and read which component
// units are not running. They read typed state (systemd units, etcd's revision, the API's
// objects), never command output.
import type { Host, ShResult } from "../../engine";
import { kernelOf } from "../../engine/k8s/cluster";
import { clusterOf } from "../../engine/k8s/components/context";
import type { ClusterContext } from "../../engine/k8s/components/context";
import type { Pod } from "../../engine/k8s/api/types";
import type { Kernel } from "../../engine/linux/kernel";
import { systemdOf } from "../../engine/linux/systemd";

/** Run the learner's script as one multi-line input, the way the terminal would take a paste. */
export function runScript(host: Host, work: string): ShResult {
  return host.sh(work.endsWith("\n") ? work : work + "\n");
}

/** An Exercise.apply for YAML work: kubectl apply -f - on the control plane, then `settleMs` of
 * virtual time for the controllers and kubelets to act on it. */
export function applyYaml(settleMs: number): (host: Host, work: string) => ShResult {
  return (host, work) => {
    const r = host.sh("kubectl apply -f -", { stdin: work });
    host.tick(settleMs);
    return r;
  };
}

/** The cluster a lab host belongs to; `exercise` names the caller when the host has none. */
export function clusterContext(host: Host, exercise: number): ClusterContext {
  const c = clusterOf(kernelOf(host));
  if (!c) throw new Error(`exercise ${exercise} needs the control plane of a cluster`);
  return c;
}

/** Run the world until etcd stops changing for 6 s of virtual time (bounded), like Cluster.settle. */
export function settleCluster(host: Host, c: ClusterContext, maxMs = 180_000): void {
  let rev = c.api.etcd.revision;
  let quiet = 0;
  for (let t = 0; t < maxMs && quiet < 6_000; t += 250) {
    host.tick(250);
    if (c.api.etcd.revision !== rev) {
      rev = c.api.etcd.revision;
      quiet = 0;
    } else quiet += 250;
  }
}

/** The services a machine runs, the way Kubernetes the Hard Way installs them. */
export function componentUnits(k: Kernel): readonly string[] {
  return k.name === "controlplane" ? ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"] : ["containerd", "kubelet", "kube-proxy"];
}

/** How a command is typed on the control plane to run on machine k ("" there, "ssh NAME " elsewhere). */
export const sshPrefix = (k: Kernel): string => (k.name === "controlplane" ? "" : `ssh ${k.name} `);

export interface UnitState {
  k: Kernel;
  unit: string;
  /** systemd's ActiveState, or "not-found" when the unit is not installed. */
  state: string;
}

/** Every component unit on every machine that is not active, in machine order. */
export function inactiveUnits(c: ClusterContext): UnitState[] {
  return [...c.kernels.values()].flatMap((k) =>
    componentUnits(k)
      .map((unit) => ({ k, unit, state: systemdOf(k).units.get(unit)?.state ?? "not-found" }))
      .filter((u) => u.state !== "active"),
  );
}

/** The pods labelled app=APP in default that are not on their way out. */
export function appPods(c: ClusterContext, app: string): Pod[] {
  return c.api.list<Pod>("Pod", "default").filter((p) => p.metadata.labels?.app === app && !p.metadata.deletionTimestamp);
}
