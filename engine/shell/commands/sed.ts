import type { Command } from "../command";
export const sed: Command = { name: "sed", path: "/usr/bin/sed", summary: "", usage: "", run: () => 0 };
