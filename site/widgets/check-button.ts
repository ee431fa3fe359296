// <check-button data-exercise="N">: "Check my work" grades the page's live lab with the same
// exercises/NN-slug/check.ts that `npm run exercise N` uses, and shows ✓/✗ per check.
import type { CheckResult } from "../../exercises/exercise";
// world.ts (and the engine behind it) is loaded on the first click, not with the page.
const worldModule = () => import("./world");

// Progress is written by site/lib/progress.ts; loaded lazily (and optional) so this stays small.
const progressModule = import.meta.glob<{ recordExercise?: (lessonSlug: string, passed: boolean) => void }>("../lib/progress.ts");

async function record(slug: string, passed: boolean): Promise<void> {
  const load = progressModule["../lib/progress.ts"];
  if (!load) return;
  try {
    (await load()).recordExercise?.(slug, passed);
  } catch (err) {
    console.warn("could not record progress", err);
  }
}

export class CheckButton extends HTMLElement {
  private busy = false;

  connectedCallback(): void {
    const btn = this.querySelector<HTMLButtonElement>("[data-check]");
    if (!btn || btn.dataset.bound) return;
    btn.dataset.bound = "";
    btn.addEventListener("click", () => void this.check());
  }

  /** Run the checks against the page's world; resolves with the results. */
  async check(): Promise<CheckResult[]> {
    if (this.busy) return [];
    this.busy = true;
    const btn = this.querySelector<HTMLButtonElement>("[data-check]");
    const out = this.querySelector<HTMLElement>("[data-results]") ?? this;
    if (btn) btn.disabled = true;
    this.removeAttribute("data-state");
    try {
      const n = Number(this.dataset.exercise);
      const w = await worldModule();
      const [ex, host] = await Promise.all([w.loadExercise(n), w.getWorld()]);
      if (!ex) throw new Error(`exercise ${n} was not found`);
      let results: CheckResult[];
      try {
        results = ex.check(host);
      } catch (err) {
        results = [{ name: "The checks ran", ok: false, detail: `The checker stopped: ${(err as Error).message}` }];
      }
      const passed = results.length > 0 && results.every((r) => r.ok);
      this.show(out, results, passed);
      this.dataset.state = passed ? "pass" : "fail";
      if (passed) {
        const lesson = this.dataset.lesson || document.querySelector<HTMLElement>("main[data-lesson]")?.dataset.lesson || ex.slug;
        await record(lesson, true);
      }
      return results;
    } catch (err) {
      out.replaceChildren(Object.assign(document.createElement("p"), { className: "chk__error", textContent: `Could not run the checks: ${(err as Error).message}` }));
      this.dataset.state = "error";
      return [];
    } finally {
      if (btn) btn.disabled = false;
      this.busy = false;
    }
  }

  private show(out: HTMLElement, results: CheckResult[], passed: boolean): void {
    const ok = results.filter((r) => r.ok).length;
    const summary = document.createElement("p");
    summary.className = passed ? "chk__summary chk__summary--pass" : "chk__summary chk__summary--fail";
    summary.textContent = passed
      ? `All ${results.length} checks pass. Well done: the lab is in the state the exercise asks for.`
      : `${ok} of ${results.length} checks pass. Keep going in the terminal, then check again.`;
    const list = document.createElement("ul");
    list.className = "chk__list";
    for (const r of results) {
      const li = document.createElement("li");
      li.className = r.ok ? "chk__item chk__item--ok" : "chk__item chk__item--no";
      const mark = document.createElement("span");
      mark.className = "chk__mark";
      mark.setAttribute("aria-hidden", "true");
      mark.textContent = r.ok ? "✓" : "✗";
      const body = document.createElement("div");
      const name = document.createElement("strong");
      name.textContent = r.name;
      const sr = document.createElement("span");
      sr.className = "chk__sr";
      sr.textContent = r.ok ? "Passed: " : "Not yet: ";
      body.append(sr, name);
      if (r.detail) body.append(Object.assign(document.createElement("p"), { className: "chk__detail", textContent: r.detail }));
      if (!r.ok && r.hint) body.append(Object.assign(document.createElement("p"), { className: "chk__hint", textContent: `Hint: ${r.hint}` }));
      li.append(mark, body);
      list.append(li);
    }
    out.replaceChildren(summary, list);
  }
}

if (!customElements.get("check-button")) customElements.define("check-button", CheckButton);
