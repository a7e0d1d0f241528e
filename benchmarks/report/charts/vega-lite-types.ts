/**
 * Vega-Lite's types. The package declares them only under `exports`, which the project's
 * `moduleResolution: node` does not read, so they are imported by file; type-only, nothing loads.
 */
export type { TopLevelSpec } from "vega-lite/build/index";
