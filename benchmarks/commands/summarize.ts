import * as fs from "fs";
import * as path from "path";
import { parseOptions } from "../common/args";
import { CliError, runCommand } from "../common/cli-error";
import { refuseInputAsOutput, writeOutputFile } from "../common/output-file";
import type { Summary } from "../../domain/summary";
import { summarizeRun } from "../summary/summarize";

export const usage = "usage: edgecall summarize RUN_DIR [--reference FASTA] [--json]\n";

/** What summarize may read in a run directory; none of them may be summary.json itself. */
const RUN_INPUTS = ["calls.fastq", "reads.jsonl", "run.json", "telemetry.jsonl", "accuracy.json"];

/**
 * Runs summarize and, when it fails, removes the run's previous summary.json: left in place, its
 * figures would describe files that have changed since, and `report` and `db push` would use them.
 */
async function summarizeReplacing(dir: string, output: string, reference: string | undefined): Promise<{ summary: Summary; text: string }> {
  // Outside the removal below: an output that is an input must be refused, never deleted.
  refuseInputAsOutput(output, [...RUN_INPUTS.map((name) => path.join(dir, name)), ...(reference === undefined ? [] : [reference])], "summary");
  try {
    const summary = await summarizeRun(dir, reference);
    const text = `${JSON.stringify(summary, null, 2)}\n`;
    writeOutputFile(output, text, "summary");
    return { summary, text };
  } catch (error) {
    if (!fs.existsSync(output)) throw error;
    fs.rmSync(output, { force: true });
    const note = `the previous ${output} was removed: its figures are stale`;
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
