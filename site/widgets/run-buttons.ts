// "▶ Run" buttons on the lesson's shell code blocks. Loaded by Terminal.astro, so only pages
// that have a terminal get them. A click types the block's commands into the block's
// terminal, one line after another, exactly as if the reader had typed them. A block's
// terminal is the nearest one above it (so blocks in a "Kubernetes side" section go to that
// section's cluster terminal), or the page's first default terminal for blocks above them all.
import type { KijlTerminal } from "./terminal";

const SHELL_LANGS = new Set(["sh", "bash", "shell", "console", "shellsession", "zsh"]);

/**
 * The command lines of a shell code block: comments and blank lines skipped, a leading
 * "$ " or "# " prompt stripped, backslash-continued lines joined. In a `console` block
 * (commands mixed with their output) only the lines with a prompt are commands.
 */
export function commandsOf(text: string, lang: string): string[] {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const prompted = /^\s*[$#] /;
  const consoleStyle = lang === "console" || lang === "shellsession";
  const onlyPrompted = consoleStyle && lines.some((l) => prompted.test(l));
  const out: string[] = [];
  let pending = "";
  // Inside a here-document (cat <<EOF … EOF) every line is data: kept as written, indentation
  // included (YAML needs it), until the line that is only the delimiter.
  let heredoc: { word: string; tabs: boolean } | null = null;
  for (const raw of lines) {
    if (heredoc) {
      out.push(raw);
      if ((heredoc.tabs ? raw.replace(/^\t+/, "") : raw) === heredoc.word) heredoc = null;
      continue;
    }
    let line = raw;
    if (pending === "") {
      if (onlyPrompted) {
        if (!prompted.test(line)) continue;
        line = line.replace(prompted, "");
      } else {
        if (/^\s*\$ /.test(line)) line = line.replace(/^\s*\$ /, "");
        else if (/^\s*#/.test(line)) continue; // a comment (or a "# " root prompt before prose)
      }
      if (line.trim() === "") continue;
    }
    if (/\\$/.test(line)) {
      pending += line.slice(0, -1);
      continue;
    }
    const command = (pending + line).trim();
    out.push(command);
    pending = "";
    const m = /<<(?!<)(-?)\s*(['"]?)([A-Za-z_][\w]*)\2/.exec(command);
    if (m) heredoc = { word: m[3]!, tabs: m[1] === "-" };
  }
  if (pending.trim()) out.push(pending.trim());
  return out;
}

/** The terminal a code block's commands go to. */
export function terminalFor(block: Element, terminals: KijlTerminal[]): KijlTerminal | undefined {
  let before: KijlTerminal | undefined;
  for (const t of terminals) {
    if (!(t.compareDocumentPosition(block) & Node.DOCUMENT_POSITION_FOLLOWING)) break;
    before = t;
  }
  return before ?? terminals.find((t) => (t.dataset.lab ?? "page") === "page") ?? terminals[0];
}

function addButtons(): void {
  const terminals = [...document.querySelectorAll<KijlTerminal>("kijl-terminal")];
  if (!terminals.length) return;
  const scope = document.querySelector("article") ?? document.querySelector("main") ?? document.body;
  for (const pre of scope.querySelectorAll<HTMLPreElement>("pre[data-language]")) {
    const lang = (pre.dataset.language ?? "").toLowerCase();
    if (!SHELL_LANGS.has(lang) || pre.closest("kijl-terminal") || pre.dataset.run === "no") continue;
    if (pre.parentElement?.classList.contains("kijl-run-wrap")) continue;
    const commands = commandsOf(pre.textContent ?? "", lang);
    if (commands.length === 0) continue;
    const terminal = terminalFor(pre, terminals)!;
    const wrap = document.createElement("div");
    wrap.className = "kijl-run-wrap";
    pre.replaceWith(wrap);
    wrap.append(pre);
    const btn = document.createElement("button");
    btn.type = "button";
    btn.className = "kijl-run";
    btn.textContent = "\u25b6 Run";
    btn.setAttribute(
      "aria-label",
      commands.length === 1 ? `Run in the terminal: ${commands[0]}` : `Run these ${commands.length} commands in the terminal`,
    );
    btn.title = "Run in the terminal";
    btn.dataset.commands = commands.join("\n");
    // A pointer on its way to the button is a good moment to start loading the terminal.
    const warm = () => void terminal.start();
    btn.addEventListener("pointerenter", warm, { once: true });
    btn.addEventListener("focus", warm, { once: true });
    btn.addEventListener("click", async () => {
      btn.disabled = true;
      try {
        terminal.scrollIntoView({ behavior: "smooth", block: "center" });
        void terminal.start();
        await terminal.ready;
        for (const c of commands) await terminal.run(c);
        terminal.focusTerminal();
      } finally {
        btn.disabled = false;
      }
    });
    wrap.append(btn);
  }
}

// Only in a page: tests import commandsOf in Node to run a lesson's blocks against the engine.
if (typeof document !== "undefined") {
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", addButtons, { once: true });
  else addButtons();
}
