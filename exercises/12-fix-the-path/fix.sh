# Exercise 12: make `curl http://web` from the pod client work again, every time, answered by
# web's pods on both workers. Write the commands that repair the cluster, one per line.
# They run on the control plane (root@controlplane); ssh worker-1 CMD runs CMD on a worker.
#
# Look first (these only read):
#   kubectl exec client -- curl -s -m 2 http://web
#   kubectl get pods -o wide; kubectl get endpointslices
#   ssh worker-1 iptables -t nat -S | grep default/web
#   ssh worker-1 ip route
#
