# Exercise 7, reference solution.
#
# worker-2 first: if the scheduler came back while worker-2 was still cordoned, it would put
# all four Pending pods on worker-1 at once, and a scheduler never moves a running pod.
kubectl uncordon worker-2
# The scheduler's binary lost its execute bit, so systemd failed at step EXEC (203/EXEC).
chmod +x /usr/local/bin/kube-scheduler
systemctl restart kube-scheduler
