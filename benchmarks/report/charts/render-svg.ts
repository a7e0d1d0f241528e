/**
 * Vega-Lite spec to an SVG string, in Node, with no browser and no canvas: vega-lite compiles the
 * spec to Vega, and a headless Vega View (`renderer: "none"`) writes the SVG. vega and vega-lite are
 * ES modules whose Node build awaits at the top level, so they are loaded with a dynamic import,
 * once per process.
 *
 * What vega 6.4 emits, which the page's tests and the headless-browser test rely on:
 * - one root `<svg xmlns="http://www.w3.org/2000/svg" class="marks" width=".." height=".." viewBox="..">`
 *   starting with a white `<rect>` background; the `xmlns:xlink` declaration vega adds is removed
 *   here (no xlink is used), so the SVG namespace is the page's only URI;
 * - every mark is a `<g class="mark-<type> role-<role> [<name>_marks]">` holding one element per item,
 *   and a layer's `name` becomes its `<name>_marks` class. Data marks have `role-mark`:
 *   `mark-symbol role-mark repeats_marks` holds a `<path>` per point (its shape in `d`, colour in
 *   `fill`), `mark-line role-mark pareto_marks` one `<path>`; a line split by `detail` (a run, a model)
 *   is one `mark-line role-mark <name>_marks` group per series, each with one `<path stroke=..>`;
 *   `mark-rect` holds `<path>`s, `mark-rule` `<line>`s. Each item's `aria-label` lists its fields;
 * - axes: `<g class="mark-group role-axis">` with `mark-rule role-axis-tick`, `mark-rule role-axis-grid`,
 *   `mark-rule role-axis-domain`, `mark-text role-axis-label` (one `<text>` per tick label) and
 *   `mark-text role-axis-title`; the axis group's `aria-label` starts "X-axis titled" or "Y-axis titled";
 * - a legend: `<g class="mark-group role-legend">` holding `mark-group role-legend-entry`, inside which
 *   `mark-symbol role-legend-symbol` (a `<path>` per entry, in the model's colour and shape) and
 *   `mark-text role-legend-label` (a `<text>` per entry: the model name), and `mark-text role-legend-title`;
 * - the power chart's panels are concatenated views, each a `mark-group role-scope concat_<i>_group`
 *   with its title (the model) in `mark-group role-title` > `mark-text role-title-text`, and its marks
 *   named `panel<i>_window`, `panel<i>_idle`, `panel<i>_power`;
 * - text is escaped (`&lt;`), fonts are named only (`font-family="sans-serif"`), nothing is fetched,
 *   and there is no `<script>`.
 */
import type { TopLevelSpec } from "./vega-lite-types";

type Vega = typeof import("vega");
interface VegaLite {
  compile(spec: TopLevelSpec): { spec: Parameters<Vega["parse"]>[0] };
}

let loaded: Promise<{ vega: Vega; vl: VegaLite }> | undefined;

// A specifier in a variable: TypeScript's `module: commonjs` would otherwise type-check the import
// against `moduleResolution: node`, which cannot see vega-lite's types (see vega-lite-types.ts).
const VEGA = "vega";
const VEGA_LITE = "vega-lite";

/**
 * A native `import()`: compiled to CommonJS (`npm run build`), TypeScript turns `import()` into
 * `require()`, which cannot load an ES module that awaits at the top level, so the compiled CLI's
 * report would fail where tsx's passes. Built from a string, the expression is left as it is.
 */
const nativeImport = new Function("specifier", "return import(specifier)") as (specifier: string) => Promise<unknown>;

/** The module by a native import; under a test runner's VM, which has no such callback, by its own import(). */
async function importEsm<T>(specifier: string): Promise<T> {
  try {
    return (await nativeImport(specifier)) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING") throw error;
    return (await import(specifier)) as T;
  }
}

function load(): Promise<{ vega: Vega; vl: VegaLite }> {
  loaded ??= Promise.all([importEsm<Vega>(VEGA), importEsm<VegaLite>(VEGA_LITE)]).then(([vega, vl]) => ({ vega, vl }));
  return loaded;
}

/** The chart as one inline SVG element. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const { vega, vl } = await load();
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: "none" });
  try {
    const svg = await view.toSVG();
    return svg.replace(/ xmlns:xlink="http:\/\/www\.w3\.org\/1999\/xlink"/, "");
  } finally {
    view.finalize();
  }
}
