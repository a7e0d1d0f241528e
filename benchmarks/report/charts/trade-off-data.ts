import type { ModelAggregate } from "../../../domain/aggregate";
import type { ReportRun } from "../collect";

/** One repeat's position on the trade-off charts. */
export interface RunPoint {
  model: string;
  /** `model@board run#repeat`, as the page's lists name runs. */
  label: string;
  basesPerS: number;
  identity: number | null;
  joulesPerMegabase: number | null;
}

/** One (model, board kind, power mode) aggregate's medians. */
export interface MedianPoint {
  model: string;
  group: string;
  basesPerS: number;
  identity: number | null;
  joulesPerMegabase: number | null;
}

export function runLabel(run: ReportRun): string {
  const s = run.summary;
  return `${s.model}${s.board ? `@${s.board}` : ""} ${s.run_id}#${s.repeat}`;
}

export function runPoints(runs: readonly ReportRun[]): RunPoint[] {
  return runs.map((run) => ({
    model: run.summary.model,
    label: runLabel(run),
    basesPerS: run.summary.throughput.bases_per_s,
    identity: run.summary.accuracy?.median_identity ?? null,
    joulesPerMegabase: run.summary.energy?.joules_per_megabase ?? null,
  }));
}

export function medianPoints(aggregates: readonly ModelAggregate[]): MedianPoint[] {
  return aggregates.map((a) => ({
    model: a.model,
    group: `${a.model} on ${a.boardKind}`,
    basesPerS: a.basesPerS.median,
    identity: a.medianIdentity?.median ?? null,
    joulesPerMegabase: a.joulesPerMegabase?.median ?? null,
  }));
}
