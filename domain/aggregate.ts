import type { Engine, Precision } from "./precision";
import type { Summary } from "./summary";

/** Median with the range over a group's repeats; null when no repeat measured the figure. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

/** One (model, board kind, power mode, engine, precision) over all its repeats. */
export interface ModelAggregate {
  model: string;
  boardKind: string;
  powerMode: string | null;
  engine: Engine;
  precision: Precision;
  repeats: number;
  basesPerS: Spread;
  samplesPerS: Spread;
  readsPerS: Spread;
  medianIdentity: Spread | null;
  joulesPerMegabase: Spread | null;
  latencyP95S: Spread | null;
  gpuLoadMeanPct: Spread | null;
}

const KINDS = ["nano", "xavier", "orin"] as const;

/**
 * The board kind a summary ran on: the kind the stack gave the Job (`board_kind`), else one the
 * runner's device string names ("Jetson AGX Orin"). A summary with neither (from before the field)
 * is keyed by its node name, said to be one, so that runs of unknown kind are never merged across
 * boards and no kind is guessed from a hostname.
 */
export function boardKind(summary: Summary): string {
  if (summary.board_kind !== undefined && summary.board_kind !== null) return summary.board_kind;
  const device = (summary.provenance.device ?? "").toLowerCase();
  const kind = KINDS.find((k) => device.includes(k));
  if (kind !== undefined) return kind;
  return summary.board === null ? "unknown board" : `node ${summary.board} (kind not recorded)`;
}

function median(sorted: readonly number[]): number {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median and range of the values present; absent ones (null) are left out, never counted as 0. */
export function spread(values: ReadonlyArray<number | null | undefined>): Spread | null {
  const present = values.filter((v): v is number => v !== null && v !== undefined).sort((a, b) => a - b);
  if (present.length === 0) return null;
  return { median: median(present), min: present[0], max: present[present.length - 1] };
}

function required(values: readonly number[]): Spread {
  const s = spread(values);
  if (s === null) throw new Error("a group without repeats");
  return s;
}

/** A summary's precision; summaries from before `--precision` ran fp32. */
export function precisionOf(summary: Summary): Precision {
  return summary.provenance.precision ?? "fp32";
}

/** A summary's engine; summaries from before `--engine` ran torch. */
export function engineOf(summary: Summary): Engine {
  return summary.provenance.engine ?? "torch";
}

function aggregateGroup(runs: readonly Summary[]): ModelAggregate {
  const first = runs[0];
  return {
    model: first.model,
    boardKind: boardKind(first),
    powerMode: first.provenance.power_mode,
    engine: engineOf(first),
    precision: precisionOf(first),
    repeats: runs.length,
    basesPerS: required(runs.map((s) => s.throughput.bases_per_s)),
    samplesPerS: required(runs.map((s) => s.throughput.samples_per_s)),
    readsPerS: required(runs.map((s) => s.throughput.reads_per_s)),
    medianIdentity: spread(runs.map((s) => s.accuracy?.median_identity)),
    joulesPerMegabase: spread(runs.map((s) => s.energy?.joules_per_megabase)),
    latencyP95S: spread(runs.map((s) => s.throughput.latency_p95_s)),
    gpuLoadMeanPct: spread(runs.map((s) => s.resources?.gpu_load_mean_pct)),
  };
}

/** One aggregate per (model, board kind, power mode, engine, precision), ordered by those five: runs of different engines or precisions are compared, never merged. */
export function aggregateRuns(summaries: readonly Summary[]): ModelAggregate[] {
  const groups = new Map<string, Summary[]>();
  for (const s of summaries) {
    const key = JSON.stringify([s.model, boardKind(s), s.provenance.power_mode, engineOf(s), precisionOf(s)]);
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  return [...groups.keys()].sort().map((key) => aggregateGroup(groups.get(key) ?? []));
}
