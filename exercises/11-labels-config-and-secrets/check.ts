// Exercise 11: wire config and a secret into a Deployment, and label its pods so the Service
// that is already waiting finds them. The lab is a two-worker cluster holding ConfigMap
// app-config, Secret app-secret and Service web (selector app=web), and no pods of its own.
//
// The grader reads state, not the learner's YAML text: it asks the running containers (kubectl
// exec … env, … cat /etc/app/password, … mount), reads the EndpointSlice the Service owns, and
// only looks into the Deployment's spec for the one thing state cannot show: whether the
// password was pasted in as plain text. Hints are computed from what it found.
import { clusterOf, createCluster, kernelOf } from "../../engine";
import type { Host } from "../../engine";
import { matchesMap } from "../../engine/k8s/api/labels";
import type { ConfigMap, Deployment, EndpointSlice, Pod, Service } from "../../engine/k8s/api/types";
import type { CheckResult, Exercise } from "../exercise";
import { applyYaml } from "../lib/cluster-lab";

export const LOG_LEVEL = "info";
export const PASSWORD = "correct-horse-battery";
export const PASSWORD_FILE = "/etc/app/password";

/** The Service that waits for web's pods. */
export const SERVICE_YAML = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 80
`;

/** What the lab holds before the learner arrives, as the commands that made it. */
export const LAB_SCRIPT = `kubectl create configmap app-config --from-literal=LOG_LEVEL=${LOG_LEVEL}
kubectl create secret generic app-secret --from-literal=password=${PASSWORD}
kubectl apply -f - <<EOF
${SERVICE_YAML}EOF
`;

const NAMES = {
  running: "Deployment web has its pods running",
  env: "LOG_LEVEL in the container comes from ConfigMap app-config",
  file: `the Secret's password is a file at ${PASSWORD_FILE} (a secret volume)`,
  plain: "the password is not written into the Deployment",
  service: "Service web selects web's pods and has ready endpoints",
};

function setup(): Host {
  const cluster = createCluster({ workers: 2, seed: 1 });
  for (const cmd of LAB_SCRIPT.split(/\n(?=kubectl)/)) cluster.sh(cmd.trimEnd());
  cluster.settle();
  return cluster.controlPlane;
}

const apply = applyYaml(5_000);

const sh = (host: Host, cmd: string) => host.sh(cmd + "\n");

function check(host: Host): CheckResult[] {
  const ctx = clusterOf(kernelOf(host));
  if (!ctx) return Object.values(NAMES).map((name) => ({ name, ok: false, detail: "This lab is not a cluster.", hint: "Run the exercise in the lesson's cluster lab." }));
  const { api } = ctx;
  const results: CheckResult[] = [];
  const dep = api.tryGet<Deployment>("Deployment", "default", "web");
  const cm = api.tryGet<ConfigMap>("ConfigMap", "default", "app-config");
  const want = cm?.data?.LOG_LEVEL;
  const sel = dep?.spec.selector.matchLabels ?? {};
  const pods = dep ? api.list<Pod>("Pod", "default").filter((p) => !p.metadata.deletionTimestamp && matchesMap(p.metadata.labels, sel) && Object.keys(sel).length > 0) : [];
  const running = pods.filter((p) => p.status?.containerStatuses?.[0]?.state.running);
  const pod = running[0];
  const skip = (why: string, ...names: string[]) => names.forEach((name) => results.push({ name, ok: false, detail: `Not checked: ${why}`, hint: "Fix the first check first." }));

  // 1. Pods that run.
  if (!dep) {
    results.push({ name: NAMES.running, ok: false, detail: "There is no Deployment called web in the default namespace.", hint: "kubectl apply -f web.yaml (the starter is a Deployment named web)." });
    skip("no Deployment web.", NAMES.env, NAMES.file);
  } else if (!pod) {
    const waiting = pods.map((p) => p.status?.containerStatuses?.[0]?.state.waiting).find(Boolean);
    results.push({
      name: NAMES.running,
      ok: false,
      detail: waiting ? `web's pods are not running: ${waiting.reason}${waiting.message ? `: ${waiting.message}` : ""}.` : `None of web's ${pods.length} pods is running.`,
      hint: waiting?.message ? "The kubelet could not build the container: check every configMapKeyRef, secretKeyRef and secret volume names an object and key that exist (kubectl get configmap app-config -o yaml)." : "kubectl describe pod -l " + Object.entries(sel).map(([k, v]) => `${k}=${v}`).join(",") + " shows why.",
    });
    skip("no running pod of web.", NAMES.env, NAMES.file);
  } else {
    results.push({ name: NAMES.running, ok: true, detail: `${running.length} of web's pods running (${pod.metadata.name} on ${pod.spec.nodeName}).` });
    const name = pod.metadata.name;
    // 2. LOG_LEVEL, as the process sees it, and where the spec takes it from.
    const env = sh(host, `kubectl exec ${name} -- env`).stdout.split("\n");
    const got = env.find((l) => l.startsWith("LOG_LEVEL="))?.slice("LOG_LEVEL=".length);
    const c = dep.spec.template.spec.containers[0]!;
    const fromCm = (c.env ?? []).some((e) => e.name === "LOG_LEVEL" && (e.valueFrom as { configMapKeyRef?: { name: string; key: string } } | undefined)?.configMapKeyRef?.name === "app-config") || (c.envFrom ?? []).some((e) => (e as { configMapRef?: { name: string } }).configMapRef?.name === "app-config" && !(e as { prefix?: string }).prefix);
    if (got === undefined) results.push({ name: NAMES.env, ok: false, detail: `${name}'s process has no LOG_LEVEL in its environment.`, hint: "Add env: - name: LOG_LEVEL with valueFrom: configMapKeyRef: {name: app-config, key: LOG_LEVEL}." });
    else if (!fromCm) results.push({ name: NAMES.env, ok: false, detail: `LOG_LEVEL=${got} in ${name}, but written into the Deployment, not taken from app-config.`, hint: "Replace value: with valueFrom.configMapKeyRef (or envFrom.configMapRef): then changing app-config changes the next pods, with no edit to the Deployment." });
    else if (got !== want) results.push({ name: NAMES.env, ok: false, detail: `LOG_LEVEL=${got} in ${name}, but app-config says ${want}.`, hint: "A pod reads a ConfigMap only when its container starts: restart the pods (kubectl rollout restart deployment web)." });
    else results.push({ name: NAMES.env, ok: true, detail: `kubectl exec ${name} -- env shows LOG_LEVEL=${got}, from app-config.` });

    // 3. The password file, its content and the mount behind it.
    const cat = sh(host, `kubectl exec ${name} -- cat ${PASSWORD_FILE}`);
    const mount = sh(host, `kubectl exec ${name} -- mount`).stdout.split("\n").find((l) => l.includes(` on ${PASSWORD_FILE.slice(0, PASSWORD_FILE.lastIndexOf("/"))} `));
    const secret = sh(host, "kubectl get secret app-secret -o jsonpath={.data.password}").stdout;
    const secretValue = secret ? atob(secret) : undefined;
    if (cat.exitCode !== 0) results.push({ name: NAMES.file, ok: false, detail: `kubectl exec ${name} -- cat ${PASSWORD_FILE}: ${cat.stderr.trim().split("\n")[0]}`, hint: "Add a volume (secret: {secretName: app-secret}) and a volumeMount with mountPath: /etc/app in the container: each key of the Secret becomes a file there." });
    else if (cat.stdout !== secretValue) results.push({ name: NAMES.file, ok: false, detail: `${PASSWORD_FILE} holds ${JSON.stringify(cat.stdout)}, not app-secret's password.`, hint: "Mount the Secret app-secret itself; its key password becomes the file password." });
    else if (!mount?.startsWith("tmpfs ")) results.push({ name: NAMES.file, ok: false, detail: `${PASSWORD_FILE} has the right content, but ${mount ? `it lives on ${mount.split(" ")[4]}` : "it is not on a volume"}, not on the Secret's tmpfs.`, hint: "Use a secret volume (secret: {secretName: app-secret}), not a ConfigMap or a file written by the command." });
    else results.push({ name: NAMES.file, ok: true, detail: `${PASSWORD_FILE} holds app-secret's password (${mount.split(" ").slice(0, 5).join(" ")}).` });
  }

  // 4. No plain-text password in the Deployment.
  if (dep) {
    const plain = (secretValueOf(host) ?? PASSWORD);
    const where = JSON.stringify(dep.spec.template).includes(plain);
    results.push(where ? { name: NAMES.plain, ok: false, detail: "The password appears in plain text in web's pod template: anyone who can read the Deployment can read it.", hint: "Delete the env var that spells it out; the pod reads it from the Secret app-secret instead (a volume, or valueFrom.secretKeyRef)." } : { name: NAMES.plain, ok: true, detail: "The pod template does not contain the password." });
  } else skip("no Deployment web.", NAMES.plain);

  // 5. The Service finds the pods.
  const svc = api.tryGet<Service>("Service", "default", "web");
  const slices = api.list<EndpointSlice>("EndpointSlice", "default").filter((s) => s.metadata.labels?.["kubernetes.io/service-name"] === "web");
  const ready = slices.flatMap((s) => s.endpoints ?? []).filter((e) => e.conditions.ready);
  const svcSel = svc?.spec.selector ?? {};
  const selText = Object.entries(svcSel).map(([k, v]) => `${k}=${v}`).join(",");
  const selected = api.list<Pod>("Pod", "default").filter((p) => !p.metadata.deletionTimestamp && Object.keys(svcSel).length && matchesMap(p.metadata.labels, svcSel));
  const webPods = new Set(pods.map((p) => p.metadata.name));
  if (!svc) results.push({ name: NAMES.service, ok: false, detail: "Service web is gone.", hint: "Leave the Service alone: apply the Service from the exercise's README again." });
  else if (!selected.length) {
    const labels = pods[0]?.metadata.labels;
    results.push({ name: NAMES.service, ok: false, detail: `Service web selects ${selText}, and that matches 0 pods${labels ? `; web's pods are labelled ${Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(",")}` : ""}.`, hint: `Give the pod template the label the Service asks for (${selText}), and the Deployment's selector with it. A Deployment's selector cannot change: kubectl delete deployment web, then apply again.` });
  } else if (!ready.some((e) => e.targetRef && webPods.has(e.targetRef.name))) results.push({ name: NAMES.service, ok: false, detail: `Service web selects ${selected.length} pod(s) (${selected.map((p) => p.metadata.name).join(", ")}), but its EndpointSlice has no ready endpoint of Deployment web.`, hint: "The selected pods must be web's, running and Ready: kubectl get endpointslices and kubectl get pods -l " + selText + "." });
  else results.push({ name: NAMES.service, ok: true, detail: `Its EndpointSlice lists ${ready.length} ready endpoint(s): ${ready.map((e) => e.addresses[0]).join(", ")}.` });
  return results;
}

/** app-secret's password as it is now (the learner may have changed it). */
function secretValueOf(host: Host): string | undefined {
  const b64 = sh(host, "kubectl get secret app-secret -o jsonpath={.data.password}").stdout;
  try {
    return b64 ? atob(b64) : undefined;
  } catch {
    return undefined;
  }
}

const exercise: Exercise = {
  number: 11,
  slug: "11-labels-config-and-secrets",
  title: "Wire config and a secret into a Deployment",
  starter: "web.yaml",
  kind: "yaml",
  setup,
  apply,
  check,
  hints: [
    "Three separate links, each by name or by label: the Service finds pods by label, the container finds the ConfigMap and the Secret by name.",
    "kubectl get service web -o wide shows the selector the pods need. Put that label in the pod template, and in spec.selector.matchLabels too.",
    "LOG_LEVEL: env: - name: LOG_LEVEL, valueFrom: configMapKeyRef: {name: app-config, key: LOG_LEVEL}.",
    "The password: volumes: - name: secret, secret: {secretName: app-secret}; and in the container volumeMounts: - name: secret, mountPath: /etc/app. Then remove the env var that spells it out.",
  ],
};

export default exercise;
