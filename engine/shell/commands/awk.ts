import type { Command } from "../command";
export const awk: Command = { name: "awk", path: "/usr/bin/awk", summary: "", usage: "", run: () => 0 };
