import * as fs from "fs";
import { parseOptions, requireOption } from "../common/args";
import { CliError, runCommand } from "../common/cli-error";
import { checkZone, parseIsoOption } from "../telemetry/clock";
import { parseMeterCsv } from "../telemetry/meter-csv";
import { findRails, sampleRails } from "../telemetry/ina3221";
import { recordTegrastats } from "../telemetry/record";
import { TelemetrySample } from "../telemetry/sample";
import { parseTegrastats } from "../telemetry/tegrastats";

const USAGE = "usage: edgecall telemetry parse LOG [--format tegrastats|csv] [--start ISO --interval-ms N] [--tz ZONE] [--json]\n       edgecall telemetry record --out FILE [--interval-ms N] [--duration-s S] [--source auto|tegrastats|sysfs]\n";
const NO_SUBCOMMAND = "give a subcommand: 'parse LOG' or 'record --out FILE' ('edgecall telemetry --help' lists the options)";

function positiveNumber(value: string | undefined, flag: string, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  const n = Number(value);
  if (value === undefined || !Number.isFinite(n) || n <= 0) throw new CliError(`${flag} must be a positive number, got ${value}`);
  return n;
}

function summaryLine(sample: TelemetrySample): string {
  const rails = Object.entries(sample.rails).map(([name, r]) => `${name}=${r.mw}mW`).join(" ");
  return `${sample.time}\tRAM ${sample.ram_used_mb ?? "NA"}MB\tGPU ${sample.gpu_load_pct ?? "NA"}%\t${rails}`;
}

async function parse(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions(
    argv,
    { format: { type: "string" }, start: { type: "string" }, "interval-ms": { type: "string" }, tz: { type: "string" }, json: { type: "boolean" } },
    true,
  );
  const file = positionals[0];
  if (file === undefined) throw new CliError("parse needs the log file: edgecall telemetry parse LOG");
  if (!fs.existsSync(file)) throw new CliError(`${file}: no such file`);
  const zone = values.tz ?? "UTC";
  checkZone(zone);
  const text = fs.readFileSync(file, "utf8");
  let samples: TelemetrySample[];
  if ((values.format ?? "tegrastats") === "csv") {
    samples = parseMeterCsv(text, zone);
  } else if (values.format === undefined || values.format === "tegrastats") {
    const start = values.start === undefined ? undefined : parseIsoOption(values.start, "--start", zone);
    const intervalMs = values["interval-ms"] === undefined ? undefined : positiveNumber(values["interval-ms"], "--interval-ms");
    const result = parseTegrastats(text, { zone, start, intervalMs });
    samples = result.samples;
    if (result.unparsed.length > 0) {
      process.stderr.write(`edgecall telemetry: ${result.unparsed.length} line(s) of ${file} are not tegrastats output (first: line ${result.unparsed[0]})\n`);
    }
  } else {
    throw new CliError(`--format must be tegrastats or csv, got ${values.format}`);
  }
  if (samples.length === 0) throw new CliError(`${file}: no samples`);
  process.stdout.write(samples.map((s) => (values.json === true ? JSON.stringify(s) : summaryLine(s))).join("\n") + "\n");
  return 0;
}

async function record(argv: string[]): Promise<number> {
  const { values } = parseOptions(argv, { out: { type: "string" }, "interval-ms": { type: "string" }, "duration-s": { type: "string" }, source: { type: "string" } });
  const options = {
    out: requireOption(values.out, "--out"),
    intervalMs: positiveNumber(values["interval-ms"], "--interval-ms", 1000),
    durationS: values["duration-s"] === undefined ? undefined : positiveNumber(values["duration-s"], "--duration-s"),
  };
  checkWritable(options.out);
  const source = values.source ?? "auto";
  if (!["auto", "tegrastats", "sysfs"].includes(source)) throw new CliError(`--source must be auto, tegrastats or sysfs, got ${source}`);
  const useTegrastats = source === "tegrastats" || (source === "auto" && onPath("tegrastats"));
  const count = useTegrastats
    ? await recordTegrastats(options).catch((error: NodeJS.ErrnoException) => {
        if (error.code === "ENOENT") throw new CliError("tegrastats not found: run on a Jetson (L4T) or use --source sysfs");
        throw error;
      })
    : await recordRails(options);
  process.stderr.write(`edgecall telemetry: ${count} samples written to ${values.out}\n`);
  return 0;
}

/** Opens the output once up front, so a bad path is one line rather than an error mid-recording. */
function checkWritable(file: string): void {
  try {
    fs.closeSync(fs.openSync(file, "a"));
  } catch (error) {
    throw new CliError(`--out ${file}: cannot write (${error instanceof Error ? error.message : String(error)})`);
  }
}

function onPath(command: string): boolean {
  return (process.env.PATH ?? "").split(":").some((dir) => dir !== "" && fs.existsSync(`${dir}/${command}`));
}

/** Samples the INA3221 rails in sysfs (boards or containers without tegrastats). */
async function recordRails(options: { out: string; intervalMs: number; durationS?: number }): Promise<number> {
  const rails = findRails(process.env.EDGECALL_SYSFS_ROOT ?? "/sys");
  if (rails.length === 0) throw new CliError("no INA3221 power rails under /sys/bus/i2c/drivers/ina3221x or ina3221: not a Jetson, or /sys is not mounted");
  const until = options.durationS === undefined ? Infinity : Date.now() + options.durationS * 1000;
  let stopped = false;
  const stop = (): void => {
    stopped = true;
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  let count = 0;
  while (!stopped && Date.now() < until) {
    fs.appendFileSync(options.out, `${JSON.stringify(sampleRails(rails))}\n`);
    count += 1;
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
  }
  return count;
}

/** `edgecall telemetry parse|record ...` */
export function main(argv: string[]): Promise<number> {
  return runCommand("telemetry", async () => {
    const [sub, ...rest] = argv;
    if (sub === "parse") return parse(rest);
    if (sub === "record") return record(rest);
    if (sub === "--help" || sub === "-h") {
      process.stdout.write(USAGE);
      return 0;
    }
    throw new CliError(sub === undefined ? NO_SUBCOMMAND : `unknown subcommand ${JSON.stringify(sub)}; ${NO_SUBCOMMAND}`);
  });
}
