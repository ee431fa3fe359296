# Exercise 2, a reference solution: new UTS and PID namespaces (and a mount namespace with a
# fresh /proc); set the hostname inside, then exec the long-lived program so it stays PID 1.
unshare --uts --pid --fork --mount-proc sh -c 'hostname box; exec sleep infinity' &
