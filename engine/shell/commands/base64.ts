// base64 (coreutils): encode or decode. Lesson 7 uses it to show that a Secret in etcd is only
// encoded, not encrypted: `echo czNjcmV0 | base64 -d` gives the password back.
import type { Command } from "../command";
import { usageError } from "../command";
import { readInputs } from "./text";

const USAGE = `Usage: base64 [OPTION]... [FILE]
Base64 encode or decode FILE, or standard input, to standard output.

With no FILE, or when FILE is -, read standard input.

  -d, --decode          decode data
  -i, --ignore-garbage  when decoding, ignore non-alphabet characters
  -w, --wrap=COLS       wrap encoded lines after COLS character (default 76).
                          Use 0 to disable line wrapping
`;

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

function encode(text: string, wrap: number): string {
  let bin = "";
  for (const b of utf8.encode(text)) bin += String.fromCharCode(b);
  const flat = btoa(bin);
  if (flat === "") return "";
  if (wrap <= 0) return flat + "\n";
  const lines: string[] = [];
  for (let i = 0; i < flat.length; i += wrap) lines.push(flat.slice(i, i + wrap));
  return lines.join("\n") + "\n";
}

/** Decoded text, or null for input coreutils calls invalid. */
function decode(text: string, ignoreGarbage: boolean): string | null {
  const clean = ignoreGarbage ? text.replace(/[^A-Za-z0-9+/=]/g, "") : text.replace(/\n/g, "");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1) return null;
  try {
    const bin = atob(clean);
    return fromUtf8.decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
}

export const base64: Command = {
  name: "base64",
  path: "/usr/bin/base64",
  summary: "encode or decode base64 (echo czNjcmV0 | base64 -d)",
  usage: USAGE,
  readsStdin: true,
  run(ctx) {
    let decodeMode = false;
    let ignore = false;
    let wrap = 76;
    const files: string[] = [];
    const args = ctx.argv.slice(1);
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a === "-d" || a === "--decode") decodeMode = true;
      else if (a === "-i" || a === "--ignore-garbage") ignore = true;
      else if (a === "-di" || a === "-id") decodeMode = ignore = true;
      else if (a === "-w" || a.startsWith("--wrap=") || /^-w\d+$/.test(a)) {
        const v = a === "-w" ? args[++i] : a.startsWith("--wrap=") ? a.slice(7) : a.slice(2);
        if (v === undefined) return usageError(ctx, "base64", "option requires an argument -- 'w'");
        if (!/^\d+$/.test(v)) {
          ctx.err(`base64: invalid wrap size: '${v}'\n`);
          return 1;
        }
        wrap = Number(v);
      } else if (a.startsWith("--") ) return usageError(ctx, "base64", `unrecognized option '${a}'`);
      else if (a.startsWith("-") && a !== "-") return usageError(ctx, "base64", `invalid option -- '${a.slice(1, 2)}'`);
      else files.push(a);
    }
    if (files.length > 1) return usageError(ctx, "base64", `extra operand '${files[1]}'`);
    const { texts, status } = readInputs(ctx, "base64", files);
    if (status !== 0) return status;
    const text = texts.map((t) => t.text).join("");
    if (!decodeMode) {
      ctx.out(encode(text, wrap));
      return 0;
    }
    const out = decode(text, ignore);
    if (out === null) {
      ctx.err("base64: invalid input\n");
      return 1;
    }
    ctx.out(out);
    return 0;
  },
};
