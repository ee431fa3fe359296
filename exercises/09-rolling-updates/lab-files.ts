// Manifests the lab keeps in /root for lesson 9 and exercise 9, so the page's ▶ Run buttons can
// apply them in one line. shop.yaml is the exercise's starter, kept identical to
// exercises/09-rolling-updates/shop.yaml (check.test.ts compares them).
export const LAB_FILES: Record<string, string> = {
  "web.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 4
  minReadySeconds: 5
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
`,
  "shop.yaml": `# Exercise 9: a rollout of 10 replicas that never has fewer than 9 available pods and never
# more than 12 pods in all. Choose the strategy's numbers below, then apply:
#   kubectl apply -f shop.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
spec:
  replicas: 10
  minReadySeconds: 5
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 25%
      maxUnavailable: 25%
  selector:
    matchLabels:
      app: shop
  template:
    metadata:
      labels:
        app: shop
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
`,
};

/** A shell script that writes the files (one multi-line script: it stays out of history). */
export function labFilesScript(): string {
  return (
    Object.entries(LAB_FILES)
      .map(([name, text]) => `cat > /root/${name} <<'EOF'\n${text}EOF`)
      .join("\n") + "\n"
  );
}
