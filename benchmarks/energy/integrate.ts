import { TelemetrySample, sampleTimeMs } from "../telemetry/sample";
import { WindowIntegral, checkWindow } from "./window-integral";

/** The board's input rails, in the order they are looked for; without one, all rails are summed. */
export const INPUT_RAILS = ["POM_5V_IN", "VDD_IN", "EXTERNAL"];

export interface PowerPoint {
  /** Milliseconds since the epoch. */
  t: number;
  watts: number;
}

export interface WindowEnergy {
  joules: number;
  mean_watts: number;
  seconds: number;
}

/** Which rail measures the whole board in these samples (or `sum of all rails`). */
export function inputRail(samples: readonly TelemetrySample[]): string {
  const names = new Set(samples.flatMap((s) => Object.keys(s.rails)));
  return INPUT_RAILS.find((rail) => names.has(rail)) ?? "sum of all rails";
}

/** Power of one rail (or the sum of all rails) over time, in watts, ordered by time. */
export function powerSeries(samples: readonly TelemetrySample[], rail: string): PowerPoint[] {
  const points: PowerPoint[] = [];
  for (const sample of samples) {
    const mw =
      rail === "sum of all rails"
        ? Object.values(sample.rails).reduce((sum, r) => sum + r.mw, 0)
        : sample.rails[rail]?.mw;
    if (mw !== undefined && Object.keys(sample.rails).length > 0) points.push({ t: sampleTimeMs(sample), watts: mw / 1000 });
  }
  return points.sort((a, b) => a.t - b.t);
}

/** Whether the points span [from, to], so that the window can be integrated without guessing. */
export function covers(points: readonly PowerPoint[], from: number, to: number): boolean {
  return points.length >= 2 && points[0].t <= from && points[points.length - 1].t >= to;
}

/**
 * Energy over [from, to] by the trapezoid rule over the samples inside the window, with the power
 * at the window's edges interpolated linearly from the samples around them. The window must lie
 * within the samples: energy outside them is unknown, not zero.
 */
export function integrate(points: readonly PowerPoint[], from: number, to: number): WindowEnergy {
  checkWindow(from, to);
  const window = new WindowIntegral(from, to);
  for (const point of points) window.add(point);
  return window.result();
}
