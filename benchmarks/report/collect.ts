import * as fs from "fs";
import * as path from "path";
import { CliError } from "../common/cli-error";
import { readTextFile } from "../common/read-text-file";
import { StoredRun, readStoredRun } from "../summary/stored-run";
import { z } from "zod";
import { LevelResult, levelResultSchema } from "../../domain/load-report";
import type { ReportSource } from "./charts/absent";
import type { LiveRate, ModelReadUntil } from "../../domain/live";

/** One model's live benchmark from the `live` stack output. */
export interface LiveEntry {
  model: string;
  engine: string;
  precision: string;
  durationS: number;
  rates: LiveRate[];
  /** Adaptive sampling's load on the model's service, where `benchmark.live.readUntil` ran. */
  readUntil?: ModelReadUntil;
}

export type ReportRun = StoredRun;

export interface ReportInput {
  runs: ReportRun[];
  /** Load-generator results (`loadgen*.json`), each with its file name. */
  loads: Array<{ source: string; target: string; levels: LevelResult[] }>;
  /** Live benchmarks (only a stack output carries them). */
  lives?: LiveEntry[];
  /** Where it was read from (a directory when absent): a chart with nothing to draw says what would fill it. */
  source?: ReportSource;
}

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : [full];
  });
}

/** A `loadgen*.json` file; one that is not says so with its name, since the report reads every such file. */
function readLoadResult(file: string): { target?: string; levels: LevelResult[] } {
  const remedy = "fix it, or move it out of the summaries directory";
  let raw: { target?: string; levels?: LevelResult[] } | null;
  try {
    raw = JSON.parse(readTextFile(file, "a loadgen result file")) as { target?: string; levels?: LevelResult[] } | null;
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`${file}: not JSON (${error instanceof Error ? error.message : String(error)}); ${remedy}`);
  }
  if (raw === null || typeof raw !== "object" || !Array.isArray(raw.levels)) throw new CliError(`${file}: not a loadgen result (no levels); ${remedy}`);
  const parsed = z.array(levelResultSchema).safeParse(raw.levels);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CliError(`${file}: not a loadgen result: levels.${issue.path.join(".")}: ${issue.message}; ${remedy}`);
  }
  return { target: typeof raw.target === "string" ? raw.target : undefined, levels: parsed.data };
}

/**
 * Every summary (`summary.json`, `*.summary.json`) and load result (`loadgen*.json`) under a
 * directory. A summary that does not validate stops the report with its file and field.
 */
export function collectReportInput(dir: string): ReportInput {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new CliError(`${dir}: not a directory`);
  const files = walk(dir).sort();
  const runs = files
    .filter((f) => /(^|[./])summary\.json$/.test(path.basename(f)))
    .map(readStoredRun);
  if (runs.length === 0) throw new CliError(`${dir}: no summaries (summary.json or *.summary.json) found`);
  const loads = files
    .filter((f) => /^loadgen.*\.json$/.test(path.basename(f)))
    .map((file) => {
      const raw = readLoadResult(file);
      return { source: file, target: raw.target ?? path.basename(file), levels: raw.levels };
    });
  return { runs, loads, source: "directory" };
}
