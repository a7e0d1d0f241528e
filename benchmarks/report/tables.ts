import type { ModelAggregate, Spread } from "../../domain/aggregate";
import { methodText } from "./headline";
import type { KeepUp } from "../../domain/keep-up";
import { missingProvenance, provenanceItems } from "./provenance";
import type { ReportRun } from "./collect";
import { escapeHtml } from "./escape-html";
import type { LiveEntry } from "./collect";

/** A table as plain cells, so the Markdown and the HTML page show exactly the same figures. */
export interface Table {
  headers: string[];
  rows: string[][];
}

/** Absent figures read NA, never 0: a missing meter is not a free run. */
export const num = (v: number | null | undefined, digits: number): string => (v === null || v === undefined ? "NA" : v.toFixed(digits));

/** `median (min-max)`; the range is left out for a single repeat, where it says nothing. */
export function spreadText(s: Spread | null, digits: number): string {
  if (s === null) return "NA";
  return s.min === s.max ? s.median.toFixed(digits) : `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}-${s.max.toFixed(digits)})`;
}

export function aggregateTable(aggregates: readonly ModelAggregate[]): Table {
  return {
    headers: ["model", "board kind", "power mode", "engine", "precision", "repeats", "bases/s", "samples/s", "reads/s", "median identity", "J/Mbase", "latency p95 (s)", "GPU mean %"],
    rows: aggregates.map((a) => [
      a.model, a.boardKind, a.powerMode ?? "NA", a.engine, a.precision, String(a.repeats),
      spreadText(a.basesPerS, 1), spreadText(a.samplesPerS, 0), spreadText(a.readsPerS, 2), spreadText(a.medianIdentity, 4),
      spreadText(a.joulesPerMegabase, 1), spreadText(a.latencyP95S, 3), spreadText(a.gpuLoadMeanPct, 1),
    ]),
  };
}

/** Per model and speed of the live benchmark: what was offered, what was called, how late, and the verdict. */
export function liveTable(lives: readonly LiveEntry[]): Table {
  return {
    headers: ["model", "engine", "speed", "offered samples/s", "sustained samples/s", "latency p50 (s)", "latency p95 (s)", "latency max (s)", "largest backlog (files)", "verdict"],
    rows: lives.flatMap((l) =>
      l.rates.map((r) => [
        l.model, l.engine, `${r.speed}x`, r.offeredSamplesPerS.toFixed(0), num(r.sustainedSamplesPerS, 0),
        num(r.latencyS.p50, 2), num(r.latencyS.p95, 2), num(r.latencyS.max, 2), String(r.largestBacklog.files),
        r.verdict === "keeps up" ? "keeps up" : `falls behind (${r.behindMinutesPerHour} min per hour)`,
      ]),
    ),
  };
}

/** Adaptive sampling per model: the largest channel count its service answered in time, and each count's share. */
export function readUntilTable(lives: readonly LiveEntry[]): Table {
  return {
    headers: ["model", "largest channel count served", "chunks in time per channel count", "latency p95 (s) per channel count"],
    rows: lives.flatMap((l) => {
      const ru = l.readUntil;
      if (ru === undefined) return [];
      const served = ru.servedChannels === null ? `none (${(ru.inTimeGoal * 100).toFixed(0)}% in ${ru.chunkS} s)` : `${ru.servedChannels} (${(ru.inTimeGoal * 100).toFixed(0)}% in ${ru.chunkS} s)`;
      return [[
        l.model, served,
        ru.levels.map((v) => `${v.channels}: ${(v.in_time_share * 100).toFixed(1)}%`).join(", "),
        ru.levels.map((v) => `${v.channels}: ${num(v.latency_p95_s, 3)}`).join(", "),
      ]];
    }),
  };
}

export function keepUpTable(rows: readonly KeepUp[]): Table {
  return {
    headers: ["model", "board kind", "power mode", "engine", "precision", "keep-up factor", "boards needed", "how"],
    rows: rows.map((k) => [k.model, k.boardKind, k.powerMode ?? "NA", k.engine, k.precision, k.factor.toFixed(3), k.boardsNeeded === null ? "NA" : String(k.boardsNeeded), methodText(k.method)]),
  };
}

/** One row per run; the last column flags a run whose provenance is incomplete. */
export function runsTable(runs: readonly ReportRun[]): Table {
  return {
    headers: ["model", "board", "run", "reads/s", "bases/s", "median identity", "J/Mbase", "GPU mean %", "latency p50 / p95 (s)", "provenance"],
    rows: runs.map(({ summary: s }) => {
      const missing = missingProvenance(s);
      return [
        s.model, s.board ?? "NA", `${s.run_id}#${s.repeat}`, num(s.throughput.reads_per_s, 2), num(s.throughput.bases_per_s, 1),
        num(s.accuracy?.median_identity, 4), num(s.energy?.joules_per_megabase, 1), num(s.resources?.gpu_load_mean_pct, 1),
        `${num(s.throughput.latency_p50_s, 3)} / ${num(s.throughput.latency_p95_s, 3)}`,
        missing.length === 0 ? "complete" : `MISSING: ${missing.join(", ")}`,
      ];
    }),
  };
}

export function provenanceTable(runs: readonly ReportRun[]): Table {
  const labels = runs.length === 0 ? [] : provenanceItems(runs[0].summary).map((i) => i.label);
  return {
    headers: ["model", "run", ...labels],
    rows: runs.map(({ summary: s }) => [s.model, `${s.run_id}#${s.repeat}`, ...provenanceItems(s).map((i) => i.value ?? "NA")]),
  };
}

/**
 * Text from a run (a model, board or run name) as Markdown shows it, not as Markdown reads it: HTML
 * escaped as index.html does, a line break would end the table row (and could start a heading), a
 * pipe would split a cell.
 */
export const markdownText = (text: string): string => escapeHtml(text).replace(/[\r\n]+/g, " ");
const mdCell = (text: string): string => markdownText(text).replace(/\|/g, "\\|");

export function markdown(table: Table): string {
  return [
    `| ${table.headers.map(mdCell).join(" | ")} |`,
    `|${table.headers.map(() => "---").join("|")}|`,
    ...table.rows.map((row) => `| ${row.map(mdCell).join(" | ")} |`),
  ].join("\n") + "\n";
}

/** Cells that flag a problem (missing provenance, a setting the boards did not take): shown in red. */
const FLAGGED = /^(MISSING|NOT TAKEN):/;

export function html(table: Table): string {
  const head = table.headers.map((h) => `<th>${escapeHtml(h)}</th>`).join("");
  const body = table.rows.map((row) => `<tr>${row.map((c) => `<td${FLAGGED.test(c) ? ' class="flag"' : ""}>${escapeHtml(c)}</td>`).join("")}</tr>`).join("\n");
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}
