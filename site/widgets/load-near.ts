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

/**
 * Run `fn` once, when this one element nears the viewport. A widget's module is loaded for the
 * first widget of its kind that comes near, which defines the element for every copy on the
 * page; each copy then waits here before it builds its own lab, so a diagram of a cluster at
 * the end of a host lesson does not boot that cluster while the reader is at the top.
 * Returns a function that cancels the wait.
 */
export function whenNear(el: Element, fn: () => void, rootMargin = "400px 0px"): () => void {
  if (!("IntersectionObserver" in window)) {
    fn();
    return () => {};
  }
  const io = new IntersectionObserver(
    (entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        io.disconnect();
        fn();
      }
    },
    { rootMargin },
  );
  io.observe(el);
  return () => io.disconnect();
}
