# Exercise 3: confine a workload with cgroup v2.
#
# The lab is a 2-CPU host with a noisy neighbour: /sys/fs/cgroup/neighbour (cpu.weight 500)
# runs `stress --cpu 2`, busy on both CPUs. Leave it alone.
#
# Write the commands, one per line, that:
#   1. create the cgroup /sys/fs/cgroup/app;
#   2. cap it at half a CPU (cpu.max) and 200 MiB of memory (memory.max);
#   3. make sure it still gets its half CPU while the neighbour bursts (cpu.weight);
#   4. start, inside it, a busy CPU loop and a memory user that keeps ~150 MiB:
#        stress --cpu 1 --vm 1 --vm-bytes 150M --vm-keep &
#      (a process started from a shell that is already in the cgroup is born inside it).
#
# Run `npm run exercise 3` to check your work (add --hint for a nudge).

stress --cpu 1 --vm 1 --vm-bytes 150M --vm-keep &
