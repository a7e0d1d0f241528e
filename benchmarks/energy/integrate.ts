import { CliError } from "../common/cli-error";
import { TelemetrySample, sampleTimeMs } from "../telemetry/sample";

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

function interpolate(a: PowerPoint, b: PowerPoint, t: number): number {
  return b.t === a.t ? a.watts : a.watts + ((b.watts - a.watts) * (t - a.t)) / (b.t - a.t);
}

/**
 * Energy over [from, to] by the trapezoid rule over the samples inside the window, with the power
 * at the window's edges interpolated linearly from the samples around them. The window must lie
 * within the samples: energy outside them is unknown, not zero.
 */
export function integrate(points: readonly PowerPoint[], from: number, to: number): WindowEnergy {
  if (!(to > from)) throw new CliError(`the window must end after it starts (${new Date(from).toISOString()} .. ${new Date(to).toISOString()})`);
  if (points.length < 2) throw new CliError(`need at least two power samples, found ${points.length}`);
  const first = points[0].t;
  const last = points[points.length - 1].t;
  if (from < first || to > last) {
    throw new CliError(
      `the window ${new Date(from).toISOString()} .. ${new Date(to).toISOString()} is not inside the samples (${new Date(first).toISOString()} .. ${new Date(last).toISOString()})`,
    );
  }
  const at = (t: number): number => {
    const i = points.findIndex((p) => p.t >= t);
    return points[i].t === t || i === 0 ? points[i].watts : interpolate(points[i - 1], points[i], t);
  };
  const inside = points.filter((p) => p.t > from && p.t < to);
  const series = [{ t: from, watts: at(from) }, ...inside, { t: to, watts: at(to) }];
  let joules = 0;
  for (let i = 1; i < series.length; i++) {
    joules += ((series[i].watts + series[i - 1].watts) / 2) * ((series[i].t - series[i - 1].t) / 1000);
  }
  const seconds = (to - from) / 1000;
  return { joules, mean_watts: joules / seconds, seconds };
}
