import type { ChartInfo } from "./figure";
import type { LevelResult } from "../../loadgen/run-level";
import { CONFIG, modelEncoding, quantitative } from "./encoding";
import type { Palette } from "./palette";
import type { TopLevelSpec } from "./vega-lite-types";

export const CONCURRENCY: ChartInfo = {
  slug: "concurrency",
  title: "Throughput and latency against concurrency (load generator)",
  caption:
    "Left: reads/s against requests in flight; right: p95 latency. Throughput that stops rising while latency climbs marks the concurrency past which requests only queue.",
};

/** One load-generator result: the series it is drawn as (its model when known) and its levels. */
export interface LoadSeries {
  series: string;
  levels: readonly Partial<LevelResult>[];
}

/**
 * The series name of a load result: the report's model that its target or file names, so that it
 * takes that model's colour and shape, else its target.
 */
export function loadSeriesName(load: { source: string; target: string }, models: readonly string[]): string {
  const name = `${load.target} ${load.source.split(/[\\/]/).pop() ?? ""}`.toLowerCase();
  return models.find((m) => name.includes(m.toLowerCase())) ?? load.target;
}

/** Two panels side by side sharing the legend; null without levels. */
export function concurrencySpec(loads: readonly LoadSeries[], p: Palette): TopLevelSpec | null {
  const values = loads.flatMap((l) =>
    l.levels
      .filter((v) => typeof v.concurrency === "number")
      .map((v) => ({ model: l.series, concurrency: v.concurrency, readsPerS: v.reads_per_s ?? null, p95: v.latency_p95_s ?? null })),
  );
  if (values.length === 0) return null;
  const models = modelEncoding(p, values.map((v) => v.model));
  const x = { ...quantitative("concurrency", "requests in flight", true), axis: { tickCount: 5, tickMinStep: 1 } };
  const panel = (field: "readsPerS" | "p95", title: string, name: string) => ({
    width: 300,
    height: 260,
    transform: [{ filter: `isValid(datum.${field})` }],
    layer: [
      { name: `${name}_lines`, mark: { type: "line" as const }, encoding: { x, y: quantitative(field, title, true), color: models.color, detail: { field: "model", type: "nominal" as const } } },
      { name: `${name}_points`, mark: { type: "point" as const, filled: true, size: 70, opacity: 1 }, encoding: { x, y: quantitative(field, title, true), ...models } },
    ],
  });
  return {
    config: CONFIG,
    data: { values },
    hconcat: [panel("readsPerS", "reads/s", "throughput"), panel("p95", "p95 latency (s)", "latency")],
  };
}
