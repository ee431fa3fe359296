import { describe, expect, it } from "vitest";
import { COMPILE_HINT, engineCompileHints, isEngineChunk } from "./compile-hints";

describe("engine compile hints", () => {
  it("recognises chunks with engine modules, not dependencies or page scripts", () => {
    expect(isEngineChunk(["/w/site/widgets/world.ts", "/w/engine/k8s/cluster.ts"])).toBe(true);
    expect(isEngineChunk(["C:\\w\\engine\\linux\\host.ts"])).toBe(true);
    expect(isEngineChunk(["/w/site/widgets/lab-name.ts"])).toBe(false);
    expect(isEngineChunk(["/w/node_modules/some-lib/engine/index.js"])).toBe(false);
    expect(isEngineChunk([])).toBe(false);
  });

  it("puts the hint first in engine chunks only, once, and leaves assets alone", () => {
    const bundle = {
      "cluster.js": { type: "chunk", code: "export const a=1;", moduleIds: ["/w/engine/k8s/cluster.ts"] },
      "page.js": { type: "chunk", code: "import('./cluster.js');", moduleIds: ["/w/site/widgets/lab-name.ts"] },
      "style.css": { type: "asset", moduleIds: ["/w/engine/x.ts"] },
    };
    const plugin = engineCompileHints();
    plugin.generateBundle({}, bundle);
    plugin.generateBundle({}, bundle);
    expect(bundle["cluster.js"].code).toBe(`${COMPILE_HINT}\nexport const a=1;`);
    expect(bundle["page.js"].code).toBe("import('./cluster.js');");
    expect(bundle["style.css"]).not.toHaveProperty("code");
  });
});
