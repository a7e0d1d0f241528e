import type { ChartInfo } from "./figure";
import type { SpeedupPoint } from "../../../domain/keep-up";
import { CONFIG, HEIGHT, WIDTH, modelEncoding, quantitative } from "./encoding";
import type { Palette } from "./palette";
import type { TopLevelSpec } from "./vega-lite-types";

export const SCALING: ChartInfo = {
  slug: "scaling",
  title: "Speedup against boards",
  caption:
    "The measured speedup of each model on n boards over one board; the dashed line is ideal scaling (n boards n times as fast). The closer a model stays to it, the less each added board loses to splitting the work.",
};

/** A line with points per model's scaling curve and the ideal line; null without curves. */
export function scalingSpec(curves: Readonly<Record<string, readonly SpeedupPoint[]>>, p: Palette): TopLevelSpec | null {
  const values = Object.entries(curves).flatMap(([model, curve]) => [...curve].sort((a, b) => a.boards - b.boards).map((c) => ({ model, boards: c.boards, speedup: c.speedup })));
  if (values.length === 0) return null;
  const most = Math.max(...values.map((v) => v.boards));
  const models = modelEncoding(p, values.map((v) => v.model));
  const x = { ...quantitative("boards", "boards", true), axis: { tickCount: 5, tickMinStep: 1 } };
  const y = quantitative("speedup", "speedup over one board", true);
  return {
    width: WIDTH,
    height: HEIGHT,
    config: CONFIG,
    layer: [
      { name: "ideal", data: { values: [{ boards: 0, speedup: 0 }, { boards: most, speedup: most }] }, mark: { type: "line", color: "#555", strokeDash: [6, 4], strokeWidth: 1.5 }, encoding: { x, y } },
      { name: "curves", data: { values }, mark: { type: "line", point: false }, encoding: { x, y, color: models.color, detail: { field: "model", type: "nominal" } } },
      { name: "measured", data: { values }, mark: { type: "point", filled: true, size: 90, opacity: 1 }, encoding: { x, y, ...models } },
    ],
  };
}
