import { describe, expect, it } from "vitest";
import { ShellSyntaxError, needsMoreInput, parse } from "./parser";
import type { Command, SimpleCommand, Word } from "./ast";

const simple = (c: Command | undefined): SimpleCommand => c as SimpleCommand;
const lit = (w: Word) => w.map((p) => (p.t === "lit" ? p.v : p.t === "var" ? `$${p.name}` : `$(${p.src})`)).join("");

describe("shell parser", () => {
  it("splits lists, and-or chains, pipelines and background jobs", () => {
    const s = parse("a 1; b && c || d | e &\nf");
    expect(s).toHaveLength(3);
    expect(simple(s[0]!.andOr.first.cmds[0]).words.map(lit)).toEqual(["a", "1"]);
    expect(s[1]!.andOr.rest.map((r) => r.op)).toEqual(["&&", "||"]);
    expect(s[1]!.andOr.rest[1]!.pipeline.cmds).toHaveLength(2);
    expect(s[1]!.background).toBe(true);
    expect(s[2]!.background).toBe(false);
  });

  it("keeps single quotes literal and expands inside double quotes", () => {
    const [item] = parse(`echo 'a $X' "b $Y" c\\ d`);
    const words = simple(item!.andOr.first.cmds[0]).words;
    expect(words[1]).toEqual([{ t: "lit", v: "a $X", quoted: true }]);
    expect(words[2]).toEqual([
      { t: "lit", v: "b ", quoted: true },
      { t: "var", name: "Y", quoted: true },
    ]);
    expect(lit(words[3]!)).toBe("c d");
  });

  it("parses $(…), ${…}, $$, $? and backticks", () => {
    const w = simple(parse("echo $(pidof sleep) ${HOME} $$ $? `date`")[0]!.andOr.first.cmds[0]).words;
    expect(w[1]![0]).toMatchObject({ t: "cmd", src: "pidof sleep" });
    expect(w[2]![0]).toMatchObject({ t: "var", name: "HOME" });
    expect(w[3]![0]).toMatchObject({ t: "var", name: "$" });
    expect(w[4]![0]).toMatchObject({ t: "var", name: "?" });
    expect(w[5]![0]).toMatchObject({ t: "cmd", src: "date" });
  });

  it("reads redirections, fd duplication and assignments", () => {
    const c = simple(parse("X=1 cmd >out 2>&1 >>log <in")[0]!.andOr.first.cmds[0]);
    expect(c.assigns).toEqual([{ name: "X", value: [{ t: "lit", v: "1", quoted: false }] }]);
    expect(c.redirects.map((r) => [r.fd, r.op, lit(r.target)])).toEqual([
      [1, ">", "out"],
      [2, ">&", "1"],
      [1, ">>", "log"],
      [0, "<", "in"],
    ]);
  });

  it("collects here-document bodies, quoted delimiters turn expansion off", () => {
    const s = parse("cat <<EOF\nhello $X\nEOF\ncat <<'E2'\nraw $Y\nE2\necho done");
    expect(s).toHaveLength(3);
    expect(simple(s[0]!.andOr.first.cmds[0]).redirects[0]!.heredoc).toEqual({ body: "hello $X\n", expand: true });
    expect(simple(s[1]!.andOr.first.cmds[0]).redirects[0]!.heredoc).toEqual({ body: "raw $Y\n", expand: false });
  });

  it("ignores comments and line continuations", () => {
    const s = parse("echo a \\\n b # comment\n# whole line\necho c");
    expect(s.map((i) => simple(i.andOr.first.cmds[0]).words.map(lit).join(" "))).toEqual(["echo a b", "echo c"]);
  });

  it.each([
    ["echo 'open", "unexpected EOF while looking for matching `''"],
    ['echo "open', "unexpected EOF while looking for matching `\"'"],
    ["; ls", "syntax error near unexpected token `;'"],
    ["ls | | wc", "syntax error near unexpected token `|'"],
    ["ls >", "syntax error near unexpected token `newline'"],
    ["echo $(ls", "unexpected EOF while looking for matching `)'"],
    ["a && ", "syntax error: unexpected end of file"],
  ])("reports %j like bash", (src, msg) => {
    expect(() => parse(src)).toThrow(ShellSyntaxError);
    expect(() => parse(src)).toThrow(msg);
  });
});

describe("compound commands", () => {
  it("parses for, while, if/elif/else, { } and ( )", () => {
    const s = parse("for i in a b; do echo $i; done; while false; do :; done\nif true; then echo y; elif false; then :; else echo n; fi; { echo g; } > f; (cd /; pwd)");
    expect(s.map((i) => (i.andOr.first.cmds[0] as { kind?: string }).kind)).toEqual(["for", "while", "if", "group", "group"]);
  });
  it.each([
    ["for i in a; echo", "syntax error near unexpected token `echo'"],
    ["if true; then echo", "syntax error: unexpected end of file"],
    ["done", "syntax error near unexpected token `done'"],
  ])("reports %j", (src, msg) => {
    expect(() => parse(src)).toThrow(msg);
  });
});

describe("needsMoreInput (the terminal's > continuation prompt)", () => {
  it.each([
    ["ls", false],
    ["cat <<EOF", true],
    ["cat <<EOF\nhi\nEOF", false],
    ["echo 'a", true],
    ["ls |", true],
    ["ls &&", true],
    ["for i in 1; do", true],
    ["ls \\", true],
    ["ls >", false],
  ])("%j → %s", (src, want) => expect(needsMoreInput(src)).toBe(want));
});
