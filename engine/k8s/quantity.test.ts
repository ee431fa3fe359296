// Cases ported from k8s.io/apimachinery/pkg/api/resource/quantity_test.go (TestQuantityParse,
// TestQuantityString, TestQuantityParseEmit, TestQuantityParseZero …), restated in RULES.md.
import { describe, expect, it } from "vitest";
import { formatQuantity, newMilliQuantity, newQuantity, newScaledQuantity, parseQuantity, quantityFromJSON } from "./quantity";

const canon = (s: string) => formatQuantity(parseQuantity(s));

describe("resource.Quantity", () => {
  it("prints the canonical form", () => {
    const cases: [string, string][] = [
      ["0", "0"], ["0n", "0"], ["0u", "0"], ["0m", "0"], ["0Ki", "0"], ["0k", "0"], ["0Mi", "0"], ["0e3", "0"], ["-0", "0"],
      ["1", "1"], ["1n", "1n"], ["1u", "1u"], ["1m", "1m"], ["1k", "1k"], ["1M", "1M"], ["1G", "1G"], ["1T", "1T"], ["1P", "1P"], ["1E", "1E"],
      ["1Ki", "1Ki"], ["1Mi", "1Mi"], ["1Gi", "1Gi"], ["1Ti", "1Ti"], ["1Pi", "1Pi"], ["1Ei", "1Ei"],
      ["0.5", "500m"], [".5", "500m"], ["1.", "1"], ["1.G", "1G"], ["1.5", "1500m"], ["1.01", "1010m"], ["1.001", "1001m"], ["1.0001", "1000100u"],
      ["100m", "100m"], ["12.34m", "12340u"], ["0.1m", "100u"], ["1000m", "1"], ["1000", "1k"], ["1024", "1024"], ["1500", "1500"],
      ["1.5Gi", "1536Mi"], ["1536Mi", "1536Mi"], ["1024Mi", "1Gi"], ["1025", "1025"], ["1025Ki", "1025Ki"], ["0.5Ki", "512"], ["5Ki", "5Ki"],
      ["0.5Mi", "512Ki"], ["1.1n", "2n"], ["-1.1n", "-2n"], ["0.0000000001", "1n"],
      ["1e3", "1e3"], ["1E3", "1e3"], ["1e6", "1e6"], ["1e-3", "1e-3"], ["1.5e3", "1500"], ["100e-3", "100e-3"], ["1e0", "1"], ["10e2", "1e3"],
      ["-1", "-1"], ["-100m", "-100m"], ["-1.5Gi", "-1536Mi"], ["+1", "1"], ["+1Mi", "1Mi"],
      ["500m", "500m"], ["250m", "250m"], ["2", "2"], ["128Mi", "128Mi"], ["1G", "1G"], ["1000000k", "1G"],
    ];
    for (const [input, out] of cases) expect.soft(`${input} -> ${canon(input)}`).toBe(`${input} -> ${out}`);
  });

  it("rejects what the grammar does not allow", () => {
    for (const bad of ["", " 1", "1 ", "1.1.1", "1+1", "1i", "1mi", "1am", "i", "1e", "1e-", "1E+", "aaa", "1 Mi", ".", "-", "1Kii", "Ki", "1ki", "1,000"]) {
      expect(() => parseQuantity(bad), JSON.stringify(bad)).toThrow(/quantities must match/);
    }
  });

  it("keeps the format it was parsed with", () => {
    expect(parseQuantity("0").format).toBe("DecimalSI");
    expect(parseQuantity("0Mi").format).toBe("BinarySI");
    expect(parseQuantity("1e3").format).toBe("DecimalExponent");
    expect(parseQuantity("0.5Ki").format).toBe("BinarySI");
    // 0 < |v| < 1 with a binary suffix switches to DecimalSI
    expect(parseQuantity("0.0001Ki").format).toBe("DecimalSI");
    expect(canon("0.0001Ki")).toBe("102400u");
  });

  it("Value and MilliValue round up away from zero", () => {
    expect(parseQuantity("1.5").value()).toBe(2);
    expect(parseQuantity("-1.5").value()).toBe(-2);
    expect(parseQuantity("100m").milliValue()).toBe(100);
    expect(parseQuantity("1.0001m").milliValue()).toBe(2);
    expect(parseQuantity("1Gi").value()).toBe(1073741824);
    expect(parseQuantity("1n").milliValue()).toBe(1);
    expect(parseQuantity("1k").scaledValue(3)).toBe(1);
    expect(parseQuantity("1500").scaledValue(3)).toBe(2);
  });

  it("caps BinarySI at 2^63-1 but not decimal values", () => {
    expect(canon("8Ei")).toBe("9223372036854775807");
    expect(canon("100E")).toBe("100E");
  });

  it("builds values directly and decodes JSON", () => {
    expect(formatQuantity(newQuantity(5, "BinarySI"))).toBe("5");
    expect(formatQuantity(newMilliQuantity(500, "BinarySI"))).toBe("500m");
    expect(formatQuantity(newMilliQuantity(1500, "DecimalSI"))).toBe("1500m");
    expect(formatQuantity(newQuantity(1024, "BinarySI"))).toBe("1Ki");
    expect(formatQuantity(newQuantity(1000, "Unknown"))).toBe("1e3");
    expect(formatQuantity(newScaledQuantity(5, 3))).toBe("5k");
    expect(formatQuantity(newScaledQuantity(5, -3))).toBe("5m");
    expect(formatQuantity(quantityFromJSON('" 1"'))).toBe("1");
  });

  it("adding a zero keeps the other operand's format", () => {
    const zero = parseQuantity("0");
    expect(formatQuantity(zero.add(parseQuantity("1Mi")))).toBe("1Mi");
    expect(formatQuantity(parseQuantity("1Mi").add(parseQuantity("0")))).toBe("1Mi");
    expect(formatQuantity(parseQuantity("1Mi").add(parseQuantity("1Mi")))).toBe("2Mi");
  });
});
