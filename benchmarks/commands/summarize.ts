import * as fs from "fs";
import * as path from "path";
import { parseOptions } from "../common/args";
import { CliError, runCommand } from "../common/cli-error";
import { summarizeRun } from "../summary/summarize";

export const usage = "usage: edgecall summarize RUN_DIR [--reference FASTA] [--json]\n";

/** `edgecall summarize RUN_DIR [--reference FASTA] [--json]`: writes RUN_DIR/summary.json. */
export function main(argv: string[]): Promise<number> {
  return runCommand("summarize", async () => {
    const { values, positionals } = parseOptions(argv, { reference: { type: "string" }, json: { type: "boolean" } }, true);
    const dir = positionals[0];
    if (dir === undefined) throw new CliError(usage.trimEnd());
    const summary = await summarizeRun(dir, values.reference);
    const text = `${JSON.stringify(summary, null, 2)}\n`;
    fs.writeFileSync(path.join(dir, "summary.json"), text);
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
