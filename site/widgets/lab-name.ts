// Which world a page element belongs to, decided from the DOM alone (see world.ts's header
// comment for the rules). Kept apart from world.ts so the small scripts every page starts
// with (the terminal's, Check my work's) can name their lab without loading the world code.

export const PAGE_LAB = "page";

/** What a lab is made of: one Linux host, or a cluster of them. */
export type LabKind = "host" | "cluster";

/** The exercise number the page's lab starts from (`<main data-exercise="2">`), if any. */
export function pageExercise(): number | null {
  const n = Number(document.querySelector<HTMLElement>("main[data-exercise]")?.dataset.exercise);
  return Number.isInteger(n) && n > 0 ? n : null;
}

/** What the default world is made of, when no exercise decides it (frontmatter `lab:`). */
export function pageKind(): LabKind {
  return document.querySelector<HTMLElement>("main[data-lab]")?.dataset.lab === "cluster" ? "cluster" : "host";
}

/**
 * What a world is made of, as far as the page says: a named lab by its name, the default one by
 * the frontmatter's `lab:` (an exercise's setup() has the last word, but lessons whose exercise
 * builds a cluster say `lab: cluster` too).
 */
export function labKind(lab?: string | null): LabKind {
  const base = canonicalLab(lab).split("/")[0];
  if (base === PAGE_LAB) return pageKind();
  return base === "cluster" ? "cluster" : "host";
}

/** The canonical name of a world: "" / undefined / a name equal to the default world → "page". */
export function canonicalLab(lab?: string | null): string {
  const full = (lab ?? "").trim();
  const slash = full.indexOf("/");
  const name = slash < 0 ? full : full.slice(0, slash);
  const machine = slash < 0 ? "" : full.slice(slash + 1);
  let base = name;
  if (name === "" || name === PAGE_LAB) base = PAGE_LAB;
  else if (pageExercise() === null && name === pageKind()) base = PAGE_LAB;
  return machine ? `${base}/${machine}` : base;
}

/** The world a widget element should follow (see the header comment). */
export function labOf(el: Element): string {
  const scoped = el.closest<HTMLElement>("[data-lab]:not(main)");
  if (scoped) return canonicalLab(scoped.dataset.lab);
  let before: HTMLElement | null = null;
  for (const t of document.querySelectorAll<HTMLElement>("kijl-terminal")) {
    if (t === el || !(t.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING)) break;
    before = t;
  }
  return canonicalLab(before?.dataset.lab);
}
