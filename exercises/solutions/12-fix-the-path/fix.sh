# Exercise 12, reference solution: one repair per broken layer.
#
# 1. The Service: kjl/app listens on 8080, so targetPort must be 8080. The file is rewritten
#    and applied, so that /root/svc.yaml and the cluster agree.
cat > /root/svc.yaml <<'YAML'
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 8080
YAML
kubectl apply -f /root/svc.yaml
# 2. kube-proxy on worker-1: started again, it rewrites the node's chains from the API
#    (the new pod's address on worker-2, the new targetPort).
ssh worker-1 systemctl start kube-proxy
# 3. worker-1's route to worker-2's pod subnet, as the cluster's setup added it.
ssh worker-1 ip route add 10.200.1.0/24 via 192.168.56.13
