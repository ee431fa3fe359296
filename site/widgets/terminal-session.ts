// The terminal proper: xterm.js plus a small readline-like line editor in front of the
// engine's shell session. Loaded lazily by terminal.ts (xterm is ~83 KB gzipped).
//
// The engine runs a whole command line synchronously (`host.sh(line)`), so the editor only
// has to collect a line, hand it over on Enter and print what comes back.
import { Terminal, type ITheme } from "@xterm/xterm";
import { FitAddon } from "@xterm/addon-fit";
import type { Host } from "../../engine";
import { notifyWorldChange, onWorldChange, PAGE_LAB } from "./world";
import { needsMoreInput } from "../../engine/shell/parser";

const DARK: ITheme = {
  background: "#0d1117",
  foreground: "#e6edf3",
  cursor: "#e6edf3",
  cursorAccent: "#0d1117",
  selectionBackground: "#2f4f7a",
  scrollbarSliderBackground: "rgba(139, 148, 158, 0.25)",
  scrollbarSliderHoverBackground: "rgba(139, 148, 158, 0.4)",
  scrollbarSliderActiveBackground: "rgba(139, 148, 158, 0.55)",
  black: "#484f58",
  red: "#ff7b72",
  green: "#3fb950",
  yellow: "#d29922",
  blue: "#58a6ff",
  magenta: "#bc8cff",
  cyan: "#39c5cf",
  white: "#b1bac4",
  brightBlack: "#8b949e",
  brightRed: "#ffa198",
  brightGreen: "#56d364",
  brightYellow: "#e3b341",
  brightBlue: "#79c0ff",
  brightMagenta: "#d2a8ff",
  brightCyan: "#56d4dd",
  brightWhite: "#ffffff",
};

const LIGHT: ITheme = {
  background: "#f6f8fa",
  foreground: "#1f2328",
  cursor: "#1f2328",
  cursorAccent: "#f6f8fa",
  selectionBackground: "#b6d7ff",
  scrollbarSliderBackground: "rgba(87, 96, 106, 0.2)",
  scrollbarSliderHoverBackground: "rgba(87, 96, 106, 0.35)",
  scrollbarSliderActiveBackground: "rgba(87, 96, 106, 0.5)",
  black: "#24292f",
  red: "#b42318",
  green: "#116329",
  yellow: "#7d4e00",
  blue: "#0550ae",
  magenta: "#8250df",
  cyan: "#1b7c83",
  white: "#6e7781",
  brightBlack: "#57606a",
  brightRed: "#a40e26",
  brightGreen: "#1a7f37",
  brightYellow: "#633c01",
  brightBlue: "#0969da",
  brightMagenta: "#a475f9",
  brightCyan: "#3192aa",
  brightWhite: "#8c959f",
};

const BANNER =
  "\x1b[90mA simulated Linux host, running in your browser: nothing here touches a real machine.\r\n" +
  "Type \x1b[0;1mhelp\x1b[0;90m for the commands. Tab completes, \u2191 recalls, Ctrl-L clears.\x1b[0m\r\n";

/** The banner of a terminal on a cluster: the shell is on the control plane. */
const CLUSTER_BANNER =
  "\x1b[90mA simulated Kubernetes cluster, running in your browser: this shell is on the control plane;\r\n" +
  "\x1b[0;1mssh worker-1\x1b[0;90m logs in to a node. Type \x1b[0;1mhelp\x1b[0;90m for the commands.\x1b[0m\r\n";

/** Remove ANSI escape sequences (to measure what is visible). */
const stripAnsi = (s: string): string => s.replace(/\x1b(\[[0-9;?]*[ -/]*[@-~]|\][^\x07]*(\x07|\x1b\\)|[@-Z\\-_])/g, "");

/** Colour the engine's plain prompt like Debian's bash: bold green user@host, bold blue cwd. */
function colourPrompt(p: string): string {
  const m = /^([^@\s]+@[^:\s]+):(.*?)([#$]) $/.exec(p);
  if (!m) return p;
  return `\x1b[1;32m${m[1]}\x1b[0m:\x1b[1;34m${m[2]}\x1b[0m${m[3]} `;
}

function commonPrefix(words: string[]): string {
  let p = words[0] ?? "";
  for (const w of words) while (!w.startsWith(p)) p = p.slice(0, -1);
  return p;
}

/** The site sets data-theme="light|dark" on <html>; without it, follow the OS. */
const isDark = (): boolean => {
  const t = document.documentElement.dataset.theme;
  return t ? t !== "light" : !matchMedia("(prefers-color-scheme: light)").matches;
};

export class TerminalSession {
  readonly term: Terminal;
  readonly started: Promise<void>;
  private host: Host;
  private fit: FitAddon;
  private buf = "";
  private cur = 0;
  /** Row of the terminal cursor, counted from the row where the prompt starts. */
  private row = 0;
  private promptPlain = "";
  private promptAnsi = "";
  private histIndex = -1;
  private draft = "";
  private lastKeyTab = false;
  private lastRun = performance.now();
  private cleanup: (() => void)[] = [];

  private banner: string;

  /** `lab`: the world (widgets/world.ts) this session types into; a reset of that world restarts it. */
  constructor(el: HTMLElement, host: Host, lab: string = PAGE_LAB) {
    this.host = host;
    this.banner = lab === "cluster" || host.name === "controlplane" ? CLUSTER_BANNER : BANNER;
    this.term = new Terminal({
      screenReaderMode: true,
      cursorBlink: true,
      fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace',
      fontSize: 14,
      lineHeight: 1.2,
      scrollback: 2000,
      theme: isDark() ? DARK : LIGHT,
      allowProposedApi: false,
    });
    this.fit = new FitAddon();
    this.term.loadAddon(this.fit);
    this.term.open(el);
    this.term.textarea?.setAttribute("aria-label", "Terminal input: a shell on the simulated host");
    this.refit();

    this.term.onData((d) => this.input(d));

    const ro = new ResizeObserver(() => requestAnimationFrame(() => this.refit()));
    ro.observe(el);
    this.cleanup.push(() => ro.disconnect());

    const mo = new MutationObserver(() => (this.term.options.theme = isDark() ? DARK : LIGHT));
    mo.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
    this.cleanup.push(() => mo.disconnect());

    this.cleanup.push(onWorldChange((h, reason) => reason === "reset" && this.onWorldReset(h), lab));

    this.out(this.banner);
    this.newPrompt();
    this.started = this.flush();
  }

  /** Resolves once everything written so far has been parsed onto the screen. */
  flush(): Promise<void> {
    return new Promise((resolve) => this.term.write("", resolve));
  }

  focus(): void {
    this.term.focus();
  }

  /** Type a whole line and press Enter (several lines: one after the other). */
  async run(line: string): Promise<void> {
    for (const l of line.replace(/\r\n?/g, "\n").replace(/\n$/, "").split("\n")) {
      this.buf = l;
      this.cur = l.length;
      this.histIndex = -1;
      this.render();
      this.submit();
    }
    await this.flush();
  }

  text(): string {
    const b = this.term.buffer.active;
    const lines: string[] = [];
    for (let i = 0; i < b.length; i++) {
      const l = b.getLine(i);
      if (!l) continue;
      const s = l.translateToString(true);
      if (l.isWrapped && lines.length) lines[lines.length - 1] += s;
      else lines.push(s);
    }
    while (lines.length && lines[lines.length - 1]!.trim() === "") lines.pop();
    return lines.map((l) => l.trimEnd()).join("\n");
  }

  dispose(): void {
    for (const f of this.cleanup) f();
    this.term.dispose();
  }

  // ---- output ----

  private out(s: string): void {
    this.term.write(s);
  }

  private refit(): void {
    try {
      this.fit.fit();
    } catch {
      return; // not laid out (hidden)
    }
    this.row = Math.floor((this.promptPlain.length + this.cur) / this.term.cols);
  }

  private newPrompt(): void {
    // Unfinished input (an open quote, a here-document, a trailing |) continues on a "> " line, as in bash.
    this.promptPlain = this.pending !== null ? "> " : this.host.prompt();
    this.promptAnsi = colourPrompt(this.promptPlain);
    this.row = 0;
    this.render();
  }

  /**
   * Redraw prompt + line from the prompt's first row, then put the cursor at `cur`.
   * Works for lines that wrap: the prompt always starts in column 0.
   */
  private render(): void {
    const cols = this.term.cols;
    const plen = this.promptPlain.length;
    let s = this.row > 0 ? `\x1b[${this.row}A\r` : "\r";
    s += this.promptAnsi + this.buf;
    const end = plen + this.buf.length;
    // At an exact multiple of the width the cursor waits in the last column ("pending
    // wrap"); force the wrap so row arithmetic below stays true.
    if (end > 0 && end % cols === 0) s += " \r";
    s += "\x1b[J";
    const endRow = Math.floor(end / cols);
    const at = plen + this.cur;
    const row = Math.floor(at / cols);
    const col = at % cols;
    if (endRow > row) s += `\x1b[${endRow - row}A`;
    s += "\r" + (col > 0 ? `\x1b[${col}C` : "");
    this.row = row;
    this.out(s);
  }

  // ---- input ----

  private input(data: string): void {
    // More than one character that is not an escape sequence: a paste (or fast typing).
    const paste = data.length > 1 && data[0] !== "\x1b";
    let i = 0;
    let dirty = false;
    while (i < data.length) {
      const ch = data[i]!;
      if (ch === "\x1b") {
        const m = /^\x1b(\[[0-9;]*[~A-Za-z]|O[A-Za-z]|[^[O])?/.exec(data.slice(i))!;
        dirty = this.key(m[0]) || dirty;
        i += m[0].length;
        continue;
      }
      i++;
      if (ch === "\r" || ch === "\n") {
        if (ch === "\r" && data[i] === "\n") i++;
        this.submit();
        dirty = false;
      } else if (paste && ch === "\t") {
        this.insert(" ");
        dirty = true;
      } else {
        dirty = this.key(ch) || dirty;
      }
    }
    if (dirty) this.render();
  }

  private insert(s: string): void {
    this.buf = this.buf.slice(0, this.cur) + s + this.buf.slice(this.cur);
    this.cur += s.length;
  }

  /** Handle one key; returns whether the line needs redrawing. */
  private key(k: string): boolean {
    const tab = k === "\t";
    const wasTab = this.lastKeyTab;
    this.lastKeyTab = tab;
    const b = this.buf;
    switch (k) {
      case "\t":
        return this.complete(wasTab);
      case "\x7f": // Backspace
      case "\b":
        if (this.cur === 0) return false;
        this.buf = b.slice(0, this.cur - 1) + b.slice(this.cur);
        this.cur--;
        return true;
      case "\x1b[3~": // Delete
        if (this.cur >= b.length) return false;
        this.buf = b.slice(0, this.cur) + b.slice(this.cur + 1);
        return true;
      case "\x04": // Ctrl-D: delete, or end the shell on an empty line like bash
        if (b === "") {
          this.buf = "exit";
          this.cur = 4;
          this.submit();
          return false;
        }
        return this.key("\x1b[3~");
      case "\x1b[D":
      case "\x1bOD":
      case "\x02": // Ctrl-B
        if (this.cur === 0) return false;
        this.cur--;
        return true;
      case "\x1b[C":
      case "\x1bOC":
      case "\x06": // Ctrl-F
        if (this.cur >= b.length) return false;
        this.cur++;
        return true;
      case "\x1b[H":
      case "\x1bOH":
      case "\x1b[1~":
      case "\x01": // Ctrl-A
        this.cur = 0;
        return true;
      case "\x1b[F":
      case "\x1bOF":
      case "\x1b[4~":
      case "\x05": // Ctrl-E
        this.cur = b.length;
        return true;
      case "\x1b[1;5D": // Ctrl-Left
      case "\x1bb": // Alt-B
        this.cur = this.wordStart();
        return true;
      case "\x1b[1;5C": // Ctrl-Right
      case "\x1bf": {
        const m = /^\s*\S*/.exec(b.slice(this.cur))!;
        this.cur += m[0].length;
        return true;
      }
      case "\x15": // Ctrl-U
        this.buf = b.slice(this.cur);
        this.cur = 0;
        return true;
      case "\x0b": // Ctrl-K
        this.buf = b.slice(0, this.cur);
        return true;
      case "\x17": {
        // Ctrl-W: delete the whitespace-delimited word before the cursor
        const start = this.wordStart();
        this.buf = b.slice(0, start) + b.slice(this.cur);
        this.cur = start;
        return true;
      }
      case "\x03": // Ctrl-C
        this.cur = b.length;
        this.render();
        this.out("^C\r\n");
        this.pending = null;
        this.buf = "";
        this.cur = 0;
        this.histIndex = -1;
        this.newPrompt();
        return false;
      case "\x0c": // Ctrl-L
        this.out("\x1b[H\x1b[2J");
        this.row = 0;
        return true;
      case "\x1b[A":
      case "\x1bOA":
      case "\x10": // Ctrl-P
        return this.historyMove(-1);
      case "\x1b[B":
      case "\x1bOB":
      case "\x0e": // Ctrl-N
        return this.historyMove(1);
      default:
        if (k.length === 1 && k >= " " && k !== "\x7f") {
          this.insert(k);
          return true;
        }
        if (k.length > 1 && k[0] !== "\x1b") {
          this.insert(k);
          return true;
        }
        return false; // unknown control or escape sequence: ignore
    }
  }

  private wordStart(): number {
    const m = /\S*\s*$/.exec(this.buf.slice(0, this.cur))!;
    return this.cur - m[0].length;
  }

  private historyMove(dir: number): boolean {
    const h = this.host.history();
    if (this.histIndex === -1) {
      if (dir > 0) return false;
      this.draft = this.buf;
      this.histIndex = h.length;
    }
    const next = this.histIndex + dir;
    if (next < 0) return false;
    if (next >= h.length) {
      this.histIndex = -1;
      this.buf = this.draft;
    } else {
      this.histIndex = next;
      this.buf = h[next]!;
    }
    this.cur = this.buf.length;
    return true;
  }

  private complete(secondTab: boolean): boolean {
    const before = this.buf.slice(0, this.cur);
    let start: number;
    let candidates: string[];
    try {
      ({ start, candidates } = this.host.complete(before));
    } catch {
      return false;
    }
    if (candidates.length === 0) return false;
    const word = before.slice(start);
    const replace = (text: string) => {
      this.buf = before.slice(0, start) + text + this.buf.slice(this.cur);
      this.cur = start + text.length;
    };
    if (candidates.length === 1) {
      const c = candidates[0]!;
      replace(c.endsWith("/") || this.buf[this.cur] === " " ? c : c + " ");
      return true;
    }
    const prefix = commonPrefix(candidates);
    if (prefix.length > word.length) {
      replace(prefix);
      return true;
    }
    if (!secondTab) return false;
    // Second Tab: list the possibilities under the line, like bash, then redraw the line.
    const dir = word.slice(0, word.lastIndexOf("/") + 1);
    const names = candidates.map((c) => (c.startsWith(dir) ? c.slice(dir.length) : c));
    const width = Math.max(...names.map((n) => n.length)) + 2;
    const perRow = Math.max(1, Math.floor(this.term.cols / width));
    const rows = Math.ceil(names.length / perRow);
    const keep = this.cur;
    this.cur = this.buf.length;
    this.render();
    let s = "\r\n";
    for (let r = 0; r < rows; r++) {
      let line = "";
      for (let c = 0; c < perRow; c++) {
        const n = names[c * rows + r];
        if (n !== undefined) line += n.padEnd(width);
      }
      s += line.trimEnd() + "\r\n";
    }
    this.out(s);
    this.cur = keep;
    this.newPrompt();
    return false;
  }

  /** Lines typed so far of a command that needs more input (shown with the "> " prompt). */
  private pending: string | null = null;

  private submit(): void {
    const typed = this.buf;
    this.cur = typed.length;
    this.render();
    this.out("\r\n");
    this.buf = "";
    this.cur = 0;
    this.histIndex = -1;
    this.lastKeyTab = false;
    const line = this.pending !== null ? `${this.pending}\n${typed}` : typed;
    if (needsMoreInput(line)) {
      this.pending = line;
      this.newPrompt();
      return;
    }
    this.pending = null;
    if (line.trim() !== "") {
      const host = this.host;
      // Virtual time follows the reader's clock between commands, so `sleep 30 &`
      // finishes half a minute later, as it would on a real machine.
      const now = performance.now();
      try {
        host.tick(Math.min(Math.max(0, now - this.lastRun), 3_600_000));
      } catch (err) {
        console.warn(err);
      }
      this.lastRun = now;
      let output: string;
      try {
        const r = host.sh(line);
        output = r.stdout + r.stderr;
      } catch (err) {
        console.warn("engine error", err);
        output = `\x1b[31m-bash: internal error in the simulator: ${(err as Error)?.message ?? err}\x1b[0m\n`;
      }
      const visible = stripAnsi(output);
      if (visible !== "" && !visible.endsWith("\n")) output += "\n";
      this.out(output.replace(/\r?\n/g, "\r\n"));
      notifyWorldChange(host);
    }
    this.newPrompt();
  }

  private onWorldReset(host: Host): void {
    this.host = host;
    this.buf = "";
    this.cur = 0;
    this.histIndex = -1;
    this.lastRun = performance.now();
    this.term.reset();
    this.out("\x1b[90m[lab reset to its start state]\x1b[0m\r\n");
    this.out(this.banner);
    this.newPrompt();
  }
}
