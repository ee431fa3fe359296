import { it } from "vitest";
import { createCluster } from "./index";
it("dbg", () => {
  const c = createCluster({ workers: 2, seed: 1 });
  const h = c.controlPlane;
  const run = (l: string) => { const r = h.sh(l); console.log("$ " + l + "\n" + r.stdout + r.stderr); };
  run(`kubectl apply -f - <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: web
    image: kjl/app:1.0
    livenessProbe:
      httpGet:
        path: /healthz
        port: 8080
EOF`);
  run("sleep 3; kubectl get pod web -o wide");
  run("kubectl logs web");
  run("kubectl exec web -- ls /tmp");
  run("ssh worker-1 curl -s http://10.200.0.2:8080/healthz");
  run("kubectl exec web -- rm /tmp/healthy");
  run("ssh worker-1 curl -s http://10.200.0.2:8080/healthz");
  run("sleep 15; kubectl describe pod web | tail -4");
  run("sleep 20; kubectl get pod web");
  run("kubectl describe pod web");
  run("kubectl exec web -- ls /tmp");
  run(`kubectl apply -f - <<EOF
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
spec:
  replicas: 2
  selector:
    matchLabels:
      app: shop
  template:
    metadata:
      labels:
        app: shop
    spec:
      containers:
      - name: shop
        image: kjl/app:1.0
        readinessProbe:
          httpGet:
            path: /ready
            port: 8080
          periodSeconds: 5
---
apiVersion: v1
kind: Service
metadata:
  name: shop
spec:
  selector:
    app: shop
  ports:
  - port: 80
    targetPort: 8080
EOF`);
  run("sleep 10; kubectl get pods -l app=shop -o wide");
  run("kubectl get endpointslices -l kubernetes.io/service-name=shop");
  run("ssh worker-1 iptables-save -t nat | grep 'default/shop ->'");
  const pods = h.sh("kubectl get pods -l app=shop -o jsonpath='{.items[0].metadata.name}'").stdout;
  console.log(pods);
  run(`kubectl exec ${pods} -- rm /tmp/ready`);
  run("sleep 15; kubectl get pods -l app=shop");
  run("ssh worker-1 iptables-save -t nat | grep 'default/shop ->'");
  run("kubectl get endpointslices -l kubernetes.io/service-name=shop -o yaml");
  run("kubectl get pods -w");
});
