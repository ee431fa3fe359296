// ssh: log in to another machine of the lab or cluster. The remote sshd starts a login shell
// on that machine's kernel, attached to this terminal, until `exit`.
import type { Program } from "../../linux/tasks";
import { clone, execve } from "../../linux/process";
import type { Command } from "../command";
import { ShellState, runSource } from "../interpreter";
import { sessionOf } from "../session";

/** ssh's own options that take a value (ssh -i key, -p 22, -o Opt=v …). */
const WITH_VALUE = new Set("BbcDEeFIiJLlmOoPpQRSWw");

/**
 * [destination, ...command]: ssh's options are skipped (with their values) before the
 * destination and right after it; the first word after that starts the remote command, whose
 * own options (journalctl -u kubelet, ps -ef) belong to it, as with OpenSSH.
 */
function splitArgs(argv: string[]): string[] {
  const out: string[] = [];
  let i = 0;
  const skipOptions = () => {
    while (i < argv.length && argv[i]!.startsWith("-") && argv[i] !== "-") {
      const a = argv[i++]!;
      if (a === "--") break;
      const last = a[a.length - 1]!;
      if (a.length === 2 && WITH_VALUE.has(last)) i++;
    }
  };
  skipOptions();
  if (i < argv.length) out.push(argv[i++]!);
  skipOptions();
  return [...out, ...argv.slice(i)];
}

export const ssh: Command = {
  name: "ssh",
  path: "/usr/bin/ssh",
  summary: "log in to another machine of the lab (ssh worker-1), or run one command there",
  usage: "usage: ssh [-46AaCfGgKkMNnqsTtVvXxYy] [-B bind_interface] [-b bind_address]\n           [-c cipher_spec] [-D [bind_address:]port] [-E log_file]\n           [-e escape_char] [-F configfile] [-I pkcs11] [-i identity_file]\n           [-J destination] [-L address] [-l login_name] [-m mac_spec]\n           [-O ctl_cmd] [-o option] [-P tag] [-p port] [-R address]\n           [-S ctl_path] [-W host:port] [-w local_tun[:remote_tun]]\n           destination [command [argument ...]]\n",
  run(ctx) {
    const args = splitArgs(ctx.argv.slice(1));
    const dest = args[0];
    if (!dest) {
      ctx.err(ssh.usage);
      return 255;
    }
    const name = dest.replace(/^[^@]*@/, "");
    const remote = ctx.kernel.world.find((k) => k.name === name);
    if (!remote) {
      ctx.err(`ssh: Could not resolve hostname ${name}: Name or service not known\n`);
      return 255;
    }
    const sshd = [...remote.processes.values()].find((p) => p.comm === "sshd" && p.ppid === 1);
    if (!sshd) {
      ctx.err(`ssh: connect to host ${name} port 22: Connection refused\n`);
      return 255;
    }
    const session = sessionOf(ctx.proc.fds[0]);
    const command = args.slice(1);
    // sshd forks a session process, which runs root's shell on our terminal.
    const sess = clone(remote, sshd, { fds: { 0: ctx.proc.fds[0], 1: ctx.proc.fds[1], 2: ctx.proc.fds[2] } });
    execve(remote, sess, [`sshd: root@pts/1`]);
    sess.comm = "sshd";
    const shellProc = clone(remote, sess);
    execve(remote, shellProc, [command.length ? "bash" : "-bash"]);
    shellProc.comm = "bash";
    shellProc.cwd = "/root";
    shellProc.env = new Map(ctx.proc.env);
    const sh = new ShellState(remote, shellProc, "bash", !command.length);
    if (!command.length && session) {
      sh.history = session.history;
      const task = remote.sched.start(shellProc, (function* (): Program {
        return (yield { kind: "interactive" }) as number;
      })());
      session.attach(sh, task);
    } else {
      remote.sched.start(shellProc, runSource(sh, command.join(" "), shellProc.fds));
    }
    return (function* (): Program {
      // Wait for the remote shell (it runs on the other machine's scheduler).
      if (shellProc.alive) yield { kind: "child", proc: shellProc };
      if (sess.alive) remote.exitProcess(sess, 0);
      if (!command.length) ctx.err(`Connection to ${name} closed.\n`);
      return shellProc.exitStatus ?? 0;
    })();
  },
};
