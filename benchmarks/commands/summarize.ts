import * as fs from "fs";
import * as path from "path";
import { parseOptions } from "../common/args";
import { CliError, runCommand } from "../common/cli-error";
import { refuseInputAsOutput, writeOutputFile } from "../common/output-file";
import { assertReadableFile } from "../common/read-text-file";
import type { Summary } from "../../domain/summary";
import { summarizeRun } from "../summary/summarize";

export const usage = "usage: edgecall summarize RUN_DIR [--reference FASTA] [--json]\n";

/** What summarize may read in a run directory; none of them may be summary.json itself. */
const RUN_INPUTS = ["calls.fastq", "reads.jsonl", "run.json", "telemetry.jsonl", "accuracy.json"];
/** What every run directory holds: a summary made from a run without one of them describes nothing there. */
const RUN_REQUIRED = ["calls.fastq", "reads.jsonl", "run.json"];

/** Refuses, before anything is read or removed, options and paths summarize cannot use. */
function refuseBadInputs(dir: string, output: string, reference: string | undefined): void {
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new CliError(`${dir}: not a directory; give a run directory (calls.fastq, reads.jsonl, run.json)`);
  if (reference !== undefined) assertReadableFile(reference, "a reference FASTA (--reference)", "--reference");
  const existing = fs.lstatSync(output, { throwIfNoEntry: false });
  if (existing !== undefined && !existing.isFile()) throw new CliError(`${output}: is not a regular file, where the summary goes; move it aside`);
  // An output that is an input must be refused, never deleted.
  refuseInputAsOutput(output, [...RUN_INPUTS.map((name) => path.join(dir, name)), ...(reference === undefined ? [] : [reference])], "summary");
}

/**
 * The run's own files that show `output` (an earlier summary) is stale: a file every run has that is
 * gone, or an input changed since the summary was written. None: the summary still describes the run.
 */
function staleBecause(dir: string, output: string): string[] {
  const written = fs.statSync(output).mtimeMs;
  const gone = RUN_REQUIRED.filter((name) => !fs.existsSync(path.join(dir, name))).map((name) => `${name} is gone`);
  const changed = RUN_INPUTS.filter((name) => (fs.statSync(path.join(dir, name), { throwIfNoEntry: false })?.mtimeMs ?? 0) > written).map((name) => `${name} changed`);
  return [...gone, ...changed];
}

/**
 * Runs summarize. When it fails, the run's previous summary.json is removed only where the run's own
 * files show it stale (left in place, its figures would describe files that have changed since, and
 * `report` and `db push` would use them); a failure of anything else (a bad option, minimap2) keeps it.
 */
async function summarizeReplacing(dir: string, output: string, reference: string | undefined): Promise<{ summary: Summary; text: string }> {
  refuseBadInputs(dir, output, reference);
  try {
    const summary = await summarizeRun(dir, reference);
    const text = `${JSON.stringify(summary, null, 2)}\n`;
    writeOutputFile(output, text, "summary");
    return { summary, text };
  } catch (error) {
    if (!fs.existsSync(output) || staleBecause(dir, output).length === 0) throw error;
    const reasons = staleBecause(dir, output);
    fs.rmSync(output, { force: true });
    const note = `the previous ${output} was removed: its figures are stale (${reasons.join(", ")})`;
    if (!(error instanceof CliError)) {
      process.stderr.write(`edgecall summarize: ${note}\n`);
      throw error;
    }
    throw new CliError(`${error.message} (${note})`);
  }
}

/** `edgecall summarize RUN_DIR [--reference FASTA] [--json]`: writes RUN_DIR/summary.json. */
export function main(argv: string[]): Promise<number> {
  return runCommand("summarize", async () => {
    const { values, positionals } = parseOptions(argv, { reference: { type: "string" }, json: { type: "boolean" } }, true);
    const dir = positionals[0];
    if (dir === undefined) throw new CliError(usage.trimEnd());
    const { summary, text } = await summarizeReplacing(dir, path.join(dir, "summary.json"), values.reference);
    if (values.json === true) {
      process.stdout.write(text);
    } else {
      const t = summary.throughput;
      process.stdout.write(`${summary.model}\t${t.reads} reads\t${t.bases_per_s.toFixed(1)} bases/s\t` +
        `median identity ${summary.accuracy?.median_identity?.toFixed(4) ?? "NA"}\t` +
        `${summary.energy?.joules_per_megabase?.toFixed(1) ?? "NA"} J/Mbase\n`);
    }
    return 0;
  });
}
