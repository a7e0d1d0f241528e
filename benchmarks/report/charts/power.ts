import type { ChartInfo } from "./figure";
import { PowerPoint, inputRail, powerSeries } from "../../energy/integrate";
import { bucketMeans, seriesPoints } from "../../energy/decimate";
import type { ReportRun } from "../collect";
import { CONFIG, modelEncoding, quantitative } from "./encoding";
import type { Palette } from "./palette";
import { runLabel } from "./trade-off-data";
import type { TopLevelSpec } from "./vega-lite-types";

export const POWER: ChartInfo = {
  slug: "power",
  title: "Power over each run (input rail)",
  caption:
    "Watts on the board's input rail against seconds from the first telemetry sample, one panel per model and one line per run. The grey band is the timed window the figures come from; the amber band, where the summary records it, is the warm-up reads, and before them the board loads the model. A dotted rule is the idle baseline, where the run measured one.",
};

/**
 * Points drawn per run at most: a panel is 240 px wide, so longer runs are drawn as the means of runs
 * of k consecutive samples (which keeps the energy under the line). Fewer points keep the report fast:
 * 100 runs of 600 samples take seconds to lay out point by point.
 */
const MAX_POINTS = 150;

/** A run's input-rail power: from telemetry.jsonl beside its summary, else the summary's own series. */
function runSeries(run: ReportRun): PowerPoint[] {
  if (run.samples.length > 0) return powerSeries(run.samples, inputRail(run.samples));
  return run.summary.power === undefined ? [] : seriesPoints(run.summary.power);
}

interface PowerRow {
  kind: "power" | "window" | "warmup" | "idle";
  model: string;
  run: string;
  t?: number;
  watts?: number;
  start?: number;
  end?: number;
}

function runRows(run: ReportRun): PowerRow[] {
  const s = run.summary;
  const series = runSeries(run);
  if (series.length < 2) return [];
  const windowStart = Date.parse(s.window.start);
  const warmup = s.window.warmup;
  const origin = Math.min(series[0].t, windowStart, warmup === undefined ? windowStart : Date.parse(warmup.start));
  const base = { model: s.model, run: runLabel(run) };
  const rows: PowerRow[] = bucketMeans(series, Math.ceil(series.length / MAX_POINTS)).map((p) => ({ ...base, kind: "power", t: (p.t - origin) / 1000, watts: p.watts }));
  rows.push({ ...base, kind: "window", start: (windowStart - origin) / 1000, end: (Date.parse(s.window.end) - origin) / 1000 });
  if (warmup !== undefined) rows.push({ ...base, kind: "warmup", start: (Date.parse(warmup.start) - origin) / 1000, end: (Date.parse(warmup.end) - origin) / 1000 });
  const above = s.energy?.above_idle;
  if (s.energy && above) rows.push({ ...base, kind: "idle", watts: s.energy.mean_watts - above.mean_watts });
  return rows;
}

/**
 * One panel per model (x from 0 s, both axes shared), the timed windows shaded, idle baselines as
 * rules; null without telemetry. The panels are concatenated, each with its model's rows, rather than
 * faceted: Vega lays out a facet of a hundred lines several times slower.
 */
export function powerSpec(runs: readonly ReportRun[], p: Palette): TopLevelSpec | null {
  const values = runs.flatMap(runRows);
  if (!values.some((v) => v.kind === "power")) return null;
  const models = modelEncoding(p, values.map((v) => v.model));
  const x = { ...quantitative("t", "seconds", true), scale: { nice: true, zero: true, domainMin: 0 } };
  const y = quantitative("watts", "watts", true);
  const of = (model: string, kind: PowerRow["kind"]) => ({ values: values.filter((v) => v.model === model && v.kind === kind) });
  // Mark names must differ between panels: Vega-Lite keys data and marks by them, and with the
  // same names every panel would draw the last panel's runs.
  const panel = (model: string, i: number) => ({
    title: { text: model, fontSize: 12 },
    width: 240,
    height: 150,
    layer: [
      { name: `panel${i}_window`, data: of(model, "window"), mark: { type: "rect" as const, color: "#888", opacity: 0.15 }, encoding: { x: { ...x, field: "start" }, x2: { field: "end" } } },
      { name: `panel${i}_warmup`, data: of(model, "warmup"), mark: { type: "rect" as const, color: "#e0a030", opacity: 0.18 }, encoding: { x: { ...x, field: "start" }, x2: { field: "end" } } },
      { name: `panel${i}_idle`, data: of(model, "idle"), mark: { type: "rule" as const, strokeDash: [2, 2], strokeWidth: 1 }, encoding: { y, color: models.color } },
      { name: `panel${i}_power`, data: of(model, "power"), mark: { type: "line" as const, strokeWidth: 1 }, encoding: { x, y, color: models.color, detail: { field: "run", type: "nominal" as const } } },
    ],
  });
  const shown = p.models.filter((m) => values.some((v) => v.model === m && v.kind === "power"));
  return {
    config: CONFIG,
    columns: 3,
    concat: shown.map(panel),
    resolve: { scale: { x: "shared", y: "shared", color: "shared" }, legend: { color: "shared" } },
  };
}
