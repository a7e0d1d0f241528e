import { CliError } from "../common/cli-error";
import { parseIsoTime } from "../common/iso-time";
import { checkZone } from "../common/zone";
import { Timing } from "./tegrastats";

/** The options that time a tegrastats log, shared by `telemetry parse` and `energy`. */
export const TIMING_OPTIONS = {
  start: { type: "string" },
  "interval-ms": { type: "string" },
  tz: { type: "string" },
} as const;

export interface TimingValues {
  start?: string;
  "interval-ms"?: string;
  tz?: string;
}

/**
 * How to time a log's lines: prefixed lines in `--tz` (UTC by default); lines without a prefix
 * (JetPack 4) from `--start` every `--interval-ms`, which only make sense together.
 */
export function timingFromOptions(values: TimingValues): Timing {
  const zone = values.tz ?? "UTC";
  checkZone(zone);
  if ((values.start === undefined) !== (values["interval-ms"] === undefined)) {
    throw new CliError("give both --start and --interval-ms (they time a log without timestamps), or neither");
  }
  if (values.start === undefined || values["interval-ms"] === undefined) return { zone };
  const intervalMs = Number(values["interval-ms"]);
  if (!Number.isFinite(intervalMs) || intervalMs <= 0) throw new CliError(`--interval-ms must be a positive number, got ${values["interval-ms"]}`);
  return { zone, start: parseIsoTime(values.start, "--start", zone), intervalMs };
}
