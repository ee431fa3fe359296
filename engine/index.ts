// The public API (DESIGN.md): exercises, tests and widgets import only from here.
export * from "./api";
export { createHost } from "./linux/host";
export type { Host, HostOptions, Completion } from "./linux/host";
export { createLab } from "./hardware/lab";
export type { Lab, LabOptions } from "./hardware/lab";
