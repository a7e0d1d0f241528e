import type { Summary } from "../../domain/summary";
import { TelemetrySample, sampleTimeMs } from "../telemetry/sample";

/** Load above which a clock drop counts as throttling rather than the governor idling down. */
export const THROTTLE_LOAD_PCT = 50;
/** A clock under this share of the window's highest clock, under load, is a drop. */
export const THROTTLE_CLOCK_SHARE = 0.9;

function mean(values: number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

/**
 * Thermal or power throttling events, counted separately for the GPU and the CPU and added up.
 * GPU: a sample whose `GR3D_FREQ` load is at least 50% and whose GPU clock is under 90% of the
 * highest GPU clock among the window's samples. CPU: the same test on the mean load and mean clock
 * of the cores that are online (a core tegrastats prints as `off` is left out). A run of
 * consecutive such samples is one event; a sample without the figure ends a run. Clocks that drop
 * while load is low are the governor saving power, not throttling, and do not count.
 */
export function throttleEvents(samples: readonly TelemetrySample[]): number {
  const gpu = samples.map((s) => ({ load: s.gpu_load_pct, freq: s.gpu_freq_mhz }));
  const cpu = samples.map((s) => {
    const online = s.cpu.filter((c) => c.load_pct !== null && c.freq_mhz !== null);
    return {
      load: mean(online.map((c) => c.load_pct ?? 0)) ?? undefined,
      freq: mean(online.map((c) => c.freq_mhz ?? 0)) ?? undefined,
    };
  });
  let events = 0;
  for (const series of [gpu, cpu]) {
    const peak = Math.max(0, ...series.map((p) => p.freq ?? 0));
    let inEvent = false;
    for (const point of series) {
      const dropped = point.load !== undefined && point.freq !== undefined && point.load >= THROTTLE_LOAD_PCT && point.freq < THROTTLE_CLOCK_SHARE * peak;
      if (dropped && !inEvent) events += 1;
      inEvent = dropped;
    }
  }
  return events;
}

/** GPU, memory and temperature figures over the samples inside the window. */
export function resourceFigures(samples: readonly TelemetrySample[], from: number, to: number): NonNullable<Summary["resources"]> {
  const inside = samples.filter((s) => sampleTimeMs(s) >= from && sampleTimeMs(s) <= to);
  const gpu = inside.flatMap((s) => (s.gpu_load_pct === undefined ? [] : [s.gpu_load_pct]));
  const ram = inside.flatMap((s) => (s.ram_used_mb === undefined ? [] : [s.ram_used_mb]));
  const emc = inside.flatMap((s) => (s.emc_load_pct === undefined ? [] : [s.emc_load_pct]));
  const temperatures: Record<string, number> = {};
  for (const sample of inside) {
    for (const [name, celsius] of Object.entries(sample.temperatures)) temperatures[name] = Math.max(temperatures[name] ?? -Infinity, celsius);
  }
  return {
    gpu_load_mean_pct: mean(gpu),
    gpu_load_max_pct: gpu.length === 0 ? null : Math.max(...gpu),
    ram_peak_mb: ram.length === 0 ? null : Math.max(...ram),
    emc_mean_pct: mean(emc),
    temperature_max_c: temperatures,
    throttle_events: throttleEvents(inside),
  };
}
