import * as fs from "fs";
import * as path from "path";
import type { Client } from "pg";
import type { Summary } from "../../domain/summary";
import { StoredRun, readStoredRun } from "../summary/stored-run";
import { TelemetrySample } from "../telemetry/sample";

/** A summary file, or a run directory holding summary.json (and maybe telemetry.jsonl). */
export function loadRun(target: string): StoredRun {
  const isDir = fs.existsSync(target) && fs.statSync(target).isDirectory();
  return readStoredRun(isDir ? path.join(target, "summary.json") : target);
}

/**
 * The tables holding rows that belong to one run (a `run` column referencing runs.id). A re-push
 * empties them first: the run pushed last is the whole truth, and rows of an earlier push that the
 * new one lacks (a longer recording, a different window) would otherwise be mixed into its figures.
 * A migration adding such a table adds it here.
 */
const PER_RUN_TABLES = ["telemetry_samples"] as const;

/**
 * Stores one run and its samples in one transaction. The run is keyed by model, run id and repeat,
 * so pushing the same run twice stores it once: the second push replaces its figures and its
 * per-run rows, keeping its id; a failure leaves the earlier push as it was.
 */
export async function pushRun(client: Client, summary: Summary, samples: readonly TelemetrySample[]): Promise<number> {
  await client.query("BEGIN");
  try {
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO runs (model, run_id, repeat, board, window_start, window_end, reads, bases, bases_per_s, median_identity, joules_per_megabase, summary)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (model, run_id, repeat) DO UPDATE SET
         board = EXCLUDED.board, window_start = EXCLUDED.window_start, window_end = EXCLUDED.window_end,
         reads = EXCLUDED.reads, bases = EXCLUDED.bases, bases_per_s = EXCLUDED.bases_per_s,
         median_identity = EXCLUDED.median_identity, joules_per_megabase = EXCLUDED.joules_per_megabase,
         summary = EXCLUDED.summary, pushed_at = now()
       RETURNING id`,
      [
        summary.model,
        summary.run_id,
        summary.repeat,
        summary.board,
        summary.window.start,
        summary.window.end,
        summary.throughput.reads,
        summary.throughput.bases,
        summary.throughput.bases_per_s,
        summary.accuracy?.median_identity ?? null,
        summary.energy?.joules_per_megabase ?? null,
        JSON.stringify(summary),
      ],
    );
    const run = Number(rows[0].id);
    for (const table of PER_RUN_TABLES) await client.query(`DELETE FROM ${table} WHERE run = $1`, [run]);
    for (const sample of samples) {
      await client.query(
        "INSERT INTO telemetry_samples (run, time, sample) VALUES ($1, $2, $3) ON CONFLICT (run, time) DO UPDATE SET sample = EXCLUDED.sample",
        [run, sample.time, JSON.stringify(sample)],
      );
    }
    await client.query("COMMIT");
    return run;
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  }
}
