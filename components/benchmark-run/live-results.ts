import { LiveReport, ModelLive, liveRate, liveReportSchema } from "../../domain/live";
import { LIVE_KEY } from "./live-job";
import { READ_UNTIL_KEY } from "./read-until-job";
import { ModelReadUntil } from "../../domain/live";
import { readUntilReportSchema } from "../../domain/read-until";

/**
 * The report in a live ConfigMap, checked against the speeds that were asked for (a report of other
 * speeds belongs to another configuration), as the `live` output's entry of its model.
 */
export function parseLiveConfigMap(data: Record<string, string> | undefined, configMap: string, speeds: readonly number[], runId: string): ModelLive {
  const text = data?.[LIVE_KEY];
  if (text === undefined) throw new Error(`ConfigMap ${configMap} has no ${LIVE_KEY}; see the live container's log of its Job`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`ConfigMap ${configMap}: ${LIVE_KEY} is not JSON`);
  }
  const parsed = liveReportSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`ConfigMap ${configMap}: ${LIVE_KEY} field ${issue.path.join(".") || "(report)"}: ${issue.message}`);
  }
  const report: LiveReport = parsed.data;
  const measured = report.speeds.map((s) => s.speed);
  if (measured.join(",") !== speeds.join(",")) {
    throw new Error(`ConfigMap ${configMap}: ${LIVE_KEY} has speeds ${measured.join(",")}, the benchmark asks for ${speeds.join(",")}`);
  }
  return { status: "measured", runId, engine: report.engine, precision: report.precision, durationS: report.duration_s, rates: report.speeds.map(liveRate) };
}

/** The read-until report in its ConfigMap, checked against the channel counts that were asked for. */
export function parseReadUntilConfigMap(data: Record<string, string> | undefined, configMap: string, channels: readonly number[]): ModelReadUntil {
  const text = data?.[READ_UNTIL_KEY];
  if (text === undefined) throw new Error(`ConfigMap ${configMap} has no ${READ_UNTIL_KEY}; see the read-until container's log of its Job`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`ConfigMap ${configMap}: ${READ_UNTIL_KEY} is not JSON`);
  }
  const parsed = readUntilReportSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`ConfigMap ${configMap}: ${READ_UNTIL_KEY} field ${issue.path.join(".") || "(report)"}: ${issue.message}`);
  }
  const measured = parsed.data.levels.map((l) => l.channels);
  if (measured.join(",") !== channels.join(",")) {
    throw new Error(`ConfigMap ${configMap}: ${READ_UNTIL_KEY} has channel counts ${measured.join(",")}, the benchmark asks for ${channels.join(",")}`);
  }
  return { servedChannels: parsed.data.served_channels, chunkS: parsed.data.chunk_s, inTimeGoal: parsed.data.in_time_goal, levels: parsed.data.levels };
}
