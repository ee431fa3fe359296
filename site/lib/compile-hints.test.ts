import { describe, expect, it } from "vitest";
import { COMPILE_HINT, engineCompileHints, isBootChunk } from "./compile-hints";

describe("engine compile hints", () => {
  it("recognises chunks with engine modules or the YAML parser, not other dependencies or page scripts", () => {
    expect(isBootChunk(["/w/site/widgets/world.ts", "/w/engine/k8s/cluster.ts"])).toBe(true);
    expect(isBootChunk(["C:\\w\\engine\\linux\\host.ts"])).toBe(true);
    expect(isBootChunk(["/w/site/widgets/lab-name.ts"])).toBe(false);
    expect(isBootChunk(["/w/node_modules/some-lib/engine/index.js"])).toBe(false);
    expect(isBootChunk(["/w/node_modules/yaml/browser/dist/index.js"])).toBe(true);
    expect(isBootChunk(["/w/node_modules/@xterm/xterm/lib/xterm.mjs"])).toBe(false);
    expect(isBootChunk([])).toBe(false);
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
