import type { ChartInfo } from "./figure";
import type { TradeOffPoint } from "../pareto";
import { CONFIG, HEIGHT, WIDTH, modelEncoding, quantitative, repeatAndMedianLayers } from "./encoding";
import type { Palette } from "./palette";
import type { MedianPoint, RunPoint } from "./trade-off-data";
import type { TopLevelSpec } from "./vega-lite-types";

export const ACCURACY_THROUGHPUT: ChartInfo = {
  slug: "accuracy-throughput",
  title: "Accuracy against throughput",
  caption:
    "Median identity against bases/s: small points are repeats, large points each model's median, the dashed line the Pareto frontier (runs no other run beats on bases/s, identity and J/Mbase at once). Up and right is better.",
};

/**
 * Repeats as small points, medians as large ones, the frontier as a dashed line through its runs in
 * bases/s order; null when no run has an identity.
 */
export function accuracyThroughputSpec(runs: readonly RunPoint[], medians: readonly MedianPoint[], frontier: readonly TradeOffPoint[], p: Palette): TopLevelSpec | null {
  const repeats = runs.filter((r) => r.identity !== null).map((r) => ({ model: r.model, run: r.label, x: r.basesPerS, y: r.identity }));
  if (repeats.length === 0) return null;
  const centres = medians.filter((m) => m.identity !== null).map((m) => ({ model: m.model, group: m.group, x: m.basesPerS, y: m.identity }));
  const line = [...frontier].sort((a, b) => a.basesPerS - b.basesPerS).map((f, i) => ({ order: i, x: f.basesPerS, y: f.identity }));
  const models = modelEncoding(p, repeats.map((r) => r.model));
  const x = quantitative("x", "bases/s", true);
  const y = quantitative("y", "median identity", false);
  return {
    width: WIDTH,
    height: HEIGHT,
    config: CONFIG,
    layer: [
      { name: "pareto", data: { values: line }, mark: { type: "line", color: "#555", strokeDash: [6, 4], strokeWidth: 1.5 }, encoding: { x, y, order: { field: "order", type: "quantitative" } } },
      ...repeatAndMedianLayers(repeats, centres, x, y, models),
    ],
  };
}
