import type { ChartInfo } from "./figure";
import type { KeepUp } from "../../../domain/keep-up";
import { CONFIG, WIDTH, modelEncoding, quantitative } from "./encoding";
import type { Palette } from "./palette";
import type { TopLevelSpec } from "./vega-lite-types";

export const KEEP_UP: ChartInfo = {
  slug: "keep-up",
  title: "Keep-up factor per model and board",
  caption:
    "The median samples/s over the samples/s the flow cell produces, one bar per model, board kind, power mode and precision (fp16 named). A bar reaching the rule at 1.0 (real time) keeps up on one board; 0.25 needs at least four boards.",
};

/** A bar per keep-up row with a rule at 1.0; null without rows. */
export function keepUpSpec(rows: readonly KeepUp[], p: Palette): TopLevelSpec | null {
  if (rows.length === 0) return null;
  const values = rows.map((k) => ({
    model: k.model,
    group: `${k.model}${k.precision === "fp32" ? "" : ` ${k.precision}`}${k.engine === "torch" ? "" : ` ${k.engine}`} on ${k.boardKind}${k.powerMode === null ? "" : ` (${k.powerMode})`}`,
    factor: k.factor,
  }));
  const models = modelEncoding(p, values.map((v) => v.model));
  const x = quantitative("factor", "keep-up factor (1 = real time)", true);
  const y = { field: "group", type: "nominal" as const, title: null, sort: null, axis: { labelLimit: 320 } };
  return {
    width: WIDTH,
    height: { step: 24 },
    config: CONFIG,
    layer: [
      { name: "bars", data: { values }, mark: { type: "bar", opacity: 0.35 }, encoding: { x, y, color: models.color } },
      { name: "factors", data: { values }, mark: { type: "point", filled: true, size: 120, opacity: 1 }, encoding: { x, y, ...models } },
      { name: "real_time", data: { values: [{ factor: 1 }] }, mark: { type: "rule", color: "#222", strokeDash: [4, 3], strokeWidth: 1.5 }, encoding: { x } },
    ],
  };
}
