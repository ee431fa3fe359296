// The shared life of every live widget: follow its engine world (widgets/world.ts: the page's
// default one, or a named lab such as the cluster of a "Kubernetes side" section, see labOf),
// subscribe to its events, and redraw at most once per animation frame from typed state.
import type { EngineEvent, Host } from "../../engine";
import { whenNear } from "./load-near";
import { getWorld, labOf, onWorldChange, peekWorld } from "./world";

export abstract class LiveWidget extends HTMLElement {
  protected host: Host | null = null;
  /** The world this widget follows, fixed when it is connected. */
  protected lab = "page";
  private offWorld: (() => void) | null = null;
  private offEvents: (() => void) | null = null;
  private offNear: (() => void) | null = null;
  private frame = 0;

  connectedCallback(): void {
    if (this.offWorld) return;
    this.lab = labOf(this);
    this.setup();
    this.offWorld = onWorldChange((h) => this.follow(h), this.lab);
    // A world that already runs is drawn at once; one that does not is built only when this
    // widget nears the viewport (or when a terminal or another widget builds it first, which
    // onWorldChange reports as "create").
    const running = peekWorld(this.lab);
    if (running) this.follow(running);
    else
      this.offNear = whenNear(this, () => {
        this.offNear = null;
        void getWorld(this.lab).then((h) => this.follow(h));
      });
  }

  disconnectedCallback(): void {
    this.offWorld?.();
    this.offWorld = null;
    this.offNear?.();
    this.offNear = null;
    this.offEvents?.();
    this.offEvents = null;
    this.host = null;
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.teardown();
  }

  /** A new world (first load or Reset lab): re-subscribe, then redraw. */
  private follow(h: Host): void {
    if (h !== this.host) {
      this.offEvents?.();
      this.host = h;
      this.attached(h);
      this.offEvents = h.on("event", (e: EngineEvent) => {
        if (this.redrawOn(e)) this.schedule();
      });
    }
    this.schedule();
  }

  protected schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      if (this.host) this.render(this.host);
    });
  }

  /** Build the static frame (runs once, when the element is connected). */
  protected abstract setup(): void;
  /** Draw the current state. */
  protected abstract render(host: Host): void;
  /** A new host was attached: forget per-world state. */
  protected attached(_host: Host): void {}
  /** Which engine events warrant a redraw (all by default). */
  protected redrawOn(_e: EngineEvent): boolean {
    return true;
  }
  protected teardown(): void {}
}
