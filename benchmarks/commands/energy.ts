import { parseOptions, requireOption } from "../common/args";
import { CliError, runCommand } from "../common/cli-error";
import { INPUT_RAILS, inputRail, integrate, powerSeries } from "../energy/integrate";
import type { Energy } from "../summary";
import { checkZone, parseIsoOption } from "../telemetry/clock";
import { readSamples } from "../telemetry/read-samples";
import { TelemetrySample } from "../telemetry/sample";

function count(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new CliError(`${flag} must be a positive integer, got ${value}`);
  return n;
}

/** Energy over a window, per rail, and above an idle baseline when one is given. */
export function energyReport(
  samples: readonly TelemetrySample[],
  from: number,
  to: number,
  options: { bases?: number; reads?: number; baseline?: [number, number] },
): Energy {
  const rail = inputRail(samples);
  const total = integrate(powerSeries(samples, rail), from, to);
  const rails = [...new Set(samples.flatMap((s) => Object.keys(s.rails)))];
  const perRail = Object.fromEntries(rails.map((name) => [name, integrate(powerSeries(samples, name), from, to).mean_watts]));
  const perMegabase = (joules: number): number | null => (options.bases === undefined ? null : joules / (options.bases / 1e6));
  let aboveIdle: Energy["above_idle"] = null;
  if (options.baseline !== undefined) {
    const idle = integrate(powerSeries(samples, rail), options.baseline[0], options.baseline[1]);
    const joules = total.joules - idle.mean_watts * total.seconds;
    aboveIdle = { joules, mean_watts: total.mean_watts - idle.mean_watts, joules_per_megabase: perMegabase(joules) };
  }
  return {
    rail,
    joules: total.joules,
    mean_watts: total.mean_watts,
    seconds: total.seconds,
    joules_per_read: options.reads === undefined ? null : total.joules / options.reads,
    joules_per_megabase: perMegabase(total.joules),
    above_idle: aboveIdle,
    per_rail_mean_watts: perRail,
  };
}

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
    const samples = readSamples(requireOption(values.telemetry, "--telemetry"), zone);
    const from = parseIsoOption(requireOption(values.from, "--from"), "--from", zone);
    const to = parseIsoOption(requireOption(values.to, "--to"), "--to", zone);
    if ((values["baseline-from"] === undefined) !== (values["baseline-to"] === undefined)) {
      throw new CliError("give both --baseline-from and --baseline-to, or neither");
    }
    const baseline: [number, number] | undefined =
      values["baseline-from"] === undefined
        ? undefined
        : [parseIsoOption(values["baseline-from"], "--baseline-from", zone), parseIsoOption(values["baseline-to"] ?? "", "--baseline-to", zone)];
    const report = energyReport(samples, from, to, { bases: count(values.bases, "--bases"), reads: count(values.reads, "--reads"), baseline });
    if (values.json === true) {
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    } else {
      process.stdout.write(`rail\t${report.rail}${INPUT_RAILS.includes(report.rail) ? "" : " (no input rail in the log)"}\n`);
      process.stdout.write(`joules\t${report.joules.toFixed(3)}\nmean_watts\t${report.mean_watts.toFixed(3)}\nseconds\t${report.seconds}\n`);
      if (report.joules_per_megabase !== null) process.stdout.write(`joules_per_megabase\t${report.joules_per_megabase.toFixed(3)}\n`);
      if (report.above_idle !== null) process.stdout.write(`joules_above_idle\t${report.above_idle.joules.toFixed(3)}\n`);
    }
    return 0;
  });
}
