// configMap and secret volumes reach a container as read-only bind mounts of the kubelet's
// directory on the node: the container can read its keys but not change them (EROFS, as on a
// real node), while the directory itself stays writable on the node, where the kubelet owns it.
import { describe, expect, it } from "vitest";
import { createCluster } from "../cluster";

const POD = `apiVersion: v1
kind: Pod
metadata: {name: app}
spec:
  nodeSelector: {kubernetes.io/hostname: worker-1}
  containers:
  - name: app
    image: nginx:1.27
    volumeMounts: [{name: creds, mountPath: /etc/creds, readOnly: true}, {name: cfg, mountPath: /etc/cfg}]
  volumes:
  - {name: creds, secret: {secretName: db}}
  - {name: cfg, configMap: {name: shop}}
`;

describe("configMap and secret volumes in a container", () => {
  it("are read-only there and writable on the node", () => {
    const c = createCluster({ workers: 1, seed: 1 });
    c.sh("kubectl create secret generic db --from-literal=password=s3cret");
    c.sh("kubectl create configmap shop --from-literal=theme=dark");
    expect(c.sh("kubectl apply -f -", { stdin: POD }).exitCode).toBe(0);
    c.settle();
    expect(c.sh("kubectl exec app -- cat /etc/creds/password /etc/cfg/theme").stdout).toBe("s3cretdark");
    for (const path of ["/etc/creds/password", "/etc/cfg/theme"]) {
      expect(c.sh(`kubectl exec app -- sh -c 'echo x > ${path}'`)).toMatchObject({
        stderr: `sh: 1: cannot create ${path}: Read-only file system\ncommand terminated with exit code 2\n`,
        exitCode: 2,
      });
    }
    expect(c.sh("kubectl exec app -- rm /etc/creds/password").stderr).toContain("rm: cannot remove '/etc/creds/password': Read-only file system");
    expect(c.sh("kubectl exec app -- mount").stdout).toMatch(/^tmpfs on \/etc\/creds type tmpfs \(ro,relatime\)$/m);
    expect(c.sh("kubectl exec app -- mount").stdout).toMatch(/^sysfs on \/sys type sysfs \(ro,nosuid,noexec,nodev\)$/m);
    // The container's own files stay writable, and so does the volume on the node.
    expect(c.sh("kubectl exec app -- sh -c 'echo ok > /tmp/x && cat /tmp/x'").stdout).toBe("ok\n");
    const uid = c.sh("kubectl get pod app -o jsonpath={.metadata.uid}").stdout;
    const dir = `/var/lib/kubelet/pods/${uid}/volumes/kubernetes.io~secret/creds`;
    expect(c.node("worker-1").sh(`echo -n rotated > ${dir}/password`).exitCode).toBe(0);
    expect(c.sh("kubectl exec app -- cat /etc/creds/password").stdout).toBe("rotated");
  });
});

describe("the kubelet's atomic writer", () => {
  it("lays a volume out as ..data plus symlinks, and swaps in a changed Secret on the next periodic sync", () => {
    const c = createCluster({ workers: 1, seed: 1 });
    c.sh("kubectl create secret generic db --from-literal=password=s3cret");
    c.sh("kubectl create configmap shop --from-literal=theme=dark");
    c.sh("kubectl apply -f -", { stdin: POD });
    c.settle();
    const ls = () => c.sh("kubectl exec app -- ls -la /etc/creds").stdout;
    const first = /(\.\.\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d\.\d+)$/m.exec(ls())?.[1];
    expect(first).toBeDefined();
    expect(ls()).toContain(`..data -> ${first}\n`);
    expect(ls()).toMatch(/^lrwxrwxrwx 1 root root +15 .* password -> \.\.data\/password$/m);
    expect(c.sh("kubectl exec app -- ls /etc/creds").stdout).toBe("password\n"); // ls hides the dot entries

    // A changed Secret: nothing moves until the kubelet's next sync, then all keys at once.
    c.sh("kubectl delete secret db");
    c.sh("kubectl create secret generic db --from-literal=password=n3w --from-literal=user=admin");
    c.tick(5_000);
    expect(c.sh("kubectl exec app -- cat /etc/creds/password").stdout).toBe("s3cret");
    c.tick(60_000);
    expect(c.sh("kubectl exec app -- cat /etc/creds/password /etc/creds/user").stdout).toBe("n3wadmin");
    const second = /(\.\.\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d\.\d+)$/m.exec(ls())?.[1];
    expect(second).not.toBe(first);
    expect(ls()).not.toContain(first!); // the old payload directory is gone
    expect(ls()).toMatch(/ user -> \.\.data\/user$/m);
  });
});
