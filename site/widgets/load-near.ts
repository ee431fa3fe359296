// Widgets (and through them the engine) load only when one of them nears the viewport, so a
// page costs a few hundred bytes of script until the reader scrolls to something live.
export function loadNearViewport(selector: string, load: () => Promise<unknown>, rootMargin = "400px 0px"): void {
  const views = document.querySelectorAll(selector);
  if (!views.length) return;
  if (!("IntersectionObserver" in window)) {
    void load();
    return;
  }
  const io = new IntersectionObserver(
    (entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        io.disconnect();
        void load();
      }
    },
    { rootMargin },
  );
  views.forEach((v) => io.observe(v));
}
