import * as fs from "fs";
import { parseOptions, requireOption } from "../common/args";
import { CliError, runCommand } from "../common/cli-error";
import { checkZone, parseIsoOption } from "../telemetry/clock";
import { parseMeterCsv } from "../telemetry/meter-csv";
import { recordTegrastats } from "../telemetry/record";
import { TelemetrySample } from "../telemetry/sample";
import { parseTegrastats } from "../telemetry/tegrastats";

const USAGE = "usage: edgecall telemetry parse LOG [--format tegrastats|csv] [--start ISO --interval-ms N] [--tz ZONE] [--json]\n       edgecall telemetry record --out FILE [--interval-ms N] [--duration-s S]";

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
  if (file === undefined) throw new CliError(USAGE);
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
  const { values } = parseOptions(argv, { out: { type: "string" }, "interval-ms": { type: "string" }, "duration-s": { type: "string" } });
  const count = await recordTegrastats({
    out: requireOption(values.out, "--out"),
    intervalMs: positiveNumber(values["interval-ms"], "--interval-ms", 1000),
    durationS: values["duration-s"] === undefined ? undefined : positiveNumber(values["duration-s"], "--duration-s"),
  }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") throw new CliError("tegrastats not found: run on a Jetson (L4T) or in the telemetry container");
    throw error;
  });
  process.stderr.write(`edgecall telemetry: ${count} samples written to ${values.out}\n`);
  return 0;
}

/** `edgecall telemetry parse|record ...` */
export function main(argv: string[]): Promise<number> {
  return runCommand("telemetry", async () => {
    const [sub, ...rest] = argv;
    if (sub === "parse") return parse(rest);
    if (sub === "record") return record(rest);
    throw new CliError(USAGE);
  });
}
