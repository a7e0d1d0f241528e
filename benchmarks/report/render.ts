import { inputRail, powerSeries } from "../energy/integrate";
import { ReportInput } from "./collect";
import { TradeOffPoint, paretoFrontier } from "./pareto";
import { Series, chart, escapeHtml } from "./svg";

const num = (v: number | null | undefined, digits: number): string => (v === null || v === undefined ? "NA" : v.toFixed(digits));

function label(run: ReportInput["runs"][number]): string {
  const s = run.summary;
  return `${s.model}${s.board ? `@${s.board}` : ""} ${s.run_id}#${s.repeat}`;
}

/** The Markdown table: one row per run. */
export function markdownTable(input: ReportInput): string {
  const rows = input.runs.map((run) => {
    const s = run.summary;
    return `| ${s.model} | ${s.board ?? "NA"} | ${s.run_id}#${s.repeat} | ${num(s.throughput.reads_per_s, 2)} | ${num(s.throughput.bases_per_s, 1)} | ${num(s.accuracy?.median_identity, 4)} | ${num(s.energy?.joules_per_megabase, 1)} | ${num(s.resources?.gpu_load_mean_pct, 1)} | ${num(s.throughput.latency_p50_s, 3)} / ${num(s.throughput.latency_p95_s, 3)} |`;
  });
  return [
    "| model | board | run | reads/s | bases/s | median identity | J/Mbase | GPU mean % | latency p50 / p95 (s) |",
    "|---|---|---|---|---|---|---|---|---|",
    ...rows,
  ].join("\n") + "\n";
}

function tradeOffPoints(input: ReportInput): TradeOffPoint[] {
  return input.runs.flatMap((run) => {
    const identity = run.summary.accuracy?.median_identity;
    if (identity === null || identity === undefined) return [];
    return [{ label: label(run), basesPerS: run.summary.throughput.bases_per_s, identity, joulesPerMegabase: run.summary.energy?.joules_per_megabase ?? null }];
  });
}

/** The offline HTML page: trade-off with its Pareto frontier, throughput against concurrency, power timelines, table. */
export function renderHtml(input: ReportInput): string {
  const points = tradeOffPoints(input);
  const frontier = paretoFrontier(points);
  const tradeOff: Series[] = [
    { label: "runs", line: false, points: points.map((p) => ({ x: p.basesPerS, y: p.identity, title: `${p.label}: ${p.basesPerS.toFixed(1)} bases/s, identity ${p.identity.toFixed(4)}, ${num(p.joulesPerMegabase, 1)} J/Mbase` })) },
    { label: "Pareto frontier", line: true, points: frontier.map((p) => ({ x: p.basesPerS, y: p.identity, title: `${p.label} (on the frontier)` })) },
  ];
  const concurrency: Series[] = input.loads.map((load) => ({
    label: load.target,
    line: true,
    points: load.levels.map((l) => ({ x: l.concurrency, y: l.reads_per_s, title: `${l.concurrency} in flight: ${l.reads_per_s.toFixed(2)} reads/s` })),
  }));
  const power: Series[] = input.runs
    .filter((run) => run.samples.length > 1)
    .map((run) => {
      const start = Date.parse(run.summary.window.start);
      const series = powerSeries(run.samples, inputRail(run.samples));
      return { label: label(run), line: true, points: series.map((p) => ({ x: (p.t - start) / 1000, y: p.watts })) };
    });
  const frontierList = frontier.map((p) => `<li>${escapeHtml(p.label)}: ${p.basesPerS.toFixed(1)} bases/s, identity ${p.identity.toFixed(4)}, ${num(p.joulesPerMegabase, 1)} J/Mbase</li>`).join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>edgecall benchmark report</title>
<style>body{font-family:sans-serif;max-width:980px;margin:2em auto;color:#222}figure{margin:1.5em 0}figcaption{font-weight:bold;margin-bottom:.4em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25em .5em;text-align:right}td:first-child,th:first-child{text-align:left}</style>
</head><body>
<h1>edgecall benchmark report</h1>
<p>${input.runs.length} run(s). Better is faster (right), more accurate (up) and fewer joules per megabase.
A run is on the Pareto frontier when no other run is at least as good on all three and better on one.</p>
${chart("Accuracy against throughput", "bases/s", "median identity", tradeOff)}
<ul>${frontierList}</ul>
${chart("Throughput against concurrency (load generator)", "requests in flight", "reads/s", concurrency)}
${chart("Power over each run (input rail)", "seconds from the start of the timed window", "watts", power)}
<h2>Runs</h2>
<table><thead><tr><th>model</th><th>board</th><th>run</th><th>reads/s</th><th>bases/s</th><th>median identity</th><th>J/Mbase</th><th>GPU mean %</th><th>p50 / p95 s</th></tr></thead><tbody>
${input.runs.map((run) => { const s = run.summary; return `<tr><td>${escapeHtml(s.model)}</td><td>${escapeHtml(s.board ?? "NA")}</td><td>${escapeHtml(`${s.run_id}#${s.repeat}`)}</td><td>${num(s.throughput.reads_per_s, 2)}</td><td>${num(s.throughput.bases_per_s, 1)}</td><td>${num(s.accuracy?.median_identity, 4)}</td><td>${num(s.energy?.joules_per_megabase, 1)}</td><td>${num(s.resources?.gpu_load_mean_pct, 1)}</td><td>${num(s.throughput.latency_p50_s, 3)} / ${num(s.throughput.latency_p95_s, 3)}</td></tr>`; }).join("\n")}
</tbody></table>
</body></html>
`;
}
