import { describe, expect, it } from "vitest";
import { tabwrite } from "./tabwriter";

describe("tabwrite (Go text/tabwriter, padding 2)", () => {
  it("aligns a column across consecutive tabbed lines only", () => {
    const s = tabwrite("Name:\tweb\nRollingUpdateStrategy:\t25%\nPod Template:\n  Labels:\tapp=web\n");
    expect(s).toBe("Name:                   web\nRollingUpdateStrategy:  25%\nPod Template:\n  Labels:  app=web\n");
  });
  it("aligns inner columns within their own run and pads an empty last column's cell", () => {
    const s = tabwrite("Type:\tClusterIP\nPort:\thttp\t80/TCP\nTargetPort:\t8080/TCP\nEndpoints:\t\n");
    expect(s.split("\n")).toEqual(["Type:        ClusterIP", "Port:        http  80/TCP", "TargetPort:  8080/TCP", "Endpoints:   ", ""]);
  });
});
