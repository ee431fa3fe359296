// ipcs: System V IPC objects of the caller's IPC namespace.
import type { Command } from "../command";

export const ipcs: Command = {
  name: "ipcs",
  path: "/usr/bin/ipcs",
  summary: "show System V IPC facilities (per IPC namespace)",
  usage: "\nUsage:\n ipcs [resource-option...] [output-option]\n\nShow information on IPC facilities.\n\n -m, --shmems      shared memory segments\n -q, --queues      message queues\n -s, --semaphores  semaphores\n",
  run(ctx) {
    const a = ctx.argv.slice(1);
    const all = a.length === 0 || a.includes("-a");
    const segs = ctx.proc.ns.ipc.shmSegments;
    if (all || a.includes("-q")) ctx.out("\n------ Message Queues --------\nkey        msqid      owner      perms      used-bytes   messages    \n\n");
    if (all || a.includes("-m")) {
      ctx.out("\n------ Shared Memory Segments --------\nkey        shmid      owner      perms      bytes      nattch     status      \n");
      for (let i = 0; i < segs; i++) ctx.out(`0x${(0x1000 + i).toString(16).padStart(8, "0")} ${String(i).padEnd(10)} root       600        4096       0                       \n`);
      ctx.out("\n");
    }
    if (all || a.includes("-s")) ctx.out("\n------ Semaphore Arrays --------\nkey        semid      owner      perms      nsems     \n\n");
    return 0;
  },
};
