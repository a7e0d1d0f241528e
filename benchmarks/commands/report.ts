import * as fs from "fs";
import * as path from "path";
import { parseOptions, requireOption } from "../common/args";
import { CliError, runCommand } from "../common/cli-error";
import { refuseInputAsOutput, writeOutputFile } from "../common/output-file";
import { ReportInput, collectReportInput } from "../report/collect";
import { DEFAULT_FLOW_CELL, parseFlowCell } from "../../domain/flow-cell";
import { SpeedupPoint } from "../../domain/keep-up";
import { markdownReport, renderHtml } from "../report/render";
import { parseStackOutput, readStack } from "../report/stack-output";
import { collectExperiment, isExperimentDir } from "../report/experiment/collect-experiment";
import { experimentHtml, experimentMarkdown } from "../report/experiment/render-experiment";

export const usage =
  "usage: edgecall report (SUMMARIES_DIR | - | --stack NAME) --out DIR [--flow-cell CHANNELS:HZ|minion-r9|minion-r10] [--json]\n" +
  "       edgecall report EXPERIMENT_DIR --out DIR [--power-cap-w W] [--json]   (a directory edgecall sweep wrote)\n";

interface Source {
  input: ReportInput;
  curves: Record<string, SpeedupPoint[]>;
  /** Files read, which --out must not overwrite. */
  files: string[];
}

/** Summaries from a directory, from stdin (`-`: stack output JSON) or from a stack's output. */
function readSource(positional: string | undefined, stack: string | undefined): Source {
  if (stack !== undefined && positional !== undefined) throw new CliError("give SUMMARIES_DIR, - or --stack NAME, not two of them");
  if (stack !== undefined) return { ...parseStackOutput(readStack(stack), `stack ${stack}`), files: [] };
  if (positional === undefined) throw new CliError(usage.trimEnd());
  if (positional === "-") return { ...parseStackOutput(fs.readFileSync(0, "utf8"), "stdin"), files: [] };
  const input = collectReportInput(positional);
  const files = [
    ...input.runs.flatMap((run) => [run.source, path.join(path.dirname(run.source), "telemetry.jsonl")]),
    ...input.loads.map((load) => load.source),
  ];
  return { input, curves: {}, files };
}

/**
 * Creates --out and any missing parents, one level at a time from the nearest existing directory:
 * Node's own recursive mkdir loops forever under /proc, where every mkdir fails the same way.
 */
function makeOutputDirectory(out: string): void {
  const missing: string[] = [];
  let existing = path.resolve(out);
  while (fs.lstatSync(existing, { throwIfNoEntry: false }) === undefined) {
    missing.unshift(existing);
    existing = path.dirname(existing);
  }
  if (!fs.statSync(existing).isDirectory()) throw new CliError(`--out ${out}: ${existing} is not a directory; give a directory (new or existing)`);
  for (const dir of missing) {
    try {
      fs.mkdirSync(dir);
    } catch (error) {
      throw new CliError(`--out ${out}: cannot create ${dir} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
  }
}

/** An experiment's report: every setting compared per model, and the verdicts. */
function reportExperiment(dir: string, out: string, powerCapW: number | undefined, json: boolean): number {
  if (fs.existsSync(out) && !fs.statSync(out).isDirectory()) throw new CliError(`--out ${out}: is a file; give a directory (new or existing) for index.html and summary.md`);
  const input = collectExperiment(dir);
  const html = path.join(out, "index.html");
  const markdown = path.join(out, "summary.md");
  makeOutputDirectory(out);
  writeOutputFile(html, experimentHtml(input, { powerCapW }), "--out");
  writeOutputFile(markdown, experimentMarkdown(input, { powerCapW }), "--out");
  const written = { html, markdown, points: input.points.length, failed: input.failed.length, pending: input.pending.length };
  process.stdout.write(json ? `${JSON.stringify(written, null, 2)}\n` : `${html}\n${markdown}\n`);
  return 0;
}

/** `edgecall report`: writes DIR/index.html and DIR/summary.md. */
export function main(argv: string[]): Promise<number> {
  return runCommand("report", async () => {
    const { values, positionals } = parseOptions(
      argv,
      { out: { type: "string" }, json: { type: "boolean" }, stack: { type: "string" }, "flow-cell": { type: "string" }, "power-cap-w": { type: "string" } },
      true,
    );
    const out = requireOption(values.out, "--out");
    const powerCapW = values["power-cap-w"] === undefined ? undefined : Number(values["power-cap-w"]);
    if (powerCapW !== undefined && !(powerCapW > 0)) throw new CliError(`--power-cap-w must be a positive number of watts, got ${values["power-cap-w"]}`);
    if (positionals[0] !== undefined && positionals[0] !== "-" && isExperimentDir(positionals[0])) {
      return reportExperiment(positionals[0], out, powerCapW, values.json === true);
    }
    if (powerCapW !== undefined) throw new CliError("--power-cap-w is for an experiment directory (edgecall sweep's --dir)");
    let cell = DEFAULT_FLOW_CELL;
    if (values["flow-cell"] !== undefined) {
      try {
        cell = parseFlowCell(values["flow-cell"]);
      } catch (error) {
        throw new CliError(`--flow-cell ${(error as Error).message}`);
      }
    }
    // Checked before the summaries are read: with hundreds of them that is the long part.
    if (fs.existsSync(out) && !fs.statSync(out).isDirectory()) {
      throw new CliError(`--out ${out}: is a file; give a directory (new or existing) for index.html and summary.md`);
    }
    const { input, curves, files } = readSource(positionals[0], values.stack);
    const html = path.join(out, "index.html");
    const markdown = path.join(out, "summary.md");
    for (const file of [html, markdown]) refuseInputAsOutput(file, files, "--out");
    makeOutputDirectory(out);
    const basis = { cell, curves };
    writeOutputFile(html, await renderHtml(input, basis), "--out");
    writeOutputFile(markdown, markdownReport(input, basis), "--out");
    const written = { html, markdown, runs: input.runs.length, loads: input.loads.length };
    process.stdout.write(values.json === true ? `${JSON.stringify(written, null, 2)}\n` : `${written.html}\n${written.markdown}\n`);
    return 0;
  });
}
