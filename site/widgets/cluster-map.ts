// <cluster-map>: the page's cluster at a glance. One card per machine (the control plane and
// each worker) with
//   - its Kubernetes units as health dots (systemctl is-active: active, failed, inactive);
//   - CPU and memory: what the pods bound to it request against the Node's allocatable (the
//     scheduler's arithmetic), and what the machine uses right now (its root cgroup);
//   - its pods, coloured by status, as buttons.
// Clicking a pod opens the Linux pieces it is made of on its node — the pause process and its
// net/ipc/uts namespaces, the pod cgroup, the veth pair, each container's pid, mount and pid
// namespaces and overlay rootfs — each with a command that shows it in the page's terminal.
//
// It reads clusterSnapshot() (typed state from the API server, the runtime and each node's
// kernel), never terminal text. Loaded by ClusterMap.astro when it nears the viewport; redraws
// at most once per animation frame, after engine events and after every command.
import { LiveWidget } from "./live-widget";
import type { ClusterMachineSnapshot, ClusterPodSnapshot, ClusterSnapshot, EngineEvent, Host } from "../../engine";
import { clusterSnapshot } from "../../engine/k8s/snapshot";
import { el } from "./dom";

type Term = HTMLElement & { run(line: string): Promise<void>; start(): Promise<unknown>; focusTerminal(): void; ready: Promise<void> };

/** 250 → "250m", 2000 → "2", 1500 → "1500m": CPU the way kubectl writes it. */
export function fmtCpu(milli: number): string {
  const m = Math.round(milli);
  return m % 1000 === 0 ? String(m / 1000) : `${m}m`;
}

export function fmtBytes(b: number): string {
  if (b === 0) return "0";
  if (b >= 1024 ** 3) return `${Number((b / 1024 ** 3).toFixed(1))} GiB`;
  if (b >= 1024 ** 2) return `${Math.round(b / 1024 ** 2)} MiB`;
  return `${Math.round(b / 1024)} KiB`;
}

const pct = (x: number) => `${Math.max(0, Math.min(100, x * 100)).toFixed(1)}%`;
const podKey = (p: { namespace: string; name: string }) => `${p.namespace}/${p.name}`;

/** The colour family of a pod's status (the text is always written too). */
function statusClass(p: ClusterPodSnapshot): string {
  if (p.status === "Terminating") return "gone";
  if (/BackOff|Err|Error|OOMKilled/.test(p.status) || p.phase === "Failed") return "failed";
  if (p.phase === "Succeeded") return "done";
  if (p.phase === "Running" && p.containers.every((c) => c.ready)) return "running";
  return "pending";
}

/** One row of a pod's details: what it is, its value, and a command that shows it. */
interface Piece {
  label: string;
  value: string;
  /** Set as data-piece on the row (for tests and styling). */
  id: string;
  command?: string;
  why?: string;
}

export class ClusterMap extends LiveWidget {
  private grid!: HTMLDivElement;
  private unscheduled!: HTMLDivElement;
  private detail!: HTMLDivElement;
  private head!: HTMLParagraphElement;
  private status!: HTMLParagraphElement;
  private selected: string | null = null;
  private lastSummary = "";

  protected setup(): void {
    const root = this.querySelector<HTMLElement>("[data-cmap-body]") ?? this;
    root.replaceChildren();
    this.head = el("p", "cmap__head");
    this.grid = el("div", "cmap__grid");
    this.unscheduled = el("div", "cmap__unscheduled");
    this.detail = el("div", "cmap__detail");
    this.detail.id = `cmap-detail-${Math.random().toString(36).slice(2, 8)}`;
    this.detail.hidden = true;
    this.detail.setAttribute("role", "region");
    this.detail.setAttribute("aria-label", "The selected pod's Linux pieces");
    this.status = el("p", "cmap__sr");
    this.status.setAttribute("role", "status");
    root.append(this.head, this.grid, this.unscheduled, this.detail, this.status);
  }

  protected attached(): void {
    this.selected = null;
    this.lastSummary = "";
  }

  protected redrawOn(e: EngineEvent): boolean {
    return e.type === "k8s.api" || e.type === "k8s.kubelet" || e.type === "shell.command" || e.type === "reset" || e.type === "process.exit";
  }

  protected render(host: Host): void {
    const s = clusterSnapshot(host);
    if (!s) {
      this.head.textContent = "This page's lab is a single host, not a cluster: there is nothing to map.";
      this.grid.replaceChildren();
      return;
    }
    // Keep the keyboard focus on the same control across redraws.
    const focusedKey = (document.activeElement as HTMLElement | null)?.closest?.("[data-focus-key]")?.getAttribute("data-focus-key") ?? null;
    const focusedInside = this.contains(document.activeElement);

    const running = s.pods.filter((p) => statusClass(p) === "running").length;
    this.head.textContent = `${s.machines.length} machines, ${s.pods.length} pod${s.pods.length === 1 ? "" : "s"} (${running} running) · virtual time ${(s.time / 1000).toFixed(1)} s`;
    this.dataset.machines = String(s.machines.length);
    this.dataset.pods = String(s.pods.length);
    this.grid.replaceChildren(...s.machines.map((m) => this.machine(m, s)));

    const homeless = s.pods.filter((p) => !p.node);
    this.unscheduled.replaceChildren();
    if (homeless.length) {
      this.unscheduled.append(el("h4", "cmap__subhead", `Not scheduled yet (${homeless.length})`), this.podList(homeless, "Pods waiting for the scheduler"));
    }
    this.renderDetail(s);

    if (focusedInside && focusedKey) this.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(focusedKey)}"]`)?.focus();
    const summary = s.machines.map((m) => `${m.name}: ${s.pods.filter((p) => p.node === m.name).length} pods`).join(", ") + (homeless.length ? `, ${homeless.length} not scheduled` : "");
    if (summary !== this.lastSummary) this.status.textContent = summary;
    this.lastSummary = summary;
  }

  private machine(m: ClusterMachineSnapshot, s: ClusterSnapshot): HTMLElement {
    const card = el("section", `cmap__machine cmap__machine--${m.role}`);
    card.dataset.node = m.name;
    card.setAttribute("aria-label", `${m.role === "control-plane" ? "Control plane" : "Worker"} ${m.name}`);
    const title = el("div", "cmap__title");
    title.append(el("h4", "cmap__name", m.name), el("span", "cmap__role", m.role === "control-plane" ? "control plane" : "worker"), el("span", "cmap__ip", m.ip));
    if (m.node) {
      const ready = m.node.ready === "True";
      const chip = el("span", `cmap__ready cmap__ready--${ready ? "yes" : "no"}`, ready ? "Ready" : "NotReady");
      if (m.node.unschedulable) chip.textContent += ",SchedulingDisabled";
      title.append(chip);
    }
    card.append(title);

    // Components: a dot per systemd unit.
    const units = el("ul", "cmap__units");
    units.setAttribute("aria-label", "Components (systemd units)");
    for (const u of m.components) {
      const li = el("li", `cmap__unit cmap__unit--${u.state}`);
      li.dataset.unit = u.name;
      li.dataset.state = u.state;
      li.title = `${u.name}.service: ${u.state}${u.pid ? ` (pid ${u.pid})` : ""}`;
      const dot = el("span", "cmap__dot");
      dot.setAttribute("aria-hidden", "true");
      li.append(dot, el("span", "cmap__unitname", u.name), el("span", "cmap__sr", `: ${u.state}`));
      units.append(li);
    }
    card.append(units);
    if (m.node?.taints.length) {
      card.append(el("p", "cmap__taints", `Taints: ${m.node.taints.map((t) => `${t.key}${t.value ? `=${t.value}` : ""}:${t.effect}`).join(", ")}`));
    }

    // Hardware: requested vs allocatable (Node), and live use (root cgroup) vs the machine.
    const cpuCap = m.node ? m.node.allocatable.milliCPU : m.machine.cpus * 1000;
    const memCap = m.node ? m.node.allocatable.memory : m.machine.memory;
    card.append(
      this.meter("CPU", m.node ? m.node.requested.milliCPU / cpuCap : null, m.usage.milliCPU / (m.machine.cpus * 1000), m.node ? `requests ${fmtCpu(m.node.requested.milliCPU)} of ${fmtCpu(cpuCap)} allocatable · using ${fmtCpu(m.usage.milliCPU)} of ${m.machine.cpus} CPUs` : `using ${fmtCpu(m.usage.milliCPU)} of ${m.machine.cpus} CPUs`),
      this.meter("Memory", m.node ? m.node.requested.memory / memCap : null, m.usage.memory / m.machine.memory, m.node ? `requests ${fmtBytes(m.node.requested.memory)} of ${fmtBytes(memCap)} · using ${fmtBytes(m.usage.memory)} of ${fmtBytes(m.machine.memory)}` : `using ${fmtBytes(m.usage.memory)} of ${fmtBytes(m.machine.memory)}`),
    );

    const pods = s.pods.filter((p) => p.node === m.name);
    if (m.node) card.append(this.meter("Pods", m.node.podCount / Math.max(1, m.node.allocatable.pods), null, `${m.node.podCount} of ${m.node.allocatable.pods} allocatable`));
    if (m.node) {
      card.append(pods.length ? this.podList(pods, `Pods on ${m.name}`) : el("p", "cmap__nopods", "No pods yet."));
    } else {
      card.append(el("p", "cmap__nopods", "Runs the control plane; no kubelet, so no pods are scheduled here."));
    }
    return card;
  }

  /** Two bars: what is requested (the scheduler's view) and what is used (the kernel's). */
  private meter(label: string, requested: number | null, used: number | null, text: string): HTMLElement {
    const row = el("div", "cmap__meter");
    row.append(el("span", "cmap__label", label));
    const bars = el("div", "cmap__bars");
    bars.setAttribute("aria-hidden", "true");
    if (requested !== null) {
      const r = el("div", "cmap__bar cmap__bar--req");
      const f = el("span", "cmap__fill");
      f.style.width = pct(requested);
      r.append(f);
      bars.append(r);
    }
    if (used !== null) {
      const u = el("div", "cmap__bar cmap__bar--use");
      const f = el("span", "cmap__fill");
      f.style.width = pct(used);
      u.append(f);
      bars.append(u);
    }
    row.append(bars, el("span", "cmap__text", text));
    return row;
  }

  private podList(pods: ClusterPodSnapshot[], label: string): HTMLElement {
    const ul = el("ul", "cmap__pods");
    ul.setAttribute("aria-label", label);
    for (const p of pods) {
      const li = el("li");
      const key = podKey(p);
      const b = el("button", `cmap__pod cmap__pod--${statusClass(p)}`);
      b.type = "button";
      b.dataset.pod = key;
      b.dataset.status = p.status;
      b.dataset.focusKey = `pod:${key}`;
      b.setAttribute("aria-expanded", String(this.selected === key));
      b.setAttribute("aria-controls", this.detail.id);
      b.setAttribute("aria-label", `Pod ${key}: ${p.status}${p.podIP ? `, IP ${p.podIP}` : ""}. Show its Linux pieces`);
      const dot = el("span", "cmap__dot");
      dot.setAttribute("aria-hidden", "true");
      b.append(dot, el("span", "cmap__podname", p.namespace === "default" ? p.name : key), el("span", "cmap__podstatus", p.status));
      b.addEventListener("click", () => {
        this.selected = this.selected === key ? null : key;
        b.setAttribute("aria-expanded", String(this.selected === key)); // at once; the redraw follows next frame
        this.schedule();
      });
      li.append(b);
      ul.append(li);
    }
    return ul;
  }

  private renderDetail(s: ClusterSnapshot): void {
    const d = this.detail;
    if (!this.selected) {
      d.hidden = true;
      d.replaceChildren();
      delete d.dataset.selected;
      return;
    }
    const p = s.pods.find((x) => podKey(x) === this.selected);
    d.hidden = false;
    d.dataset.selected = this.selected;
    const head = el("div", "cmap__detailhead");
    const close = el("button", "cmap__close", "Close");
    close.type = "button";
    close.dataset.focusKey = "close";
    close.setAttribute("aria-label", "Close the pod's details");
    close.addEventListener("click", () => {
      const key = this.selected;
      this.selected = null;
      this.schedule();
      requestAnimationFrame(() => this.querySelector<HTMLElement>(`[data-pod="${CSS.escape(key ?? "")}"]`)?.focus());
    });
    if (!p) {
      head.append(el("h4", "cmap__subhead", `${this.selected}: deleted`), close);
      d.replaceChildren(head);
      return;
    }
    head.append(el("h4", "cmap__subhead", `${podKey(p)} on ${p.node ?? "no node yet"}`), close);
    const facts = el("p", "cmap__facts", [`status ${p.status}`, p.podIP ? `IP ${p.podIP}` : null, p.qosClass ? `QoS ${p.qosClass}` : null, ...p.containers.map((c) => `${c.name}: ${c.state}${c.reason ? ` (${c.reason})` : ""}, ${c.restarts} restart${c.restarts === 1 ? "" : "s"}`)].filter(Boolean).join(" · "));
    d.replaceChildren(head, facts);
    const l = p.linux;
    if (!l) {
      d.append(el("p", "cmap__nopods", p.node ? "The kubelet has not started this pod's sandbox yet: no processes, namespaces or cgroups exist for it. Virtual time moves when you run a command (kubectl rollout status waits for it)." : "No node yet, so nothing exists in Linux for it: a pod is only an object in etcd until a kubelet starts it."));
      return;
    }
    const on = (cmd: string) => `ssh ${l.node} ${cmd}`;
    const pieces: Piece[] = [
      { id: "sandbox", label: "Sandbox (pause) pid", value: String(l.sandbox.pid), command: on(`ps -p ${l.sandbox.pid} -o pid,comm,args`), why: "the process that holds the pod's shared namespaces" },
      { id: "netns", label: "net namespace", value: `net:[${l.sandbox.ns.net}]`, command: on(`lsns -p ${l.sandbox.pid}`), why: "shared by every container of the pod" },
      { id: "ipcns", label: "ipc namespace", value: `ipc:[${l.sandbox.ns.ipc}]` },
      { id: "utsns", label: "uts namespace", value: `uts:[${l.sandbox.ns.uts}]`, command: on(`nsenter -t ${l.sandbox.pid} -u hostname`) },
      { id: "cgroup", label: "Pod cgroup", value: l.cgroup, command: on(`cat /proc/${l.sandbox.pid}/cgroup`), why: "under kubepods.slice, by QoS class" },
    ];
    if (l.veth) {
      pieces.push(
        { id: "veth", label: "veth (host end)", value: `${l.veth.host}${l.veth.bridge ? ` on ${l.veth.bridge}` : ""}`, command: on(`ip link show ${l.veth.host}`), why: `its peer is ${l.veth.peer} (ifindex ${l.veth.peerIndex}) inside the pod` },
        { id: "eth0", label: "Pod's eth0", value: p.podIP ?? "", command: on(`nsenter -t ${l.sandbox.pid} -n ip addr show ${l.veth.peer}`) },
      );
    }
    for (const c of l.containers) {
      pieces.push(
        { id: `container:${c.name}`, label: `Container ${c.name} pid`, value: String(c.pid), command: on(`lsns -p ${c.pid}`), why: `own mnt:[${c.ns.mnt}] and pid:[${c.ns.pid}]; net, ipc, uts from the sandbox` },
        { id: `mntns:${c.name}`, label: `${c.name} mount namespace`, value: `mnt:[${c.ns.mnt}]`, command: on(`readlink /proc/${c.pid}/ns/mnt`) },
        { id: `pidns:${c.name}`, label: `${c.name} pid namespace`, value: `pid:[${c.ns.pid}]`, command: on(`grep NSpid /proc/${c.pid}/status`), why: "its pid on the node, then in its own namespace" },
      );
      if (c.rootfs) {
        pieces.push({ id: `rootfs:${c.name}`, label: `${c.name} rootfs (overlay)`, value: `${c.rootfs.lowerdirs.length} image layer${c.rootfs.lowerdirs.length === 1 ? "" : "s"} + upperdir`, command: on(`findmnt ${c.rootfs.mountpoint}`), why: c.rootfs.mountpoint });
      }
      pieces.push({ id: `ccgroup:${c.name}`, label: `${c.name} cgroup`, value: c.cgroup.slice(l.cgroup.length + 1) || c.cgroup, command: on(`cat /proc/${c.pid}/cgroup`) });
    }
    const dl = el("dl", "cmap__pieces");
    for (const piece of pieces) dl.append(this.piece(piece));
    d.append(dl);
  }

  private piece(p: Piece): HTMLElement {
    const row = el("div", "cmap__piece");
    row.dataset.piece = p.id;
    row.dataset.value = p.value;
    const dt = el("dt", "cmap__label", p.label);
    const dd = el("dd", "cmap__pv");
    dd.append(el("code", "cmap__value", p.value));
    if (p.why) dd.append(el("span", "cmap__why", p.why));
    if (p.command) {
      const cmd = el("div", "cmap__cmd");
      cmd.append(el("code", "cmap__cmdtext", p.command));
      const term = document.querySelector<Term>("kijl-terminal");
      if (term) {
        const run = el("button", "cmap__run", "▶ Run");
        run.type = "button";
        run.dataset.command = p.command;
        run.dataset.focusKey = `run:${p.id}`;
        run.setAttribute("aria-label", `Run in the terminal: ${p.command}`);
        run.addEventListener("click", async () => {
          run.disabled = true;
          try {
            term.scrollIntoView({ behavior: "smooth", block: "center" });
            await term.run(p.command!);
            term.focusTerminal();
          } finally {
            run.disabled = false;
          }
        });
        cmd.append(run);
      }
      dd.append(cmd);
    }
    row.append(dt, dd);
    return row;
  }
}

if (!customElements.get("cluster-map")) customElements.define("cluster-map", ClusterMap);
