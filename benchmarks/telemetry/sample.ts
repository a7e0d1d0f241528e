import { z } from "zod";
import { isIsoTime, parseIsoTime } from "../common/iso-time";

/**
 * One telemetry sample: what tegrastats (or a power meter) reported at one instant. The schema
 * checks samples read back from JSONL, so a stray line is named instead of integrating as NaN.
 */
export const telemetrySampleSchema = z.object({
  /** ISO 8601 time in UTC; strict, so 30 February is refused rather than read as 2 March. */
  time: z.string().refine(isIsoTime, "not an ISO time"),
  ram_used_mb: z.number().optional(),
  ram_total_mb: z.number().optional(),
  swap_used_mb: z.number().optional(),
  /** Per core; a core that is off has load_pct and freq_mhz null. */
  cpu: z.array(z.object({ load_pct: z.number().nullable(), freq_mhz: z.number().nullable() })),
  gpu_load_pct: z.number().optional(),
  gpu_freq_mhz: z.number().optional(),
  emc_load_pct: z.number().optional(),
  emc_freq_mhz: z.number().optional(),
  /** Degrees Celsius by sensor name (`CPU`, `GPU`, `tj`, ...). */
  temperatures: z.record(z.string(), z.number()),
  /** Power rails in milliwatts: the instant value and, where the tool gives it, its running average. */
  rails: z.record(z.string(), z.object({ mw: z.number(), avg_mw: z.number().optional() })),
});

export type TelemetrySample = z.infer<typeof telemetrySampleSchema>;

export function sampleTimeMs(sample: TelemetrySample): number {
  return parseIsoTime(sample.time, "sample time");
}
