// The header's search box. Pagefind's UI (≈ 20 KB gzip of JS and CSS) is fetched only the first
// time search is opened, so it costs nothing before interaction. `astro dev` has no index
// (Pagefind runs after `astro build`), and then the dialog says so instead of failing.
interface PagefindUIOptions {
  element: string | HTMLElement;
  showImages?: boolean;
  showSubResults?: boolean;
  resetStyles?: boolean;
  autofocus?: boolean;
  translations?: Record<string, string>;
}
declare global {
  interface Window {
    PagefindUI?: new (opts: PagefindUIOptions) => unknown;
  }
}

let loading: Promise<void> | undefined;

function load(): Promise<void> {
  loading ??= new Promise<void>((resolve, reject) => {
    const js = document.createElement("script");
    js.src = "/pagefind/pagefind-ui.js";
    js.onload = () => {
      if (!window.PagefindUI) return reject(new Error("no PagefindUI"));
      const css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = "/pagefind/pagefind-ui.css";
      css.onload = css.onerror = () => resolve();
      document.head.append(css);
    };
    js.onerror = () => reject(new Error("no search index"));
    document.head.append(js);
  });
  return loading;
}

export function initSearch(): void {
  const dialog = document.getElementById("search-dialog") as HTMLDialogElement | null;
  const host = document.getElementById("search");
  if (!dialog || !host) return;
  const status = host.querySelector<HTMLElement>("[data-search-status]");
  let ready = false;

  const focusInput = () => host.querySelector<HTMLInputElement>("input")?.focus();

  async function open(): Promise<void> {
    if (!dialog!.open) dialog!.showModal();
    if (ready) {
      focusInput();
      return;
    }
    try {
      await load();
      if (!ready) {
        new window.PagefindUI!({ element: "#search", showImages: false, showSubResults: true, resetStyles: false, autofocus: true });
        ready = true;
        status?.remove();
      }
      focusInput();
    } catch {
      if (status) {
        status.innerHTML =
          "Search works after <code>npm run build</code>: Pagefind indexes the built site. " +
          "Run <code>npm run build &amp;&amp; npm run preview</code> to try it.";
        status.classList.add("search-dialog__status--info");
      }
      loading = undefined; // allow a retry after a build
    }
  }

  for (const b of document.querySelectorAll<HTMLElement>("[data-search-open]")) {
    b.addEventListener("click", () => void open());
  }
  dialog.querySelector("[data-search-close]")?.addEventListener("click", () => dialog.close());
  // A click on the backdrop (outside the dialog's box) closes it.
  dialog.addEventListener("click", (e) => {
    if (e.target === dialog) dialog.close();
  });

  document.addEventListener("keydown", (e) => {
    if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || dialog.open) return;
    const t = e.target as HTMLElement | null;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName) || t.closest("kijl-terminal, .xterm"))) return;
    e.preventDefault();
    void open();
  });
}
