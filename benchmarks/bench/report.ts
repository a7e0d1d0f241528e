/**
 * `npm run bench:report`: the time to build the report (HTML and Markdown) from 100 summaries,
 * each with a 600-sample telemetry log beside it. Median of 5 builds.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { MODELS } from "../../domain/models";
import { collectReportInput } from "../report/collect";
import { markdownReport, renderHtml } from "../report/render";
import { Summary } from "../../domain/summary";

const RUNS = 100;
const SAMPLES = 600;

function summary(i: number): Summary {
  const start = Date.parse("2026-11-24T10:00:00Z") + i * 3_600_000;
  return {
    schema: "edgecall.summary/v1",
    model: MODELS[i % MODELS.length],
    run_id: `bench${Math.floor(i / MODELS.length)}`,
    repeat: 0,
    board: `nano-${i % 5}`,
    window: { start: new Date(start).toISOString(), end: new Date(start + SAMPLES * 1000).toISOString(), seconds: SAMPLES },
    throughput: { reads: 1000, bases: 9e6 + i * 1e4, samples: 9e7, reads_per_s: 1000 / SAMPLES, bases_per_s: (9e6 + i * 1e4) / SAMPLES, samples_per_s: 9e7 / SAMPLES, latency_p50_s: 0.5, latency_p95_s: 1.2 },
    accuracy: { reads: 1000, bases: 9e6, aligned_reads: 950, unaligned_fraction: 0.05, median_identity: 0.85 + (i % 10) / 100, mean_identity: 0.84, mismatch_rate: 0.05, insertion_rate: 0.03, deletion_rate: 0.04 },
    energy: { rail: "POM_5V_IN", joules: 3000, mean_watts: 5, seconds: SAMPLES, joules_per_read: 3, joules_per_megabase: 300 + i, above_idle: null, per_rail_mean_watts: { POM_5V_IN: 5 } },
    resources: { gpu_load_mean_pct: 90, gpu_load_max_pct: 99, ram_peak_mb: 3500, emc_mean_pct: 30, temperature_max_c: { GPU: 60 }, throttle_events: 0 },
    provenance: { image_digest: null, upstream_commit: null, weights_sha256: null, l4t_release: "R32.7.1", power_mode: "0 (MAXN)", jetson_clocks: true, dataset_manifest_sha256: null, device: "cuda", framework_versions: {} },
  };
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "edgecall-bench-report-"));
  try {
    for (let i = 0; i < RUNS; i++) {
      const run = path.join(dir, `run-${i}`);
      fs.mkdirSync(run);
      const s = summary(i);
      fs.writeFileSync(path.join(run, "summary.json"), JSON.stringify(s));
      const start = Date.parse(s.window.start);
      const lines = Array.from({ length: SAMPLES }, (_v, k) =>
        JSON.stringify({ time: new Date(start + k * 1000).toISOString(), cpu: [], temperatures: {}, rails: { POM_5V_IN: { mw: 4000 + (k % 50) * 20 } } }),
      );
      fs.writeFileSync(path.join(run, "telemetry.jsonl"), `${lines.join("\n")}\n`);
    }
    const times: number[] = [];
    for (let k = 0; k < 5; k++) {
      const started = process.hrtime.bigint();
      const input = collectReportInput(dir);
      await renderHtml(input);
      markdownReport(input);
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    times.sort((a, b) => a - b);
    process.stdout.write(`report from ${RUNS} summaries (${SAMPLES} telemetry samples each): ${times[2].toFixed(0)} ms (median of 5)\n`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main();
