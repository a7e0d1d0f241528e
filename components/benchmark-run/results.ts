import { ModelAggregate, aggregateRuns } from "../../domain/aggregate";
import { FlowCell } from "../../domain/flow-cell";
import { KeepUp, SpeedupPoint, keepUp } from "../../domain/keep-up";
import { Summary, summarySchema } from "../../domain/summary";
import type { z } from "zod";

/** The key of a result ConfigMap holding the summary JSON. */
export const SUMMARY_KEY = "summary.json";

/** What a model's entry says when the program only rendered manifests, so nothing ran. */
export const RENDERED_ONLY = "not measured: rendered only";

/** A model's benchmark outcome in the `benchmarks` stack output. */
export type ModelBenchmark =
  | { status: "measured"; runId: string; summaries: Summary[]; aggregate: ModelAggregate[]; keepUp: KeepUp[] }
  | { status: typeof RENDERED_ONLY; runId: string; jobs: string[] };

function issuePath(path: ReadonlyArray<PropertyKey>): string {
  return path.length === 0 ? "(summary)" : path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("").replace(/^\./, "");
}

/**
 * Reads the summary out of a result ConfigMap's data and validates it. Every error names the
 * ConfigMap, and for a bad summary the first offending field, so a reader knows which Job to check.
 */
export function parseSummaryConfigMap(data: Record<string, string> | undefined, configMap: string): Summary {
  const text = data?.[SUMMARY_KEY];
  if (text === undefined) {
    throw new Error(`ConfigMap ${configMap} has no ${SUMMARY_KEY}; see the evaluate container's log of its Job`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`ConfigMap ${configMap}: ${SUMMARY_KEY} is not JSON`);
  }
  const parsed = summarySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const more = parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more)` : "";
    throw new Error(`ConfigMap ${configMap}: ${SUMMARY_KEY} field ${issuePath(issue.path)}: ${issue.message}${more}`);
  }
  return parsed.data;
}

/** Checks that a result belongs to the Job that was asked for, not a stale run's ConfigMap. */
export function checkSummaryIdentity(summary: Summary, expected: { model: string; runId: string; configMap: string }): Summary {
  if (summary.model !== expected.model || summary.run_id !== expected.runId) {
    throw new Error(
      `ConfigMap ${expected.configMap} holds the summary of model ${summary.model} run ${summary.run_id}, expected ${expected.model} run ${expected.runId}`,
    );
  }
  return summary;
}

/**
 * A measured model's entry: its summaries with the aggregates and keep-up factors the report shows,
 * computed by the same code, so the stack output alone answers whether the model keeps up.
 */
export function measuredBenchmark(model: string, runId: string, summaries: Summary[], cell: FlowCell, curve: readonly SpeedupPoint[] | undefined): ModelBenchmark {
  const aggregate = aggregateRuns(summaries);
  const curves = curve === undefined ? {} : { [model]: curve };
  return { status: "measured", runId, summaries, aggregate, keepUp: keepUp(aggregate, cell, curves) };
}

/**
 * The JSON under `key` of a result ConfigMap, validated by `schema`: every error names the
 * ConfigMap, and a missing key the container whose log says why.
 */
export function readResultJson<T>(data: Record<string, string> | undefined, configMap: string, key: string, container: string, schema: z.ZodType<T>): T {
  const text = data?.[key];
  if (text === undefined) throw new Error(`ConfigMap ${configMap} has no ${key}; see the ${container} container's log of its Job`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`ConfigMap ${configMap}: ${key} is not JSON`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`ConfigMap ${configMap}: ${key} field ${issue.path.join(".") || "(report)"}: ${issue.message}`);
  }
  return parsed.data;
}
