// kubectl delete waits (in virtual time) until the object is gone from the API, as the real
// one does by default; --wait=false, --grace-period=0 --force, --now and --timeout change that.
import { describe, expect, it } from "vitest";
import { createCluster } from "../cluster";
import type { Pod } from "../api/types";
import { FORCE_WARNING } from "./delete";

function setup() {
  const c = createCluster({ workers: 2, seed: 1 });
  c.sh("kubectl run web --image=nginx:1.27");
  c.settle();
  return c;
}

/** The virtual time at which the API server removed default/NAME (a DELETED watch event). */
function goneAt(c: ReturnType<typeof setup>, name: string): () => number | undefined {
  let at: number | undefined;
  c.api.watch("Pod", (type, p: Pod) => {
    if (type === "DELETED" && p.metadata.name === name) at = c.context.clock.now();
  });
  return () => at;
}

describe("kubectl delete", () => {
  it("prints its line, then waits until the object is gone from the API, and returns at that very moment", () => {
    const c = setup();
    expect(c.api.get<Pod>("Pod", "default", "web").status?.phase).toBe("Running");
    // A kubelet that takes its time: stopped, so the pod stays Terminating until, 2.5 s later,
    // the API server finally removes it (what the kubelet does after stopping the containers).
    c.node(c.api.get<Pod>("Pod", "default", "web").spec.nodeName!).sh("systemctl stop kubelet");
    const t0 = c.context.clock.now();
    const gone = goneAt(c, "web");
    c.context.clock.at(t0 + 2500, () => c.api.delete("Pod", "default", "web", { gracePeriod: 0 }));
    const r = c.sh("kubectl delete pod web");
    expect(r).toMatchObject({ stdout: 'pod "web" deleted\n', stderr: "", exitCode: 0 });
    expect(gone()).toBe(t0 + 2500);
    expect(c.context.clock.now()).toBe(t0 + 2500);
    expect(c.sh("kubectl get pods").stderr).toBe("No resources found in default namespace.\n");
  });

  it("with a working kubelet the pod is gone when the command returns", () => {
    const c = setup();
    const gone = goneAt(c, "web");
    expect(c.sh("kubectl delete pod web")).toMatchObject({ stdout: 'pod "web" deleted\n', exitCode: 0 });
    expect(c.api.tryGet("Pod", "default", "web")).toBeNull();
    expect(c.context.clock.now()).toBe(gone());
  });

  it("--wait=false returns at once, leaving the pod Terminating", () => {
    const c = setup();
    c.node(c.api.get<Pod>("Pod", "default", "web").spec.nodeName!).sh("systemctl stop kubelet");
    const t0 = c.context.clock.now();
    expect(c.sh("kubectl delete pod web --wait=false")).toMatchObject({ stdout: 'pod "web" deleted\n', exitCode: 0 });
    expect(c.context.clock.now()).toBe(t0);
    expect(c.api.get<Pod>("Pod", "default", "web").metadata.deletionTimestamp).toBeDefined();
    expect(c.sh("kubectl get pod web").stdout).toMatch(/\nweb +1\/1 +Terminating +0 +/);
  });

  it("--grace-period=0 --force (or --force alone) warns and removes the object immediately", () => {
    for (const flags of ["--grace-period=0 --force", "--force"]) {
      const c = setup();
      const t0 = c.context.clock.now();
      const r = c.sh(`kubectl delete pod web ${flags}`);
      expect(r).toMatchObject({ stdout: 'pod "web" force deleted\n', stderr: FORCE_WARNING, exitCode: 0 });
      expect(FORCE_WARNING).toBe("Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n");
      expect(c.context.clock.now()).toBe(t0);
      expect(c.api.tryGet("Pod", "default", "web")).toBeNull();
    }
  });

  it("--grace-period=0 without --force and --now are graceful deletions: Terminating first, then waited for", () => {
    for (const flags of ["--grace-period=0", "--grace-period 0", "--now"]) {
      const c = setup();
      c.node(c.api.get<Pod>("Pod", "default", "web").spec.nodeName!).sh("systemctl stop kubelet");
      const r = c.sh(`kubectl delete pod web ${flags} --timeout=1s`);
      expect(r, flags).toMatchObject({ stdout: 'pod "web" deleted\n', stderr: "error: timed out waiting for the condition on pods/web\n", exitCode: 1 });
      expect(c.api.get<Pod>("Pod", "default", "web").metadata.deletionTimestamp).toBeDefined();
    }
  });

  it("--timeout gives up when the pod cannot go (its kubelet is stopped), after exactly that long", () => {
    const c = setup();
    const node = c.api.get<Pod>("Pod", "default", "web").spec.nodeName!;
    c.node(node).sh("systemctl stop kubelet");
    const t0 = c.context.clock.now();
    const r = c.sh("kubectl delete pod web --timeout=5s");
    expect(r).toMatchObject({ stdout: 'pod "web" deleted\n', stderr: "error: timed out waiting for the condition on pods/web\n", exitCode: 1 });
    expect(c.context.clock.now() - t0).toBe(5000);
    expect(c.api.get<Pod>("Pod", "default", "web").metadata.deletionTimestamp).toBeDefined();
  });

  it("objects without a kubelet's part (a Deployment) go at once; -o name; -f waits too", () => {
    const c = setup();
    c.sh("kubectl create deployment shop --image=nginx:1.27");
    expect(c.sh("kubectl delete deployment shop").stdout).toBe('deployment.apps "shop" deleted\n');
    c.sh("kubectl run api --image=nginx:1.27");
    c.settle();
    expect(c.sh("kubectl delete pod api -o name").stdout).toBe("pod/api\n");
    expect(c.api.tryGet("Pod", "default", "api")).toBeNull();
    c.sh("kubectl get pod web -o yaml > web.yaml");
    expect(c.sh("kubectl delete -f web.yaml").stdout).toBe('pod "web" deleted\n');
    expect(c.api.tryGet("Pod", "default", "web")).toBeNull();
    expect(c.sh("kubectl delete -f web.yaml")).toMatchObject({ stderr: 'Error from server (NotFound): error when deleting "web.yaml": pods "web" not found\n', exitCode: 1 });
    // Names that do not exist are reported; the others are still deleted, and the exit status is 1.
    c.sh("kubectl run one --image=nginx:1.27");
    expect(c.sh("kubectl delete pod nope one")).toMatchObject({ stdout: 'pod "one" deleted\n', stderr: 'Error from server (NotFound): pods "nope" not found\n', exitCode: 1 });
    expect(c.api.tryGet("Pod", "default", "one")).toBeNull();
  });

  it("kubectl's errors for bad flags leave the pod alone", () => {
    const c = setup();
    const before = c.etcd.revision;
    const cases: [string, string][] = [
      ["kubectl delete pods", "error: resource(s) were provided, but no name was specified\n"],
      ["kubectl delete", "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n"],
      ["kubectl delete pod web --now --grace-period=3", "error: --now and --grace-period cannot be specified together\n"],
      ["kubectl delete pod web --force --grace-period=3", "error: --force and --grace-period greater than 0 cannot be specified together\n"],
      ["kubectl delete pod web -o yaml", "error: unexpected -o output mode: yaml. We only support '-o name'\n"],
      ["kubectl delete pod web --timeout=soon", `error: invalid argument "soon" for "--timeout" flag: time: invalid duration "soon"\nSee 'kubectl delete --help' for usage.\n`],
      ["kubectl delete pod web --wait=maybe", `error: invalid argument "maybe" for "--wait" flag: strconv.ParseBool: parsing "maybe": invalid syntax\nSee 'kubectl delete --help' for usage.\n`],
      ["kubectl delete pod web --grace-period=x", `error: invalid argument "x" for "--grace-period" flag: strconv.ParseInt: parsing "x": invalid syntax\nSee 'kubectl delete --help' for usage.\n`],
    ];
    for (const [line, err] of cases) expect(c.sh(line), line).toMatchObject({ stdout: "", stderr: err, exitCode: 1 });
    expect(c.etcd.revision).toBe(before);
    expect(c.sh("kubectl delete pods -l app=nothing")).toMatchObject({ stdout: "No resources found\n", exitCode: 0 });
  });
});

describe("kubectl delete that cannot finish", () => {
  it("is interrupted for the reader (as Ctrl-C would) instead of hanging, and the pod stays Terminating", () => {
    const c = setup();
    c.node(c.api.get<Pod>("Pod", "default", "web").spec.nodeName!).sh("systemctl stop kubelet");
    const r = c.sh("kubectl delete pod web");
    expect(r.stdout).toContain('pod "web" deleted\n');
    expect(r.exitCode).not.toBe(0);
    expect(c.api.get<Pod>("Pod", "default", "web").metadata.deletionTimestamp).toBeDefined();
    // The shell is usable again.
    expect(c.sh("kubectl get pod web -o jsonpath={.metadata.name}").stdout).toBe("web");
  });
});
