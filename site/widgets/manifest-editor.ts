// <manifest-editor data-file="web.yaml" data-path="/root/web.yaml" [data-lab="cluster"]>:
// a textarea whose text is a file in a lab's filesystem. Edits are written to the world's host
// (debounced, and at once on Save / Ctrl-S / Apply), and written again into a fresh world after
// "Reset lab", so `kubectl apply -f web.yaml` in the terminal always sees what the page shows.
// Apply types that command into the terminal of the same lab; kubectl's own output (including
// a YAML error with its line) appears there. While the reader types, the editor itself points at
// the first YAML syntax error by line and column ([data-yaml-error], aria-invalid, the status).
// Typing never loads the engine: the text waits until the world exists.
//
// API (for the e2e tests): el.value (get/set), el.save(): Promise<boolean>, el.apply(): Promise<void>.
import type { Host } from "../../engine";
import type { KijlTerminal } from "./terminal";
import { getWorld, labOf, onWorldChange, peekWorld } from "./world";

const SAVE_DELAY_MS = 250;

export class ManifestEditor extends HTMLElement {
  private text!: HTMLTextAreaElement;
  private gutter!: HTMLElement;
  private status!: HTMLElement;
  private lab = "page";
  private timer = 0;
  private escaped = false;
  private offWorld: (() => void) | null = null;

  get file(): string {
    return this.dataset.file ?? "manifest.yaml";
  }

  get path(): string {
    return this.dataset.path ?? `/root/${this.file}`;
  }

  get value(): string {
    return this.text.value;
  }

  set value(v: string) {
    this.text.value = v;
    this.changed();
  }

  connectedCallback(): void {
    if (this.offWorld) return;
    this.text = this.querySelector<HTMLTextAreaElement>("[data-text]")!;
    this.gutter = this.querySelector<HTMLElement>("[data-gutter]")!;
    this.status = this.querySelector<HTMLElement>("[data-status]")!;
    this.lab = labOf(this);
    this.text.addEventListener("input", () => this.changed());
    this.text.addEventListener("keydown", (e) => this.key(e));
    this.querySelector("[data-save]")?.addEventListener("click", () => void this.save());
    this.querySelector<HTMLButtonElement>("[data-apply]")?.addEventListener("click", () => void this.apply());
    // A new world (first use, or Reset lab) starts without the file: write it there.
    this.offWorld = onWorldChange((h, reason) => {
      if (reason !== "command") this.writeTo(h);
    }, this.lab);
    const h = peekWorld(this.lab);
    if (h) this.writeTo(h);
    this.layout();
  }

  disconnectedCallback(): void {
    this.offWorld?.();
    this.offWorld = null;
    clearTimeout(this.timer);
  }

  /** Write the text to the file now (building the world if needed); resolves with success. */
  async save(): Promise<boolean> {
    clearTimeout(this.timer);
    this.timer = 0;
    return this.writeTo(await getWorld(this.lab));
  }

  /** Save, then type `kubectl apply -f FILE` into this lab's terminal. */
  async apply(): Promise<void> {
    const btn = this.querySelector<HTMLButtonElement>("[data-apply]");
    const terminal = this.terminal();
    if (!terminal) {
      this.say("There is no terminal for this lab on the page.");
      return;
    }
    if (btn) btn.disabled = true;
    try {
      if (!(await this.save())) return;
      terminal.scrollIntoView({ behavior: "smooth", block: "center" });
      await terminal.run(`kubectl apply -f ${this.file}`);
      terminal.focusTerminal();
    } finally {
      if (btn) btn.disabled = false;
    }
  }

  /** The terminal of the same lab: the nearest one above the editor, else any. */
  private terminal(): KijlTerminal | undefined {
    const same = [...document.querySelectorAll<KijlTerminal>("kijl-terminal")].filter((t) => labOf(t) === this.lab);
    const above = same.filter((t) => t.compareDocumentPosition(this) & Node.DOCUMENT_POSITION_FOLLOWING);
    return above[above.length - 1] ?? same[0];
  }

  private changed(): void {
    this.layout();
    this.checkYaml();
    clearTimeout(this.timer);
    // Nothing to write into until the lab exists; the world's "create" will write the text then.
    if (!peekWorld(this.lab)) return;
    this.say("Unsaved changes…");
    this.timer = window.setTimeout(() => {
      this.timer = 0;
      const h = peekWorld(this.lab);
      if (h) this.writeTo(h);
    }, SAVE_DELAY_MS);
  }

  private writeTo(h: Host): boolean {
    const ok = h.writeFile(this.path, this.text.value);
    this.say(ok ? `Saved to ${this.path} on ${h.name}.` : `Could not write ${this.path} on ${h.name}.`);
    return ok;
  }

  private say(msg: string): void {
    const problem = this.dataset.yamlError ? ` YAML error at ${this.dataset.yamlError}.` : "";
    const text = msg + problem;
    if (this.status.textContent !== text) this.status.textContent = text;
  }

  /**
   * Mark the first YAML syntax error (line, column, message) before kubectl ever sees the file.
   * The YAML parser is loaded on the first edit, not with the page (it is ~30 KB gzip).
   */
  private checkYaml(): void {
    const text = this.text.value;
    void import("../lib/yaml-check").then(({ firstYamlProblem }) => {
      if (this.text.value !== text) return; // a newer edit is being checked
      const p = firstYamlProblem(text);
      if (p) {
        this.dataset.yamlError = `line ${p.line}, column ${p.column}: ${p.message}`;
        this.text.setAttribute("aria-invalid", "true");
      } else {
        delete this.dataset.yamlError;
        this.text.removeAttribute("aria-invalid");
      }
      this.say(this.status.textContent?.replace(/ YAML error at .*$/, "") ?? "");
    });
  }


  /** Line numbers and height follow the text (no inner vertical scrolling to keep in sync). */
  private layout(): void {
    const n = this.text.value.split("\n").length - (this.text.value.endsWith("\n") ? 1 : 0);
    const numbers = Array.from({ length: Math.max(1, n) }, (_, i) => i + 1).join("\n");
    if (this.gutter.textContent !== numbers) this.gutter.textContent = numbers;
    this.text.rows = Math.max(4, n);
    // Grow to the content (a horizontal scrollbar would otherwise scroll the lines under the gutter).
    this.text.style.height = "auto";
    this.text.style.height = `${this.text.scrollHeight}px`;
    this.text.scrollTop = 0;
  }

  private key(e: KeyboardEvent): void {
    if (e.key === "Escape") {
      this.escaped = true;
      return;
    }
    const escaped = this.escaped;
    this.escaped = false;
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "s") {
      e.preventDefault();
      void this.save();
      return;
    }
    // YAML forbids tabs for indentation: Tab inserts two spaces (Esc, Tab leaves the editor).
    if (e.key === "Tab" && !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey && !escaped) {
      e.preventDefault();
      const { selectionStart: a, selectionEnd: b } = this.text;
      this.text.setRangeText("  ", a, b, "end");
      this.changed();
    }
  }
}

if (!customElements.get("manifest-editor")) customElements.define("manifest-editor", ManifestEditor);

declare global {
  interface HTMLElementTagNameMap {
    "manifest-editor": ManifestEditor;
  }
}
