// A hand-written recursive-descent parser for the shell subset: quotes, escapes, ; && || |,
// redirections, here-documents, $VAR, ${VAR}, $(…) and `…`. Errors read like bash's.
import type { AndOr, Command, CompoundCommand, ListItem, Pipeline, Redirect, Script, SimpleCommand, Word, WordPart } from "./ast";

export class ShellSyntaxError extends Error {
  constructor(
    message: string,
    /** The input simply ended too early: more lines would complete it. */
    readonly incomplete = false,
  ) {
    super(message);
  }
}

const META = new Set([" ", "\t", "\n", ";", "&", "|", "<", ">", "(", ")"]);

export function parse(src: string): Script {
  return new Parser(src).script();
}

/**
 * Would more lines complete this input? (An open quote, a here-document without its
 * delimiter, a trailing | && || or backslash, an unfinished if/for/while.) A terminal then
 * prints the "> " continuation prompt instead of running it.
 */
export function needsMoreInput(src: string): boolean {
  if (/\\$/.test(src)) return true;
  try {
    new Parser(src, true).script();
    return false;
  } catch (e) {
    return e instanceof ShellSyntaxError && (e.incomplete || /unexpected EOF|unexpected end of file/.test(e.message));
  }
}

class Parser {
  private i = 0;
  private pendingHeredocs: { redirect: Redirect; delim: string; strip: boolean }[] = [];

  constructor(
    private readonly s: string,
    private readonly strictHeredoc = false,
  ) {}

  script(): Script {
    const items = this.list([]);
    if (!this.eof()) throw this.unexpected(this.tokenAt());
    if (this.pendingHeredocs.length) this.readHeredocs();
    return items;
  }

  /** Reserved words that end a nested list (`do … done`, `then … fi`, `{ … }`). */
  private atReserved(words: string[]): string | null {
    if (!words.length) return null;
    if (words.includes("(") && this.peek() === "(") return "(";
    const m = /^([a-z]+|[{}])(?=$|[\s;&|<>()])/.exec(this.s.slice(this.i));
    const w = m?.[1];
    if (w && words.includes(w)) return w;
    if (words.includes(")") && this.peek() === ")") return ")";
    return null;
  }

  private list(terminators: string[]): Script {
    const items: ListItem[] = [];
    for (;;) {
      this.skipBlankAndNewlines();
      if (this.eof() || this.atReserved(terminators)) break;
      const start = this.i;
      const andOr = this.andOr();
      let background = false;
      this.skipBlank();
      const c = this.peek();
      const text = this.s.slice(start, this.i).trim();
      if (c === "&" && this.s[this.i + 1] !== "&") {
        this.i++;
        background = true;
      } else if (c === ";") {
        this.i++;
        if (this.peek() === ";") throw this.unexpected(";;");
      } else if (c === "\n") {
        this.newline();
      } else if (!this.eof() && !this.atReserved(terminators)) {
        throw this.unexpected(this.tokenAt());
      }
      items.push({ andOr, background, text });
    }
    return items;
  }

  /** Consume a reserved word or fail like bash does. */
  private expectWord(word: string): void {
    this.skipBlankAndNewlines();
    if (this.atReserved([word]) !== word) {
      if (this.eof()) throw new ShellSyntaxError("syntax error: unexpected end of file");
      throw this.unexpected(this.tokenAt());
    }
    this.i += word.length;
  }

  private compound(): CompoundCommand | null {
    const start = this.i;
    const kw = this.atReserved(["for", "while", "until", "if", "{", "("]);
    if (!kw) return null;
    this.i += kw.length;
    let cmd: CompoundCommand;
    if (kw === "for") {
      this.skipBlank();
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.s.slice(this.i))?.[0];
      if (!name) throw this.unexpected(this.tokenAt());
      this.i += name.length;
      this.skipBlank();
      let words: Word[] | null = null;
      if (this.atReserved(["in"])) {
        this.i += 2;
        words = [];
        for (;;) {
          this.skipBlank();
          const c = this.peek();
          if (c === ";" || c === "\n" || this.eof()) break;
          words.push(this.word());
        }
      }
      this.skipBlank();
      if (this.peek() === ";") this.i++;
      this.expectWord("do");
      const body = this.list(["done"]);
      this.expectWord("done");
      cmd = { kind: "for", name, words, body, redirects: [], text: "" };
    } else if (kw === "while" || kw === "until") {
      const cond = this.list(["do"]);
      this.expectWord("do");
      const body = this.list(["done"]);
      this.expectWord("done");
      cmd = { kind: "while", until: kw === "until", cond, body, redirects: [], text: "" };
    } else if (kw === "if") {
      const clauses: { cond: Script; body: Script }[] = [];
      let otherwise: Script | null = null;
      let cond = this.list(["then"]);
      for (;;) {
        this.expectWord("then");
        const body = this.list(["elif", "else", "fi"]);
        clauses.push({ cond, body });
        this.skipBlankAndNewlines();
        const next = this.atReserved(["elif", "else", "fi"]);
        if (next === "elif") {
          this.i += 4;
          cond = this.list(["then"]);
          continue;
        }
        if (next === "else") {
          this.i += 4;
          otherwise = this.list(["fi"]);
        }
        this.expectWord("fi");
        break;
      }
      cmd = { kind: "if", clauses, otherwise, redirects: [], text: "" };
    } else {
      const subshell = kw === "(";
      const body = this.list([subshell ? ")" : "}"]);
      if (subshell) {
        this.skipBlankAndNewlines();
        if (this.peek() !== ")") throw this.eof() ? new ShellSyntaxError("syntax error: unexpected end of file") : this.unexpected(this.tokenAt());
        this.i++;
      } else this.expectWord("}");
      cmd = { kind: "group", subshell, body, redirects: [], text: "" };
    }
    for (;;) {
      this.skipBlank();
      const r = this.tryRedirect();
      if (!r) break;
      cmd.redirects.push(r);
    }
    cmd.text = this.s.slice(start, this.i).trim();
    return cmd;
  }

  private andOr(): AndOr {
    const first = this.pipeline();
    const rest: AndOr["rest"] = [];
    for (;;) {
      this.skipBlank();
      const two = this.s.slice(this.i, this.i + 2);
      if (two !== "&&" && two !== "||") break;
      this.i += 2;
      this.skipBlankAndNewlines();
      if (this.eof()) throw new ShellSyntaxError("syntax error: unexpected end of file");
      rest.push({ op: two, pipeline: this.pipeline() });
    }
    return { first, rest };
  }

  private pipeline(): Pipeline {
    this.skipBlank();
    let negate = false;
    if (this.peek() === "!" && META.has(this.s[this.i + 1] ?? " ")) {
      negate = true;
      this.i++;
    }
    const cmds: Command[] = [this.command()];
    for (;;) {
      this.skipBlank();
      if (this.peek() === "|" && this.s[this.i + 1] !== "|") {
        this.i++;
        this.skipBlankAndNewlines();
        if (this.eof()) throw new ShellSyntaxError("syntax error: unexpected end of file", true);
        cmds.push(this.command());
      } else break;
    }
    return { cmds, negate };
  }

  private command(): Command {
    this.skipBlank();
    const stray = this.atReserved(["do", "done", "then", "elif", "else", "fi", "}"]);
    if (stray) throw this.unexpected(stray);
    return this.compound() ?? this.simple();
  }

  private simple(): SimpleCommand {
    this.skipBlank();
    const start = this.i;
    const cmd: SimpleCommand = { assigns: [], words: [], redirects: [], text: "" };
    for (;;) {
      this.skipBlank();
      const c = this.peek();
      if (this.eof() || c === "\n" || c === ";" || c === "|" || (c === "&" && this.s[this.i + 1] !== ">")) break;
      if (c === "#") {
        this.skipComment();
        break;
      }
      if (c === ")") break;
      if (c === "(") throw this.unexpected(c);
      const redir = this.tryRedirect();
      if (redir) {
        cmd.redirects.push(redir);
        continue;
      }
      const wordStart = this.i;
      const word = this.word();
      const assign = cmd.words.length === 0 ? this.asAssignment(word) : null;
      if (assign) cmd.assigns.push(assign);
      else cmd.words.push(word);
      if (this.i === wordStart) throw this.unexpected(this.tokenAt());
    }
    if (cmd.words.length === 0 && cmd.assigns.length === 0 && cmd.redirects.length === 0) {
      throw this.unexpected(this.tokenAt());
    }
    cmd.text = this.s.slice(start, this.i).trim();
    return cmd;
  }

  private asAssignment(word: Word): { name: string; value: Word } | null {
    const first = word[0];
    if (!first || first.t !== "lit" || first.quoted) return null;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(first.v);
    if (!m) return null;
    const rest: Word = [];
    const tail = first.v.slice(m[0].length);
    if (tail) rest.push({ t: "lit", v: tail, quoted: false });
    rest.push(...word.slice(1));
    return { name: m[1]!, value: rest };
  }

  private tryRedirect(): Redirect | null {
    const m = /^(\d)?(&>|>>|>&|<<<|<<-|<<|>\||>|<)/.exec(this.s.slice(this.i, this.i + 5));
    if (!m) return null;
    // "2>" only counts as a redirect when the digit is glued to the operator and starts the word.
    this.i += m[0].length;
    let op = m[2]!;
    const fd = m[1] !== undefined ? Number(m[1]) : op.startsWith("<") ? 0 : 1;
    this.skipBlank();
    if (op === ">|") op = ">";
    if (op === "<<" || op === "<<-") {
      const delimWord = this.word();
      if (delimWord.length === 0) throw this.unexpected(this.tokenAt());
      const quoted = delimWord.some((p) => p.quoted);
      const delim = delimWord.map((p) => (p.t === "lit" ? p.v : p.t === "var" ? "$" + p.name : `$(${p.src})`)).join("");
      const r: Redirect = { fd, op: "<<", target: [], heredoc: { body: "", expand: !quoted } };
      this.pendingHeredocs.push({ redirect: r, delim, strip: op === "<<-" });
      return r;
    }
    if (this.eof() || META.has(this.peek())) throw this.unexpected(this.tokenAt());
    const target = this.word();
    return { fd, op: op as Redirect["op"], target };
  }

  private word(): Word {
    const parts: WordPart[] = [];
    const lit = (v: string, quoted: boolean) => {
      const last = parts[parts.length - 1];
      if (last && last.t === "lit" && last.quoted === quoted) last.v += v;
      else parts.push({ t: "lit", v, quoted });
    };
    while (!this.eof()) {
      const c = this.peek();
      if (META.has(c)) break;
      if (c === "\\") {
        const n = this.s[this.i + 1];
        this.i += 2;
        if (n === undefined) break;
        if (n !== "\n") lit(n, true);
        continue;
      }
      if (c === "'") {
        const end = this.s.indexOf("'", this.i + 1);
        if (end < 0) throw new ShellSyntaxError("unexpected EOF while looking for matching `''");
        lit(this.s.slice(this.i + 1, end), true);
        this.i = end + 1;
        continue;
      }
      if (c === '"') {
        this.i++;
        this.doubleQuoted(parts, lit);
        continue;
      }
      if (c === "$") {
        this.dollar(parts, lit, false);
        continue;
      }
      if (c === "`") {
        parts.push({ t: "cmd", src: this.backtick(), quoted: false });
        continue;
      }
      lit(c, false);
      this.i++;
    }
    return parts;
  }

  private doubleQuoted(parts: WordPart[], lit: (v: string, q: boolean) => void): void {
    let any = false;
    for (;;) {
      if (this.eof()) throw new ShellSyntaxError('unexpected EOF while looking for matching `"\'');
      const c = this.peek();
      if (c === '"') {
        this.i++;
        break;
      }
      if (c === "\\") {
        const n = this.s[this.i + 1] ?? "";
        if ("$`\"\\\n".includes(n)) {
          if (n !== "\n") lit(n, true);
          this.i += 2;
        } else {
          lit("\\", true);
          this.i++;
        }
        any = true;
        continue;
      }
      if (c === "$") {
        this.dollar(parts, lit, true);
        any = true;
        continue;
      }
      if (c === "`") {
        parts.push({ t: "cmd", src: this.backtick(), quoted: true });
        any = true;
        continue;
      }
      lit(c, true);
      this.i++;
      any = true;
    }
    if (!any) lit("", true);
  }

  private dollar(parts: WordPart[], lit: (v: string, q: boolean) => void, quoted: boolean): void {
    const n = this.s[this.i + 1];
    if (n === "(") {
      this.i += 2;
      const start = this.i;
      let depth = 1;
      while (!this.eof() && depth > 0) {
        const c = this.peek();
        if (c === "'") {
          const end = this.s.indexOf("'", this.i + 1);
          if (end < 0) throw new ShellSyntaxError("unexpected EOF while looking for matching `''");
          this.i = end + 1;
          continue;
        }
        if (c === "\\") {
          this.i += 2;
          continue;
        }
        if (c === "(") depth++;
        if (c === ")") depth--;
        this.i++;
      }
      if (depth > 0) throw new ShellSyntaxError("unexpected EOF while looking for matching `)'");
      parts.push({ t: "cmd", src: this.s.slice(start, this.i - 1), quoted });
      return;
    }
    if (n === "{") {
      const end = this.s.indexOf("}", this.i + 2);
      if (end < 0) throw new ShellSyntaxError("unexpected EOF while looking for matching `}'");
      const name = this.s.slice(this.i + 2, end);
      if (!/^([A-Za-z_][A-Za-z0-9_]*|[0-9?$!#@*])$/.test(name)) throw new ShellSyntaxError(`\${${name}}: bad substitution`);
      parts.push({ t: "var", name, quoted });
      this.i = end + 1;
      return;
    }
    const m = /^([A-Za-z_][A-Za-z0-9_]*|[0-9?$!#@*-])/.exec(this.s.slice(this.i + 1));
    if (m) {
      parts.push({ t: "var", name: m[1]!, quoted });
      this.i += 1 + m[1]!.length;
      return;
    }
    lit("$", quoted);
    this.i++;
  }

  private backtick(): string {
    const end = this.s.indexOf("`", this.i + 1);
    if (end < 0) throw new ShellSyntaxError("unexpected EOF while looking for matching ``'");
    const src = this.s.slice(this.i + 1, end);
    this.i = end + 1;
    return src;
  }

  private newline(): void {
    this.i++;
    if (this.pendingHeredocs.length) this.readHeredocs();
  }

  /** After the line that announced them, here-document bodies follow, each ended by its delimiter line. */
  private readHeredocs(): void {
    for (const h of this.pendingHeredocs) {
      const lines: string[] = [];
      let found = false;
      while (this.i < this.s.length) {
        let end = this.s.indexOf("\n", this.i);
        if (end < 0) end = this.s.length;
        let line = this.s.slice(this.i, end);
        this.i = Math.min(end + 1, this.s.length);
        if (h.strip) line = line.replace(/^\t+/, "");
        if (line === h.delim) {
          found = true;
          break;
        }
        lines.push(line);
      }
      // bash warns but accepts a here-document ended by end of file; a terminal keeps reading.
      if (!found && this.strictHeredoc) throw new ShellSyntaxError(`here-document delimited by end-of-file (wanted \`${h.delim}')`, true);
      h.redirect.heredoc!.body = lines.length ? lines.join("\n") + "\n" : "";
    }
    this.pendingHeredocs = [];
  }

  private skipBlank(): void {
    for (;;) {
      const c = this.peek();
      if (c === " " || c === "\t") this.i++;
      else if (c === "\\" && this.s[this.i + 1] === "\n") this.i += 2;
      else break;
    }
  }

  private skipBlankAndNewlines(): void {
    for (;;) {
      this.skipBlank();
      const c = this.peek();
      if (c === "\n") this.newline();
      else if (c === "#") this.skipComment();
      else break;
    }
  }

  private skipComment(): void {
    while (!this.eof() && this.peek() !== "\n") this.i++;
  }

  private peek(): string {
    return this.s[this.i] ?? "";
  }

  private eof(): boolean {
    return this.i >= this.s.length;
  }

  private tokenAt(): string {
    if (this.eof()) return "newline";
    const m = /^(;;|&&|\|\||[;&|<>()]|\n)/.exec(this.s.slice(this.i));
    if (m) return m[1] === "\n" ? "newline" : m[1]!;
    return /^[^\s;&|<>()]+/.exec(this.s.slice(this.i))?.[0] ?? this.peek();
  }

  private unexpected(tok: string): ShellSyntaxError {
    return new ShellSyntaxError(`syntax error near unexpected token \`${tok}'`);
  }
}
