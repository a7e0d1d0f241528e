/** One telemetry sample: what tegrastats (or a power meter) reported at one instant. */
export interface TelemetrySample {
  /** ISO 8601 time in UTC. */
  time: string;
  ram_used_mb?: number;
  ram_total_mb?: number;
  swap_used_mb?: number;
  /** Per core; a core that is off has load_pct null. */
  cpu: Array<{ load_pct: number | null; freq_mhz: number | null }>;
  gpu_load_pct?: number;
  gpu_freq_mhz?: number;
  emc_load_pct?: number;
  emc_freq_mhz?: number;
  /** Degrees Celsius by sensor name (`CPU`, `GPU`, `tj`, ...). */
  temperatures: Record<string, number>;
  /** Power rails in milliwatts: the instant value and, where the tool gives it, its running average. */
  rails: Record<string, { mw: number; avg_mw?: number }>;
}

export function sampleTimeMs(sample: TelemetrySample): number {
  return Date.parse(sample.time);
}
