import { parseOptions, requireOption } from "../common/args";
import { CliError, runCommand } from "../common/cli-error";
import { parseIsoTime } from "../common/iso-time";
import { gapWarning } from "../energy/gaps";
import { INPUT_RAILS } from "../energy/integrate";
import { EnergyAccumulator, railChangeWarning } from "../energy/accumulate";
import type { Energy } from "../../domain/summary";
import { sampleTimeMs } from "../telemetry/sample";
import { SkippedLines, streamTelemetry } from "../telemetry/stream-samples";
import { TimeOrder } from "../telemetry/time-order";
import { TIMING_OPTIONS, timingFromOptions } from "../telemetry/timing-options";

function count(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new CliError(`${flag} must be a positive integer, got ${value}`);
  return n;
}

const fixed = (value: number | null): string => (value === null ? "NA" : value.toFixed(3));

/** The report as a tab-separated table: the input rail first, then each rail. */
function table(report: Energy): string {
  const note = INPUT_RAILS.includes(report.rail) ? "" : " (no input rail in the log)";
  const gaps = report.gaps === undefined || report.gaps.length === 0 ? "" : `; ${report.gaps.length} gap(s) in the samples`;
  const lines = [`input rail: ${report.rail}${note}; window ${report.seconds} s${gaps}`, "rail\tjoules\tmean_watts\tjoules_per_megabase"];
  lines.push(`${report.rail}\t${fixed(report.joules)}\t${fixed(report.mean_watts)}\t${fixed(report.joules_per_megabase)}`);
  if (report.above_idle !== null) {
    const idle = report.above_idle;
    lines.push(`${report.rail} above idle\t${fixed(idle.joules)}\t${fixed(idle.mean_watts)}\t${fixed(idle.joules_per_megabase)}`);
  }
  for (const [name, rail] of Object.entries(report.per_rail ?? {})) {
    if (name !== report.rail) lines.push(`${name}\t${fixed(rail.joules)}\t${fixed(rail.mean_watts)}\t${fixed(rail.joules_per_megabase)}`);
  }
  return `${lines.join("\n")}\n`;
}

export const usage =
  "usage: edgecall energy --telemetry LOG --from ISO --to ISO [--bases N] [--reads N] [--baseline-from ISO --baseline-to ISO] [--start ISO --interval-ms N] [--tz ZONE] [--json]\n";

/** `edgecall energy --telemetry LOG --from ISO --to ISO [--bases N] [--reads N] [--baseline-from ISO --baseline-to ISO] [--start ISO --interval-ms N] [--tz ZONE] [--json]` */
export function main(argv: string[]): Promise<number> {
  return runCommand("energy", async () => {
    const { values } = parseOptions(argv, {
      telemetry: { type: "string" },
      from: { type: "string" },
      to: { type: "string" },
      bases: { type: "string" },
      reads: { type: "string" },
      "baseline-from": { type: "string" },
      "baseline-to": { type: "string" },
      ...TIMING_OPTIONS,
      json: { type: "boolean" },
    });
    const timing = timingFromOptions(values);
    const zone = timing.zone;
    const file = requireOption(values.telemetry, "--telemetry");
    const from = parseIsoTime(requireOption(values.from, "--from"), "--from", zone);
    const to = parseIsoTime(requireOption(values.to, "--to"), "--to", zone);
    if ((values["baseline-from"] === undefined) !== (values["baseline-to"] === undefined)) {
      throw new CliError("give both --baseline-from and --baseline-to, or neither");
    }
    const baseline: [number, number] | undefined =
      values["baseline-from"] === undefined
        ? undefined
        : [parseIsoTime(values["baseline-from"], "--baseline-from", zone), parseIsoTime(values["baseline-to"] ?? "", "--baseline-to", zone)];
    // Parsed before the log is read: a long log must not be read only to find a typo in --bases.
    const bases = count(values.bases, "--bases");
    const reads = count(values.reads, "--reads");
    // The log is read as a stream and integrated as it goes: a day of samples at 100 ms is a
    // file of hundreds of MB, too long to hold as one string.
    const energy = new EnergyAccumulator(from, to, { bases, reads, baseline });
    const order = new TimeOrder(file);
    const skipped: SkippedLines = { count: 0, first: undefined };
    for await (const { sample, line } of streamTelemetry(file, timing, skipped)) {
      const t = sampleTimeMs(sample);
      order.check(sample.time, t, line);
      energy.add(t, sample.rails);
    }
    if (skipped.count > 0) {
      process.stderr.write(`edgecall energy: ${skipped.count} line(s) of ${file} are not tegrastats output and were left out (first: line ${skipped.first})\n`);
    }
    let report: Energy;
    try {
      report = energy.report();
    } catch (error) {
      throw error instanceof CliError ? new CliError(`${file}: ${error.message}`) : error;
    }
    const change = energy.railChange();
    if (change !== undefined) process.stderr.write(`edgecall energy: ${railChangeWarning(file, change, report.rail)}\n`);
    if (report.gaps !== undefined && report.gaps.length > 0) process.stderr.write(`edgecall energy: ${gapWarning(file, report.gaps)}\n`);
    process.stdout.write(values.json === true ? `${JSON.stringify(report, null, 2)}\n` : table(report));
    return 0;
  });
}
