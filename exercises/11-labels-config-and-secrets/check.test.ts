// Exercise 11 is honest: the starter fails every check but "pods running", the reference solution
// passes, and a solution with one mistake fails only the check about that mistake — graded by
// what the containers see (exec env, cat, mount) and by the Service's EndpointSlice.
import { describe, expect, it } from "vitest";
import exercise, { LOG_LEVEL, PASSWORD } from "./check";
import { failing, gradeWork, noStderr, starterAndSolution } from "../lib/grading";

const { starter, solution } = starterAndSolution(exercise);
const grade = (yaml: string) => gradeWork(exercise, yaml, noStderr);
const NAMES = ["Deployment web has its pods running", "LOG_LEVEL in the container comes from ConfigMap app-config", "the Secret's password is a file at /etc/app/password (a secret volume)", "the password is not written into the Deployment", "Service web selects web's pods and has ready endpoints"] as const;

function edit(from: string, to: string): string {
  expect(solution).toContain(from);
  return solution.replace(from, to);
}

describe("exercise 11: wire config and a secret into a Deployment", () => {
  it("starts with the ConfigMap, the Secret and a Service that selects nothing", () => {
    const h = exercise.setup();
    expect(h.sh("kubectl get configmap app-config -o jsonpath={.data.LOG_LEVEL}").stdout).toBe(LOG_LEVEL);
    expect(h.sh("kubectl get secret app-secret -o jsonpath={.data.password} | base64 -d").stdout).toBe(PASSWORD);
    expect(h.sh("kubectl get endpointslices").stdout).toMatch(/^web-\S+\s+IPv4\s+80\s+<unset>\s/m);
    expect(h.sh("kubectl get pods").stderr).toBe("No resources found in default namespace.\n");
  });

  it("fails on the starter, with hints computed from state", () => {
    const rs = grade(starter);
    expect(rs.map((r) => r.name)).toEqual([...NAMES]);
    expect(rs.map((r) => r.ok)).toEqual([true, false, false, false, false]);
    expect(rs[1]!.detail).toMatch(/^LOG_LEVEL=debug in web-\S+, but written into the Deployment, not taken from app-config\.$/);
    expect(rs[2]!.detail).toMatch(/cat \/etc\/app\/password: cat: \/etc\/app\/password: No such file or directory$/);
    expect(rs[4]!.detail).toMatch(/^Service web selects app=web, and that matches 0 pods; web's pods are labelled app=website,pod-template-hash=\w+\.$/);
    for (const r of rs.filter((x) => !x.ok)) expect(r.hint, r.name).toBeTruthy();
  });

  it("passes on the reference solution", () => {
    const rs = grade(solution);
    expect(failing(rs)).toEqual([]);
    expect(rs[1]!.detail).toContain(`LOG_LEVEL=${LOG_LEVEL}, from app-config`);
    expect(rs[2]!.detail).toContain("tmpfs on /etc/app type tmpfs");
    expect(rs[4]!.detail).toMatch(/^Its EndpointSlice lists 2 ready endpoint\(s\): 10\.200\.\d+\.\d+, 10\.200\.\d+\.\d+\.$/);
  });

  it("the starter first, then the solution: the selector change is refused until the Deployment is deleted", () => {
    const host = exercise.setup();
    exercise.apply(host, starter);
    const r = exercise.apply(host, solution);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('The Deployment "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web"}');
    expect(failing(exercise.check(host))).toContain(NAMES[4]);
    host.sh("kubectl delete deployment web");
    host.tick(30_000);
    expect(exercise.apply(host, solution).stderr).toBe("");
    expect(failing(exercise.check(host))).toEqual([]);
  });

  it("the wrong label: only the Service check fails, and says which labels the pods have", () => {
    const rs = grade(solution.replaceAll("app: web", "app: frontend"));
    expect(failing(rs)).toEqual([NAMES[4]]);
    expect(rs[4]!.detail).toContain("web's pods are labelled app=frontend,");
  });

  it("LOG_LEVEL written as a value (even the right one): only the ConfigMap check fails", () => {
    const rs = grade(edit("          valueFrom:\n            configMapKeyRef:\n              name: app-config\n              key: LOG_LEVEL\n", `          value: ${LOG_LEVEL}\n`));
    expect(failing(rs)).toEqual([NAMES[1]]);
  });

  it("the password as a plain env var besides the volume: only the plain-text check fails", () => {
    const rs = grade(edit("        volumeMounts:\n", `        - name: APP_PASSWORD\n          value: ${PASSWORD}\n        volumeMounts:\n`));
    expect(failing(rs)).toEqual([NAMES[3]]);
  });

  it("the Secret mounted elsewhere: only the file check fails", () => {
    const rs = grade(edit("mountPath: /etc/app", "mountPath: /etc/secret"));
    expect(failing(rs)).toEqual([NAMES[2]]);
  });

  it("a Secret that does not exist: pods never run, and the detail quotes the kubelet", () => {
    const rs = grade(edit("secretName: app-secret", "secretName: app-secrets"));
    expect(rs[0]!.ok).toBe(false);
    expect(failing(rs)).toEqual([NAMES[0], NAMES[1], NAMES[2], NAMES[4]]);
  });
});
