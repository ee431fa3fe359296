// The host's root disk as a fresh Debian-like machine has it: enough of /etc for id, hostname
// and ps to print real names, and the standard directories the lessons use.
import type { TreeFs } from "./vfs";

export const PASSWD = `root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
`;

export const GROUP = `root:x:0:
daemon:x:1:
nogroup:x:65534:
`;

export function seedRootFs(fs: TreeFs, hostname: string): void {
  for (const d of ["/bin", "/sbin", "/boot", "/home", "/lib", "/media", "/mnt", "/opt", "/proc", "/srv", "/sys", "/dev", "/run", "/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/lib", "/var/lib", "/var/log", "/etc/systemd/system"]) {
    fs.put(d, null);
  }
  fs.put("/root", null, { mode: 0o700 });
  fs.put("/tmp", null, { mode: 0o1777 });
  fs.put("/etc/hostname", `${hostname}\n`);
  fs.put("/etc/hosts", `127.0.0.1\tlocalhost\n127.0.1.1\t${hostname}\n`);
  fs.put("/etc/passwd", PASSWD);
  fs.put("/etc/group", GROUP);
  fs.put("/etc/os-release", 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n');
  fs.put("/root/.bashrc", "# ~/.bashrc: executed by bash(1) for non-login shells.\nexport PS1='\\u@\\h:\\w\\$ '\n");
}
