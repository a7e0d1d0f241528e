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
  return findGapsInTimes(Float64Array.from(points, (p) => p.t), from, to);
}

/** findGaps over the points' times alone: 8 bytes a sample, so a day of samples can be kept. */
export function findGapsInTimes(times: Float64Array, from: number, to: number): Gap[] {
  if (times.length < 2) return [];
  const intervals = new Float64Array(times.length - 1);
  for (let i = 1; i < times.length; i++) intervals[i - 1] = times[i] - times[i - 1];
  intervals.sort();
  const mid = Math.floor(intervals.length / 2);
  const typical = intervals.length % 2 === 1 ? intervals[mid] : (intervals[mid - 1] + intervals[mid]) / 2;
  if (!(typical > 0)) return [];
  const gaps: Gap[] = [];
  for (let i = 1; i < times.length; i++) {
    const [before, after] = [times[i - 1], times[i]];
    if (after - before > GAP_FACTOR * typical && before < to && after > from) {
      gaps.push({ from: new Date(before).toISOString(), to: new Date(after).toISOString(), seconds: (after - before) / 1000 });
    }
  }
  return gaps;
}

/** The one stderr line that says the window's energy was integrated across gaps. */
export function gapWarning(file: string, gaps: readonly Gap[]): string {
  const list = gaps.map((g) => `${g.from} .. ${g.to} (${g.seconds} s)`).join(", ");
  return `warning: ${file}: ${gaps.length} gap(s) in the input rail's samples inside the window (longer than ${GAP_FACTOR} sampling intervals, or where the rail is missing), integrated as straight lines: ${list}`;
}
