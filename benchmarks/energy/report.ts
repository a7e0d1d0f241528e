import type { Energy } from "../summary";
import { TelemetrySample } from "../telemetry/sample";
import { findGaps } from "./gaps";
import { WindowEnergy, covers, inputRail, integrate, powerSeries } from "./integrate";

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
 * Gaps in the input rail's samples inside the window are listed in `gaps`.
 */
export function energyReport(samples: readonly TelemetrySample[], from: number, to: number, options: EnergyOptions = {}): Energy {
  const rail = inputRail(samples);
  const power = powerSeries(samples, rail);
  const total = integrate(power, from, to);
  const perMegabase = (joules: number): number | null => (options.bases === undefined ? null : joules / (options.bases / 1e6));
  const perRail: Record<string, WindowEnergy & { joules_per_megabase: number | null }> = {};
  for (const name of [...new Set(samples.flatMap((s) => Object.keys(s.rails)))].sort()) {
    const points = powerSeries(samples, name);
    if (!covers(points, from, to)) continue;
    const energy = integrate(points, from, to);
    perRail[name] = { ...energy, joules_per_megabase: perMegabase(energy.joules) };
  }
  let aboveIdle: Energy["above_idle"] = null;
  if (options.baseline !== undefined) {
    const idle = integrate(powerSeries(samples, rail), options.baseline[0], options.baseline[1]);
    const joules = total.joules - idle.mean_watts * total.seconds;
    aboveIdle = { joules, mean_watts: total.mean_watts - idle.mean_watts, joules_per_megabase: perMegabase(joules) };
  }
  return {
    rail,
    joules: total.joules,
    mean_watts: total.mean_watts,
    seconds: total.seconds,
    gaps: findGaps(power, from, to),
    joules_per_read: options.reads === undefined ? null : total.joules / options.reads,
    joules_per_megabase: perMegabase(total.joules),
    above_idle: aboveIdle,
    per_rail_mean_watts: Object.fromEntries(Object.entries(perRail).map(([name, e]) => [name, e.mean_watts])),
    per_rail: perRail,
  };
}
