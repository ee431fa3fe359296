# Exercise 6, a reference solution: the split kube-proxy writes, 1/3 then 1/2 then the rest.
#
# This script runs on worker-1, as root (in the page: `ssh worker-1` first).
#
# 10.32.0.200 is a Service address nobody owns: no interface has it, no process listens on it.
# Your rules alone make it mean "one of the pods shop-1, shop-2, shop-3, port 80".
# The grader sends 3,000 connections from the pod `client` on worker-1 and counts where
# each one lands: every endpoint must get 1,000 ± 100.
#
# The pods' addresses (kubectl works on the node too):
EP1=$(kubectl get pod shop-1 -o jsonpath='{.status.podIP}')
EP2=$(kubectl get pod shop-2 -o jsonpath='{.status.podIP}')
EP3=$(kubectl get pod shop-3 -o jsonpath='{.status.podIP}')

# --noflush: add to the nat table, keep kube-proxy's chains.
iptables-restore --noflush <<EOF
*nat
:SHOP-SVC - [0:0]
:SHOP-SEP-1 - [0:0]
:SHOP-SEP-2 - [0:0]
:SHOP-SEP-3 - [0:0]
-A PREROUTING -d 10.32.0.200/32 -p tcp -m tcp --dport 80 -j SHOP-SVC
-A OUTPUT -d 10.32.0.200/32 -p tcp -m tcp --dport 80 -j SHOP-SVC
-A SHOP-SVC -m statistic --mode random --probability 0.3333333333 -j SHOP-SEP-1
-A SHOP-SVC -m statistic --mode random --probability 0.5000000000 -j SHOP-SEP-2
-A SHOP-SVC -j SHOP-SEP-3
-A SHOP-SEP-1 -p tcp -m tcp -j DNAT --to-destination $EP1:80
-A SHOP-SEP-2 -p tcp -m tcp -j DNAT --to-destination $EP2:80
-A SHOP-SEP-3 -p tcp -m tcp -j DNAT --to-destination $EP3:80
COMMIT
EOF
