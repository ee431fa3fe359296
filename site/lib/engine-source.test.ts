import { describe, expect, test } from "vitest";
import { extractSymbol } from "./engine-source";

const src = `// File header: not part of any declaration.

import { x } from "./x";

/** Adds two numbers. */
export function add(a: number, b: number): number {
  return a + b;
}

// Overloads come back together.
export function pick(a: string): string;
export function pick(a: number): number;
export function pick(a: unknown): unknown {
  return a;
}

/**
 * A counter.
 */
export class Counter {
  private n = 0;

  /** Add one. */
  inc(): number {
    return ++this.n;
  }

  get value(): number {
    return this.n;
  }
  set value(v: number) {
    this.n = v;
  }
}

// The default port.
// Two comment lines.
export const PORT = 8080, HOST = "localhost";

export interface Shape {
  area(): number;
}

export type Id = string;

export enum Color {
  Red,
  Green,
}
`;

const lines = src.split("\n");
const at = (n: number) => lines[n - 1];

describe("extractSymbol", () => {
  test("a function with its JSDoc, and not the file header", () => {
    const r = extractSymbol(src, "add")!;
    expect(r.code).toBe(`/** Adds two numbers. */\nexport function add(a: number, b: number): number {\n  return a + b;\n}`);
    expect(at(r.startLine)).toBe("/** Adds two numbers. */");
    expect(at(r.endLine)).toBe("}");
    expect(r.endLine - r.startLine).toBe(3);
  });

  test("overloads are returned together", () => {
    const r = extractSymbol(src, "pick")!;
    expect(r.code.startsWith("// Overloads come back together.\nexport function pick(a: string): string;")).toBe(true);
    expect(r.code.endsWith("return a;\n}")).toBe(true);
  });

  test("a class, whole", () => {
    const r = extractSymbol(src, "Counter")!;
    expect(r.code.startsWith("/**\n * A counter.\n */\nexport class Counter {")).toBe(true);
    expect(r.code.endsWith("\n}")).toBe(true);
    expect(at(r.startLine)).toBe("/**");
  });

  test("Class.method, de-indented, with its comment", () => {
    const r = extractSymbol(src, "Counter.inc")!;
    expect(r.code).toBe("/** Add one. */\ninc(): number {\n  return ++this.n;\n}");
    expect(at(r.startLine)).toBe("  /** Add one. */");
    expect(at(r.endLine)).toBe("  }");
  });

  test("a get/set pair comes back together", () => {
    const r = extractSymbol(src, "Counter.value")!;
    expect(r.code).toBe("get value(): number {\n  return this.n;\n}\nset value(v: number) {\n  this.n = v;\n}");
  });

  test("a const statement by any of its names, with its comment lines", () => {
    const r = extractSymbol(src, "PORT")!;
    expect(r.code).toBe('// The default port.\n// Two comment lines.\nexport const PORT = 8080, HOST = "localhost";');
    expect(extractSymbol(src, "HOST")!.code).toBe(r.code);
    expect(r.startLine).toBe(r.endLine - 2);
  });

  test("interfaces, interface members, type aliases and enums", () => {
    expect(extractSymbol(src, "Shape")!.code).toBe("export interface Shape {\n  area(): number;\n}");
    expect(extractSymbol(src, "Shape.area")!.code).toBe("area(): number;");
    expect(extractSymbol(src, "Id")!.code).toBe("export type Id = string;");
    expect(extractSymbol(src, "Color")!.code).toContain("Green,");
  });

  test("a missing symbol or member is null", () => {
    expect(extractSymbol(src, "nope")).toBeNull();
    expect(extractSymbol(src, "Counter.nope")).toBeNull();
    expect(extractSymbol(src, "Nope.inc")).toBeNull();
    expect(extractSymbol(src, "x")).toBeNull(); // an import is not a declaration
    expect(extractSymbol(src, "a.b.c")).toBeNull();
    expect(extractSymbol(src, "")).toBeNull();
  });
});
