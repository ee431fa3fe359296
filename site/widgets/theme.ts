// Light/dark theme. The inline script in Base.astro sets <html data-theme> before first paint;
// this wires the toggle button, remembers an explicit choice, and otherwise follows the system.
const KEY = "kijl.theme";
type Theme = "light" | "dark";

function stored(): Theme | null {
  try {
    const t = localStorage.getItem(KEY);
    return t === "light" || t === "dark" ? t : null;
  } catch {
    return null;
  }
}

function apply(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
  const other = theme === "dark" ? "light" : "dark";
  for (const b of document.querySelectorAll<HTMLButtonElement>("[data-theme-toggle]")) {
    b.setAttribute("aria-label", `Switch to ${other} theme`);
    b.title = `Switch to ${other} theme`;
  }
  document.dispatchEvent(new CustomEvent("kijl:theme", { detail: { theme } }));
}

export function initTheme(): void {
  const media = matchMedia("(prefers-color-scheme: dark)");
  apply(stored() ?? (media.matches ? "dark" : "light"));
  media.addEventListener("change", (e) => {
    if (!stored()) apply(e.matches ? "dark" : "light");
  });
  for (const b of document.querySelectorAll<HTMLButtonElement>("[data-theme-toggle]")) {
    b.addEventListener("click", () => {
      const next: Theme = document.documentElement.dataset.theme === "dark" ? "light" : "dark";
      try {
        localStorage.setItem(KEY, next);
      } catch {
        // storage blocked: the choice lasts for this page only
      }
      apply(next);
    });
  }
}
