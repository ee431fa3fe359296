// The Shiki theme pair used everywhere code is highlighted: Markdown code fences (astro.config.mjs)
// and <EngineSource> (site/components/EngineSource.astro). Colours are emitted as CSS variables
// (--shiki-light / --shiki-dark) and global.css picks one from the page's data-theme.
export const SHIKI_THEMES = { light: "github-light", dark: "github-dark" } as const;
