import type { ReportRun } from "../collect";
import type { ChartSlug } from "./figure";

/** Where the report's input came from: it decides what a reader must do to fill a chart. */
export type ReportSource = "directory" | "stack output";

/** The stand-in networks among the runs (the simulated cluster's test network), named once each. */
function standIns(runs: readonly ReportRun[]): string[] {
  return [...new Set(runs.flatMap((r) => (r.summary.provenance.stand_in === undefined ? [] : [r.summary.provenance.stand_in])))];
}

function accuracyAbsent(runs: readonly ReportRun[]): string {
  const evaluated = runs.filter((r) => r.summary.accuracy !== null);
  if (evaluated.length === 0) return "not measured: no run was evaluated against a reference (benchmark.reference in the stack, or summarize --reference)";
  const stand = standIns(evaluated);
  if (stand.length > 0 && evaluated.every((r) => r.summary.provenance.stand_in !== undefined)) {
    return `no read aligned to the reference: the ${stand.join(", ")} network stands in for the models, and its calls are not meant to align`;
  }
  return "no read aligned to the reference in any run: check that the reference is the genome the reads came from";
}

/**
 * Why a chart has nothing to draw, in the words of its cause and what would fill it, instead of a
 * bare "no data". Only called for a chart whose spec came out empty.
 */
export function absentReason(slug: ChartSlug, runs: readonly ReportRun[], source: ReportSource): string {
  const telemetry =
    source === "stack output"
      ? "no run recorded telemetry (the benchmark pods' telemetry sidecar records it; summaries from before edgecall kept a power series carry none)"
      : "no run recorded telemetry (a telemetry.jsonl beside its summary.json, or a summary with a power series)";
  switch (slug) {
    case "accuracy-throughput":
      return accuracyAbsent(runs);
    case "energy-throughput":
    case "power":
      return `not measured: ${telemetry}`;
    case "keep-up":
      return "not measured: no run has a throughput to compare with the flow cell";
    case "concurrency":
      return source === "stack output"
        ? "not configured or not given: no load results (set benchmark.concurrency in the stack, and pipe the whole `pulumi stack output --json`, which holds the load output)"
        : "not configured or not given: no loadgen*.json in the directory (edgecall loadgen --out, or benchmark.concurrency in the stack)";
    case "scaling":
      return source === "stack output"
        ? "not configured or not given: no scaling curve (set benchmark.scaling in the stack, and pipe the whole `pulumi stack output --json`, which holds the scaling output)"
        : "not given: scaling curves come from the stack (`edgecall report -` with the whole `pulumi stack output --json`, or --stack NAME)";
    case "live":
      return source === "stack output"
        ? "not configured or not given: no live benchmark (set benchmark.live in the stack, and pipe the whole `pulumi stack output --json`, which holds the live output)"
        : "not given: live benchmarks come from the stack (`edgecall report -` with the whole `pulumi stack output --json`, or --stack NAME)";
  }
}
