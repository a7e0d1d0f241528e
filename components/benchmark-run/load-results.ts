import { LoadReport, loadReportSchema } from "../../domain/load-report";
import { RENDERED_ONLY, readResultJson } from "./results";

export { loadReportSchema };
export type { LoadReport };

/** The key of a load ConfigMap holding `edgecall loadgen`'s report. */
export const LOAD_KEY = "load.json";

/** A model's entry in the `load` stack output. */
export type ModelLoad = { status: "measured"; runId: string; report: LoadReport } | { status: typeof RENDERED_ONLY; runId: string; job: string };

/**
 * The report in a load ConfigMap, checked against the levels that were asked for: a report with
 * other levels belongs to another configuration and is refused, naming the ConfigMap.
 */
export function parseLoadConfigMap(data: Record<string, string> | undefined, configMap: string, concurrency: readonly number[]): LoadReport {
  const report = readResultJson(data, configMap, LOAD_KEY, "loadgen", loadReportSchema);
  const levels = report.levels.map((level) => level.concurrency);
  if (levels.join(",") !== concurrency.join(",")) {
    throw new Error(`ConfigMap ${configMap}: ${LOAD_KEY} has concurrency levels ${levels.join(",")}, the benchmark asks for ${concurrency.join(",")}`);
  }
  return report;
}
