// <kijl-terminal>: the element is defined by this small module, which every page with a
// terminal loads at start. xterm.js and the engine are fetched only when the terminal comes
// near the viewport (IntersectionObserver + dynamic import), or when something asks for it
// (a "Run" button, a test calling run()).
//
// API (also used by the e2e tests and the bench):
//   el.ready          Promise<void>, resolved once the first prompt is on screen
//   [data-ready]      attribute set at the same moment; [data-ready-ms]: ms from start to ready
//   el.start()        load now instead of waiting to be visible
//   el.run(line)      type `line` and press Enter; resolves when its output is on screen
//   el.text()         the screen and scrollback as text (wrapped rows joined)
//   el.lab            the world it types into (widgets/world.ts): data-lab="page" (the page's
//                     default world) or a named lab such as "cluster"; Reset lab resets only it
import type { TerminalSession } from "./terminal-session";
import { labKind, labOf } from "./lab-name";
// world.ts (and the engine behind it) is loaded when the terminal starts, not with the page.
const worldModule = () => import("./world");

export class KijlTerminal extends HTMLElement {
  readonly ready: Promise<void>;
  private resolveReady!: () => void;
  private session: TerminalSession | null = null;
  private starting: Promise<TerminalSession> | null = null;
  private io: IntersectionObserver | null = null;
  private queue: Promise<void> = Promise.resolve();

  constructor() {
    super();
    this.ready = new Promise((resolve) => (this.resolveReady = resolve));
  }

  /** The world this terminal types into. */
  get lab(): string {
    return labOf(this);
  }

  connectedCallback(): void {
    const reset = this.querySelector<HTMLButtonElement>("[data-reset]");
    if (reset && !reset.dataset.bound) {
      reset.dataset.bound = "";
      reset.addEventListener("click", () => this.reset());
    }
    if (this.starting || this.io) return;
    if (document.querySelector("kijl-terminal") === this) prefetchWhenIdle(this.lab);
    if (!("IntersectionObserver" in window)) {
      void this.start();
      return;
    }
    this.io = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) void this.start();
      },
      // Start loading a screen and a half ahead, so a reader scrolling down finds it ready.
      { rootMargin: "150% 0px" },
    );
    this.io.observe(this);
  }

  disconnectedCallback(): void {
    this.io?.disconnect();
    this.io = null;
  }

  /** Load xterm and the engine and show the prompt (idempotent). */
  start(): Promise<TerminalSession> {
    if (!this.starting) {
      this.io?.disconnect();
      const t0 = performance.now();
      performance.mark("kijl-terminal:start");
      this.starting = (async () => {
        const lab = this.lab;
        // The engine floor is fetched beside world.ts rather than after it: one round trip fewer.
        const engine = (labKind(lab) === "cluster" ? import("../../engine/k8s/cluster.ts") : import("../../engine/linux.ts")).catch(() => {});
        const [{ TerminalSession }, host] = await Promise.all([import("./terminal-session"), worldModule().then((w) => w.getWorld(lab)), engine]);
        const screen = this.querySelector<HTMLElement>("[data-screen]") ?? this;
        screen.replaceChildren();
        const session = new TerminalSession(screen, host, lab);
        await session.started;
        this.session = session;
        // How long loading took (for the bench and the e2e budget check).
        this.dataset.readyMs = String(Math.round(performance.now() - t0));
        performance.mark("kijl-terminal:ready");
        this.setAttribute("data-ready", "");
        this.resolveReady();
        return session;
      })();
      this.starting.catch((err) => {
        console.error("terminal failed to start", err);
        this.starting = null;
      });
    }
    return this.starting;
  }

  /** Type a line and press Enter. Calls are run in order. */
  run(line: string): Promise<void> {
    const next = this.queue.then(async () => {
      const s = await this.start();
      await s.run(line);
    });
    this.queue = next.catch(() => {});
    return next;
  }

  /** The terminal's text: scrollback and screen, one row a line (wrapped rows joined). */
  text(): string {
    return this.session?.text() ?? "";
  }

  focusTerminal(): void {
    this.session?.focus();
  }

  /** Rebuild the lab from its start state; every widget on the page redraws. */
  async reset(): Promise<void> {
    const btn = this.querySelector<HTMLButtonElement>("[data-reset]");
    if (btn) btn.disabled = true;
    try {
      await this.queue;
      await (await worldModule()).resetWorld(this.lab); // the session hears the reset and reprints its banner
      await this.session?.flush();
      this.session?.focus();
    } finally {
      if (btn) btn.disabled = false;
    }
  }
}

/**
 * Once the page has loaded and the browser is idle, fetch xterm and the engine for the page's
 * first terminal (without booting its lab), so a reader who scrolls down to it waits only for
 * the boot. The lab itself is still built only when the terminal nears the viewport.
 */
function prefetchWhenIdle(lab: string): void {
  const go = () => {
    const idle = window.requestIdleCallback ?? ((fn: () => void) => setTimeout(fn, 200));
    idle(() => void Promise.all([import("./terminal-session"), worldModule().then((w) => w.prefetchWorld(lab))]).catch(() => {}), { timeout: 3000 });
  };
  if (document.readyState === "complete") go();
  else addEventListener("load", go, { once: true });
}

if (!customElements.get("kijl-terminal")) customElements.define("kijl-terminal", KijlTerminal);

declare global {
  interface HTMLElementTagNameMap {
    "kijl-terminal": KijlTerminal;
  }
}
