// A build step for the engine's chunks: V8's explicit compile hint. A page that boots a world
// runs a large part of the engine at once, and without a hint V8 compiles each function lazily,
// on the main thread, the first time it is called — about a third of a cold cluster boot in
// Chromium. The magic comment `//# allFunctionsCalledOnLoad` at the top of a script asks V8 to
// compile all of its functions eagerly while the script streams in, off the main thread.
// (https://v8.dev/blog/explicit-compile-hints; browsers that do not know it read a comment.)
// Only chunks holding engine code get it: those are loaded when a widget needs a world.

/** The comment, exactly as V8 looks for it. */
export const COMPILE_HINT = "//# allFunctionsCalledOnLoad";

/** Does this chunk (its module ids) carry engine code? */
export function isEngineChunk(moduleIds: readonly string[]): boolean {
  return moduleIds.some((id) => /[\\/]engine[\\/]/.test(id) && !/[\\/]node_modules[\\/]/.test(id));
}

/** The Vite (Rollup) plugin: last, after minification, so nothing strips or moves the comment. */
export function engineCompileHints() {
  return {
    name: "kijl-engine-compile-hints",
    apply: "build" as const,
    enforce: "post" as const,
    generateBundle(_options: unknown, bundle: Record<string, { type: string; code?: string; moduleIds?: string[] }>) {
      for (const out of Object.values(bundle)) {
        if (out.type !== "chunk" || !out.code || !isEngineChunk(out.moduleIds ?? [])) continue;
        if (!out.code.startsWith(COMPILE_HINT)) out.code = `${COMPILE_HINT}\n${out.code}`;
      }
    },
  };
}
