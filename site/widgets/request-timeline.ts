// <request-timeline>: the last kubectl request that changed the cluster, followed through the
// components step by step in virtual time — kubectl's HTTP request, the API server's admission,
// etcd's key and revision, the controllers, the scheduler's binding, each kubelet's sandbox, CNI
// and containers, containerd and runc. A strip of the seven stages on top lights up (with a
// count) as each is reached; below, every step in the order it happened.
//
// It reads typed EngineEvents (k8s.kubectl, k8s.api, k8s.controller, k8s.schedule, k8s.kubelet,
// k8s.runtime) through RequestStory, never terminal text. A widget that loads after the command
// replays the world's event log, so it shows the story all the same.
import { LiveWidget } from "./live-widget";
import type { EngineEvent, Host } from "../../engine";
import { RequestStory, STAGES } from "../lib/request-story";
import type { Story } from "../lib/request-story";
import { el } from "./dom";

/** Virtual time since the request, as a reader would say it: "+0 ms", "+512 ms", "+2.5 s". */
export function offset(ms: number): string {
  return ms < 1000 ? `+${Math.round(ms)} ms` : `+${Number((ms / 1000).toFixed(2))} s`;
}

export class RequestTimeline extends LiveWidget {
  private story = new RequestStory();
  private strip!: HTMLOListElement;
  private head!: HTMLParagraphElement;
  private list!: HTMLOListElement;
  private hint!: HTMLParagraphElement;
  private status!: HTMLParagraphElement;
  private lastAnnounced = "";
  /** The story the list holds now (a new one replaces it). */
  private shown: Story | null = null;

  protected setup(): void {
    const root = this.querySelector<HTMLElement>("[data-rtl-body]") ?? this;
    root.replaceChildren();
    this.head = el("p", "rtl__head");
    this.strip = el("ol", "rtl__strip");
    this.strip.setAttribute("aria-label", "Stages the request went through");
    for (const s of STAGES) {
      const li = el("li", "rtl__stage");
      li.dataset.stage = s.id;
      li.dataset.count = "0";
      const pill = el("span", "rtl__pill");
      pill.append(el("span", "rtl__stagename", s.label), el("span", "rtl__count", "0"));
      li.append(pill);
      this.strip.append(li);
    }
    this.list = el("ol", "rtl__steps");
    this.list.setAttribute("aria-label", "Every step, in the order it happened");
    this.list.tabIndex = 0;
    this.hint = el("p", "rtl__hint");
    this.status = el("p", "rtl__sr");
    this.status.setAttribute("role", "status");
    root.append(this.head, this.strip, this.list, this.hint, this.status);
  }

  /** A new world: rebuild the story from the events it already logged. */
  protected attached(host: Host): void {
    this.story = new RequestStory();
    for (const e of host.events()) this.story.feed(e);
  }

  protected redrawOn(e: EngineEvent): boolean {
    return this.story.feed(e) || e.type === "shell.command";
  }

  protected render(): void {
    const st = this.story.story;
    this.dataset.steps = String(st?.steps.length ?? 0);
    for (const li of this.strip.querySelectorAll<HTMLLIElement>(".rtl__stage")) {
      const n = st?.counts[li.dataset.stage as keyof Story["counts"]] ?? 0;
      li.dataset.count = String(n);
      li.classList.toggle("rtl__stage--reached", n > 0);
      li.querySelector(".rtl__count")!.textContent = String(n);
      li.setAttribute("aria-label", `${li.querySelector(".rtl__stagename")!.textContent}: ${n} step${n === 1 ? "" : "s"}`);
    }
    if (!st) {
      this.head.replaceChildren(document.createTextNode("Run a kubectl command that changes the cluster (for example "), el("code", undefined, "kubectl create deployment web --image=nginx --replicas=3"), document.createTextNode(") and its path through the components appears here."));
      this.list.replaceChildren();
      this.list.hidden = true;
      this.hint.hidden = true;
      return;
    }
    this.list.hidden = false;
    this.head.replaceChildren(el("code", "rtl__command", st.command), document.createTextNode(` at virtual time ${(st.start / 1000).toFixed(1)} s`));
    // Append only what is new: the list keeps its scroll position and focus while it grows.
    if (this.shown !== st || this.list.children.length > st.steps.length) this.list.replaceChildren();
    this.shown = st;
    const frag = document.createDocumentFragment();
    for (const step of st.steps.slice(this.list.children.length)) {
      const li = el("li", `rtl__step rtl__step--${step.stage}`);
      li.dataset.stage = step.stage;
      const when = el("span", "rtl__time", offset(step.time - st.start));
      const chip = el("span", "rtl__chip", STAGES.find((s) => s.id === step.stage)!.label);
      const body = el("span", "rtl__body");
      body.append(el("span", "rtl__title", step.title));
      if (step.detail) body.append(el("span", "rtl__detail", step.detail));
      li.append(when, chip, body);
      frag.append(li);
    }
    this.list.append(frag);
    if (st.dropped) this.list.dataset.dropped = String(st.dropped);
    // The kubelets act when virtual time moves on: say so while the pods wait for them.
    const waiting = st.counts.scheduler > 0 && st.counts.kubelet === 0;
    this.hint.hidden = !waiting;
    if (waiting) this.hint.replaceChildren(document.createTextNode("The pods are bound; their kubelets start them as virtual time moves on. Run another command — "), el("code", undefined, "kubectl rollout status deployment/NAME"), document.createTextNode(" waits for them."));
    const reached = STAGES.filter((s) => st.counts[s.id] > 0).map((s) => s.label);
    const announce = `${st.command}: reached ${reached.join(", ")}`;
    if (announce !== this.lastAnnounced) this.status.textContent = announce;
    this.lastAnnounced = announce;
  }
}

if (!customElements.get("request-timeline")) customElements.define("request-timeline", RequestTimeline);
