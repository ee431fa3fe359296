// @ts-check
import { defineConfig } from "astro/config";
import mdx from "@astrojs/mdx";
import { SHIKI_THEMES } from "./site/lib/themes.ts";

// The course site: static pages from site/ (srcDir), lessons from lessons/ (content collection,
// see site/content.config.ts). Client widgets import the engine (../engine) and the exercise
// checks (../exercises) as plain TypeScript; Vite compiles them, no extra config needed beyond
// letting the dev server read the whole project.
export default defineConfig({
  srcDir: "./site",
  output: "static",
  base: "/",
  trailingSlash: "ignore",
  integrations: [mdx()],
  markdown: {
    shikiConfig: {
      themes: SHIKI_THEMES,
      // No inline default colour: global.css chooses --shiki-light or --shiki-dark so code
      // follows the theme toggle as well as prefers-color-scheme.
      defaultColor: false,
      wrap: false,
    },
  },
  build: { format: "directory" },
  vite: {
    server: { fs: { allow: ["."] } },
    build: { target: "es2022" },
  },
});
