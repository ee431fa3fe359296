// The hardware under one Linux host: how many CPUs the scheduler can hand out and how much
// RAM the memory cgroups and the OOM killer share. (NICs arrive with the network issues.)

export interface MachineSpec {
  /** Hostname the machine boots as (also its label in a lab). */
  name: string;
  /** Logical CPUs. */
  cpus: number;
  /** RAM in bytes. */
  memory: number;
}

export const GiB = 1024 ** 3;
export const DEFAULT_CPUS = 2;
export const DEFAULT_MEMORY = 4 * GiB;

export class Machine implements MachineSpec {
  readonly name: string;
  readonly cpus: number;
  readonly memory: number;

  constructor(spec: Partial<MachineSpec> = {}) {
    this.name = spec.name ?? "node";
    this.cpus = spec.cpus ?? DEFAULT_CPUS;
    this.memory = spec.memory ?? DEFAULT_MEMORY;
    if (!Number.isInteger(this.cpus) || this.cpus < 1) throw new Error(`machine ${this.name}: cpus must be a positive integer`);
    if (!Number.isInteger(this.memory) || this.memory < 64 * 1024 * 1024) throw new Error(`machine ${this.name}: memory must be at least 64 MiB`);
  }

  /** Pages of RAM (4 KiB), what the OOM killer's badness is scaled by. */
  get totalPages(): number {
    return Math.floor(this.memory / 4096);
  }
}
