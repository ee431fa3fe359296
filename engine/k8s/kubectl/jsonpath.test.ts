// kubectl's JSONPath templates: the grammar, how results are spaced and printed, and the
// parser's and evaluator's error messages.
import { describe, expect, it } from "vitest";
import { JsonPath, JsonPathError } from "./jsonpath";

const list = {
  apiVersion: "v1",
  kind: "List",
  metadata: { resourceVersion: "" },
  items: [
    {
      metadata: { name: "web-1", labels: { app: "web", tier: "front" }, annotations: { "kubernetes.io/change-cause": "v2" } },
      spec: { containers: [{ name: "nginx", ports: [{ containerPort: 80 }] }, { name: "log", ports: [{ containerPort: 9000 }] }] },
      status: { podIP: "10.244.1.2", phase: "Running", conditions: [{ type: "Ready", status: "True" }, { type: "PodScheduled", status: "True" }], containerStatuses: [{ restartCount: 3, ready: true }] },
    },
    {
      metadata: { name: "db-0", labels: { app: "db" } },
      spec: { containers: [{ name: "pg", ports: [{ containerPort: 5432 }] }] },
      status: { podIP: "10.244.2.7", phase: "Pending", conditions: [{ type: "Ready", status: "False" }], containerStatuses: [{ restartCount: 0, ready: false }] },
    },
  ],
};

const run = (t: string, data: unknown = list, allowMissing = true) => JsonPath.parse(t).execute(data, allowMissing);
const parseError = (t: string) => {
  try {
    JsonPath.parse(t);
  } catch (e) {
    if (e instanceof JsonPathError) return e.message;
    throw e;
  }
  return "no error";
};
const execError = (t: string, data: unknown = list, allowMissing = true) => {
  try {
    run(t, data, allowMissing);
  } catch (e) {
    if (e instanceof JsonPathError) return e.message;
    throw e;
  }
  return "no error";
};

describe("JSONPath templates", () => {
  it("fields, [*] and the space between one action's results", () => {
    expect(run("{.items[*].metadata.name}")).toBe("web-1 db-0");
    expect(run("{.kind}")).toBe("List");
    expect(run("{.items[0].status.containerStatuses[0].restartCount}")).toBe("3");
    expect(run("{.items[*].status.containerStatuses[0].ready}")).toBe("true false");
  });

  it("range … end runs its body per item, with quoted escapes and text outside the braces", () => {
    expect(run('{range .items[*]}{.metadata.name}{"\\t"}{.status.podIP}{"\\n"}{end}')).toBe("web-1\t10.244.1.2\ndb-0\t10.244.2.7\n");
    expect(run("pods: {range .items[*]}[{.metadata.name}] {end}done")).toBe("pods: [web-1] [db-0] done");
    // Nested ranges: each container of each pod.
    expect(run('{range .items[*]}{.metadata.name}:{range .spec.containers[*]} {.name}{end}{"\\n"}{end}')).toBe("web-1: nginx log\ndb-0: pg\n");
    // A range over nothing ends the template there, as in kubectl.
    expect(run('{range .items[?(@.metadata.name=="none")]}{.x}{end}after', list)).toBe("");
  });

  it("indexes, negative indexes and slices", () => {
    expect(run("{.items[-1].metadata.name}")).toBe("db-0");
    expect(run("{.items[0:1].metadata.name}")).toBe("web-1");
    expect(run("{.items[0:2].metadata.name}")).toBe("web-1 db-0");
    expect(run("{.items[1:].metadata.name}")).toBe("db-0");
    expect(run("{.items[:1].metadata.name}")).toBe("web-1");
    expect(run("{.items[-2:].metadata.name}")).toBe("web-1 db-0");
  });

  it("filters compare strings and numbers, or test that a field exists", () => {
    expect(run('{.items[0].status.conditions[?(@.type=="Ready")].status}')).toBe("True");
    expect(run("{.items[?(@.status.phase!='Running')].metadata.name}")).toBe("db-0");
    expect(run("{.items[?(@.status.containerStatuses[0].restartCount>0)].metadata.name}")).toBe("web-1");
    expect(run("{.items[?(@.status.containerStatuses[0].restartCount<=0)].metadata.name}")).toBe("db-0");
    expect(run("{.items[*].spec.containers[?(@.ports[0].containerPort>=5432)].name}")).toBe("log pg");
    expect(run("{.items[?(@.metadata.annotations)].metadata.name}")).toBe("web-1");
    expect(run("{.items[?(@.status.containerStatuses[0].ready==true)].metadata.name}")).toBe("web-1");
  });

  it("recursive descent, wildcards, unions and quoted keys", () => {
    expect(run("{..podIP}")).toBe("10.244.1.2 10.244.2.7");
    expect(run("{.items[0].spec.containers[*].ports[*].containerPort}")).toBe("80 9000");
    expect(run("{.items[0].metadata.labels.*}")).toBe("web front");
    expect(run("{.items[*]['metadata.name','status.podIP']}")).toBe("web-1 db-0 10.244.1.2 10.244.2.7");
    expect(run("{.items[0].metadata.annotations['kubernetes.io/change-cause']}")).toBe("");
    expect(run("{.items[0].metadata.annotations.kubernetes\\.io/change-cause}")).toBe("v2");
    expect(run("{.items[0,1].metadata.name}")).toBe("web-1 db-0");
  });

  it("@ and $ stand for the current object; maps and lists print as JSON (keys sorted)", () => {
    expect(run("{$.kind}")).toBe("List");
    expect(run("{@.metadata}")).toBe('{"resourceVersion":""}');
    expect(run("{.items[0].metadata.labels}")).toBe('{"app":"web","tier":"front"}');
    expect(run("{.items[1].status.conditions[0]}")).toBe('{"status":"False","type":"Ready"}');
    expect(run("{.items[0].spec.containers[*].name}")).toBe("nginx log");
    expect(run("{.a}", { a: ["x", 1] })).toBe('["x",1]');
    expect(run("{.a}", { a: "<b>&" })).toBe("<b>&");
    expect(run("{.a}", { a: { h: "<b>&" } })).toBe('{"h":"\\u003cb\\u003e\\u0026"}');
    expect(run("{.a}", { a: null })).toBe("<nil>");
    expect(run("{.a}", { a: 1.5 })).toBe("1.5");
  });

  it("as JSON: one indented array per action", () => {
    expect(JsonPath.parse("{.items[*].metadata.name}").executeAsJSON(list, true)).toBe('[\n    "web-1",\n    "db-0"\n]\n');
    expect(JsonPath.parse("{.nothing}").executeAsJSON(list, true)).toBe("[]\n");
  });

  it("missing keys print nothing when allowed, and are an error otherwise", () => {
    expect(run("{.items[*].status.hostIP}")).toBe("");
    expect(execError("{.items[*].status.hostIP}", list, false)).toBe("hostIP is not found");
  });

  it("parse errors read as the real parser's", () => {
    expect(parseError("{.x")).toBe("unclosed action");
    expect(parseError("{.items[0}")).toBe("unterminated array");
    expect(parseError("{.items[a]}")).toBe("invalid array index a");
    expect(parseError("{.items[?(@.x=='a'}")).toBe("unterminated filter");
    expect(parseError('{"abc}')).toBe("unterminated quoted string");
    expect(parseError("{!a}")).toBe("unrecognized character in action: U+0021 '!'");
    expect(parseError("{....a}")).toBe("invalid multiple recursive descent");
    expect(parseError("{1.2.3}")).toBe("cannot parse number 1.2.3");
    expect(parseError("plain text")).toBe("no error");
  });

  it("evaluation errors read as the real evaluator's", () => {
    expect(execError("{.items[5]}")).toBe("array index out of bounds: index 5, length 2");
    expect(execError("{.items[0:3]}")).toBe("array index out of bounds: index 2, length 2");
    expect(execError("{.kind[0]}")).toBe("string is not array or slice");
    expect(execError("{.metadata[0]}")).toBe("map[string]interface {} is not array or slice");
    expect(execError("{end}")).toBe("not in range, nothing to end");
    expect(execError("{metadata.name}")).toBe("unrecognized identifier metadata");
    expect(execError("{.items[?(@.metadata.name>1)]}")).toBe("incompatible types for comparison");
    expect(execError("{.items[?(@.metadata.labels=='x')]}")).toBe("invalid type for comparison");
    expect(execError("{.items[?(@.spec.containers[*].name=='pg')]}")).toBe("can only compare one element at a time");
  });
});
