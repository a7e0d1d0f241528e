/** The part of a shard's summary the scaling curve needs: its timed window. */
export interface TimedWindow {
  start: string;
  end: string;
}

/** One point of the scaling curve. */
export interface ScalingPoint {
  boards: number;
  /** Wall time of the whole read set: earliest shard start to latest shard end. */
  seconds: number;
  /** Wall time on one board divided by wall time on `boards` boards. */
  speedup: number;
}

function instant(text: string, what: string): number {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new Error(`${what}: ${JSON.stringify(text)} is not an ISO 8601 time`);
  return ms;
}

/**
 * Wall time of a sharded run in seconds: from the earliest shard's start to the latest shard's end,
 * so a slow shard counts in full, as it does for whoever waits for the results.
 */
export function shardedWallSeconds(windows: readonly TimedWindow[], what: string): number {
  if (windows.length === 0) throw new Error(`${what}: no shard summaries`);
  const starts = windows.map((w, i) => instant(w.start, `${what} shard ${i} window.start`));
  const ends = windows.map((w, i) => instant(w.end, `${what} shard ${i} window.end`));
  const seconds = (Math.max(...ends) - Math.min(...starts)) / 1000;
  if (seconds <= 0) throw new Error(`${what}: the shards' windows end before they start`);
  return seconds;
}

/** Rounds to two decimals, the precision the seed reported speedups with. */
function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/**
 * The speedup curve from the wall time of each board count. The one-board run is the baseline,
 * so it must be present.
 */
export function speedupCurve(wallSeconds: ReadonlyMap<number, number>): ScalingPoint[] {
  const baseline = wallSeconds.get(1);
  if (baseline === undefined) throw new Error("the scaling curve needs the run on one board as its baseline");
  return [...wallSeconds.entries()]
    .sort(([a], [b]) => a - b)
    .map(([boards, seconds]) => ({ boards, seconds: round2(seconds), speedup: round2(baseline / seconds) }));
}
