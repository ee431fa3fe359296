// C's printf conversions (%d %i %o %x %X %u %c %s %e %f %g %%, flags "-+ #0", width and
// precision, * from the arguments): what awk's printf/sprintf and seq -f print with.

/** x with `digits` decimals, ties to even as glibc rounds the exact binary value. */
function fixed(x: number, digits: number): string {
  const s = x.toFixed(digits);
  const exact = x.toFixed(Math.min(100, digits + 30));
  const rest = exact.slice(exact.length - 30);
  if (!/^50*$/.test(rest)) return s;
  const down = exact.slice(0, exact.length - 30).replace(/\.$/, "");
  return Number(down.slice(-1)) % 2 === 0 ? down : s; // an exact tie: keep the even neighbour
}

/** %e: d.ddde±XX with at least two exponent digits; an exact tie rounds to even, as glibc. */
function expo(x: number, p: number): string {
  let s = x.toExponential(p);
  const [m, e] = x.toExponential(Math.min(100, p + 30)).split("e") as [string, string];
  const down = m.slice(0, m.length - 30).replace(/\.$/, "");
  if (/^50*$/.test(m.slice(m.length - 30)) && Number(down.slice(-1)) % 2 === 0) s = down + "e" + e;
  return s.replace(/e([+-])(\d)$/, "e$10$2");
}

/** %g: the shorter of %e and %f for `p` significant digits, trailing zeros dropped (kept with #). */
export function general(x: number, p: number, alt = false): string {
  if (p === 0) p = 1;
  if (!isFinite(x)) return String(x);
  const e = x === 0 ? 0 : Number(x.toExponential(p - 1).split("e")[1]);
  let s = e < -4 || e >= p ? expo(x, p - 1) : fixed(x, p - 1 - e);
  if (!alt && s.includes(".")) s = s.replace(/\.?0+(?=e|$)/, "");
  return s;
}

/** One conversion: spec is the text between % and the letter (flags, width, precision). */
function convert(flags: string, width: number | null, prec: number | null, conv: string, arg: FormatArg): string {
  let body: string;
  let sign = "";
  if ("diouxXc".includes(conv) || "eEfFgG".includes(conv)) {
    if (conv === "c") {
      body = arg.isNum ? String.fromCharCode(Math.trunc(arg.num())) : arg.str().slice(0, 1);
    } else {
      const n = arg.num();
      if (n < 0 || Object.is(n, -0) && "eEfFgG".includes(conv)) sign = "-";
      else if (flags.includes("+")) sign = "+";
      else if (flags.includes(" ")) sign = " ";
      const a = Math.abs(n);
      if ("diu".includes(conv)) body = isFinite(a) ? BigInt(Math.trunc(a)).toString() : String(a);
      else if ("oxX".includes(conv)) {
        const v = Math.trunc(n) < 0 ? (1n << 64n) + BigInt(Math.trunc(n)) : BigInt(Math.trunc(a));
        body = v.toString(conv === "o" ? 8 : 16);
        if (conv === "X") body = body.toUpperCase();
        sign = "";
        if (flags.includes("#") && v !== 0n) body = (conv === "o" ? "0" : conv === "x" ? "0x" : "0X") + body;
      } else if ("eE".includes(conv)) body = expo(a, prec ?? 6);
      else if ("fF".includes(conv)) body = fixed(a, prec ?? 6);
      else body = general(a, prec ?? 6, flags.includes("#"));
      if ("eEgG".includes(conv) && conv === conv.toUpperCase()) body = body.toUpperCase();
      if ("diouxX".includes(conv) && prec !== null) body = prec === 0 && body === "0" ? "" : body.padStart(prec, "0");
    }
  } else body = prec === null ? arg.str() : arg.str().slice(0, prec);
  const w = width ?? 0;
  const len = sign.length + body.length;
  if (len >= w) return sign + body;
  if (flags.includes("-")) return sign + body + " ".repeat(w - len);
  if (flags.includes("0") && conv !== "s" && conv !== "c" && !(prec !== null && "diouxX".includes(conv))) return sign + "0".repeat(w - len) + body;
  return " ".repeat(w - len) + sign + body;
}

/** One argument, read as the conversion needs it; %c prints a number as a character code. */
export interface FormatArg {
  num(): number;
  str(): string;
  isNum?: boolean;
}

/** printf(3) over fmt; an unknown conversion is printed as written. */
export function cformat(fmt: string, next: () => FormatArg): string {
  return fmt.replace(/%([-+ #0]*)(\*|\d+)?(?:\.(\*|\d*))?([diouxXcseEfFgG%])/g, (m, flags: string, w?: string, p?: string, conv?: string) => {
    if (conv === "%") return "%";
    let width = w === "*" ? next().num() : w ? Number(w) : null;
    if (width !== null && width < 0) (flags += "-"), (width = -width);
    const prec = p === "*" ? Math.max(0, next().num()) : p !== undefined ? Number(p || 0) : null;
    return convert(flags, width, prec, conv!, next());
  });
}
