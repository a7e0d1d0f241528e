import type { Energy } from "../../domain/summary";
import { TelemetrySample, sampleTimeMs } from "../telemetry/sample";
import { EnergyAccumulator, RailChange } from "./accumulate";

export interface EnergyOptions {
  /** Bases called in the window: gives joules per megabase. */
  bases?: number;
  /** Reads called in the window: gives joules per read. */
  reads?: number;
  /** An idle window (epoch ms): its mean power is subtracted to give the figures above idle. */
  baseline?: [number, number];
}

/**
 * Energy over [from, to] (epoch ms) of the board's input rail, each rail on its own, and above an
 * idle baseline when one is given. The input rail must cover the window (an error otherwise); a
 * secondary rail whose samples do not cover it is left out of `per_rail` rather than guessed.
 * Gaps in the input rail's samples inside the window are listed in `gaps`; a change in the set of
 * rails (another board's log appended) goes to `onRailChange`, which the caller turns into a warning.
 */
export function energyReport(
  samples: readonly TelemetrySample[],
  from: number,
  to: number,
  options: EnergyOptions = {},
  onRailChange?: (change: RailChange) => void,
): Energy {
  const energy = new EnergyAccumulator(from, to, options);
  // A stable sort by time, as the samples may come in any order from a caller that checked none.
  const timed = samples.map((sample) => ({ t: sampleTimeMs(sample), rails: sample.rails })).sort((a, b) => a.t - b.t);
  for (const { t, rails } of timed) energy.add(t, rails);
  const report = energy.report();
  const change = energy.railChange();
  if (change !== undefined) onRailChange?.(change);
  return report;
}
