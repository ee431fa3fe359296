import { describe, expect, it } from "vitest";
import { createHost } from "../host";
import { parseResolvConf, query, searchCandidates, wireSize } from "./dns";

describe("the stub resolver", () => {
  it("reads resolv.conf(5): nameservers (at most three), search, and options", () => {
    const c = parseResolvConf("# comment\nnameserver 10.32.0.10\nnameserver bogus\nsearch a.example b.example\noptions ndots:5 timeout:2 attempts:3\n");
    expect(c).toEqual({ nameservers: ["10.32.0.10"], search: ["a.example", "b.example"], ndots: 5, timeout: 2, attempts: 3 });
    expect(parseResolvConf("")).toMatchObject({ nameservers: ["127.0.0.1"], ndots: 1, timeout: 5, attempts: 2 });
  });

  it("with the default ndots:1 a dotted name is tried as written first", () => {
    expect(searchCandidates("example.com", { search: ["corp.example"], ndots: 1 })).toEqual(["example.com.", "example.com.corp.example."]);
    expect(searchCandidates("intranet", { search: ["corp.example"], ndots: 1 })).toEqual(["intranet.corp.example.", "intranet."]);
  });

  it("sizes a message as it would be on the wire (header, question, answers, OPT)", () => {
    const q = query(1, "web.default.svc.cluster.local");
    expect(wireSize(q)).toBe(12 + 31 + 4 + 11);
    expect(wireSize({ ...q, answer: [{ name: q.question.name, ttl: 30, type: "A", data: "10.32.0.5" }] })).toBe(12 + 31 + 4 + 16 + 11);
  });

  it("a machine with no name server says so the way BIND's tools do, without hanging", () => {
    const h = createHost({ seed: 1 });
    expect(h.sh("nslookup web")).toMatchObject({ stdout: ";; communications error to 127.0.0.1#53: connection refused\n;; no servers could be reached\n\n", exitCode: 1 });
    expect(h.sh("getent hosts web").exitCode).toBe(2);
    expect(h.sh("getent hosts localhost").stdout).toBe("127.0.0.1       localhost\n");
    expect(h.sh("getent nope x")).toMatchObject({ exitCode: 1, stderr: "Unknown database: nope\nTry `getent --help' or `getent --usage' for more information.\n" });
    expect(h.sh("curl -sS http://nowhere/")).toMatchObject({ exitCode: 6, stderr: "curl: (6) Could not resolve host: nowhere\n" });
  });
});
