import { evaluateCalls, perReadRows } from "../accuracy/evaluate";
import { parseOptions, requireOption } from "../common/args";
import { CliError, runCommand } from "../common/cli-error";
import { assertOutputWritable, refuseInputAsOutput, writeOutputPieces } from "../common/output-file";

export const usage = "usage: edgecall evaluate --calls FILE --reference FASTA [--per-read TSV] [--threads N] [--json]\n";

/** `edgecall evaluate --calls FILE --reference FASTA [--per-read TSV] [--threads N] [--json]` */
export function main(argv: string[]): Promise<number> {
  return runCommand("evaluate", async () => {
    const { values } = parseOptions(argv, {
      calls: { type: "string" },
      reference: { type: "string" },
      "per-read": { type: "string" },
      threads: { type: "string" },
      json: { type: "boolean" },
    });
    const threads = Number(values.threads ?? "2");
    if (!Number.isInteger(threads) || threads < 1) throw new CliError(`--threads must be a positive integer, got ${values.threads}`);
    const calls = requireOption(values.calls, "--calls");
    const reference = requireOption(values.reference, "--reference");
    const perRead = values["per-read"];
    // Checked before the alignment, so minutes of minimap2 are not lost to a bad --per-read.
    if (perRead !== undefined) {
      refuseInputAsOutput(perRead, [calls, reference], "--per-read");
      assertOutputWritable(perRead, "--per-read");
    }
    const { summary, reads, warnings } = await evaluateCalls(calls, reference, threads);
    for (const warning of warnings) process.stderr.write(`edgecall evaluate: ${warning}\n`);
    if (perRead !== undefined) writeOutputPieces(perRead, perReadRows(reads), "--per-read");
    if (values.json === true) {
      process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    } else {
      for (const [key, value] of Object.entries(summary)) {
        process.stdout.write(`${key}\t${value === null ? "NA" : Number.isInteger(value) ? value : value.toFixed(6)}\n`);
      }
    }
    return 0;
  });
}
