// resource.Quantity (k8s.io/apimachinery/pkg/api/resource): "500m", "1.5Gi", "1e3". Values are
// exact fixed point — here a BigInt count of nano-units — never floats, and print back in the
// canonical form the API server would store. Rules: ../shared/fidelity/RULES.md, "Resource quantities".

export type QuantityFormat = "DecimalSI" | "BinarySI" | "DecimalExponent";

export class QuantityError extends Error {}

const NANO = 1_000_000_000n;
const MAX_INT64 = (1n << 63n) - 1n;
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const SI_BY_EXP: Record<number, string> = { [-9]: "n", [-6]: "u", [-3]: "m", 0: "", 3: "k", 6: "M", 9: "G", 12: "T", 15: "P", 18: "E" };
const BINARY_SUFFIXES = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];

const abs = (v: bigint) => (v < 0n ? -v : v);
/** Integer division rounding away from zero (how parsing rounds to nano and Value() rounds up). */
function divAway(num: bigint, den: bigint): bigint {
  const q = num / den;
  return num % den === 0n ? q : num < 0n ? q - 1n : q + 1n;
}

export class Quantity {
  constructor(
    /** The value in units of 1e-9. */
    readonly nano: bigint,
    readonly format: QuantityFormat,
  ) {}

  isZero(): boolean {
    return this.nano === 0n;
  }

  /** Value(): rounded up (away from zero) to an integer. */
  value(): number {
    return Number(divAway(this.nano, NANO));
  }

  /** MilliValue(): ceil(value × 1000), away from zero. */
  milliValue(): number {
    return Number(divAway(this.nano, 1_000_000n));
  }

  /** ScaledValue(scale): ceil(value / 10^scale), away from zero. */
  scaledValue(scale: number): number {
    const e = scale + 9;
    return Number(e >= 0 ? divAway(this.nano, 10n ** BigInt(e)) : this.nano * 10n ** BigInt(-e));
  }

  cmp(o: Quantity): number {
    return this.nano < o.nano ? -1 : this.nano > o.nano ? 1 : 0;
  }

  /** Sum; a zero operand takes the other's format (as Quantity.Add does). */
  add(o: Quantity): Quantity {
    return new Quantity(this.nano + o.nano, this.isZero() ? o.format : this.format);
  }

  sub(o: Quantity): Quantity {
    return new Quantity(this.nano - o.nano, this.isZero() ? o.format : this.format);
  }

  toString(): string {
    return formatQuantity(this);
  }
}

/** ParseQuantity: sign, digits with an optional point, optional suffix. Throws QuantityError. */
export function parseQuantity(text: string): Quantity {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(.*)$/s.exec(text);
  if (!m || text.length === 0) throw formatError();
  const [, sign, intPart = "", fracPart = "", suffix = ""] = m;
  if (intPart.length === 0 && fracPart.length === 0) throw formatError();
  let format: QuantityFormat;
  let exp10 = 0;
  let exp2 = 0;
  if (suffix in DECIMAL) {
    format = "DecimalSI";
    exp10 = DECIMAL[suffix]!;
  } else if (suffix in BINARY) {
    format = "BinarySI";
    exp2 = BINARY[suffix]!;
  } else if (/^[eE][+-]?\d+$/.test(suffix)) {
    format = "DecimalExponent";
    exp10 = Number(suffix.slice(1));
  } else throw formatError();

  const digits = BigInt((intPart + fracPart).replace(/^0+(?=\d)/, "") || "0");
  // value = digits × 10^(exp10 − frac) × 2^exp2, in nano units: × 10^9.
  let num = digits * (1n << BigInt(exp2));
  const e = exp10 - fracPart.length + 9;
  let nano = e >= 0 ? num * 10n ** BigInt(e) : divAway(num, 10n ** BigInt(-e));
  if (sign === "-") nano = -nano;
  if (format === "BinarySI") {
    const cap = MAX_INT64 * NANO;
    if (abs(nano) > cap) nano = nano < 0n ? -cap : cap;
    if (nano !== 0n && abs(nano) < NANO) format = "DecimalSI";
  }
  num = 0n;
  return new Quantity(nano, format);
}

function formatError(): QuantityError {
  return new QuantityError("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
}

/** The canonical string (Quantity.String()). */
export function formatQuantity(q: Quantity): string {
  if (q.nano === 0n) return "0";
  const sign = q.nano < 0n ? "-" : "";
  const v = abs(q.nano);
  if (q.format === "BinarySI" && v >= 1024n * NANO && v % NANO === 0n) {
    let whole = v / NANO;
    let i = 0;
    while (i < 6 && whole % 1024n === 0n) {
      whole /= 1024n;
      i++;
    }
    return sign + whole.toString() + BINARY_SUFFIXES[i];
  }
  // mantissa × 10^e with e a multiple of 3 and as large as possible, nothing lost.
  let mant = v;
  let e = -9;
  while (mant % 10n === 0n) {
    mant /= 10n;
    e++;
  }
  while (((e % 3) + 3) % 3 !== 0) {
    mant *= 10n;
    e--;
  }
  if (q.format === "DecimalExponent") return sign + mant.toString() + (e === 0 ? "" : `e${e}`);
  while (e > 18) {
    mant *= 1000n;
    e -= 3;
  }
  return sign + mant.toString() + SI_BY_EXP[e]!;
}

function toNano(v: bigint | number): bigint {
  return typeof v === "bigint" ? v : BigInt(Math.trunc(v));
}

/** NewQuantity(value, format). */
export function newQuantity(value: bigint | number, format: QuantityFormat | string): Quantity {
  return new Quantity(toNano(value) * NANO, asFormat(format));
}

/** NewMilliQuantity(milli, format). */
export function newMilliQuantity(milli: bigint | number, format: QuantityFormat | string): Quantity {
  return new Quantity(toNano(milli) * 1_000_000n, asFormat(format));
}

/** NewScaledQuantity(value, scale): value × 10^scale, DecimalSI. */
export function newScaledQuantity(value: bigint | number, scale: number): Quantity {
  const e = scale + 9;
  const v = toNano(value);
  return new Quantity(e >= 0 ? v * 10n ** BigInt(e) : divAway(v, 10n ** BigInt(-e)), "DecimalSI");
}

/** An unknown format string prints like DecimalExponent. */
function asFormat(f: string): QuantityFormat {
  return f === "DecimalSI" || f === "BinarySI" ? f : "DecimalExponent";
}

/** JSON decoding: quotes and surrounding whitespace are stripped before parsing. */
export function quantityFromJSON(text: string): Quantity {
  return parseQuantity(text.replace(/^"|"$/g, "").trim());
}
