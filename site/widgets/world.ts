// The page's ONE engine world. Every widget on a page (terminal, namespace view, check
// button) shares it, so a diagram shows exactly what the terminal just did.
//
// This module is tiny on purpose: it is part of the ~2 KB script a page starts with.
// The engine and the exercise modules are pulled in with dynamic import(), so Vite puts
// them in their own chunks and a page without widgets never downloads them.
import type { Host } from "../../engine";
import type { Exercise } from "../../exercises/exercise";

/** Lazy loaders for every exercises/NN-slug/check.ts, keyed by "../../exercises/NN-slug/check.ts". */
const exerciseModules = import.meta.glob<{ default: Exercise }>("../../exercises/*/check.ts");

export type WorldChangeReason = "command" | "reset" | "create";
type Listener = (host: Host, reason: WorldChangeReason) => void;

const listeners = new Set<Listener>();
let world: Promise<Host> | null = null;
let current: Host | null = null;

/** The exercise number the page's lab starts from (`<main data-exercise="2">`), if any. */
export function pageExercise(): number | null {
  const n = Number(document.querySelector<HTMLElement>("main[data-exercise]")?.dataset.exercise);
  return Number.isInteger(n) && n > 0 ? n : null;
}

/** Load exercise N's module (the folder whose name starts with the zero-padded N). */
export async function loadExercise(n: number): Promise<Exercise | null> {
  const prefix = `../../exercises/${String(n).padStart(2, "0")}-`;
  const key = Object.keys(exerciseModules).find((k) => k.startsWith(prefix));
  if (!key) return null;
  return (await exerciseModules[key]!()).default;
}

/** Build a fresh world from the page's lab start state. */
async function build(): Promise<Host> {
  const n = pageExercise();
  const ex = n === null ? null : await loadExercise(n);
  if (ex) return ex.setup();
  if (n !== null) console.warn(`world: no exercise ${n} under exercises/; starting a plain host`);
  if (document.querySelector<HTMLElement>("main[data-lab]")?.dataset.lab === "cluster") {
    // A cluster page: the terminal is the control plane (ssh reaches the workers). Its own chunk.
    const { createCluster } = await import("../../engine/k8s/cluster.ts");
    return createCluster({ workers: 2, seed: 1 }).controlPlane;
  }
  const { createHost } = await import("../../engine/linux.ts");
  return createHost({ seed: 1 });
}

/** The page's world, created on first use. */
export function getWorld(): Promise<Host> {
  if (!world) {
    world = build().then((h) => {
      current = h;
      emit(h, "create");
      return h;
    });
    world.catch(() => (world = null)); // a failed load may be retried
  }
  return world;
}

/** The world if it already exists (no loading). */
export function peekWorld(): Host | null {
  return current;
}

/**
 * Rebuild the world from the same start state. Listeners get reason "reset" and the
 * document gets a `world-reset` event ({ detail: { host } }) so every widget re-subscribes.
 */
export async function resetWorld(): Promise<Host> {
  world = build();
  const h = await world;
  current = h;
  emit(h, "reset");
  document.dispatchEvent(new CustomEvent("world-reset", { detail: { host: h } }));
  return h;
}

/** Call after anything ran on the world (the terminal does, after every command line). */
export function notifyWorldChange(host: Host = current!): void {
  if (host) emit(host, "command");
}

/** Subscribe to world changes (commands, reset, creation). Returns an unsubscribe function. */
export function onWorldChange(fn: Listener): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function emit(host: Host, reason: WorldChangeReason): void {
  for (const fn of [...listeners]) {
    try {
      fn(host, reason);
    } catch (err) {
      console.error(err);
    }
  }
}
