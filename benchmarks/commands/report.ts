import * as fs from "fs";
import * as path from "path";
import { parseOptions, requireOption } from "../common/args";
import { CliError, runCommand } from "../common/cli-error";
import { collectReportInput } from "../report/collect";
import { markdownTable, renderHtml } from "../report/render";

export const usage = "usage: edgecall report SUMMARIES_DIR --out DIR [--json]\n";

/** Writes the report's files into `out`, created if missing; a path that is a file, or unwritable, is one line. */
function writeReport(out: string, files: Record<string, string>): void {
  if (fs.existsSync(out) && !fs.statSync(out).isDirectory()) {
    throw new CliError(`--out ${out}: is a file; give a directory (new or existing) for index.html and summary.md`);
  }
  try {
    fs.mkdirSync(out, { recursive: true });
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(out, name), text);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
    throw new CliError(`--out ${out}: cannot write (${reason}); give a directory you can write to`);
  }
}

/** `edgecall report SUMMARIES_DIR --out DIR [--json]`: writes DIR/index.html and DIR/summary.md. */
export function main(argv: string[]): Promise<number> {
  return runCommand("report", async () => {
    const { values, positionals } = parseOptions(argv, { out: { type: "string" }, json: { type: "boolean" } }, true);
    const dir = positionals[0];
    if (dir === undefined) throw new CliError(usage.trimEnd());
    const out = requireOption(values.out, "--out");
    const input = collectReportInput(dir);
    writeReport(out, { "index.html": renderHtml(input), "summary.md": markdownTable(input) });
    const written = { html: path.join(out, "index.html"), markdown: path.join(out, "summary.md"), runs: input.runs.length, loads: input.loads.length };
    process.stdout.write(values.json === true ? `${JSON.stringify(written, null, 2)}\n` : `${written.html}\n${written.markdown}\n`);
    return 0;
  });
}
