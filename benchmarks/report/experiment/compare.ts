import { boardKind, spread } from "../../../domain/aggregate";
import type { Summary } from "../../../domain/summary";
import type { Point } from "../../sweep/grid";
import type { ExperimentInput } from "./collect-experiment";

/** One model at one point of the grid: medians over its repeats, and why it may not be what was asked. */
export interface SettingRow {
  model: string;
  point: Point;
  repeats: number;
  basesPerS: number | null;
  joulesPerMegabase: number | null;
  identity: number | null;
  meanWatts: number | null;
  /** What the boards did other than the point asked (a mode they kept, a precision the model lacks). */
  flags: string[];
  onFrontier: boolean;
}

const median = (values: Array<number | null | undefined>): number | null => spread(values)?.median ?? null;

/** How a run departs from its point's settings; empty when the boards did what the point asked. */
function departures(summary: Summary, point: Point): string[] {
  const flags: string[] = [];
  const kind = boardKind(summary);
  for (const setting of point.settings) {
    const mode = /^edgecall:power\.nvpmodel\.(\w+)$/.exec(setting.key)?.[1];
    if (mode !== undefined && mode === kind) {
      const actual = summary.provenance.power_mode;
      if (actual === null) flags.push(`power mode not recorded (asked ${String(setting.value)})`);
      else if (Number.parseInt(actual, 10) !== setting.value) flags.push(`board ran power mode ${actual}, not ${String(setting.value)}`);
    }
    if (setting.key === "edgecall:power.jetsonClocks" && summary.provenance.jetson_clocks !== setting.value) {
      flags.push(`jetson_clocks ${String(summary.provenance.jetson_clocks)}, not ${String(setting.value)}`);
    }
    if (setting.key === "edgecall:benchmark.precision" && (summary.provenance.precision ?? "fp32") !== setting.value) {
      flags.push(`ran ${summary.provenance.precision ?? "fp32"}, not ${String(setting.value)}`);
    }
  }
  return flags;
}

/** Whether `a` is at least as good as `b` on speed, identity and energy per base, and better on one. */
function dominates(a: SettingRow, b: SettingRow): boolean {
  const speed = [a.basesPerS ?? -Infinity, b.basesPerS ?? -Infinity];
  const identity = [a.identity ?? -Infinity, b.identity ?? -Infinity];
  const energy = [a.joulesPerMegabase ?? Infinity, b.joulesPerMegabase ?? Infinity];
  const noWorse = speed[0] >= speed[1] && identity[0] >= identity[1] && energy[0] <= energy[1];
  return noWorse && (speed[0] > speed[1] || identity[0] > identity[1] || energy[0] < energy[1]);
}

/**
 * Every model at every measured point, in the grid's order per model. A row is on its model's
 * frontier when no other setting of that model is at least as good on bases/s, identity and J/Mbase
 * and better on one; a flagged row (the boards did not do what the point asked) is left out of it.
 */
export function compareSettings(input: ExperimentInput): SettingRow[] {
  const rows: SettingRow[] = [];
  for (const { point, runs } of input.points) {
    const byModel = new Map<string, Summary[]>();
    for (const run of runs) byModel.set(run.summary.model, [...(byModel.get(run.summary.model) ?? []), run.summary]);
    for (const [model, summaries] of byModel) {
      rows.push({
        model,
        point,
        repeats: summaries.length,
        basesPerS: median(summaries.map((s) => s.throughput.bases_per_s)),
        joulesPerMegabase: median(summaries.map((s) => s.energy?.joules_per_megabase)),
        identity: median(summaries.map((s) => s.accuracy?.median_identity)),
        meanWatts: median(summaries.map((s) => s.energy?.mean_watts)),
        flags: [...new Set(summaries.flatMap((s) => departures(s, point)))],
        onFrontier: false,
      });
    }
  }
  rows.sort((a, b) => a.model.localeCompare(b.model));
  for (const row of rows) {
    const rivals = rows.filter((r) => r.model === row.model && r.flags.length === 0);
    row.onFrontier = row.flags.length === 0 && !rivals.some((r) => r !== row && dominates(r, row));
  }
  return rows;
}

export interface Verdict {
  model: string;
  fastest: SettingRow | null;
  mostFrugal: SettingRow | null;
  /** The fastest setting whose mean power is within the cap; undefined without a cap. */
  fastestUnderCap?: SettingRow | null;
}

/** Per model: the fastest setting, the one with the fewest J/Mbase and the fastest under `powerCapW`; flagged rows never win. */
export function verdicts(rows: readonly SettingRow[], powerCapW?: number): Verdict[] {
  const models = [...new Set(rows.map((r) => r.model))];
  const best = (candidates: SettingRow[], score: (r: SettingRow) => number | null, lowest = false): SettingRow | null => {
    const scored = candidates.filter((r) => score(r) !== null);
    if (scored.length === 0) return null;
    return scored.reduce((a, b) => ((score(b) as number) * (lowest ? -1 : 1) > (score(a) as number) * (lowest ? -1 : 1) ? b : a));
  };
  return models.map((model) => {
    const clean = rows.filter((r) => r.model === model && r.flags.length === 0);
    const verdict: Verdict = { model, fastest: best(clean, (r) => r.basesPerS), mostFrugal: best(clean, (r) => r.joulesPerMegabase, true) };
    if (powerCapW !== undefined) verdict.fastestUnderCap = best(clean.filter((r) => r.meanWatts !== null && r.meanWatts <= powerCapW), (r) => r.basesPerS);
    return verdict;
  });
}
