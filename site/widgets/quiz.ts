// <quiz-box>: grades a quiz rendered by site/components/Quiz.astro, in the page. The answer key is
// a small JSON script inside the element; explanations are in the markup, hidden until graded.
// Scores and the last answers go to localStorage through site/lib/progress.ts, so a reload shows
// the graded quiz again.
import { clearQuizAnswers, loadProgress, recordQuiz } from "../lib/progress";

interface KeyEntry {
  id: string;
  kind: "single" | "multiple";
  correct: number[];
}

const sameSet = (a: number[], b: number[]) => a.length === b.length && a.every((x) => b.includes(x));

class QuizBox extends HTMLElement {
  private key: KeyEntry[] = [];
  private form!: HTMLFormElement;

  connectedCallback(): void {
    if (this.form) return;
    try {
      this.key = JSON.parse(this.querySelector("script[data-key]")?.textContent ?? "[]") as KeyEntry[];
    } catch {
      this.key = [];
    }
    this.form = this.querySelector("form")!;
    this.form.addEventListener("submit", (e) => {
      e.preventDefault();
      this.grade(true);
    });
    this.querySelector("[data-retry]")?.addEventListener("click", () => this.retry());
    this.restore();
  }

  get lesson(): string {
    return this.dataset.lesson ?? "";
  }

  private question(id: string): HTMLElement | null {
    return this.querySelector(`[data-question="${CSS.escape(id)}"]`);
  }

  private inputs(id: string): HTMLInputElement[] {
    return [...(this.question(id)?.querySelectorAll<HTMLInputElement>("input") ?? [])];
  }

  private picked(id: string): number[] {
    return this.inputs(id).flatMap((i) => (i.checked ? [Number(i.value)] : []));
  }

  /** Grade what is selected; `save` records the attempt. */
  private grade(save: boolean): void {
    let score = 0;
    const answers: Record<string, number[]> = {};
    for (const q of this.key) {
      const picked = this.picked(q.id);
      answers[q.id] = picked;
      const right = sameSet(picked, q.correct);
      if (right) score++;
      const el = this.question(q.id);
      if (!el) continue;
      el.classList.toggle("is-right", right);
      el.classList.toggle("is-wrong", !right);
      const verdict = el.querySelector("[data-verdict]");
      if (verdict) {
        verdict.textContent = right
          ? "✓ Correct."
          : picked.length === 0
            ? "✗ Not answered. The right answer is marked below."
            : q.kind === "multiple"
              ? "✗ Not quite: the right answers are marked below."
              : "✗ Incorrect: the right answer is marked below.";
      }
      for (const opt of el.querySelectorAll<HTMLElement>("[data-option]")) {
        const i = Number(opt.dataset.option);
        const isCorrect = q.correct.includes(i);
        const chosen = picked.includes(i);
        opt.classList.toggle("is-correct", isCorrect);
        opt.classList.toggle("is-chosen", chosen);
        const explain = opt.querySelector<HTMLElement>(".quiz__explain");
        if (explain) {
          explain.hidden = false;
          const mark = explain.querySelector(".quiz__mark");
          if (mark) mark.textContent = isCorrect ? (chosen ? "✓ Your answer, correct. " : "✓ Correct answer. ") : chosen ? "✗ Your answer. " : "";
        }
      }
      for (const input of this.inputs(q.id)) input.disabled = true;
    }
    const total = this.key.length;
    const scoreEl = this.querySelector("[data-score]");
    if (scoreEl) scoreEl.textContent = `Score: ${score}/${total}`;
    this.classList.add("is-graded");
    this.querySelector<HTMLButtonElement>("[data-check]")!.hidden = true;
    const retry = this.querySelector<HTMLButtonElement>("[data-retry]")!;
    retry.hidden = false;
    const progress = save && this.lesson ? recordQuiz(this.lesson, score, total, answers) : loadProgress();
    this.showHistory(progress.lessons[this.lesson]?.quiz?.best);
    if (save) {
      scoreEl?.scrollIntoView({ block: "nearest" });
      retry.focus({ preventScroll: true });
    }
  }

  private showHistory(best: number | undefined): void {
    const el = this.querySelector<HTMLElement>("[data-history]");
    if (!el) return;
    el.hidden = best === undefined;
    if (best !== undefined) el.textContent = `Best score so far: ${best}/${this.key.length}.`;
  }

  private retry(): void {
    for (const q of this.key) {
      const el = this.question(q.id);
      el?.classList.remove("is-right", "is-wrong");
      const verdict = el?.querySelector("[data-verdict]");
      if (verdict) verdict.textContent = "";
      for (const opt of el?.querySelectorAll<HTMLElement>("[data-option]") ?? []) {
        opt.classList.remove("is-correct", "is-chosen");
        const explain = opt.querySelector<HTMLElement>(".quiz__explain");
        if (explain) explain.hidden = true;
      }
      for (const input of this.inputs(q.id)) {
        input.disabled = false;
        input.checked = false;
      }
    }
    this.classList.remove("is-graded");
    const scoreEl = this.querySelector("[data-score]");
    if (scoreEl) scoreEl.textContent = "";
    this.querySelector<HTMLButtonElement>("[data-retry]")!.hidden = true;
    this.querySelector<HTMLButtonElement>("[data-check]")!.hidden = false;
    if (this.lesson) clearQuizAnswers(this.lesson);
    this.querySelector<HTMLInputElement>("input")?.focus();
  }

  /** After a reload: show the last graded attempt, if its answers still fit this quiz. */
  private restore(): void {
    const saved = loadProgress().lessons[this.lesson]?.quiz;
    if (!saved || saved.total !== this.key.length) return;
    const answers = saved.answers;
    if (answers && this.key.every((q) => Array.isArray(answers[q.id]))) {
      for (const q of this.key) {
        const inputs = this.inputs(q.id);
        for (const i of answers[q.id]!) if (inputs[i]) inputs[i].checked = true;
      }
      this.grade(false);
    } else {
      this.showHistory(saved.best);
    }
  }
}

if (!customElements.get("quiz-box")) customElements.define("quiz-box", QuizBox);
