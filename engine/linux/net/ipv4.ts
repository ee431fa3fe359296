// IPv4 addresses as unsigned 32-bit numbers: prefix math is then a mask and a compare,
// which keeps route lookups and rule matches cheap on the hot path.

export function parseIp(s: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return null;
  const b = m.slice(1).map(Number);
  if (b.some((x) => x > 255)) return null;
  return ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
}

export function fmtIp(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

export function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

export function inPrefix(ip: number, net: number, prefix: number): boolean {
  const m = maskOf(prefix);
  return ((ip & m) >>> 0) === ((net & m) >>> 0);
}

/** "10.0.0.1/24" → { ip, prefix }; a bare address is /32. */
export function parseCidr(s: string): { ip: number; prefix: number } | null {
  const [a, p] = s.split("/");
  const ip = parseIp(a ?? "");
  if (ip === null) return null;
  if (p === undefined) return { ip, prefix: 32 };
  if (!/^\d+$/.test(p) || Number(p) > 32) return null;
  return { ip, prefix: Number(p) };
}

/** The network address of ip/prefix. */
export function network(ip: number, prefix: number): number {
  return (ip & maskOf(prefix)) >>> 0;
}

export function broadcast(ip: number, prefix: number): number {
  return (network(ip, prefix) | (~maskOf(prefix) >>> 0)) >>> 0;
}

/** Dotted mask → prefix length (iptables accepts -s 10.0.0.0/255.255.255.0), null if not contiguous. */
export function maskToPrefix(s: string): number | null {
  const n = parseIp(s);
  if (n === null) return null;
  let p = 0;
  while (p < 32 && (n & (0x80000000 >>> p)) !== 0) p++;
  return maskOf(p) === n ? p : null;
}

export const LOOPBACK_NET = parseIp("127.0.0.0")!;
export function isLoopback(ip: number): boolean {
  return ip >>> 24 === 127;
}
