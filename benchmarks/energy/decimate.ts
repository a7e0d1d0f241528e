import { POWER_POINTS, PowerSeries } from "../../domain/summary";
import type { TelemetrySample } from "../telemetry/sample";
import { PowerPoint, inputRail, powerSeries } from "./integrate";

/** Means of consecutive groups of `k` points (the last group may be shorter): the energy under the line stays. */
export function bucketMeans(series: readonly PowerPoint[], k: number): PowerPoint[] {
  if (k <= 1) return [...series];
  const out: PowerPoint[] = [];
  for (let i = 0; i < series.length; i += k) {
    const group = series.slice(i, i + k);
    out.push({ t: group.reduce((sum, p) => sum + p.t, 0) / group.length, watts: group.reduce((sum, p) => sum + p.watts, 0) / group.length });
  }
  return out;
}

const milli = (value: number): number => Math.round(value * 1000) / 1000;

/**
 * The input rail's power over all the samples, decimated to at most POWER_POINTS bucket means, for
 * the summary (the report's power chart draws it where no telemetry.jsonl lies beside the summary);
 * undefined with fewer than two samples of it.
 */
export function decimatedPower(samples: readonly TelemetrySample[]): PowerSeries | undefined {
  const rail = inputRail(samples);
  const series = powerSeries(samples, rail);
  if (series.length < 2) return undefined;
  const origin = series[0].t;
  const points = bucketMeans(series, Math.ceil(series.length / POWER_POINTS)).map((p): [number, number] => [milli((p.t - origin) / 1000), milli(p.watts)]);
  return { rail, origin: new Date(origin).toISOString(), points };
}

/** A summary's decimated series back as points in epoch ms, as powerSeries gives them. */
export function seriesPoints(power: PowerSeries): PowerPoint[] {
  const origin = Date.parse(power.origin);
  return power.points.map(([seconds, watts]) => ({ t: origin + seconds * 1000, watts }));
}
