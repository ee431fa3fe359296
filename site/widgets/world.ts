// The page's engine worlds ("labs"). Every widget on a page (terminal, namespace view, check
// button) follows one of them, so a diagram shows exactly what its terminal just did.
//
// A page has one DEFAULT world, the lab "page": the exercise's setup() when the lesson has
// `exercise: N`, else a cluster when its frontmatter says `lab: cluster`, else a plain host.
// A page may also use NAMED worlds next to it, each built the first time something asks for it:
//   "cluster"  createCluster({ workers: 2, seed: 1 }).controlPlane (ssh reaches worker-1, worker-2)
//   "host"     createHost({ seed: 1 })
// A name that describes the default world itself (`lab="cluster"` on a `lab: cluster` page
// without an exercise) IS the default world, so one page never runs two identical clusters.
// Each world is reset on its own; "Check my work" always grades the default world.
// A world's Host is its first machine (a cluster's control plane). "LAB/MACHINE" names another
// machine of the same world, e.g. "cluster/worker-1": the same cluster seen from that node, so a
// namespace view or cgroup meter can draw a worker while the terminal stays on the control plane.
// It is built, reset and notified together with its world.
//
// API (every `lab` argument is optional; leaving it out means the default world, so code
// written before named worlds existed keeps working unchanged):
//   getWorld(lab?)              Promise<Host>, built on first use
//   peekWorld(lab?)             the Host if it exists, else null (loads nothing)
//   prefetchWorld(lab?)         load the code that world needs, without building it
//   resetWorld(lab?)            rebuild that world from its start state; its listeners get "reset"
//   notifyWorldChange(host?)    something ran on `host` (default: the default world); its
//                               world's listeners get "command"
//   onWorldChange(fn, lab?)     subscribe to that world's changes; returns an unsubscribe function
//   labOf(element)              which world a widget in the page should follow (below)
// (every `lab` may also be "LAB/MACHINE", e.g. "cluster/worker-1": that machine's Host)
// Events on `document`: "lab-reset" ({ detail: { host, lab } }) after any world is reset, and,
// as before, "world-reset" ({ detail: { host, lab: "page" } }) after the DEFAULT world is.
//
// Which world a widget follows, labOf(el):
//   1. the nearest element at or above it with a data-lab attribute (not <main>, whose data-lab
//      is the frontmatter's description of the default world): <div data-lab="cluster">…</div>;
//   2. else the nearest <kijl-terminal> BEFORE it in the document, so a diagram placed under
//      `<Terminal lab="cluster" />` shows that terminal's cluster (every terminal carries
//      data-lab, "page" for the default one, so a later default terminal switches back);
//   3. else the default world.
//
// This module is tiny on purpose: it is part of the ~2 KB script a page starts with.
// The engine and the exercise modules are pulled in with dynamic import(), so Vite puts
// them in their own chunks and a page without widgets never downloads them.
import type { Cluster, Host } from "../../engine";
import { PAGE_LAB, canonicalLab, labKind, labOf, pageExercise, pageKind } from "./lab-name";
import type { LabKind } from "./lab-name";
export { PAGE_LAB, canonicalLab, labOf, pageExercise };
export type { LabKind };
import type { Exercise } from "../../exercises/exercise";

/** Lazy loaders for every exercises/NN-slug/check.ts, keyed by "../../exercises/NN-slug/check.ts". */
const exerciseModules = import.meta.glob<{ default: Exercise }>("../../exercises/*/check.ts");

/** The default world's name. */
/** Kinds of named world a page can ask for. */

export type WorldChangeReason = "command" | "reset" | "create";
type Listener = (host: Host, reason: WorldChangeReason) => void;

interface World {
  building: Promise<Host> | null;
  current: Host | null;
  /** The cluster behind `current`, when the world is one (its other machines). */
  cluster: Cluster | null;
  listeners: Set<Listener>;
}

const worlds = new Map<string, World>();

function world(lab: string): World {
  let w = worlds.get(lab);
  if (!w) worlds.set(lab, (w = { building: null, current: null, cluster: null, listeners: new Set() }));
  return w;
}




/** "cluster/worker-1" → { base: "cluster", machine: "worker-1" } (names already canonical). */
function split(lab: string): { base: string; machine: string } {
  const slash = lab.indexOf("/");
  return slash < 0 ? { base: lab, machine: "" } : { base: lab.slice(0, slash), machine: lab.slice(slash + 1) };
}

/** A machine of a built world, by name (the world's own Host when it has that name). */
function machineOf(w: World, machine: string): Host {
  if (w.current && w.current.name === machine) return w.current;
  const h = w.cluster?.hosts.find((x) => x.name === machine);
  if (!h) throw new Error(`world: this lab has no machine "${machine}"`);
  return h;
}


/** Load exercise N's module (the folder whose name starts with the zero-padded N). */
export async function loadExercise(n: number): Promise<Exercise | null> {
  const prefix = `../../exercises/${String(n).padStart(2, "0")}-`;
  const key = Object.keys(exerciseModules).find((k) => k.startsWith(prefix));
  if (!key) return null;
  return (await exerciseModules[key]!()).default;
}

interface Built {
  host: Host;
  cluster?: Cluster;
}

// A cluster is its own chunk: a host page never downloads the Kubernetes floor.
const loadCluster = () => import("../../engine/k8s/cluster.ts");
const loadLinux = () => import("../../engine/linux.ts");

async function buildKind(kind: LabKind): Promise<Built> {
  if (kind === "cluster") {
    // A cluster: the terminal is the control plane (ssh reaches the workers).
    const { createCluster } = await loadCluster();
    const cluster = createCluster({ workers: 2, seed: 1 });
    return { host: cluster.controlPlane, cluster };
  }
  const { createHost } = await loadLinux();
  return { host: createHost({ seed: 1 }) };
}

/**
 * Fetch the code a world needs without building it. A page's first terminal calls this when
 * the page is idle, so that a reader who scrolls to it waits only for the boot itself.
 */
export async function prefetchWorld(lab?: string): Promise<void> {
  const { base } = split(canonicalLab(lab));
  if (worlds.get(base)?.building) return;
  if (base === PAGE_LAB) {
    const n = pageExercise();
    // The exercise's module imports the engine floor its setup() uses.
    if (n !== null && (await loadExercise(n))) return;
  }
  await (labKind(base) === "cluster" ? loadCluster() : loadLinux());
}

/** Build a fresh world from its start state. */
async function build(lab: string): Promise<Built> {
  if (lab !== PAGE_LAB) {
    if (lab === "cluster" || lab === "host") return buildKind(lab);
    console.warn(`world: unknown lab "${lab}"; starting a plain host`);
    return buildKind("host");
  }
  const n = pageExercise();
  const ex = n === null ? null : await loadExercise(n);
  if (ex) return { host: ex.setup() };
  if (n !== null) console.warn(`world: no exercise ${n} under exercises/; starting a plain host`);
  return buildKind(pageKind());
}

/** A world, created on first use (default: the page's default world). */
export function getWorld(lab?: string): Promise<Host> {
  const name = canonicalLab(lab);
  const { base, machine } = split(name);
  if (machine) return getWorld(base).then(() => machineOf(world(base), machine));
  const w = world(name);
  if (!w.building) {
    const building = build(name).then((b) => {
      w.current = b.host;
      w.cluster = b.cluster ?? null;
      emitAll(name, "create");
      return b.host;
    });
    w.building = building;
    building.catch(() => {
      if (w.building === building) w.building = null; // a failed load may be retried
    });
  }
  return w.building;
}

/** The world if it already exists (no loading). */
export function peekWorld(lab?: string): Host | null {
  const { base, machine } = split(canonicalLab(lab));
  const w = worlds.get(base);
  if (!w?.current) return null;
  try {
    return machine ? machineOf(w, machine) : w.current;
  } catch {
    return null;
  }
}

/**
 * Rebuild one world from its start state (default: the page's). Its listeners get reason
 * "reset"; the document gets `lab-reset` ({ detail: { host, lab } }) and, for the default
 * world, `world-reset` too, so every widget following it re-subscribes.
 */
export async function resetWorld(lab?: string): Promise<Host> {
  const name = split(canonicalLab(lab)).base;
  const w = world(name);
  const built = build(name).then((b) => {
    w.current = b.host;
    w.cluster = b.cluster ?? null;
    return b.host;
  });
  w.building = built;
  const h = await built;
  emitAll(name, "reset");
  document.dispatchEvent(new CustomEvent("lab-reset", { detail: { host: h, lab: name } }));
  if (name === PAGE_LAB) document.dispatchEvent(new CustomEvent("world-reset", { detail: { host: h, lab: name } }));
  return h;
}

/** Call after anything ran on a world (the terminal does, after every command line). */
export function notifyWorldChange(host?: Host | null): void {
  const h = host ?? worlds.get(PAGE_LAB)?.current ?? null;
  if (!h) return;
  // A command on any machine of a world may change all of them (a cluster runs as one).
  for (const [name, w] of worlds) {
    if (split(name).machine === "" && (w.current === h || w.cluster?.hosts.includes(h))) emitAll(name, "command");
  }
}

/** Subscribe to one world's changes (commands, reset, creation). Returns an unsubscribe function. */
export function onWorldChange(fn: Listener, lab?: string): () => void {
  const w = world(canonicalLab(lab));
  w.listeners.add(fn);
  return () => w.listeners.delete(fn);
}

/** Tell a world's listeners, then the listeners of each of its machine views ("LAB/MACHINE"). */
function emitAll(base: string, reason: WorldChangeReason): void {
  const w = worlds.get(base);
  if (!w?.current) return;
  emit(w, w.current, reason);
  for (const [name, view] of worlds) {
    const { base: b, machine } = split(name);
    if (b !== base || !machine) continue;
    let h: Host;
    try {
      h = machineOf(w, machine);
    } catch (err) {
      console.warn(err);
      continue;
    }
    emit(view, h, reason);
  }
}

function emit(w: World, host: Host, reason: WorldChangeReason): void {
  for (const fn of [...w.listeners]) {
    try {
      fn(host, reason);
    } catch (err) {
      console.error(err);
    }
  }
}
