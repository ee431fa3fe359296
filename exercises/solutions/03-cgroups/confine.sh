# Exercise 3, a reference solution.

# A cgroup is a directory. The root's cgroup.subtree_control already lists cpu, memory and
# pids, so the new directory comes with cpu.max, cpu.weight and memory.max.
mkdir /sys/fs/cgroup/app

# The ceiling: 50 ms of CPU time in every 100 ms period is half a CPU (what limits.cpu: 500m becomes).
echo "50000 100000" > /sys/fs/cgroup/app/cpu.max

# The memory ceiling: 200M means 200 MiB, 209715200 bytes (what limits.memory: 200Mi becomes).
echo 200M > /sys/fs/cgroup/app/memory.max

# The floor: when both CPUs are contended, app gets 2 × 200 / (200 + 500) ≈ 0.57 CPU, so its
# half CPU is safe from the neighbour (what a request becomes).
echo 200 > /sys/fs/cgroup/app/cpu.weight

# Move this shell in; everything it starts from now on is born in app.
echo $$ > /sys/fs/cgroup/app/cgroup.procs

# One busy loop and one worker that allocates 150 MiB and keeps it.
stress --cpu 1 --vm 1 --vm-bytes 150M --vm-keep >/dev/null 2>&1 &

# Back to the login session: the shell itself has no business in app.
echo $$ > /sys/fs/cgroup/user.slice/user-0.slice/session-1.scope/cgroup.procs
