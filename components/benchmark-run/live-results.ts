import { LiveReport, ModelLive, ModelReadUntil, liveRate, liveReportSchema } from "../../domain/live";
import { LIVE_KEY } from "./live-job";
import { READ_UNTIL_KEY } from "./read-until-job";
import { readResultJson } from "./results";
import { readUntilReportSchema } from "../../domain/read-until";

/**
 * The report in a live ConfigMap, checked against the speeds that were asked for (a report of other
 * speeds belongs to another configuration), as the `live` output's entry of its model.
 */
export function parseLiveConfigMap(data: Record<string, string> | undefined, configMap: string, speeds: readonly number[], runId: string): ModelLive {
  const report: LiveReport = readResultJson(data, configMap, LIVE_KEY, "live", liveReportSchema);
  const measured = report.speeds.map((s) => s.speed);
  if (measured.join(",") !== speeds.join(",")) {
    throw new Error(`ConfigMap ${configMap}: ${LIVE_KEY} has speeds ${measured.join(",")}, the benchmark asks for ${speeds.join(",")}`);
  }
  return { status: "measured", runId, engine: report.engine, precision: report.precision, durationS: report.duration_s, rates: report.speeds.map(liveRate) };
}

/** The read-until report in its ConfigMap, checked against the channel counts that were asked for. */
export function parseReadUntilConfigMap(data: Record<string, string> | undefined, configMap: string, channels: readonly number[]): ModelReadUntil {
  const report = readResultJson(data, configMap, READ_UNTIL_KEY, "read-until", readUntilReportSchema);
  const measured = report.levels.map((l) => l.channels);
  if (measured.join(",") !== channels.join(",")) {
    throw new Error(`ConfigMap ${configMap}: ${READ_UNTIL_KEY} has channel counts ${measured.join(",")}, the benchmark asks for ${channels.join(",")}`);
  }
  return { servedChannels: report.served_channels, chunkS: report.chunk_s, inTimeGoal: report.in_time_goal, levels: report.levels };
}
