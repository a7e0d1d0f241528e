import { z } from "zod";
import { RENDERED_ONLY } from "./results";

/** The key of a load ConfigMap holding `edgecall loadgen`'s report. */
export const LOAD_KEY = "load.json";

/** One concurrency level of `edgecall loadgen`'s report (benchmarks/loadgen/run-level.ts). */
const levelSchema = z.object({
  concurrency: z.number().int().positive(),
  requests: z.number().int().nonnegative(),
  succeeded: z.number().int().nonnegative(),
  errors: z.record(z.string(), z.number().int().nonnegative()),
  seconds: z.number().nonnegative(),
  reads_per_s: z.number().nonnegative(),
  bases_per_s: z.number().nonnegative(),
  latency_mean_s: z.number().nullable(),
  latency_p50_s: z.number().nullable(),
  latency_p95_s: z.number().nullable(),
  latency_p99_s: z.number().nullable(),
});

export const loadReportSchema = z.object({ target: z.string(), levels: z.array(levelSchema).min(1) });
export type LoadReport = z.infer<typeof loadReportSchema>;

/** A model's entry in the `load` stack output. */
export type ModelLoad = { status: "measured"; runId: string; report: LoadReport } | { status: typeof RENDERED_ONLY; runId: string; job: string };

/**
 * The report in a load ConfigMap, checked against the levels that were asked for: a report with
 * other levels belongs to another configuration and is refused, naming the ConfigMap.
 */
export function parseLoadConfigMap(data: Record<string, string> | undefined, configMap: string, concurrency: readonly number[]): LoadReport {
  const text = data?.[LOAD_KEY];
  if (text === undefined) throw new Error(`ConfigMap ${configMap} has no ${LOAD_KEY}; see the loadgen container's log of its Job`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`ConfigMap ${configMap}: ${LOAD_KEY} is not JSON`);
  }
  const parsed = loadReportSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`ConfigMap ${configMap}: ${LOAD_KEY} field ${issue.path.join(".") || "(report)"}: ${issue.message}`);
  }
  const levels = parsed.data.levels.map((level) => level.concurrency);
  if (levels.join(",") !== concurrency.join(",")) {
    throw new Error(`ConfigMap ${configMap}: ${LOAD_KEY} has concurrency levels ${levels.join(",")}, the benchmark asks for ${concurrency.join(",")}`);
  }
  return parsed.data;
}
