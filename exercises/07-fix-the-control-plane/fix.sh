# Exercise 7: bring the cluster back.
#
# Deployment "web" was applied and kubectl said "created", yet its 4 pods are Pending.
# Find out why (kubectl get pods -o wide, systemctl status …, journalctl -u …, kubectl get
# nodes) and write here, one per line, the commands that repair the cluster so that web has
# 4/4 replicas available, spread over worker-1 and worker-2.
#
# This script runs as root on the control plane (root@controlplane), like the page's terminal.
# Run it with: npm run exercise 7

