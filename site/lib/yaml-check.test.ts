import { describe, expect, it } from "vitest";
import { firstYamlProblem } from "./yaml-check";

describe("firstYamlProblem", () => {
  it("a valid manifest (several documents) has none", () => {
    expect(firstYamlProblem("apiVersion: v1\nkind: Pod\n---\napiVersion: v1\nkind: Service\n")).toBeNull();
  });

  it("names the line and column of a bad indent", () => {
    const p = firstYamlProblem("apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n spec: {}\n");
    expect(p).toMatchObject({ line: 5 });
    expect(p!.column).toBeGreaterThan(0);
    expect(p!.message).not.toMatch(/at line/);
  });

  it("a tab used for indentation, and a duplicate key, in a later document", () => {
    expect(firstYamlProblem("a: 1\nb:\n\tc: 2\n")).toMatchObject({ line: 3 });
    expect(firstYamlProblem("a: 1\n---\nkind: Pod\nkind: Service\n")).toMatchObject({ line: 4, column: 1 });
  });
});
