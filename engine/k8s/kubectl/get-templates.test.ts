// kubectl get -o jsonpath / jsonpath-file / jsonpath-as-json / custom-columns / custom-columns-file
// and --sort-by, through the command line a reader types, against a live cluster.
import { describe, expect, it } from "vitest";
import { createCluster } from "../cluster";
import type { Pod } from "../api/types";

const pod = (name: string, cpu: string, labels = `app: ${name}`) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels:
    ${labels}
spec:
  containers:
  - name: main
    image: nginx:1.27
    resources:
      requests:
        cpu: "${cpu}"
`;

/** Three pods created in the order pod-10, pod-9, pod-1 (a second apart), all running; CPU requests 1, 500m, 100m. */
function setup() {
  const c = createCluster({ workers: 2, seed: 1 });
  for (const [name, cpu] of [["pod-10", "1"], ["pod-9", "500m"], ["pod-1", "100m"]] as const) {
    c.sh("kubectl apply -f -", { stdin: pod(name, cpu) });
    c.tick(1000);
  }
  c.settle();
  return c;
}

const c = setup();
const pods = () => c.api.list<Pod>("Pod", "default");

describe("kubectl get -o jsonpath", () => {
  it("range over the List kubectl builds, one line per pod", () => {
    const r = c.sh(`kubectl get pods -o jsonpath='{range .items[*]}{.metadata.name}{"\\t"}{.status.podIP}{"\\n"}{end}'`);
    expect(r.exitCode).toBe(0);
    const want = pods().map((p) => `${p.metadata.name}\t${p.status!.podIP}\n`).join("");
    expect(pods().every((p) => /^10\.\d+\.\d+\.\d+$/.test(p.status?.podIP ?? ""))).toBe(true);
    expect(r.stdout).toBe(want);
    expect(c.sh("kubectl get pods -o jsonpath={.kind}/{.apiVersion}").stdout).toBe("List/v1");
    expect(c.sh("kubectl get pods -o jsonpath --template '{.kind}'").stdout).toBe("List");
    expect(c.sh("kubectl get pods -o custom-columns --template=K:.kind").stdout).toBe("K\nPod\nPod\nPod\n");
    // -o=FORMAT and -oFORMAT are the same flag to kubectl.
    expect(c.sh("kubectl get pods -o=jsonpath={.kind}").stdout).toBe("List");
    expect(c.sh("kubectl get pods -ojsonpath={.kind}").stdout).toBe("List");
  });

  it("a filter on one pod's conditions; a map prints as JSON", () => {
    expect(c.sh(`kubectl get pod pod-1 -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}'`).stdout).toBe("True");
    expect(c.sh("kubectl get pod pod-1 -o jsonpath={.metadata.labels}").stdout).toBe('{"app":"pod-1"}');
  });

  it("missing keys print nothing; --allow-missing-template-keys=false makes them an error", () => {
    expect(c.sh("kubectl get pod pod-1 -o jsonpath={.spec.nothing}")).toMatchObject({ stdout: "", exitCode: 0 });
    const r = c.sh("kubectl get pod pod-1 -o jsonpath={.spec.nothing} --allow-missing-template-keys=false");
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^error: error executing jsonpath "\{\.spec\.nothing\}": Error executing template: nothing is not found\. Printing more information for debugging the template:\n\ttemplate was:\n\t\t\{\.spec\.nothing\}\n\tobject given to jsonpath engine was:\n\t\tmap\[string\]interface \{\}\{"apiVersion":"v1", "kind":"Pod", "metadata":map\[string\]interface \{\}\{/);
    expect(r.stderr.endsWith("}}\n\n\n")).toBe(true);
  });

  it("kubectl's errors for a bad template, and state is unchanged", () => {
    const before = c.etcd.revision;
    expect(c.sh("kubectl get pods -o jsonpath='{.items[0].metadata.name'")).toMatchObject({ stdout: "", stderr: "error: error parsing jsonpath {.items[0].metadata.name, unclosed action\n", exitCode: 1 });
    expect(c.sh("kubectl get pods -o jsonpath").stderr).toBe("error: template format specified but no template given\n");
    expect(c.sh("kubectl get pods -o jsonpath='{.items[7]}'").stderr).toMatch(/^error: error executing jsonpath "\{\.items\[7\]\}": Error executing template: array index out of bounds: index 7, length 3\./);
    expect(c.sh("kubectl get pods -o yml").stderr).toBe('error: unable to match a printer suitable for the output format "yml", allowed formats are: custom-columns,custom-columns-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,wide,yaml\n');
    expect(c.etcd.revision).toBe(before);
  });

  it("-o jsonpath-as-json and -o jsonpath-file (a file on the host)", () => {
    const names = pods().map((p) => p.metadata.name);
    expect(c.sh("kubectl get pods -o jsonpath-as-json={.items[*].metadata.name}").stdout).toBe(JSON.stringify(names, null, 4) + "\n");
    // echo's newline is part of the template, so the output ends with it.
    expect(c.sh("echo '{.items[*].metadata.name}' > names.tpl && kubectl get pods -o jsonpath-file=names.tpl").stdout).toBe(names.join(" ") + "\n");
    expect(c.sh("kubectl get pods -o jsonpath-file=nope.tpl").stderr).toBe("error: error reading --template nope.tpl, open nope.tpl: no such file or directory\n");
  });
});

describe("kubectl get -o custom-columns", () => {
  it("lays out columns with kubectl's tabwriter; <none> where the path finds nothing", () => {
    const r = c.sh("kubectl get pods -o custom-columns=NAME:.metadata.name,IP:.status.podIP,X:.status.nothing");
    const ps = pods();
    const w0 = Math.max(6, ...ps.map((p) => p.metadata.name.length + 3), "NAME".length + 3);
    const w1 = Math.max(6, ...ps.map((p) => p.status!.podIP!.length + 3));
    const want = ["NAME".padEnd(w0) + "IP".padEnd(w1) + "X", ...ps.map((p) => p.metadata.name.padEnd(w0) + p.status!.podIP!.padEnd(w1) + "<none>")].join("\n") + "\n";
    expect(r.stdout).toBe(want);
  });

  it("several values join with commas; --no-headers; a named object is one row", () => {
    expect(c.sh("kubectl get pod pod-1 -o custom-columns=C:.spec.containers[*].name,P:.metadata.name --no-headers").stdout).toBe("main   pod-1\n");
    expect(c.sh("kubectl get pod pod-1 -o custom-columns=LABELS:.metadata.labels").stdout).toBe("LABELS\nmap[app:pod-1]\n");
  });

  it("-o custom-columns-file reads headers and paths from a file", () => {
    const r = c.sh("printf 'NAME    CPU\\nmetadata.name {.spec.containers[0].resources.requests.cpu}\\n' > cols.txt && kubectl get pods -o custom-columns-file=cols.txt");
    expect(r.stdout.split("\n").slice(0, 2)).toEqual(["NAME     CPU", `${pods()[0]!.metadata.name.padEnd(9)}${pods()[0]!.spec.containers[0]!.resources!.requests!.cpu}`]);
    expect(c.sh("kubectl get pods -o custom-columns-file=cols.txt --no-headers").stdout).toBe(r.stdout);
    expect(c.sh("printf 'A B\\n.x\\n' > bad.txt && kubectl get pods -o custom-columns-file=bad.txt").stderr).toBe("error: number of headers (2) and field specifications (1) don't match\n");
    expect(c.sh("kubectl get pods -o custom-columns-file=none.txt").stderr).toBe("error: error reading template none.txt, open none.txt: no such file or directory\n");
  });

  it("kubectl's errors for a bad spec", () => {
    expect(c.sh("kubectl get pods -o custom-columns=").stderr).toBe("error: custom-columns format specified but no custom columns given\n");
    expect(c.sh("kubectl get pods -o custom-columns=NAME:.metadata.name,IP")).toMatchObject({ stdout: "", stderr: "error: unexpected custom-columns spec: IP, expected <header>:<json-path-expr>\n", exitCode: 1 });
    expect(c.sh("kubectl get pods -o custom-columns=NAME:{.metadata.name").stderr).toBe("error: unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'\n");
  });
});

describe("kubectl get --sort-by", () => {
  const names = (out: string) => out.trimEnd().split("\n").slice(1).map((l) => l.split(/\s+/)[0]);

  it("names in natural order, timestamps, and CPU requests as quantities", () => {
    expect(pods().map((p) => p.metadata.name)).toEqual(["pod-1", "pod-10", "pod-9"]);
    expect(names(c.sh("kubectl get pods --sort-by=.metadata.name").stdout)).toEqual(["pod-1", "pod-9", "pod-10"]);
    expect(names(c.sh("kubectl get pods --sort-by=.metadata.creationTimestamp").stdout)).toEqual(["pod-10", "pod-9", "pod-1"]);
    // 100m < 500m < 1 as amounts of CPU (as plain strings "1" would come first).
    expect(names(c.sh("kubectl get pods --sort-by='{.spec.containers[0].resources.requests.cpu}'").stdout)).toEqual(["pod-1", "pod-9", "pod-10"]);
    expect(names(c.sh("kubectl get pods --sort-by=.status.containerStatuses[0].restartCount").stdout)).toEqual(["pod-1", "pod-10", "pod-9"]);
  });

  it("sorts the List for -o name, -o jsonpath and -o json too", () => {
    expect(c.sh("kubectl get pods -o name --sort-by=metadata.creationTimestamp").stdout).toBe("pod/pod-10\npod/pod-9\npod/pod-1\n");
    expect(c.sh("kubectl get pods -o jsonpath={.items[*].metadata.name} --sort-by=.metadata.name").stdout).toBe("pod-1 pod-9 pod-10");
    const json = JSON.parse(c.sh("kubectl get pods -o json --sort-by=.metadata.name").stdout) as { items: Pod[] };
    expect(json.items.map((p) => p.metadata.name)).toEqual(["pod-1", "pod-9", "pod-10"]);
  });

  it("kubectl's errors for a path no object has, a bad path, and an unsortable value", () => {
    const missing = c.sh("kubectl get pods --sort-by=.metadata.nothing");
    expect(missing).toMatchObject({ stdout: "", stderr: 'error: couldn\'t find any field with path "{.metadata.nothing}" in the list of objects\n', exitCode: 1 });
    expect(c.sh("kubectl get pods -o name --sort-by=.metadata.nothing").stderr).toBe('error: couldn\'t find any field with path "{.metadata.nothing}" in the list of objects\n');
    expect(c.sh("kubectl get pods --sort-by='{.metadata.name'").stderr).toBe("error: sorting error: unclosed action\n");
    expect(c.sh("kubectl get pods -o name --sort-by='{.metadata.name'").stderr).toBe("error: unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'\n");
    const fatal = c.sh("kubectl get pods --sort-by=.metadata.labels");
    expect(fatal.exitCode).toBe(1);
    expect(fatal.stderr).toMatch(/^F\d{4} \d\d:\d\d:\d\d\.\d{6} +\d+ sorter\.go:\d+\] Field \{\.metadata\.labels\} in \[\]\[\]\[\]reflect\.Value is an unsortable type: interface, err: unsortable type: map\[string\]interface \{\}\n$/);
  });
});

describe("kubectl get --help / kubectl delete --help", () => {
  it("print kubectl's help layout, naming the output formats, --sort-by and delete's waiting flags", () => {
    const get = c.sh("kubectl get --help");
    expect(get.exitCode).toBe(0);
    expect(get.stdout).toMatch(/^Display one or many resources\.\n[\s\S]*\nExamples:\n[\s\S]*\nOptions:\n[\s\S]*\nUsage:\n  kubectl get \[/);
    for (const flag of ["--sort-by=''", "--allow-missing-template-keys=true", "-o, --output=''", "--no-headers=false"]) expect(get.stdout).toContain(`${flag}:\n\t`);
    for (const format of ["jsonpath-as-json", "custom-columns-file"]) expect(get.stdout).toContain(format);
    expect(c.sh("kubectl get pods -h").stdout).toBe(get.stdout);
    const del = c.sh("kubectl delete --help").stdout;
    for (const flag of ["--wait=true", "--grace-period=-1", "--now=false", "--force=false", "--timeout=0s"]) expect(del).toContain(`${flag}:\n\t`);
  });
});

describe("kubectl get KIND,KIND with a template", () => {
  it("prints one List of every kind's objects, under their own names", () => {
    const c2 = createCluster({ workers: 1, seed: 1 });
    c2.sh("kubectl create deployment web --image=nginx:1.27");
    c2.settle();
    const rs = c2.api.list("ReplicaSet", "default")[0]!.metadata.name;
    expect(c2.sh("kubectl get deploy,rs -o jsonpath='{range .items[*]}{.kind}/{.metadata.name} {end}'").stdout).toBe(`Deployment/web ReplicaSet/${rs} `);
    expect(c2.sh("kubectl get deploy,rs -o name").stdout).toBe(`deployment.apps/web\nreplicaset.apps/${rs}\n`);
    expect(c2.sh("kubectl get deploy,rs").stdout).toMatch(/^NAME +READY[^\n]*\ndeployment\.apps\/web +1\/1 [^\n]*\n\nNAME +DESIRED[^\n]*\nreplicaset\.apps\/web-/);
  });
});

describe("kubectl get -w -o jsonpath", () => {
  it("applies the template to each object as its change arrives; a bad template fails before watching", () => {
    const c2 = createCluster({ workers: 1, seed: 1 });
    c2.api.create({ apiVersion: "v1", kind: "Pod", metadata: { name: "w", namespace: "default" }, spec: { containers: [{ name: "main", image: "nginx:1.27" }] } } as Pod);
    const r = c2.sh(`kubectl get pod w -w --request-timeout=20s -o jsonpath='{.metadata.name} {.status.phase}{"\\n"}'`);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("w Pending");
    expect(lines.at(-1)).toBe("w Running");
    expect(lines.every((l) => /^w (Pending|Running)$/.test(l))).toBe(true);
    const t0 = c2.context.clock.now();
    expect(c2.sh("kubectl get pods -w -o jsonpath='{.x'")).toMatchObject({ stderr: "error: error parsing jsonpath {.x, unclosed action\n", exitCode: 1 });
    expect(c2.context.clock.now()).toBe(t0);
  });
});
