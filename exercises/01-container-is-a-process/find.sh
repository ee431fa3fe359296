# Exercise 1: a container is just a process.
#
# The lab is already running a container (started the way a container runtime does it
# underneath). Without entering it by hand, find it from the host and write down:
#   /tmp/container.pid       its PID as the HOST sees it
#   /tmp/container.hostname  its hostname, as seen from inside its UTS namespace
#   /tmp/container.netns     its network namespace, as readlink prints it (net:[4026532…])
#
# Use only host tools: ps, pidof, pgrep, readlink /proc/PID/ns/…, nsenter, lsns.
# Don't stop the container.
#
# Run `npm run exercise 1` to check your work (add --hint for a nudge).

ps -ef
