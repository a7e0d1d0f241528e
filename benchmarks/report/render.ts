import * as path from "path";
import { ModelAggregate, aggregateRuns } from "../../domain/aggregate";
import { renderCharts, runLabel } from "./charts";
import { ReportInput } from "./collect";
import { DEFAULT_FLOW_CELL, FlowCell } from "../../domain/flow-cell";
import { headline, liveHeadline } from "./headline";
import { KeepUp, SpeedupPoint, keepUp } from "../../domain/keep-up";
import { TradeOffPoint, paretoFrontier } from "./pareto";
import { escapeHtml } from "./escape-html";
import { aggregateTable, html, keepUpTable, liveTable, markdown, markdownText, num, provenanceTable, readUntilTable, runsTable } from "./tables";

/** What the keep-up factor is measured against: the flow cell, and the scaling curves measured per model. */
export interface KeepUpBasis {
  cell: FlowCell;
  curves: Readonly<Record<string, readonly SpeedupPoint[]>>;
}

interface Analysis {
  aggregates: ModelAggregate[];
  keepUp: KeepUp[];
  headline: string;
}

function analyse(input: ReportInput, basis: KeepUpBasis): Analysis {
  const aggregates = aggregateRuns(input.runs.map((r) => r.summary));
  const rows = keepUp(aggregates, basis.cell, basis.curves);
  const live = liveHeadline(input.lives ?? []);
  return { aggregates, keepUp: rows, headline: live === "" ? headline(rows, basis.cell) : `${headline(rows, basis.cell)} ${live}` };
}

const LIVE_HEADING = "Live: calling a run as it is written";
const READ_UNTIL_HEADING = "Adaptive sampling: channels served in time";
const readUntilRows = (input: ReportInput) => (input.lives ?? []).filter((l) => l.readUntil !== undefined).length;

const DEFAULT_BASIS: KeepUpBasis = { cell: DEFAULT_FLOW_CELL, curves: {} };

/** `summary.md`: the headline, the per-model aggregates and keep-up first, then every run and its provenance. */
export function markdownReport(input: ReportInput, basis: KeepUpBasis = DEFAULT_BASIS): string {
  const a = analyse(input, basis);
  return [
    `${markdownText(a.headline)}\n`,
    "## Per model (median, min-max over repeats)\n",
    markdown(aggregateTable(a.aggregates)),
    "## Keep-up with the flow cell\n",
    markdown(keepUpTable(a.keepUp)),
    ...((input.lives ?? []).length === 0 ? [] : [`## ${LIVE_HEADING}\n`, markdown(liveTable(input.lives ?? []))]),
    ...(readUntilRows(input) === 0 ? [] : [`## ${READ_UNTIL_HEADING}\n`, markdown(readUntilTable(input.lives ?? []))]),
    "## Runs\n",
    markdown(runsTable(input.runs)),
    "## Provenance\n",
    markdown(provenanceTable(input.runs)),
  ].join("\n");
}

function tradeOffPoints(input: ReportInput): TradeOffPoint[] {
  return input.runs.flatMap((run) => {
    const identity = run.summary.accuracy?.median_identity;
    if (identity === null || identity === undefined) return [];
    return [{ label: runLabel(run), basesPerS: run.summary.throughput.bases_per_s, identity, joulesPerMegabase: run.summary.energy?.joules_per_megabase ?? null }];
  });
}

/** Where each load-generator result came from: its file and the target it drove. */
function loadList(input: ReportInput): string {
  if (input.loads.length === 0) return "";
  const items = input.loads.map((l) => `<li>${escapeHtml(path.basename(l.source))}: ${escapeHtml(l.target)}, ${l.levels.length} concurrency level(s)</li>`).join("");
  return `<p>Load-generator results:</p>\n<ul>${items}</ul>`;
}

/**
 * The offline HTML page: headline, aggregates, keep-up, then the charts (inline SVG, drawn by Vega in
 * Node), the runs and their provenance. One file with no script and nothing fetched.
 */
export async function renderHtml(input: ReportInput, basis: KeepUpBasis = DEFAULT_BASIS): Promise<string> {
  const a = analyse(input, basis);
  const frontier = paretoFrontier(tradeOffPoints(input));
  const charts = await renderCharts({ input, aggregates: a.aggregates, keepUp: a.keepUp, frontier, curves: basis.curves });
  const frontierList = frontier.map((p) => `<li>${escapeHtml(p.label)}: ${p.basesPerS.toFixed(1)} bases/s, identity ${p.identity.toFixed(4)}, ${num(p.joulesPerMegabase, 1)} J/Mbase</li>`).join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>edgecall benchmark report</title>
<style>body{font-family:sans-serif;max-width:1000px;margin:2em auto;color:#222}figure{margin:1.5em 0}figure.chart svg{max-width:100%;height:auto}figcaption{margin-bottom:.4em}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.25em .5em;text-align:right}td:first-child,th:first-child{text-align:left}td.flag{color:#a00;font-weight:bold}p.headline{font-size:1.2em;font-weight:bold}</style>
</head><body>
<h1>edgecall benchmark report</h1>
<p class="headline">${escapeHtml(a.headline)}</p>
<h2>Per model (median, min-max over repeats)</h2>
${html(aggregateTable(a.aggregates))}
<h2>Keep-up with the flow cell</h2>
<p>Keep-up factor: the median samples/s over the samples/s the flow cell produces; 1 or more keeps up on one board.</p>
${html(keepUpTable(a.keepUp))}
${charts["keep-up"]}
${charts.scaling}
<h2>Trade-offs</h2>
<p>${input.runs.length} run(s). Better is faster (right), more accurate (up) and fewer joules per megabase.
A run is on the Pareto frontier when no other run is at least as good on all three and better on one.</p>
${charts["accuracy-throughput"]}
<p>On the Pareto frontier:</p>
<ul>${frontierList}</ul>
${charts["energy-throughput"]}
<h2>Power and load</h2>
${charts.power}
${charts.concurrency}
${loadList(input)}
<h2>${LIVE_HEADING}</h2>
${(input.lives ?? []).length === 0 ? "" : `<p>The sequencer stand-in wrote the benchmark's reads at each speed (a multiple of the flow cell's rate) while the watcher called them; latency runs from a file's completion to its reads' FASTQ records.</p>\n${html(liveTable(input.lives ?? []))}`}
${charts.live}
${readUntilRows(input) === 0 ? "" : `<h3>${READ_UNTIL_HEADING}</h3>\n<p>Each channel count sent one chunk of signal per channel every decision interval to the model's service; a chunk answered within the interval is in time.</p>\n${html(readUntilTable(input.lives ?? []))}`}
<h2>Runs</h2>
${html(runsTable(input.runs))}
<h2>Provenance</h2>
${html(provenanceTable(input.runs))}
</body></html>
`;
}
