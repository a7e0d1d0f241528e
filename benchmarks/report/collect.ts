import * as fs from "fs";
import * as path from "path";
import { CliError } from "../common/cli-error";
import { StoredRun, readStoredRun } from "../summary/stored-run";
import type { LevelResult } from "../loadgen/run-level";

export type ReportRun = StoredRun;

export interface ReportInput {
  runs: ReportRun[];
  /** Load-generator results (`loadgen*.json`), each with its file name. */
  loads: Array<{ source: string; target: string; levels: LevelResult[] }>;
}

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : [full];
  });
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
      const raw = JSON.parse(fs.readFileSync(file, "utf8")) as { target?: string; levels?: LevelResult[] };
      if (!Array.isArray(raw.levels)) throw new CliError(`${file}: not a loadgen result (no levels)`);
      return { source: file, target: raw.target ?? path.basename(file), levels: raw.levels };
    });
  return { runs, loads };
}
