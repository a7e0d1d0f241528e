import { describe, expect, it } from "vitest";
import { aggregateRuns } from "../../domain/aggregate";
import { chartSpecs, renderCharts } from "../../benchmarks/report/charts";
import { accuracyThroughputSpec } from "../../benchmarks/report/charts/accuracy-throughput";
import { modelScales, palette } from "../../benchmarks/report/charts/palette";
import { powerSpec } from "../../benchmarks/report/charts/power";
import { renderSvg } from "../../benchmarks/report/charts/render-svg";
import { medianPoints, runPoints } from "../../benchmarks/report/charts/trade-off-data";
import type { ReportInput, ReportRun } from "../../benchmarks/report/collect";
import { DEFAULT_FLOW_CELL } from "../../domain/flow-cell";
import { keepUp } from "../../domain/keep-up";
import { paretoFrontier } from "../../benchmarks/report/pareto";
import { renderHtml } from "../../benchmarks/report/render";
import type { Summary } from "../../domain/summary";
import { summaryFor } from "./helpers/summaries";

const MODELS = ["chiron", "rodan", "sacall"];
const WINDOW_START = Date.parse("2026-11-24T10:00:00.000Z");

/** A repeat with accuracy and energy (and an idle baseline), and 90 s of telemetry from 10 s before its window. */
function run(model: string, repeat: number): ReportRun {
  const m = MODELS.indexOf(model);
  const base = summaryFor(model, repeat, 400 + m * 900 + repeat * 37);
  const summary: Summary = {
    ...base,
    accuracy: { reads: 10, bases: 1000, aligned_reads: 9, unaligned_fraction: 0.1, median_identity: 0.83 + m * 0.04 + repeat * 0.004, mean_identity: 0.8, mismatch_rate: 0.01, insertion_rate: 0.01, deletion_rate: 0.01 },
    energy: { rail: "POM_5V_IN", joules: 300, mean_watts: 5, seconds: 60, joules_per_read: 30, joules_per_megabase: 120 - m * 30 + repeat * 3, above_idle: { joules: 120, mean_watts: 2, joules_per_megabase: 40 }, per_rail_mean_watts: {} },
  };
  const samples = Array.from({ length: 90 }, (_v, k) => ({
    time: new Date(WINDOW_START - 10_000 + k * 1000).toISOString(),
    cpu: [],
    temperatures: {},
    rails: { POM_5V_IN: { mw: 3000 + (k >= 10 && k < 70 ? 2000 : 0) + repeat * 100 } },
  }));
  return { summary, source: `/runs/${model}-${repeat}/summary.json`, samples };
}

function input(): ReportInput {
  return {
    runs: MODELS.flatMap((m) => [0, 1, 2].map((r) => run(m, r))),
    loads: MODELS.map((m, i) => ({
      source: `/runs/loadgen-${m}.json`,
      target: `nano-${i}:600${i}`,
      levels: [1, 2, 4, 8].map((c) => ({ concurrency: c, requests: 10, succeeded: 10, errors: {}, seconds: 10, reads_per_s: Math.min(c, 4) * (1 + i), bases_per_s: 1000, latency_mean_s: 0.5, latency_p50_s: 0.4, latency_p95_s: 0.2 * c, latency_p99_s: c })),
    })),
    // Every model live at two speeds: one kept up (the backlog stays at a file), one fell behind (it climbs).
    lives: MODELS.map((model) => ({
      model,
      engine: "torch",
      precision: "fp32",
      durationS: 12,
      rates: [0.5, 4].map((speed) => ({
        speed,
        offeredSamplesPerS: 100_000 * speed,
        sustainedSamplesPerS: 150_000,
        latencyS: { p50: 0.3, p95: speed > 1 ? 9 : 0.6, max: speed > 1 ? 12 : 0.7 },
        largestBacklog: { files: speed > 1 ? 9 : 1, reads: speed > 1 ? 18 : 2 },
        backlog: speed > 1 ? ([[0, 0, 0], [4, 3, 6], [8, 6, 12], [12, 9, 18]] as Array<[number, number, number]>) : ([[0, 0, 0], [2, 1, 2], [4, 0, 0]] as Array<[number, number, number]>),
        verdict: speed > 1 ? ("falls behind" as const) : ("keeps up" as const),
        behindMinutesPerHour: speed > 1 ? 38 : 0,
        filesSetAside: 0,
      })),
    })),
  };
}

const curves = { chiron: [{ boards: 1, speedup: 1 }, { boards: 2, speedup: 1.8 }, { boards: 4, speedup: 3.1 }], sacall: [{ boards: 1, speedup: 1 }, { boards: 2, speedup: 1.9 }] };

function chartData(i: ReportInput = input()) {
  const aggregates = aggregateRuns(i.runs.map((r) => r.summary));
  const frontier = paretoFrontier(runPoints(i.runs).flatMap((p) => (p.identity === null ? [] : [{ ...p, identity: p.identity }])));
  return { input: i, aggregates, keepUp: keepUp(aggregates, DEFAULT_FLOW_CELL, curves), frontier, curves };
}

/**
 * The visible texts of the `role-axis-label` group that follows the axis whose aria-label starts
 * with `axis` ("X-axis titled 'bases/s'"). Vega hides labels that would overlap with opacity="0".
 */
function axisLabels(svg: string, axis: string): string[][] {
  const groups: string[][] = [];
  let at = svg.indexOf(`aria-label="${axis}`);
  while (at >= 0) {
    const labels = svg.indexOf('class="mark-text role-axis-label"', at);
    const end = svg.indexOf("</g>", labels);
    groups.push([...svg.slice(labels, end).matchAll(/<text[^>]*opacity="1"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]));
    at = svg.indexOf(`aria-label="${axis}`, end);
  }
  return groups;
}

/** Ticks are round when they are the multiples of one step of 1, 2 or 5 times a power of ten. */
function isRound(labels: readonly string[]): boolean {
  const values = labels.map((l) => Number(l.replace(/,/g, "")));
  if (values.some((v) => !Number.isFinite(v)) || values.length < 2) return false;
  const step = values[1] - values[0];
  const power = 10 ** Math.floor(Math.log10(step));
  const mantissa = Math.round((step / power) * 1e9) / 1e9;
  if (![1, 2, 5].includes(mantissa)) return false;
  return values.every((v, i) => Math.abs(v - values[0] - i * step) < step * 1e-6 && Math.abs(v / step - Math.round(v / step)) < 1e-6);
}

const count = (text: string, pattern: RegExp): number => text.match(pattern)?.length ?? 0;

describe("report chart palette", () => {
  it("gives every model its own colour and marker shape, the same whichever models a chart shows", () => {
    const p = palette(["sacall", "chiron", "rodan", "catcaller", "chiron"]);
    const styles = p.models.map((m) => `${p.style(m).colour} ${p.style(m).shape}`);
    expect(new Set(styles).size).toBe(4);
    expect(new Set(p.models.map((m) => p.style(m).colour)).size).toBe(4);
    expect(new Set(p.models.map((m) => p.style(m).shape)).size).toBe(4);
    const some = modelScales(p, ["sacall", "rodan"]);
    expect(some.domain).toEqual(["rodan", "sacall"]);
    expect(some.colours).toEqual([p.style("rodan").colour, p.style("sacall").colour]);
    expect(some.shapes).toEqual([p.style("rodan").shape, p.style("sacall").shape]);
    const many = palette(Array.from({ length: 64 }, (_v, i) => `m${String(i).padStart(2, "0")}`));
    expect(new Set(many.models.map((m) => `${many.style(m).colour} ${many.style(m).shape}`)).size).toBe(64);
  });

  it("every spec colours and shapes its models from the one palette", () => {
    const specs = chartSpecs(chartData());
    expect(specs.map((s) => s.info.slug)).toEqual(["accuracy-throughput", "energy-throughput", "keep-up", "power", "concurrency", "scaling", "live"]);
    const ranges = new Map<string, string>();
    const visit = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(visit);
      if (node === null || typeof node !== "object") return;
      const o = node as Record<string, unknown>;
      const color = o.color as { scale?: { domain?: string[]; range?: string[] } } | undefined;
      if (color?.scale?.domain && color.scale.range) {
        color.scale.domain.forEach((m, i) => {
          const colour = color.scale?.range?.[i] ?? "";
          expect(ranges.get(m) ?? colour).toBe(colour);
          ranges.set(m, colour);
        });
      }
      Object.values(o).forEach(visit);
    };
    specs.forEach((s) => visit(s.spec));
    // The live chart's series ("rodan at 4x") take their model's colour.
    const modelOf = (name: string) => name.split(" at ")[0];
    expect([...new Set([...ranges.keys()].map(modelOf))].sort()).toEqual(MODELS);
    for (const [name, colour] of ranges) expect(colour, name).toBe(ranges.get(modelOf(name)));
    expect(new Set(ranges.values()).size).toBe(3);
  });
});

describe("report charts rendered by vega", () => {
  it("accuracy against throughput: a legend entry per model, repeats and medians, the Pareto line, round ticks", async () => {
    const data = chartData();
    const spec = accuracyThroughputSpec(runPoints(data.input.runs), medianPoints(data.aggregates), data.frontier, palette(MODELS));
    expect(spec).not.toBeNull();
    const svg = await renderSvg(spec!);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(count(svg, /<svg /g)).toBe(1);
    const legendLabels = [...svg.matchAll(/class="mark-text role-legend-label"[^>]*><text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(legendLabels).toEqual(MODELS);
    expect(count(svg, /class="mark-symbol role-legend-symbol"/g)).toBe(3);
    // 9 repeats as small points, 3 medians as large ones, one path for the frontier.
    const marks = (name: string): string => svg.slice(svg.indexOf(`role-mark ${name}_marks`), svg.indexOf("</g>", svg.indexOf(`role-mark ${name}_marks`)));
    expect(count(marks("repeats"), /<path /g)).toBe(9);
    expect(count(marks("medians"), /<path /g)).toBe(3);
    expect(svg).toContain('class="mark-line role-mark pareto_marks"');
    expect(count(marks("pareto"), /<path /g)).toBe(1);
    const [x] = axisLabels(svg, "X-axis titled 'bases/s'");
    expect(x.length).toBeGreaterThan(2);
    expect(isRound(x)).toBe(true);
    expect(Number(x[0])).toBe(0);
    const [y] = axisLabels(svg, "Y-axis titled 'median identity'");
    expect(isRound(y)).toBe(true);
  });

  it("the round-tick check itself refuses ticks that are not", () => {
    expect(isRound(["0", "500", "1,000", "1,500"])).toBe(true);
    expect(isRound(["0.80", "0.82", "0.84"])).toBe(true);
    expect(isRound(["0", "3", "6"])).toBe(false);
    expect(isRound(["12.5", "25", "37.5"])).toBe(false);
  });

  it("power: one panel per model, x from 0 s although the telemetry starts before the window", async () => {
    const spec = powerSpec(input().runs, palette(MODELS));
    expect(spec).not.toBeNull();
    expect(JSON.stringify(spec)).toContain('"domainMin":0');
    const svg = await renderSvg(spec!);
    const panels = axisLabels(svg, "X-axis titled 'seconds'");
    expect(panels.length).toBeGreaterThan(0);
    for (const labels of panels) {
      expect(labels[0]).toBe("0");
      expect(isRound(labels)).toBe(true);
    }
    expect([...svg.matchAll(/class="mark-text role-legend-label"[^>]*><text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1])).toEqual(MODELS);
    expect(count(svg, /role-mark panel\d_window_marks/g)).toBe(3);
    expect(count(svg, /role-mark panel\d_idle_marks/g)).toBe(3);
    // No summary here records its warm-up: the warm-up layers are there and empty.
    expect(count(svg, /role-mark panel\d_warmup_marks"[^>]*><path /g)).toBe(0);
    // Each panel draws its own model's runs, in that model's colour.
    const p = palette(MODELS);
    MODELS.forEach((model, i) => {
      // A line with `detail` is one `mark-line` group per run, each holding one path.
      const lines = [...svg.matchAll(new RegExp(`role-mark panel${i}_power_marks"[^>]*><path [^>]*stroke="([^"]*)"`, "g"))].map((m) => m[1]);
      expect(lines).toEqual([p.style(model).colour, p.style(model).colour, p.style(model).colour]);
    });
  });

  it("power: the warm-up reads' span, where the summary records it, is a band of its own before the window", async () => {
    const runs = input().runs.map((r) => ({ ...r, summary: { ...r.summary, window: { ...r.summary.window, warmup: { start: new Date(WINDOW_START - 6000).toISOString(), end: new Date(WINDOW_START - 1000).toISOString() } } } }));
    const svg = await renderSvg(powerSpec(runs, palette(MODELS))!);
    // One band per run (three per panel), each a rect path before the window's.
    expect(count(svg, /role-mark panel\d_warmup_marks"[^>]*>(<path [^>]*\/>){3}<\/g>/g)).toBe(3);
  });

  it("every chart has data here and each shows one legend entry per model", async () => {
    const charts = await renderCharts(chartData());
    for (const [slug, html] of Object.entries(charts)) {
      expect(html.startsWith(`<figure class="chart" id="chart-${slug}"><figcaption>`)).toBe(true);
      expect(count(html, /<svg /g)).toBe(1);
      const labels = [...html.matchAll(/class="mark-text role-legend-label"[^>]*><text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
      // The live chart's series are a model at a speed, each in its model's colour.
      const expected = slug === "scaling" ? ["chiron", "sacall"] : slug === "live" ? MODELS.flatMap((m) => [`${m} at 0.5x`, `${m} at 4x`]) : MODELS;
      expect(labels).toEqual(expected);
    }
  });

  it("a chart without data says so in its figure", async () => {
    const bare: ReportInput = { runs: [{ summary: summaryFor("chiron", 0), source: "/runs/summary.json", samples: [] }], loads: [] };
    const aggregates = aggregateRuns(bare.runs.map((r) => r.summary));
    const charts = await renderCharts({ input: bare, aggregates, keepUp: keepUp(aggregates, DEFAULT_FLOW_CELL), frontier: [], curves: {} });
    expect(charts.power).toBe(
      '<figure class="chart no-data" id="chart-power"><p>Power over each run (input rail): not measured: no run recorded telemetry (a telemetry.jsonl beside its summary.json, or a summary with a power series).</p></figure>',
    );
    expect(charts["accuracy-throughput"]).toContain(
      "Accuracy against throughput: not measured: no run was evaluated against a reference (benchmark.reference in the stack, or summarize --reference).",
    );
    expect(charts.scaling).toContain("Speedup against boards: not given: scaling curves come from the stack");
    expect(charts.concurrency).toContain("Throughput and latency against concurrency (load generator): not configured or not given: no loadgen*.json in the directory");
    expect(charts["keep-up"]).toContain('<figure class="chart" id="chart-keep-up">');
  });

  it("the page holds the seven figures, no script and no URL but the SVG namespace", async () => {
    const html = await renderHtml(input(), { cell: DEFAULT_FLOW_CELL, curves });
    for (const slug of ["accuracy-throughput", "energy-throughput", "keep-up", "power", "concurrency", "scaling", "live"]) expect(count(html, new RegExp(`<figure class="chart" id="chart-${slug}">`, "g"))).toBe(1);
    expect(count(html, /<svg /g)).toBe(7);
    expect(html).not.toMatch(/<script/i);
    expect(html.replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, "")).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/(src|href)=/);
    expect(html).toContain("Lower right is better");
  });
});
