import { z } from "zod";
import { zonedTimeProblem } from "./iso-time";
import { ENGINES, PRECISIONS } from "./precision";

/** A time the run measured: the strict ISO 8601 form, with its zone. */
const time = z.string().superRefine((value, ctx) => {
  const problem = zonedTimeProblem(value);
  if (problem !== undefined) ctx.addIssue({ code: "custom", message: `${JSON.stringify(value)} ${problem}` });
});
/**
 * One rule for every measured amount (energy, power, seconds, counts): never negative. A difference
 * against the idle baseline (`above_idle`) may be.
 */
const amount = z.number().nonnegative();

/**
 * The per-run summary that `edgecall summarize` writes (`summary.json`), `edgecall report` and
 * `edgecall db push` read, and the BenchmarkRun component publishes as the `benchmarks` stack output.
 * Units are in the field names; a figure that could not be measured is null, never 0.
 */
export const accuracySchema = z.object({
  reads: z.number().int().nonnegative(),
  bases: z.number().int().nonnegative(),
  aligned_reads: z.number().int().nonnegative(),
  unaligned_fraction: z.number().min(0).max(1),
  median_identity: z.number().min(0).max(1).nullable(),
  mean_identity: z.number().min(0).max(1).nullable(),
  mismatch_rate: z.number().min(0).nullable(),
  insertion_rate: z.number().min(0).nullable(),
  deletion_rate: z.number().min(0).nullable(),
});

export const energySchema = z.object({
  rail: z.string(),
  joules: amount,
  mean_watts: amount,
  seconds: amount,
  joules_per_read: amount.nullable(),
  joules_per_megabase: amount.nullable(),
  /** The same figures with the idle baseline's mean power subtracted; null without a baseline. */
  above_idle: z
    .object({ joules: z.number(), mean_watts: z.number(), joules_per_megabase: z.number().nullable() })
    .nullable(),
  per_rail_mean_watts: z.record(z.string(), amount),
  /** Stretches without samples inside the window (see energy/gaps.ts); optional, as older summaries lack it. */
  gaps: z.array(z.object({ from: time, to: time, seconds: z.number().positive() })).optional(),
  /** Every rail on its own over the window (added after v1's first release, so optional). */
  per_rail: z
    .record(z.string(), z.object({ joules: amount, mean_watts: amount, seconds: amount, joules_per_megabase: amount.nullable() }))
    .optional(),
});

/**
 * The input rail's power over the run, decimated for the report's power chart, so that a report
 * made from the stack output (no telemetry.jsonl beside the summary) draws it too: `origin` is the
 * first sample's time, each point [seconds after origin, watts], at most POWER_POINTS of them.
 */
export const POWER_POINTS = 150;
export const powerSeriesSchema = z.object({
  rail: z.string(),
  origin: time,
  points: z.array(z.tuple([amount, amount])).max(POWER_POINTS),
});
export type PowerSeries = z.infer<typeof powerSeriesSchema>;

export const summarySchema = z.object({
  schema: z.literal("edgecall.summary/v1"),
  model: z.string(),
  run_id: z.string(),
  repeat: z.number().int().nonnegative(),
  board: z.string().nullable(),
  /**
   * The board's kind as the stack names it (`nano`, `xavier`, `orin`, ...), which aggregates key on;
   * absent in summaries from before it was recorded, null where the Job was not told.
   */
  board_kind: z.string().nullable().optional(),
  window: z.object({
    start: time,
    end: time,
    seconds: amount,
    /** When the warm-up reads ran (first start to last end), before the window; absent without warm-up, and in older summaries. */
    warmup: z.object({ start: time, end: time }).optional(),
  }),
  throughput: z.object({
    reads: z.number().int().nonnegative(),
    bases: z.number().int().nonnegative(),
    samples: z.number().int().nonnegative(),
    reads_per_s: z.number().nonnegative(),
    bases_per_s: z.number().nonnegative(),
    samples_per_s: z.number().nonnegative(),
    latency_p50_s: z.number().nonnegative().nullable(),
    latency_p95_s: z.number().nonnegative().nullable(),
  }),
  accuracy: accuracySchema.nullable(),
  energy: energySchema.nullable(),
  /** Absent without telemetry, and in summaries from before it was recorded. */
  power: powerSeriesSchema.optional(),
  resources: z
    .object({
      gpu_load_mean_pct: z.number().nullable(),
      gpu_load_max_pct: z.number().nullable(),
      ram_peak_mb: z.number().nullable(),
      emc_mean_pct: z.number().nullable(),
      temperature_max_c: z.record(z.string(), z.number()),
      throttle_events: z.number().int().nonnegative(),
    })
    .nullable(),
  provenance: z.object({
    image_digest: z.string().nullable(),
    upstream_commit: z.string().nullable(),
    weights_sha256: z.string().nullable(),
    /**
     * True when the runner checked the weights against their pin (images.models.<model>.weights, or
     * the image's pinned upstream weights) before loading them; false when nothing pinned them.
     * Absent in summaries from runners before the check.
     */
    weights_verified: z.boolean().optional(),
    l4t_release: z.string().nullable(),
    power_mode: z.string().nullable(),
    jetson_clocks: z.boolean().nullable(),
    dataset_manifest_sha256: z.string().nullable(),
    device: z.string().nullable(),
    /** fp32 or fp16 (`--precision`); absent in summaries from before the option, which ran fp32. */
    precision: z.enum(PRECISIONS).optional(),
    framework_versions: z.record(z.string(), z.string()),
    /** Present when another model ran under this model's name (the simulated cluster's test network). */
    stand_in: z.string().optional(),
    /** `edgecall-runner --engine`; absent in summaries from before engines, which ran torch. */
    engine: z.enum(ENGINES).optional(),
    /** The engine's graph or plan (its sha256), and how it compared with the model's own fp32 output on a fixed set of windows. */
    engine_artifact_sha256: z.string().optional(),
    engine_parity: z
      .object({ max_probability_diff: amount, identity: z.number().min(0).max(1), windows: z.number().int().nonnegative(), floor: z.number().min(0).max(1) })
      .optional(),
    /** Seconds spent making the engine (export, quantization, build, parity), before the timed window. */
    engine_build_s: amount.optional(),
  }),
});

export type Accuracy = z.infer<typeof accuracySchema>;
export type Energy = z.infer<typeof energySchema>;
export type Summary = z.infer<typeof summarySchema>;
