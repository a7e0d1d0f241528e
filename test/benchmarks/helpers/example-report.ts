import type { ReportInput } from "../../../benchmarks/report/collect";
import type { KeepUpBasis } from "../../../benchmarks/report/render";
import { DEFAULT_FLOW_CELL } from "../../../domain/flow-cell";
import type { Summary } from "../../../domain/summary";
import type { TelemetrySample } from "../../../benchmarks/telemetry/sample";
import { summaryFor } from "./summaries";

/**
 * A report's worth of constructed runs for the browser test and the README's screenshot: four models,
 * three repeats each on a Nano, with accuracy, energy, a minute of power telemetry (warm-up before
 * the timed window, an idle baseline), four load levels per model and a measured scaling curve.
 * The figures are shaped like the seed's Nano results, not measured.
 */
const MODELS: Record<string, { basesPerS: number; identity: number; watts: number; latency: number }> = {
  catcaller: { basesPerS: 2100, identity: 0.89, watts: 8.5, latency: 3.1 },
  chiron: { basesPerS: 620, identity: 0.86, watts: 7.2, latency: 6.4 },
  rodan: { basesPerS: 3900, identity: 0.87, watts: 9.1, latency: 1.7 },
  sacall: { basesPerS: 2600, identity: 0.91, watts: 8.8, latency: 2.6 },
};
const WINDOW_S = 60;
const WARMUP_S = 10;

function telemetry(startMs: number, watts: number, repeat: number): TelemetrySample[] {
  return Array.from({ length: WINDOW_S + WARMUP_S + 1 }, (_v, i) => ({
    time: new Date(startMs + (i - WARMUP_S) * 1000).toISOString(),
    cpu: [],
    temperatures: {},
    // Warm-up draws less than the timed run; a slow wobble so the panels are not flat lines.
    rails: { POM_5V_IN: { mw: Math.round((i < WARMUP_S ? watts * 0.7 : watts + 0.6 * Math.sin((i + repeat * 7) / 6)) * 1000) } },
  }));
}

function run(model: string, repeat: number): ReportInput["runs"][number] {
  const f = MODELS[model];
  const jitter = 1 + (repeat - 1) * 0.04;
  const basesPerS = f.basesPerS * jitter;
  const start = Date.parse("2026-11-24T10:00:00Z") + (Object.keys(MODELS).indexOf(model) * 3 + repeat) * 600_000;
  const base = summaryFor(model, repeat, basesPerS);
  const joules = f.watts * WINDOW_S;
  const megabases = (basesPerS * WINDOW_S) / 1e6;
  const summary: Summary = {
    ...base,
    window: { start: new Date(start).toISOString(), end: new Date(start + WINDOW_S * 1000).toISOString(), seconds: WINDOW_S, warmup: { start: new Date(start - 8000).toISOString(), end: new Date(start - 1000).toISOString() } },
    throughput: { ...base.throughput, bases: basesPerS * WINDOW_S, samples_per_s: basesPerS * 9, latency_p95_s: f.latency * (2 - jitter) },
    accuracy: { reads: 200, bases: basesPerS * WINDOW_S, aligned_reads: 190, unaligned_fraction: 0.05, median_identity: f.identity + (repeat - 1) * 0.004, mean_identity: f.identity - 0.01, mismatch_rate: 0.04, insertion_rate: 0.03, deletion_rate: 0.04 },
    energy: { rail: "POM_5V_IN", joules, mean_watts: f.watts, seconds: WINDOW_S, joules_per_read: joules / 200, joules_per_megabase: joules / megabases, above_idle: { joules: joules - 2.1 * WINDOW_S, mean_watts: f.watts - 2.1, joules_per_megabase: (joules - 2.1 * WINDOW_S) / megabases }, per_rail_mean_watts: { POM_5V_IN: f.watts } },
    resources: { gpu_load_mean_pct: 80 + repeat * 4, gpu_load_max_pct: 99, ram_peak_mb: 3100, emc_mean_pct: 40, temperature_max_c: { GPU: 58 }, throttle_events: 0 },
  };
  return { summary, source: `example/${model}-${repeat}/summary.json`, samples: telemetry(start, f.watts, repeat) };
}

export function exampleReport(): { input: ReportInput; basis: KeepUpBasis; models: string[] } {
  const models = Object.keys(MODELS);
  const runs = models.flatMap((model) => [0, 1, 2].map((repeat) => run(model, repeat)));
  const loads = models.map((model) => ({
    source: `example/loadgen-${model}.json`,
    target: `http://edgecall-${model}.edgecall.svc.cluster.local:8080`,
    levels: [1, 2, 4, 8].map((concurrency) => {
      const readsPerS = (MODELS[model].basesPerS / 1000) * Math.min(concurrency, 3) ** 0.8;
      return { concurrency, requests: 40, succeeded: 40, errors: {}, seconds: 40 / readsPerS, reads_per_s: readsPerS, bases_per_s: readsPerS * 1000, latency_mean_s: concurrency / readsPerS, latency_p50_s: concurrency / readsPerS, latency_p95_s: (1.4 * concurrency) / readsPerS, latency_p99_s: (1.6 * concurrency) / readsPerS };
    }),
  }));
  const curves = { rodan: [{ boards: 1, speedup: 1 }, { boards: 2, speedup: 1.93 }, { boards: 3, speedup: 2.78 }, { boards: 4, speedup: 3.52 }] };
  return { input: { runs, loads }, basis: { cell: DEFAULT_FLOW_CELL, curves }, models };
}
