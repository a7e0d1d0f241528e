import type { ModelAggregate } from "../../../domain/aggregate";
import type { ReportInput } from "../collect";
import type { KeepUp, SpeedupPoint } from "../../../domain/keep-up";
import type { TradeOffPoint } from "../pareto";
import { ACCURACY_THROUGHPUT, accuracyThroughputSpec } from "./accuracy-throughput";
import { CONCURRENCY, concurrencySpec, loadSeriesName } from "./concurrency";
import { ENERGY_THROUGHPUT, energyThroughputSpec } from "./energy-throughput";
import { absentReason } from "./absent";
import { ChartInfo, ChartSlug, figure } from "./figure";
import { KEEP_UP, keepUpSpec } from "./keep-up";
import { LIVE, liveSpec } from "./live";
import { palette } from "./palette";
import { POWER, powerSpec } from "./power";
import { renderSvg } from "./render-svg";
import { SCALING, scalingSpec } from "./scaling";
import { medianPoints, runPoints } from "./trade-off-data";
import type { TopLevelSpec } from "./vega-lite-types";

export type { ChartSlug } from "./figure";
export { runLabel } from "./trade-off-data";

/** What the charts are drawn from: the runs and loads read, and the figures the report computed. */
export interface ChartData {
  input: ReportInput;
  aggregates: readonly ModelAggregate[];
  keepUp: readonly KeepUp[];
  frontier: readonly TradeOffPoint[];
  curves: Readonly<Record<string, readonly SpeedupPoint[]>>;
}

/** Every chart's spec (null: no data), in the page's order; one palette, so a model looks the same in all. */
export function chartSpecs(data: ChartData): Array<{ info: ChartInfo; spec: TopLevelSpec | null }> {
  const models = [...data.input.runs.map((r) => r.summary.model), ...Object.keys(data.curves), ...(data.input.lives ?? []).map((l) => l.model)];
  const loads = data.input.loads.map((l) => ({ series: loadSeriesName(l, models), levels: l.levels }));
  const p = palette([...models, ...loads.map((l) => l.series)]);
  const runs = runPoints(data.input.runs);
  const medians = medianPoints(data.aggregates);
  return [
    { info: ACCURACY_THROUGHPUT, spec: accuracyThroughputSpec(runs, medians, data.frontier, p) },
    { info: ENERGY_THROUGHPUT, spec: energyThroughputSpec(runs, medians, p) },
    { info: KEEP_UP, spec: keepUpSpec(data.keepUp, p) },
    { info: POWER, spec: powerSpec(data.input.runs, p) },
    { info: CONCURRENCY, spec: concurrencySpec(loads, p) },
    { info: SCALING, spec: scalingSpec(data.curves, p) },
    { info: LIVE, spec: liveSpec(data.input.lives ?? [], p) },
  ];
}

/** Every chart as its `<figure>`, keyed by slug (one with nothing to draw says why); rendered concurrently. */
export async function renderCharts(data: ChartData): Promise<Record<ChartSlug, string>> {
  const source = data.input.source ?? "directory";
  const rendered = await Promise.all(
    chartSpecs(data).map(async ({ info, spec }) => [info.slug, spec === null ? figure(info, null, absentReason(info.slug, data.input.runs, source)) : figure(info, await renderSvg(spec))] as const),
  );
  return Object.fromEntries(rendered) as Record<ChartSlug, string>;
}
