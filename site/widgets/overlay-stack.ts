// <overlay-stack>: one overlay mount of the page's live engine, drawn as its stack of layers
// (upper on top, then the lowerdirs left to right) and its merged tree, one row per path with
// a marker in the column of the layer that serves it. Copies hidden below are hollow markers;
// whiteouts and opaque directories show in the upper column. A write or delete typed in the
// terminal flashes the row: a copy-up moves the marker into the upper column.
//
// It reads host.overlays() (typed snapshots), never terminal text. Loaded by OverlayStack.astro
// when it nears the viewport; redraws at most once per animation frame.
import { LiveWidget } from "./live-widget";
import type { EngineEvent, Host, OverlayEntrySnapshot, OverlaySnapshot } from "../../engine";
import { el } from "./dom";

/** Stable key of a mount: the same path can be mounted in several mount namespaces. */
const keyOf = (o: Pick<OverlaySnapshot, "mntns" | "mountpoint">) => `${o.mntns}:${o.mountpoint}`;

/** A short label for a long path (containerd's snapshot paths): keep the last segments. */
function shortPath(p: string, max = 30): string {
  if (p.length <= max) return p;
  const parts = p.split("/");
  let out = parts.pop()!;
  while (parts.length && out.length + parts[parts.length - 1]!.length + 1 <= max - 2) out = `${parts.pop()}/${out}`;
  return `…/${out}`;
}

/** What the learner would call the mount: a container's id, else its path. */
function mountLabel(o: OverlaySnapshot): string {
  const m = /\/io\.containerd\.runtime\.v2\.task\/([^/]+)\/([^/]+)\/rootfs$/.exec(o.mountpoint);
  return m ? `container ${m[2]} (${shortPath(o.mountpoint, 40)})` : o.mountpoint;
}

const layerName = (i: number) => (i === -1 ? "upper" : `lower ${i + 1}`);

interface Seen {
  servedBy: number;
  whiteout: boolean;
}

export class OverlayStack extends LiveWidget {
  /** The mount shown; null = follow the newest mount until the reader picks one. */
  private picked: string | null = null;
  private shownKey: string | null = null;
  private seen: Map<string, Seen> | null = null;
  private selectedPath: string | null = null;
  private select!: HTMLSelectElement;
  private stack!: HTMLOListElement;
  private table!: HTMLTableElement;
  private scroller!: HTMLDivElement;
  private info!: HTMLParagraphElement;
  private empty!: HTMLParagraphElement;
  private status!: HTMLParagraphElement;
  private current: OverlaySnapshot | null = null;





  protected setup(): void {
    this.build();
  }

  protected attached(): void {
    this.seen = null;
    this.shownKey = null;
    this.picked = null;
  }

  protected redrawOn(e: EngineEvent): boolean {
    return e.type === "mount" || e.type === "umount" || e.type === "shell.command" || e.type === "reset" || e.type === "process.exit";
  }

  protected render(host: Host): void {
    this.draw(host);
  }

  private build(): void {
    const root = this.querySelector<HTMLElement>("[data-ovs-body]") ?? this;
    root.replaceChildren();
    const bar = el("div", "ovs__bar");
    const label = el("label", "ovs__pick");
    label.append(el("span", "ovs__pick-text", "Overlay mount "));
    this.select = el("select", "ovs__select");
    this.select.addEventListener("change", () => {
      this.picked = this.select.value;
      this.schedule();
    });
    label.append(this.select);
    bar.append(label);

    const cols = el("div", "ovs__cols");
    const left = el("div", "ovs__layers");
    left.append(el("h3", "ovs__title", "Layers, top to bottom"));
    this.stack = el("ol", "ovs__stack");
    this.stack.setAttribute("aria-label", "Layers of the overlay, top first");
    left.append(this.stack);

    const right = el("div", "ovs__merged");
    right.append(el("h3", "ovs__title", "Merged view: which layer serves each path"));
    this.scroller = el("div", "ovs__scroll");
    this.table = el("table", "ovs__table");
    this.scroller.append(this.table);
    this.info = el("p", "ovs__info");
    this.info.setAttribute("aria-live", "polite");
    right.append(this.scroller, this.info);
    cols.append(left, right);

    this.empty = el("p", "ovs__empty", "No overlay mounts yet. Mount one in the terminal (mount -t overlay overlay -o lowerdir=…,upperdir=…,workdir=… DIR) or start a container (ctr run …), and it appears here.");
    this.status = el("p", "ovs__sr");
    this.status.setAttribute("role", "status");
    root.append(bar, this.empty, cols, this.status);
    this.table.addEventListener("keydown", (e) => this.onKey(e));
    this.table.addEventListener("focusin", (e) => this.onRow(e.target));
    this.table.addEventListener("mouseover", (e) => this.onRow(e.target));
  }

  private draw(host: Host): void {
    const list = host.overlays({ entries: false });
    this.dataset.mounts = String(list.length);
    // Keep the picked mount while it exists; otherwise follow the newest one.
    const keys = list.map(keyOf);
    if (this.picked && !keys.includes(this.picked)) this.picked = null;
    const newest = [...list].sort((a, b) => b.mountId - a.mountId)[0];
    const key = this.picked ?? (newest ? keyOf(newest) : null);

    this.select.replaceChildren(
      ...list.map((o) => {
        const opt = el("option", undefined, mountLabel(o));
        opt.value = keyOf(o);
        opt.selected = keyOf(o) === key;
        return opt;
      }),
    );
    this.select.disabled = list.length < 2;
    const cols = this.querySelector<HTMLElement>(".ovs__cols")!;
    this.empty.hidden = list.length > 0;
    cols.hidden = list.length === 0;
    if (!key) {
      this.current = null;
      this.status.textContent = "No overlay mounts.";
      this.dataset.mountpoint = "";
      return;
    }
    const chosen = list.find((o) => keyOf(o) === key)!;
    const snap = host.overlays({ mountpoint: chosen.mountpoint, mntns: chosen.mntns })[0];
    if (!snap) return;
    if (key !== this.shownKey) {
      this.seen = null;
      this.selectedPath = null;
    }
    this.shownKey = key;
    this.current = snap;
    this.dataset.mountpoint = snap.mountpoint;
    this.drawStack(snap);
    const changes = this.drawTable(snap);
    this.seen = new Map(snap.entries.map((e) => [e.path, { servedBy: e.servedBy, whiteout: !!e.whiteout }]));
    const up = snap.entries.filter((e) => e.servedBy === -1 && !e.whiteout && e.type !== "dir").length;
    const wh = snap.entries.filter((e) => e.whiteout).length;
    this.status.textContent = `${mountLabel(snap)}: ${snap.entries.length} paths, ${up} file${up === 1 ? "" : "s"} in the upper layer, ${wh} whiteout${wh === 1 ? "" : "s"}${changes ? `; ${changes}` : ""}.`;
    if (this.selectedPath) this.explain(this.selectedPath);
    else this.info.textContent = "Hover over a path, or focus the table and use the arrow keys, to see which layer serves it.";
  }

  private drawStack(o: OverlaySnapshot): void {
    const items: HTMLLIElement[] = [];
    const layer = (i: number, path: string | null, note: string) => {
      const li = el("li", `ovs__layer ovs__layer--${i === -1 ? "upper" : "lower"}`);
      li.style.setProperty("--ovs-c", `var(--ovs-l${i === -1 ? "u" : Math.min(i, 5)})`);
      const name = el("b", "ovs__layer-name", layerName(i));
      const p = el("code", "ovs__layer-path", path ? shortPath(path, 38) : "none");
      if (path) p.title = path;
      li.append(name, p, el("span", "ovs__layer-note", note));
      items.push(li);
    };
    if (o.upperdir) layer(-1, o.upperdir, "writable: copies-up, new files, whiteouts");
    else {
      const li = el("li", "ovs__layer ovs__layer--none");
      li.append(el("b", "ovs__layer-name", "no upper"), el("span", "ovs__layer-note", "read-only mount: writes fail with EROFS"));
      items.push(li);
    }
    o.lowerdirs.forEach((d, i) => layer(i, d, i === 0 ? (o.lowerdirs.length > 1 ? "read-only, leftmost in lowerdir: on top" : "read-only") : "read-only"));
    const merged = el("li", "ovs__layer ovs__layer--merged");
    merged.append(el("b", "ovs__layer-name", "merged"), el("code", "ovs__layer-path", shortPath(o.mountpoint, 38)), el("span", "ovs__layer-note", `what processes see${o.mntns ? ` (mnt:[${o.mntns}])` : ""}`));
    this.stack.replaceChildren(...items, merged);
  }

  /** Redraw the merged table; returns a short description of what changed since last time. */
  private drawTable(o: OverlaySnapshot): string {
    const layers = [...(o.upperdir ? [-1] : []), ...o.lowerdirs.map((_, i) => i)];
    const head = el("thead");
    const hr = el("tr");
    const th0 = el("th", "ovs__th-path", "path");
    th0.scope = "col";
    hr.append(th0);
    for (const i of layers) {
      const th = el("th", "ovs__th-layer", layerName(i));
      th.scope = "col";
      th.title = i === -1 ? (o.upperdir ?? "") : o.lowerdirs[i]!;
      th.style.setProperty("--ovs-c", `var(--ovs-l${i === -1 ? "u" : Math.min(i, 5)})`);
      hr.append(th);
    }
    head.append(hr);
    const body = el("tbody");
    const copied: string[] = [];
    const whited: string[] = [];
    const prev = this.seen;
    let first = true;
    for (const e of o.entries) {
      const tr = el("tr", "ovs__row");
      tr.dataset.path = e.path;
      tr.dataset.servedBy = String(e.servedBy);
      tr.tabIndex = this.selectedPath ? (e.path === this.selectedPath ? 0 : -1) : first ? 0 : -1;
      first = false;
      if (e.whiteout) tr.classList.add("ovs__row--whiteout");
      const was = prev?.get(e.path);
      if (prev && e.whiteout && !was?.whiteout) {
        tr.classList.add("ovs__row--flash-whiteout");
        whited.push(e.path);
      } else if (prev && !e.whiteout && e.servedBy === -1 && (!was || was.servedBy !== -1) && e.type !== "dir") {
        tr.classList.add(was ? "ovs__row--flash-copyup" : "ovs__row--flash-new");
        copied.push(e.path);
      }
      const depth = e.path.split("/").length - 1;
      const name = e.path.slice(e.path.lastIndexOf("/") + 1) + (e.type === "dir" ? "/" : "");
      const td = el("td", "ovs__path");
      td.style.setProperty("--ovs-depth", String(depth));
      const nm = el("span", `ovs__name ovs__name--${e.type}`, name);
      td.append(nm);
      if (e.opaque) td.append(el("span", "ovs__badge", "opaque"));
      if (e.whiteout) td.append(el("span", "ovs__badge ovs__badge--wh", "deleted"));
      tr.append(td);
      for (const i of layers) {
        const cell = el("td", "ovs__cell");
        cell.style.setProperty("--ovs-c", `var(--ovs-l${i === -1 ? "u" : Math.min(i, 5)})`);
        if (e.whiteout && i === -1) {
          cell.append(el("span", "ovs__mark ovs__mark--wh", "✕"), el("span", "ovs__sr", "whiteout"));
        } else if (!e.whiteout && e.servedBy === i) {
          cell.append(el("span", "ovs__mark ovs__mark--serves", "●"), el("span", "ovs__sr", "serves it"));
          if (e.opaque && i === -1) cell.title = "opaque: lower directories are not looked at";
        } else if (e.layers.includes(i)) {
          cell.append(el("span", "ovs__mark ovs__mark--hidden", "○"), el("span", "ovs__sr", "hidden copy"));
        }
        tr.append(cell);
      }
      body.append(tr);
    }
    const caption = el("caption", "ovs__sr", `Paths of ${o.mountpoint} and the layers that hold them`);
    this.table.replaceChildren(caption, head, body);
    if (o.truncated) {
      const foot = el("tfoot");
      const tr = el("tr");
      const td = el("td", "ovs__more", "The tree is larger; only its first part is shown.");
      td.colSpan = layers.length + 1;
      tr.append(td);
      foot.append(tr);
      this.table.append(foot);
    }
    const parts: string[] = [];
    if (copied.length) parts.push(`copied up or created in the upper layer: ${copied.join(", ")}`);
    if (whited.length) parts.push(`whiteout for ${whited.join(", ")}`);
    const flash = this.table.querySelector<HTMLElement>("[class*='ovs__row--flash']");
    if (flash) {
      // Keep the changed row in sight, without moving the page itself.
      const top = flash.offsetTop - this.scroller.clientHeight / 2;
      this.scroller.scrollTop = Math.max(0, top);
    }
    return parts.join("; ");
  }

  private onRow(target: EventTarget | null): void {
    const tr = (target as HTMLElement | null)?.closest?.("tr[data-path]") as HTMLElement | null;
    if (!tr) return;
    this.selectedPath = tr.dataset.path!;
    for (const r of this.table.querySelectorAll<HTMLElement>("tr[data-path]")) r.classList.toggle("ovs__row--sel", r === tr);
    this.explain(tr.dataset.path!);
  }

  private onKey(e: KeyboardEvent): void {
    const rows = [...this.table.querySelectorAll<HTMLElement>("tr[data-path]")];
    const i = rows.indexOf(document.activeElement as HTMLElement);
    if (i < 0) return;
    const to = e.key === "ArrowDown" ? i + 1 : e.key === "ArrowUp" ? i - 1 : e.key === "Home" ? 0 : e.key === "End" ? rows.length - 1 : -2;
    if (to === -2) return;
    e.preventDefault();
    const next = rows[Math.max(0, Math.min(rows.length - 1, to))]!;
    rows[i]!.tabIndex = -1;
    next.tabIndex = 0;
    next.focus();
  }

  /** The sentence under the table for one path. */
  private explain(path: string): void {
    const o = this.current;
    const e: OverlayEntrySnapshot | undefined = o?.entries.find((x) => x.path === path);
    if (!o || !e) return;
    const dir = (i: number) => (i === -1 ? o.upperdir! : o.lowerdirs[i]!);
    const where = (i: number) => `${layerName(i)} (${dir(i)}/${e.path})`;
    let text: string;
    if (e.whiteout) {
      const hid = e.layers.filter((i) => i !== -1);
      text = `/${e.path} is deleted: the upper layer holds a whiteout (a 0/0 character device) at ${dir(-1)}/${e.path}, which hides ${hid.length ? hid.map(layerName).join(" and ") : "the lower copies"}. The lower files are still there.`;
    } else {
      const hidden = e.layers.filter((i) => i !== e.servedBy);
      text = `/${e.path} is served by ${where(e.servedBy)}.`;
      if (e.servedBy === -1 && hidden.length && e.type !== "dir") text += ` It was copied up: the copies in ${hidden.map(layerName).join(" and ")} are hidden below it, unchanged.`;
      else if (hidden.length && e.type !== "dir") text += ` The copy in ${hidden.map(layerName).join(" and ")} is hidden below it.`;
      else if (e.type === "dir" && e.layers.length > 1) text += ` Its contents are merged from ${e.layers.map(layerName).join(", ")}.`;
      if (e.opaque) text += " It is opaque (trusted.overlay.opaque=\"y\"): nothing below it in the lower layers shows through.";
      if (e.servedBy === -1 && !hidden.length && e.type !== "dir") text += " It exists only in the upper layer: a new file.";
    }
    this.info.textContent = text;
  }
}

if (!customElements.get("overlay-stack")) customElements.define("overlay-stack", OverlayStack);
