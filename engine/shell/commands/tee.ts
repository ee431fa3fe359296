// tee (GNU coreutils): copy standard input to standard output and to files. With sudo-less
// root, `echo 1 | tee /proc/sys/net/ipv4/ip_forward` is how tutorials write kernel knobs.
import type { Command } from "../command";
import { usageError } from "../command";
import { writeFile } from "./write-file";
import { errText } from "./operands";

const USAGE = `Usage: tee [OPTION]... [FILE]...
Copy standard input to each FILE, and also to standard output.

  -a, --append              append to the given FILEs, do not overwrite
  -i, --ignore-interrupts   ignore interrupt signals
  -p                        operate in a more appropriate MODE with pipes
`;

export const tee: Command = {
  name: "tee",
  path: "/usr/bin/tee",
  summary: "copy standard input to standard output and files (-a to append)",
  usage: USAGE,
  readsStdin: true,
  run(ctx) {
    let append = false;
    const files: string[] = [];
    let operandsOnly = false;
    for (const a of ctx.argv.slice(1)) {
      if (operandsOnly || !a.startsWith("-") || a === "-") files.push(a);
      else if (a === "--") operandsOnly = true;
      else if (a === "--append") append = true;
      else if (a === "--ignore-interrupts") continue;
      else if (a.startsWith("--")) return usageError(ctx, "tee", `unrecognized option '${a}'`);
      else
        for (const c of a.slice(1)) {
          if (!"aip".includes(c)) return usageError(ctx, "tee", `invalid option -- '${c}'`);
          if (c === "a") append = true;
        }
    }
    ctx.out(ctx.stdin);
    let status = 0;
    for (const f of files) {
      try {
        writeFile(ctx, f, ctx.stdin, append);
      } catch (e) {
        ctx.err(`tee: ${f}: ${errText(e)}\n`);
        status = 1;
      }
    }
    return status;
  },
};
