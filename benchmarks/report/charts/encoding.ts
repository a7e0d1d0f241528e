import { Palette, modelScales } from "./palette";

/** The field every chart's rows name their model in. */
export const MODEL = "model";

/**
 * Colour and shape by model over the models shown. Both channels share the field and the title, so
 * Vega-Lite merges them into one legend with an entry per model, placed right of the plot.
 */
export function modelEncoding(p: Palette, shown: Iterable<string>) {
  const s = modelScales(p, shown);
  const legend = { title: "model", orient: "right" as const };
  return {
    color: { field: MODEL, type: "nominal" as const, scale: { domain: s.domain, range: s.colours }, legend },
    shape: { field: MODEL, type: "nominal" as const, scale: { domain: s.domain, range: s.shapes }, legend },
  };
}

/**
 * A quantitative axis with round-number ("nice") ticks; `zero` starts it at 0. About five ticks (at
 * most eight): with Vega-Lite's default for x (one per 40 px) labels such as "1,200" overlap, and Vega then
 * hides every other one, leaving visible steps like 400 that are not round.
 */
export function quantitative(field: string, title: string, zero: boolean) {
  return { field, type: "quantitative" as const, title, scale: { nice: true, zero }, axis: { tickCount: 5 } };
}

/** Settings every chart shares: white background, plain sans-serif text (no font is fetched). */
export const CONFIG = {
  background: "white",
  font: "sans-serif",
  // Opaque symbols: a legend entry shows the model's colour and shape even where its marks are faint.
  legend: { orient: "right" as const, symbolOpacity: 1, labelLimit: 240 },
  axis: { labelFontSize: 11, titleFontSize: 12 },
};

/**
 * The two point layers of the trade-off charts: each repeat a small point, each model's median a
 * large outlined one, both in the model's colour and shape. Rows carry `model`, `x` and `y`.
 */
export function repeatAndMedianLayers(
  repeats: ReadonlyArray<{ model: string; x: number; y: number | null }>,
  medians: ReadonlyArray<{ model: string; x: number; y: number | null }>,
  x: ReturnType<typeof quantitative>,
  y: ReturnType<typeof quantitative>,
  models: ReturnType<typeof modelEncoding>,
) {
  return [
    { name: "repeats", data: { values: [...repeats] }, mark: { type: "point" as const, filled: true, size: 40, opacity: 0.6 }, encoding: { x, y, ...models } },
    { name: "medians", data: { values: [...medians] }, mark: { type: "point" as const, filled: true, size: 220, opacity: 1, stroke: "#222", strokeWidth: 1 }, encoding: { x, y, ...models } },
  ];
}

export const WIDTH = 560;
export const HEIGHT = 320;
