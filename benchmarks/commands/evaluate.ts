import * as fs from "fs";
import { evaluateCalls, perReadTsv } from "../accuracy/evaluate";
import { parseOptions, requireOption } from "../common/args";
import { CliError, runCommand } from "../common/cli-error";

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
    const { summary, reads } = await evaluateCalls(requireOption(values.calls, "--calls"), requireOption(values.reference, "--reference"), threads);
    const perRead = values["per-read"];
    if (perRead !== undefined) {
      try {
        fs.writeFileSync(perRead, perReadTsv(reads));
      } catch (error) {
        throw new CliError(`--per-read ${perRead}: cannot write (${error instanceof Error ? error.message : String(error)})`);
      }
    }
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
