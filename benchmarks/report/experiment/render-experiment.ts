import { escapeHtml } from "../escape-html";
import { Table, html, markdown, markdownText, num } from "../tables";
import type { ExperimentInput } from "./collect-experiment";
import { SettingRow, Verdict, compareSettings, verdicts } from "./compare";

export interface ExperimentReportOptions {
  /** `--power-cap-w`: the verdict adds the fastest setting whose mean power stays within it. */
  powerCapW?: number;
}

function settingsTable(rows: readonly SettingRow[]): Table {
  return {
    headers: ["model", "point", "settings", "repeats", "bases/s", "J/Mbase", "median identity", "mean W", "Pareto frontier", "flags"],
    rows: rows.map((r) => [
      r.model, r.point.id, r.point.label, String(r.repeats), num(r.basesPerS, 1), num(r.joulesPerMegabase, 1), num(r.identity, 4), num(r.meanWatts, 2),
      r.onFrontier ? "yes" : "", r.flags.length === 0 ? "" : `NOT TAKEN: ${r.flags.join("; ")}`,
    ]),
  };
}

const named = (row: SettingRow | null | undefined, figure: string): string => (row === null || row === undefined ? "none" : `${row.point.id} (${row.point.label}): ${figure}`);

function verdictTable(list: readonly Verdict[], powerCapW: number | undefined): Table {
  const capHeader = powerCapW === undefined ? [] : [`fastest within ${powerCapW} W`];
  return {
    headers: ["model", "fastest", "most frugal (J/Mbase)", ...capHeader],
    rows: list.map((v) => [
      v.model,
      named(v.fastest, `${num(v.fastest?.basesPerS, 1)} bases/s`),
      named(v.mostFrugal, `${num(v.mostFrugal?.joulesPerMegabase, 1)} J/Mbase`),
      ...(powerCapW === undefined ? [] : [named(v.fastestUnderCap, `${num(v.fastestUnderCap?.basesPerS, 1)} bases/s at ${num(v.fastestUnderCap?.meanWatts, 2)} W`)]),
    ]),
  };
}

function statusLines(input: ExperimentInput): string[] {
  const lines = [`Experiment ${input.name} on stack ${input.stack}: ${input.points.length} point(s) measured.`];
  for (const { point, error } of input.failed) lines.push(`Point ${point.id} (${point.label}) failed: ${error}`);
  if (input.pending.length > 0) lines.push(`Not measured yet: ${input.pending.map((p) => `${p.id} (${p.label})`).join(", ")}; run the sweep again to measure them.`);
  return lines;
}

const CAPTION =
  "Medians over each point's repeats. A setting is on its model's Pareto frontier when no other setting is at least as fast, as accurate and as frugal (J/Mbase) and better on one. A setting the boards did not take (a power mode they kept, a precision the model lacks) is flagged and never compared.";

/** `summary.md` of an experiment: status, verdicts, then every model at every setting. */
export function experimentMarkdown(input: ExperimentInput, options: ExperimentReportOptions = {}): string {
  const rows = compareSettings(input);
  return [
    `# Experiment ${markdownText(input.name)}\n`,
    ...statusLines(input).map((l) => `${markdownText(l)}\n`),
    "## Verdict per model\n",
    markdown(verdictTable(verdicts(rows, options.powerCapW), options.powerCapW)),
    "## Every setting\n",
    `${CAPTION}\n`,
    markdown(settingsTable(rows)),
  ].join("\n");
}

/** The experiment's offline HTML page, the same tables as summary.md. */
export function experimentHtml(input: ExperimentInput, options: ExperimentReportOptions = {}): string {
  const rows = compareSettings(input);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>edgecall experiment ${escapeHtml(input.name)}</title>
<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.25em .5em;text-align:right}td:first-child,th:first-child{text-align:left}td.flag{color:#a00;font-weight:bold}</style>
</head><body>
<h1>edgecall experiment ${escapeHtml(input.name)}</h1>
${statusLines(input).map((l) => `<p>${escapeHtml(l)}</p>`).join("\n")}
<h2>Verdict per model</h2>
${html(verdictTable(verdicts(rows, options.powerCapW), options.powerCapW))}
<h2>Every setting</h2>
<p>${escapeHtml(CAPTION)}</p>
${html(settingsTable(rows))}
</body></html>
`;
}
