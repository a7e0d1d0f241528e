import { median } from "../accuracy/evaluate";
import type { PowerPoint } from "./integrate";

/**
 * Two samples further apart than this many median sampling intervals are a gap: the sampler
 * stalled or stopped, and the straight line the trapezoid rule draws across is a guess. Five
 * leaves room for a busy board's jitter (tegrastats late by a sample or two) while still
 * catching a sampler that was down for seconds.
 */
export const GAP_FACTOR = 5;

export interface Gap {
  /** ISO time of the last sample before the gap. */
  from: string;
  /** ISO time of the first sample after it. */
  to: string;
  seconds: number;
}

/** Gaps between consecutive points (ordered by time) that overlap [from, to]. */
export function findGaps(points: readonly PowerPoint[], from: number, to: number): Gap[] {
  const intervals = points.slice(1).map((point, i) => point.t - points[i].t);
  const typical = median(intervals);
  if (typical === null || typical <= 0) return [];
  const gaps: Gap[] = [];
  points.slice(1).forEach((after, i) => {
    const before = points[i];
    if (after.t - before.t > GAP_FACTOR * typical && before.t < to && after.t > from) {
      gaps.push({ from: new Date(before.t).toISOString(), to: new Date(after.t).toISOString(), seconds: (after.t - before.t) / 1000 });
    }
  });
  return gaps;
}

/** The one stderr line that says the window's energy was integrated across gaps. */
export function gapWarning(file: string, gaps: readonly Gap[]): string {
  const list = gaps.map((g) => `${g.from} .. ${g.to} (${g.seconds} s)`).join(", ");
  return `warning: ${file}: ${gaps.length} gap(s) longer than ${GAP_FACTOR} sampling intervals inside the window, integrated as straight lines: ${list}`;
}
