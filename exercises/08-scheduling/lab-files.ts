// Manifests the lab keeps in /root for lesson 8, so the page's ▶ Run buttons can apply them
// with one line each (kubectl apply -f hungry.yaml) instead of a heredoc.
export const LAB_FILES: Record<string, string> = {
  "hungry.yaml": `apiVersion: v1
kind: Pod
metadata:
  name: hungry
spec:
  containers:
  - name: app
    image: nginx:1.27
    resources:
      requests:
        cpu: "3"
`,
  "capped.yaml": `apiVersion: v1
kind: Pod
metadata:
  name: capped
spec:
  containers:
  - name: app
    image: nginx:1.27
    resources:
      requests:
        cpu: 250m
        memory: 128Mi
      limits:
        cpu: "8"
        memory: 16Gi
`,
  "fast-disk.yaml": `apiVersion: v1
kind: Pod
metadata:
  name: fast-disk
spec:
  nodeSelector:
    disktype: ssd
  containers:
  - name: app
    image: nginx:1.27
`,
  "cruncher.yaml": `apiVersion: v1
kind: Pod
metadata:
  name: cruncher
spec:
  tolerations:
  - key: dedicated
    operator: Equal
    value: batch
    effect: NoSchedule
  affinity:
    nodeAffinity:
      preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 50
        preference:
          matchExpressions:
          - key: dedicated
            operator: In
            values: ["batch"]
  containers:
  - name: app
    image: busybox:1.36
    command: ["sleep", "3600"]
`,
};

/** A shell script that writes the files (one multi-line script: it stays out of history). */
export function labFilesScript(): string {
  return Object.entries(LAB_FILES)
    .map(([name, text]) => `cat > /root/${name} <<'EOF'\n${text}EOF`)
    .join("\n") + "\n";
}
