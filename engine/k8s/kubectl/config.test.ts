// ConfigMaps and Secrets: kubectl create configmap / secret generic, Secrets base64 in etcd,
// and pods consuming them as environment variables (env.valueFrom, envFrom).
import { describe, expect, it } from "vitest";
import { createCluster } from "../cluster";

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  containers:
  - name: app
    image: nginx:1.27
    env:
    - name: DB_PASSWORD
      valueFrom:
        secretKeyRef: {name: db, key: password}
    - name: MY_POD
      valueFrom:
        fieldRef: {fieldPath: metadata.name}
    envFrom:
    - configMapRef: {name: cfg}
      prefix: CFG_
`;

describe("ConfigMaps and Secrets", () => {
  it("kubectl create configmap|secret generic: the objects, the Secret only base64-encoded in etcd", () => {
    const c = createCluster({ workers: 1, seed: 1 });
    expect(c.sh("kubectl create configmap cfg --from-literal=color=blue --from-literal=size=L").stdout).toBe("configmap/cfg created\n");
    expect(c.sh("kubectl create secret generic db --from-literal=password=s3cret").stdout).toBe("secret/db created\n");
    expect(c.sh("kubectl get configmap cfg -o jsonpath={.data.color}").stdout).toBe("blue");
    expect(c.sh("kubectl get secret db -o jsonpath={.data.password}").stdout).toBe("czNjcmV0");
    expect(c.sh("kubectl get secrets").stdout).toMatch(/^db\s+Opaque\s+1\s+\d+s$/m);
    // describe shows a ConfigMap's values but only the sizes of a Secret's.
    expect(c.sh("kubectl describe configmap cfg").stdout).toContain("\nData\n====\ncolor:\n----\nblue\n\nsize:\n----\nL\n");
    const described = c.sh("kubectl describe secret db").stdout;
    expect(described).toContain("Type:  Opaque\n\nData\n====\npassword:  6 bytes\n");
    expect(described).not.toContain("s3cret");
    // etcd holds the Secret as the API server stored it: base64, readable by anyone with etcdctl.
    const stored = c.sh("etcdctl get /registry/secrets/default/db").stdout;
    expect(stored).toContain('"data":{"password":"czNjcmV0"}');
    expect(stored).not.toContain("s3cret");
    expect(c.sh("echo hi > greeting.txt && kubectl create configmap files --from-file=greeting.txt --from-file=copy=greeting.txt -o jsonpath={.data}").stdout).toBe('{"copy":"hi\\n","greeting.txt":"hi\\n"}');
  });

  it("dry runs print kubectl's objects and store nothing", () => {
    const c = createCluster({ workers: 1, seed: 1 });
    const rev = c.etcd.revision;
    expect(c.sh("kubectl create configmap cfg --from-literal=color=blue --dry-run=client -o yaml").stdout).toBe("apiVersion: v1\ndata:\n  color: blue\nkind: ConfigMap\nmetadata:\n  name: cfg\n");
    expect(c.sh("kubectl create secret generic db --from-literal=password=s3cret --dry-run=client -o yaml").stdout).toBe("apiVersion: v1\ndata:\n  password: czNjcmV0\nkind: Secret\nmetadata:\n  name: db\n");
    expect(c.etcd.revision).toBe(rev);
  });

  it("bad input: kubectl's messages, nothing stored", () => {
    const c = createCluster({ workers: 1, seed: 1 });
    const rev = c.etcd.revision;
    expect(c.sh("kubectl create configmap bad --from-literal=novalue")).toMatchObject({ stderr: "error: invalid literal source novalue, expected key=value\n", exitCode: 1 });
    expect(c.sh("kubectl create configmap bad --from-literal='a b=c'").stderr).toMatch(/^error: "a b" is not a valid key name for a ConfigMap: a valid config key must consist of alphanumeric characters/);
    expect(c.sh("kubectl create configmap bad --from-literal=a=1 --from-literal=a=2").stderr).toBe('error: cannot add key "a", another key by that name already exists in Data for ConfigMap "bad"\n');
    expect(c.sh("kubectl create configmap bad --from-file=/nope").stderr).toBe("error: error reading /nope: no such file or directory\n");
    expect(c.sh("kubectl create configmap").stderr).toBe("error: exactly one NAME is required, got 0\nSee 'kubectl create configmap -h' for help and examples\n");
    expect(c.sh("kubectl create secret opaque x").stderr).toContain('error: unknown command "opaque" for "kubectl create secret"');
    c.sh("kubectl create configmap dup --from-literal=a=1");
    expect(c.sh("kubectl create configmap dup --from-literal=a=1")).toMatchObject({ stderr: 'Error from server (AlreadyExists): configmaps "dup" already exists\n', exitCode: 1 });
    expect(c.etcd.revision).toBe(rev + 1);
  });

  it("a pod's env comes from a Secret key, a ConfigMap (envFrom with prefix) and its own fields; a missing source is CreateContainerConfigError until it appears", () => {
    const c = createCluster({ workers: 1, seed: 1 });
    c.sh("kubectl apply -f -", { stdin: POD });
    c.settle();
    expect(c.sh("kubectl get pod app").stdout).toMatch(/^app\s+0\/1\s+CreateContainerConfigError\s/m);
    expect(c.sh("kubectl describe pod app").stdout).toMatch(/Warning\s+Failed\s+.*kubelet\s+Error: configmap "cfg" not found/);
    c.sh("kubectl create configmap cfg --from-literal=color=blue");
    c.settle();
    expect(c.sh("kubectl describe pod app").stdout).toMatch(/Error: secret "db" not found/);
    c.sh("kubectl create secret generic db --from-literal=password=s3cret");
    c.settle();
    expect(c.sh("kubectl get pod app").stdout).toMatch(/^app\s+1\/1\s+Running\s/m);
    // The process sees plain values: the kubelet decoded the Secret's base64.
    expect(c.sh("kubectl exec app -- sh -c 'echo $DB_PASSWORD $CFG_color $MY_POD'").stdout).toBe("s3cret blue app\n");
    const w = c.node("worker-1");
    const pid = w.sh("pgrep -f 'nginx: master'").stdout.trim().split("\n")[0];
    expect(w.sh(`cat /proc/${pid}/environ`).stdout.split("\0")).toEqual(expect.arrayContaining(["DB_PASSWORD=s3cret", "CFG_color=blue", "MY_POD=app"]));
  });

  it("a missing key names the key; optional references are skipped", () => {
    const c = createCluster({ workers: 1, seed: 1 });
    c.sh("kubectl create secret generic db --from-literal=user=admin");
    c.sh("kubectl create configmap cfg --from-literal=color=blue");
    c.sh("kubectl apply -f -", { stdin: POD });
    c.settle();
    expect(c.sh("kubectl get pod app -o jsonpath={.status.containerStatuses[0].state.waiting.message}").stdout).toBe("couldn't find key password in Secret default/db");
    c.sh("kubectl delete pod app --force");
    c.sh("kubectl apply -f -", { stdin: POD.replace("{name: db, key: password}", "{name: db, key: password, optional: true}") });
    c.settle();
    expect(c.sh("kubectl get pod app").stdout).toMatch(/^app\s+1\/1\s+Running\s/m);
    expect(c.sh("kubectl exec app -- sh -c 'echo [$DB_PASSWORD]'").stdout).toBe("[]\n");
  });

  it("configMap and secret volumes: files per key, the Secret's on a tmpfs on the node, bound read-only into the container; FailedMount until the source exists", () => {
    const c = createCluster({ workers: 1, seed: 1 });
    const pod = `apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  volumes:
  - name: creds
    secret: {secretName: db}
  - name: conf
    configMap: {name: cfg}
  containers:
  - name: app
    image: nginx:1.27
    volumeMounts:
    - {name: creds, mountPath: /etc/creds}
    - {name: conf, mountPath: /etc/app}
`;
    c.sh("kubectl apply -f -", { stdin: pod });
    c.settle();
    expect(c.sh("kubectl get pod app").stdout).toMatch(/^app\s+0\/1\s+ContainerCreating\s/m);
    expect(c.sh("kubectl describe pod app").stdout).toMatch(/Warning\s+FailedMount\s+.*MountVolume\.SetUp failed for volume "creds" : secret "db" not found/);
    c.sh("kubectl create configmap cfg --from-literal=color=blue");
    c.sh("kubectl create secret generic db --from-literal=password=s3cret");
    c.settle();
    expect(c.sh("kubectl get pod app").stdout).toMatch(/^app\s+1\/1\s+Running\s/m);
    expect(c.sh("kubectl exec app -- cat /etc/creds/password").stdout).toBe("s3cret");
    expect(c.sh("kubectl exec app -- cat /etc/app/color").stdout).toBe("blue");
    const mounts = c.sh("kubectl exec app -- mount").stdout;
    expect(mounts).toMatch(/^tmpfs on \/etc\/creds type tmpfs \(ro,/m);
    expect(mounts).toMatch(/ on \/etc\/app type ext4 \(ro,/m);
    // On the node: the secret volume is a tmpfs under the kubelet's pod directory; the configMap one is on disk.
    const w = c.node("worker-1");
    const uid = c.api.get("Pod", "default", "app").metadata.uid;
    expect(w.sh("mount").stdout).toContain(`tmpfs on /var/lib/kubelet/pods/${uid}/volumes/kubernetes.io~secret/creds type tmpfs`);
    expect(w.sh(`cat /var/lib/kubelet/pods/${uid}/volumes/kubernetes.io~configmap/conf/color`).stdout).toBe("blue");
    // Deleting the pod unmounts the tmpfs: the secret's bytes are gone from the node.
    c.sh("kubectl delete pod app");
    c.settle();
    expect(w.sh("mount").stdout).not.toContain("kubernetes.io~secret");
    expect(w.sh(`ls /var/lib/kubelet/pods/${uid}/volumes/kubernetes.io~secret/creds`).stdout).toBe("");
  });
});
