// Seeded pseudo-random numbers (mulberry32): the same seed gives the same sequence on every
// machine, so a lesson, a test and a bug report replay exactly.
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** n random bytes as lower-case hex (MAC addresses, container ids). */
  hex(bytes: number): string {
    let s = "";
    for (let i = 0; i < bytes; i++) s += this.int(0, 255).toString(16).padStart(2, "0");
    return s;
  }
}
