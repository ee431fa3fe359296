# Exercise 1, a reference solution: the container is the process that is PID 1 in its own
# PID namespace; the host knows it under another PID.
PID=$(pidof sleep)
echo $PID > /tmp/container.pid
nsenter -t $PID --uts hostname > /tmp/container.hostname
readlink /proc/$PID/ns/net > /tmp/container.netns
