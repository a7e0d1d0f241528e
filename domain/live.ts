import { z } from "zod";
import { readUntilLevelSchema } from "./read-until";

/**
 * `edgecall-runner live-bench`'s report (images/runner/edgecall_runner/live/bench.py): per speed, what
 * the sequencer stand-in wrote and what the watcher did with it. The live Jobs publish it; the
 * verdicts below are computed from it here, so the runner records and the program judges.
 */
const latencySchema = z.object({ p50: z.number().nullable(), p95: z.number().nullable(), max: z.number().nullable() });

export const liveSpeedSchema = z.object({
  speed: z.number().positive(),
  requested_samples_per_s: z.number().positive(),
  sequencing_s: z.number().positive(),
  files_written: z.number().int().positive(),
  samples_written: z.number().int().positive(),
  files: z.number().int().nonnegative(),
  files_set_aside: z.number().int().nonnegative(),
  reads: z.number().int().nonnegative(),
  samples: z.number().int().nonnegative(),
  sustained_samples_per_s: z.number().nullable(),
  samples_called_by_end: z.number().int().nonnegative(),
  latency_s: latencySchema,
  largest_backlog: z.object({ files: z.number().int().nonnegative(), reads: z.number().int().nonnegative() }),
  fell_behind: z.boolean(),
  /** [seconds since the start, files waiting, reads waiting]. */
  backlog_series: z.array(z.tuple([z.number(), z.number().int(), z.number().int()])),
});
export type LiveSpeedReport = z.infer<typeof liveSpeedSchema>;

export const liveReportSchema = z.object({
  model: z.string(),
  engine: z.string(),
  precision: z.string(),
  duration_s: z.number().positive(),
  reads_per_file: z.number().int().positive(),
  backlog_window_s: z.number().positive(),
  speeds: z.array(liveSpeedSchema).min(1),
});
export type LiveReport = z.infer<typeof liveReportSchema>;

/** One speed's line of the `live` stack output; the report reads it back with this schema. */
export const liveRateSchema = z.object({
  /** Multiple of the flow cell's rate the sequencer ran at. */
  speed: z.number().positive(),
  /** Samples per second the sequencer wrote (what it actually managed, over its whole run). */
  offeredSamplesPerS: z.number().nonnegative(),
  /** Samples per second the watcher called, from its first file to its last. */
  sustainedSamplesPerS: z.number().nullable(),
  latencyS: latencySchema,
  largestBacklog: z.object({ files: z.number().int().nonnegative(), reads: z.number().int().nonnegative() }),
  /** The backlog, decimated: [seconds, files waiting, reads waiting]. */
  backlog: z.array(z.tuple([z.number(), z.number().int(), z.number().int()])),
  verdict: z.enum(["keeps up", "falls behind"]),
  /**
   * Minutes of sequencing left uncalled per hour of sequencing: the samples not yet called when the
   * sequencer stopped, in seconds of its output, per second it ran. 0 when it keeps up.
   */
  behindMinutesPerHour: z.number().nonnegative(),
  filesSetAside: z.number().int().nonnegative(),
});
export type LiveRate = z.infer<typeof liveRateSchema>;

const round = (value: number, digits: number) => Number(value.toFixed(digits));

/**
 * A speed keeps up when the watcher's backlog never stayed above one file for the backlog window,
 * every file written was called, and none set aside. A watcher that falls behind is behind by the
 * samples it had not called when the sequencer stopped.
 */
export function liveRate(s: LiveSpeedReport): LiveRate {
  const offered = s.samples_written / s.sequencing_s;
  const keepsUp = !s.fell_behind && s.files === s.files_written && s.files_set_aside === 0;
  const behindS = Math.max(0, s.samples_written - s.samples_called_by_end) / offered;
  return {
    speed: s.speed,
    offeredSamplesPerS: Math.round(offered),
    sustainedSamplesPerS: s.sustained_samples_per_s === null ? null : Math.round(s.sustained_samples_per_s),
    latencyS: s.latency_s,
    largestBacklog: s.largest_backlog,
    backlog: s.backlog_series,
    verdict: keepsUp ? "keeps up" : "falls behind",
    behindMinutesPerHour: keepsUp ? 0 : round((behindS / s.sequencing_s) * 60, 1),
    filesSetAside: s.files_set_aside,
  };
}

/** Adaptive sampling's load on a model's service: the largest channel count served in time, and each level. */
export const modelReadUntilSchema = z.object({
  servedChannels: z.number().int().positive().nullable(),
  chunkS: z.number().positive(),
  inTimeGoal: z.number().min(0).max(1),
  levels: z.array(readUntilLevelSchema).min(1),
});
export type ModelReadUntil = z.infer<typeof modelReadUntilSchema>;

/** A model's entry in the `live` stack output. */
export type ModelLive =
  | { status: "measured"; runId: string; engine: string; precision: string; durationS: number; rates: LiveRate[]; readUntil?: ModelReadUntil }
  | { status: "not measured: rendered only"; runId: string; job: string };
