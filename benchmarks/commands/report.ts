import * as fs from "fs";
import * as path from "path";
import { parseOptions, requireOption } from "../common/args";
import { CliError, runCommand } from "../common/cli-error";
import { refuseInputAsOutput, writeOutputFile } from "../common/output-file";
import { collectReportInput } from "../report/collect";
import { markdownTable, renderHtml } from "../report/render";

export const usage = "usage: edgecall report SUMMARIES_DIR --out DIR [--json]\n";

/** `edgecall report SUMMARIES_DIR --out DIR [--json]`: writes DIR/index.html and DIR/summary.md. */
export function main(argv: string[]): Promise<number> {
  return runCommand("report", async () => {
    const { values, positionals } = parseOptions(argv, { out: { type: "string" }, json: { type: "boolean" } }, true);
    const dir = positionals[0];
    if (dir === undefined) throw new CliError(usage.trimEnd());
    const out = requireOption(values.out, "--out");
    // Checked before the summaries are read: with hundreds of them that is the long part.
    if (fs.existsSync(out) && !fs.statSync(out).isDirectory()) {
      throw new CliError(`--out ${out}: is a file; give a directory (new or existing) for index.html and summary.md`);
    }
    const input = collectReportInput(dir);
    const html = path.join(out, "index.html");
    const markdown = path.join(out, "summary.md");
    const inputs = [
      ...input.runs.flatMap((run) => [run.source, path.join(path.dirname(run.source), "telemetry.jsonl")]),
      ...input.loads.map((load) => load.source),
    ];
    for (const file of [html, markdown]) refuseInputAsOutput(file, inputs, "--out");
    try {
      fs.mkdirSync(out, { recursive: true });
    } catch (error) {
      throw new CliError(`--out ${out}: cannot create (${error instanceof Error ? error.message : String(error)})`);
    }
    writeOutputFile(html, renderHtml(input), "--out");
    writeOutputFile(markdown, markdownTable(input), "--out");
    const written = { html, markdown, runs: input.runs.length, loads: input.loads.length };
    process.stdout.write(values.json === true ? `${JSON.stringify(written, null, 2)}\n` : `${written.html}\n${written.markdown}\n`);
    return 0;
  });
}
