import { z } from "zod";

/**
 * `edgecall loadgen`'s report: one entry per concurrency level. The load Jobs publish it, the `load`
 * stack output carries it, and the report draws throughput and latency against concurrency from it.
 */
export const levelResultSchema = z.object({
  concurrency: z.number().int().positive(),
  requests: z.number().int().nonnegative(),
  succeeded: z.number().int().nonnegative(),
  /** Failed requests by HTTP status, or `network` when no response came. */
  errors: z.record(z.string(), z.number().int().nonnegative()),
  seconds: z.number().nonnegative(),
  reads_per_s: z.number().nonnegative(),
  bases_per_s: z.number().nonnegative(),
  latency_mean_s: z.number().nullable(),
  latency_p50_s: z.number().nullable(),
  latency_p95_s: z.number().nullable(),
  latency_p99_s: z.number().nullable(),
});
export type LevelResult = z.infer<typeof levelResultSchema>;

export const loadReportSchema = z.object({ target: z.string(), levels: z.array(levelResultSchema).min(1) });
export type LoadReport = z.infer<typeof loadReportSchema>;
