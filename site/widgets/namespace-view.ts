// <namespace-view>: the host's process tree, each process with a chip per namespace kind
// showing which namespace it is in. Namespaces other than the host's initial ones get a
// colour of their own (per inode), so processes that share a namespace share a colour.
// It reads typed snapshots (host.snapshot()) and never parses terminal output.
//
// Loaded by NamespaceView.astro when the element nears the viewport. Redraws at most once
// per animation frame, after engine events and after every command the terminal runs.
import { LiveWidget } from "./live-widget";
import type { Host, HostSnapshot, NamespaceSnapshot, NsKind, ProcessSnapshot } from "../../engine";
import { el } from "./dom";

/** /proc/PID/ns order, as lsns and the kernel list them. */
const KINDS: NsKind[] = ["mnt", "uts", "ipc", "pid", "net", "user", "cgroup", "time"];
const DEFAULT_KINDS: NsKind[] = ["uts", "pid", "net", "mnt"];
const KIND_HELP: Record<NsKind, string> = {
  mnt: "mount points",
  uts: "hostname",
  ipc: "System V IPC, POSIX message queues",
  pid: "process IDs",
  net: "network devices, addresses, ports",
  user: "user and group IDs",
  cgroup: "cgroup root directory",
  time: "boot and monotonic clocks",
};
/** Distinct hues for non-initial namespaces, readable on light and dark backgrounds. */
const PALETTE = ["#d9480f", "#1971c2", "#2f9e44", "#ae3ec9", "#c2255c", "#0c8599", "#5f3dc4", "#66a80f", "#e67700", "#495057"];

const basename = (p: string) => p.slice(p.lastIndexOf("/") + 1);
/** Quote an argument the way a shell reader would need it. */
const quote = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`);

export class NamespaceView extends LiveWidget {
  private shown = new Set<NsKind>();
  private seenPids: Set<number> | null = null;
  private tree!: HTMLUListElement;
  private legend!: HTMLUListElement;
  private hint!: HTMLParagraphElement;
  private status!: HTMLElement;





  /** The static frame: filters, an empty tree and legend. */
  protected setup(): void {
    const attr = (this.getAttribute("kinds") ?? "").split(/[\s,]+/).filter((k): k is NsKind => (KINDS as string[]).includes(k));
    this.shown = new Set(attr.length ? attr : DEFAULT_KINDS);
    this.build();
  }

  protected attached(): void {
    this.seenPids = null;
  }

  protected render(host: Host): void {
    this.draw(host.snapshot());
  }

  private build(): void {
    const root = this.querySelector<HTMLElement>("[data-nsv-body]") ?? this;
    root.replaceChildren();
    const filters = el("fieldset", "nsv__filters");
    filters.append(el("legend", "nsv__filters-title", "Show namespaces:"));
    for (const k of KINDS) {
      const label = el("label", "nsv__filter");
      label.title = KIND_HELP[k];
      const box = el("input");
      box.type = "checkbox";
      box.value = k;
      box.checked = this.shown.has(k);
      box.addEventListener("change", () => {
        if (box.checked) this.shown.add(k);
        else this.shown.delete(k);
        this.schedule();
      });
      label.append(box, ` ${k}`);
      filters.append(label);
    }
    this.tree = el("ul", "nsv__tree");
    this.tree.setAttribute("aria-label", "Process tree of the host");
    const lhead = el("h3", "nsv__legend-title", "Namespaces");
    this.legend = el("ul", "nsv__legend");
    this.legend.setAttribute("aria-label", "Namespaces on the host");
    this.hint = el("p", "nsv__hint");
    this.hint.hidden = true;
    this.status = el("p", "nsv__status");
    this.status.setAttribute("role", "status");
    const cols = el("div", "nsv__cols");
    const left = el("div", "nsv__procs");
    left.append(el("h3", "nsv__legend-title", "Processes"), this.tree);
    const right = el("div", "nsv__side");
    right.append(lhead, this.legend);
    cols.append(left, right);
    root.append(filters, cols, this.hint, this.status);
    this.tree.append(el("li", "nsv__loading", "Loading the host…"));
  }

  private draw(snap: HostSnapshot): void {
    const colour = new Map<number, string>();
    const foreign = snap.namespaces.filter((n) => !n.initial).sort((a, b) => a.inode - b.inode);
    foreign.forEach((n, i) => colour.set(n.inode, PALETTE[i % PALETTE.length]!));
    const initial = new Set(snap.namespaces.filter((n) => n.initial).map((n) => n.inode));
    const kinds = KINDS.filter((k) => this.shown.has(k));
    const isNew = (pid: number) => this.seenPids !== null && !this.seenPids.has(pid);

    /** A namespace chip; `short` (in the tree) shows only the inode's last digits, the legend has it all. */
    const chip = (kind: NsKind, inode: number, short = false): HTMLElement => {
      const host = initial.has(inode);
      const c = el("span", host ? "nsv-chip nsv-chip--host" : "nsv-chip");
      const full = `${kind}:[${inode}]`;
      c.title = `${full}${host ? ", the host's initial namespace" : ", a new namespace"}`;
      if (host) {
        c.append(kind, el("span", "nsv-sr", " (host)"));
      } else {
        c.style.setProperty("--nsv-c", colour.get(inode) ?? "#888");
        if (short) {
          const seen = el("span", "", `${kind} …${String(inode).slice(-4)}`);
          seen.setAttribute("aria-hidden", "true");
          c.append(seen, el("span", "nsv-sr", full));
        } else c.textContent = full;
      }
      return c;
    };

    // ---- the process tree ----
    const byPid = new Map(snap.processes.map((p) => [p.pid, p]));
    const children = new Map<number, ProcessSnapshot[]>();
    const roots: ProcessSnapshot[] = [];
    for (const p of snap.processes) {
      if (p.ppid !== p.pid && byPid.has(p.ppid)) {
        const list = children.get(p.ppid) ?? [];
        list.push(p);
        children.set(p.ppid, list);
      } else roots.push(p);
    }
    const item = (p: ProcessSnapshot): HTMLLIElement => {
      const li = el("li", "nsv__node");
      const row = el("div", isNew(p.pid) ? "nsv__proc nsv__proc--new" : "nsv__proc");
      const own = p.nspid[p.nspid.length - 1] ?? p.pid;
      const pid = el("span", "nsv__pid");
      if (p.nspid.length > 1) {
        pid.append(el("b", "", `pid ${own}`), ` in pid:[${p.ns.pid}] `, el("span", "nsv__hostpid", `(host ${p.pid})`));
        pid.style.setProperty("--nsv-c", colour.get(p.ns.pid) ?? "inherit");
        pid.classList.add("nsv__pid--ns");
      } else pid.textContent = `pid ${p.pid}`;
      const args = p.argv.length > 1 ? p.argv.slice(1).map(quote).join(" ") : p.argv[0] && basename(p.argv[0]) !== p.comm ? p.argv[0] : "";
      const cmd = el("span", "nsv__cmd");
      cmd.append(el("b", "", p.comm));
      if (args) cmd.append(" ", el("span", "nsv__args", args));
      cmd.title = `${p.comm}${args ? " " + args : ""}`;
      const chips = el("span", "nsv__chips");
      for (const k of kinds) chips.append(chip(k, p.ns[k], true));
      if (p.pid === snap.shellPid) cmd.append(" ", el("span", "nsv__you", "← your shell"));
      row.append(pid, cmd, chips);
      li.append(row);
      const kids = children.get(p.pid);
      if (kids?.length) {
        const ul = el("ul");
        for (const k of kids) ul.append(item(k));
        li.append(ul);
      }
      return li;
    };
    this.tree.replaceChildren(...roots.map(item));

    // ---- the legend ----
    const rows: HTMLLIElement[] = [];
    const nsOrder = (a: NamespaceSnapshot, b: NamespaceSnapshot) =>
      KINDS.indexOf(a.kind) - KINDS.indexOf(b.kind) || Number(b.initial) - Number(a.initial) || a.inode - b.inode;
    for (const n of [...snap.namespaces].filter((n) => this.shown.has(n.kind)).sort(nsOrder)) {
      const li = el("li", n.initial ? "nsv__ns nsv__ns--host" : "nsv__ns");
      li.append(chip(n.kind, n.inode));
      const what = el("span", "nsv__ns-text");
      const parts = [n.initial ? "host" : "new"];
      if (n.kind === "uts" && n.hostname !== undefined) parts.push(`hostname ${n.hostname}`);
      parts.push(`${n.pids.length} process${n.pids.length === 1 ? "" : "es"}`);
      what.textContent = `${n.initial ? `:[${n.inode}]` : ""} ${parts.join(", ")}`;
      li.append(what);
      rows.push(li);
    }
    if (rows.length === 0) rows.push(el("li", "nsv__ns", "Tick a namespace kind above to see it."));
    this.legend.replaceChildren(...rows);

    // ---- the hint and a short status for screen readers ----
    this.hint.hidden = foreign.length > 0;
    this.hint.textContent = "Every process is in the host's own namespaces. Start something in new ones from the terminal (for example with unshare … &) and it shows up here.";
    const fresh = snap.processes.filter((p) => isNew(p.pid)).length;
    this.status.textContent = `${snap.processes.length} processes, ${foreign.length} namespace${foreign.length === 1 ? "" : "s"} besides the host's${fresh ? `, ${fresh} new` : ""}.`;
    this.seenPids = new Set(snap.processes.map((p) => p.pid));
    this.dataset.namespaces = String(foreign.length);
  }
}

if (!customElements.get("namespace-view")) customElements.define("namespace-view", NamespaceView);
