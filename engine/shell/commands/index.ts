// The command table: every program a simulated host has on its disk.
import type { Command } from "../command";
import { findmnt, mount, umount } from "./mount";
import { clear, date, dmesg, echoCmd, env, falseCmd, id, pgrep, pidof, sleep, trueCmd, whoami } from "./misc";
import { ls, mkdir, readlink, rm, stat, touch } from "./fs";
import { cat, cut, grep, head, sort, tail, wc } from "./text";
import { hostname, uname } from "./hostname";
import { lsns } from "./lsns";
import { nsenter } from "./nsenter";
import { ps } from "./ps";
import { bash, sh } from "./sh";
import { unshare } from "./unshare";
import { ip } from "./ip";
import { ipcs, ping } from "./ping";
import { iptables, iptablesRestore, iptablesSave } from "./iptables";
import { sysctl } from "./sysctl";
import { conntrack } from "./conntrack";
import { curl, nc, python3, ss } from "./sockets";
import { tcpdump } from "./tcpdump";
import { bridge } from "./bridge";
import { chmod, cp, df, du, find, getfattr, ln, mv, setfattr, tree } from "./fileops";
import { ctr } from "./ctr";
import { runc } from "./runc";
import { busybox, nginx, pause } from "./images";
import { webapp } from "./webapp";
import { chroot, pivotRoot } from "./chroot";
import { stress, stressNg, yes } from "./stress";
import { top } from "./top";
import { rmdir } from "./rmdir";
import { journalctl, systemctl } from "./systemctl";
import { ssh } from "./ssh";
import { base64 } from "./base64";
import { dig, getent, nslookup } from "./dns";
import { timeout } from "./timeout";
import { sed } from "./sed";
import { tr } from "./tr";
import { awk } from "./awk";
import { xargs } from "./xargs";
import { tee } from "./tee";
import { uniq } from "./uniq";
import { seq } from "./seq";

export const COMMANDS: Command[] = [
  bash, sh, ps, lsns, unshare, nsenter, hostname, uname, readlink, ls, cat, grep, head, tail, wc, sort, cut,
  sleep, id, whoami, clear, env, date, pidof, pgrep, dmesg, mkdir, touch, rm, stat, mount, umount, findmnt, ip, trueCmd, falseCmd, echoCmd, ping, ipcs, cp, mv, chmod, getfattr, setfattr, find, tree, du, df, ctr, runc, busybox, nginx, pause, webapp, chroot, pivotRoot, ln, systemctl, journalctl, ssh,
  stress, stressNg, yes, top, rmdir, base64,
  nslookup, dig, getent, timeout,
  sed, tr, awk, xargs, tee, uniq, seq,
  iptables, iptablesSave, iptablesRestore, sysctl, conntrack, nc, curl, python3, ss, tcpdump, bridge,
];
