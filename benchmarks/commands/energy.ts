import { parseOptions, requireOption } from "../common/args";
import { CliError, runCommand } from "../common/cli-error";
import { INPUT_RAILS } from "../energy/integrate";
import { energyReport } from "../energy/report";
import type { Energy } from "../summary";
import { checkZone, parseIsoOption } from "../telemetry/clock";
import { readTelemetry } from "../telemetry/read-samples";

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
  const lines = [`input rail: ${report.rail}${note}; window ${report.seconds} s`, "rail\tjoules\tmean_watts\tjoules_per_megabase"];
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
  "usage: edgecall energy --telemetry LOG --from ISO --to ISO [--bases N] [--reads N] [--baseline-from ISO --baseline-to ISO] [--tz ZONE] [--json]\n";

/** `edgecall energy --telemetry LOG --from ISO --to ISO [--bases N] [--reads N] [--baseline-from ISO --baseline-to ISO] [--tz ZONE] [--json]` */
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
      tz: { type: "string" },
      json: { type: "boolean" },
    });
    const zone = values.tz ?? "UTC";
    checkZone(zone);
    const file = requireOption(values.telemetry, "--telemetry");
    const from = parseIsoOption(requireOption(values.from, "--from"), "--from", zone);
    const to = parseIsoOption(requireOption(values.to, "--to"), "--to", zone);
    if ((values["baseline-from"] === undefined) !== (values["baseline-to"] === undefined)) {
      throw new CliError("give both --baseline-from and --baseline-to, or neither");
    }
    const baseline: [number, number] | undefined =
      values["baseline-from"] === undefined
        ? undefined
        : [parseIsoOption(values["baseline-from"], "--baseline-from", zone), parseIsoOption(values["baseline-to"] ?? "", "--baseline-to", zone)];
    const { samples, unparsed } = readTelemetry(file, zone);
    if (unparsed.length > 0) {
      process.stderr.write(`edgecall energy: ${unparsed.length} line(s) of ${file} are not tegrastats output and were left out (first: line ${unparsed[0]})\n`);
    }
    let report: Energy;
    try {
      report = energyReport(samples, from, to, { bases: count(values.bases, "--bases"), reads: count(values.reads, "--reads"), baseline });
    } catch (error) {
      throw error instanceof CliError ? new CliError(`${file}: ${error.message}`) : error;
    }
    process.stdout.write(values.json === true ? `${JSON.stringify(report, null, 2)}\n` : table(report));
    return 0;
  });
}
