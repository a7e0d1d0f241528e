import { z } from "zod";

/**
 * `edgecall loadgen --read-until`'s report: per active channel count, how many of the chunks sent
 * every decision interval came back within it. readfish and ReadBouncer ask for a decision on each
 * channel's newest 0.4 s of signal every 0.4 s; a chunk answered after the next one is due is late.
 */
export const readUntilLevelSchema = z.object({
  channels: z.number().int().positive(),
  chunks: z.number().int().nonnegative(),
  in_time: z.number().int().nonnegative(),
  in_time_share: z.number().min(0).max(1),
  errors: z.record(z.string(), z.number().int().nonnegative()),
  latency_p50_s: z.number().nullable(),
  latency_p95_s: z.number().nullable(),
});
export type ReadUntilLevel = z.infer<typeof readUntilLevelSchema>;

export const readUntilReportSchema = z.object({
  target: z.string(),
  chunk_s: z.number().positive(),
  sample_rate_hz: z.number().positive(),
  /** The share of chunks in time a channel count must reach to count as served. */
  in_time_goal: z.number().min(0).max(1),
  levels: z.array(readUntilLevelSchema).min(1),
  /** The largest channel count served in time; null when none was. */
  served_channels: z.number().int().positive().nullable(),
});
export type ReadUntilReport = z.infer<typeof readUntilReportSchema>;

/** The largest channel count whose in-time share reaches the goal, or null. */
export function servedChannels(levels: readonly ReadUntilLevel[], goal: number): number | null {
  const served = levels.filter((l) => l.chunks > 0 && l.in_time_share >= goal).map((l) => l.channels);
  return served.length === 0 ? null : Math.max(...served);
}
