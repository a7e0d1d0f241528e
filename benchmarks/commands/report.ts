import * as fs from "fs";
import * as path from "path";
import { parseOptions, requireOption } from "../common/args";
import { CliError, runCommand } from "../common/cli-error";
import { collectReportInput } from "../report/collect";
import { markdownTable, renderHtml } from "../report/render";

/** `edgecall report SUMMARIES_DIR --out DIR [--json]`: writes DIR/index.html and DIR/summary.md. */
export function main(argv: string[]): Promise<number> {
  return runCommand("report", async () => {
    const { values, positionals } = parseOptions(argv, { out: { type: "string" }, json: { type: "boolean" } }, true);
    const dir = positionals[0];
    if (dir === undefined) throw new CliError("usage: edgecall report SUMMARIES_DIR --out DIR");
    const out = requireOption(values.out, "--out");
    const input = collectReportInput(dir);
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, "index.html"), renderHtml(input));
    fs.writeFileSync(path.join(out, "summary.md"), markdownTable(input));
    const written = { html: path.join(out, "index.html"), markdown: path.join(out, "summary.md"), runs: input.runs.length, loads: input.loads.length };
    process.stdout.write(values.json === true ? `${JSON.stringify(written, null, 2)}\n` : `${written.html}\n${written.markdown}\n`);
    return 0;
  });
}
