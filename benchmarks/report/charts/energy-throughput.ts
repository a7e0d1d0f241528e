import type { ChartInfo } from "./figure";
import { CONFIG, HEIGHT, WIDTH, modelEncoding, quantitative, repeatAndMedianLayers } from "./encoding";
import type { Palette } from "./palette";
import type { MedianPoint, RunPoint } from "./trade-off-data";
import type { TopLevelSpec } from "./vega-lite-types";

export const ENERGY_THROUGHPUT: ChartInfo = {
  slug: "energy-throughput",
  title: "Energy per base against throughput",
  caption: "J/Mbase against bases/s: small points are repeats, large points each model's median. Lower right is better: faster, and fewer joules per megabase.",
};

/** Repeats as small points and medians as large ones; null when no run measured its energy. */
export function energyThroughputSpec(runs: readonly RunPoint[], medians: readonly MedianPoint[], p: Palette): TopLevelSpec | null {
  const repeats = runs.filter((r) => r.joulesPerMegabase !== null).map((r) => ({ model: r.model, run: r.label, x: r.basesPerS, y: r.joulesPerMegabase }));
  if (repeats.length === 0) return null;
  const centres = medians.filter((m) => m.joulesPerMegabase !== null).map((m) => ({ model: m.model, group: m.group, x: m.basesPerS, y: m.joulesPerMegabase }));
  const models = modelEncoding(p, repeats.map((r) => r.model));
  const x = quantitative("x", "bases/s", true);
  const y = quantitative("y", "J/Mbase", true);
  return {
    width: WIDTH,
    height: HEIGHT,
    config: CONFIG,
    layer: repeatAndMedianLayers(repeats, centres, x, y, models),
  };
}
