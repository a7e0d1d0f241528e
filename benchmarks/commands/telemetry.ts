import * as fs from "fs";
import { parseOptions, requireOption } from "../common/args";
import { CliError, runCommand } from "../common/cli-error";
import { readTextFile } from "../common/read-text-file";
import { parseMeterCsv } from "../telemetry/meter-csv";
import { serveMetrics, sysfsSource, tegrastatsSource } from "../telemetry/export";
import { BoardReaders, findBoardReaders, sampleBoard } from "../telemetry/sysfs-board";
import { recordTegrastats } from "../telemetry/record";
import { TelemetrySample } from "../telemetry/sample";
import { TegrastatsParser } from "../telemetry/tegrastats";
import { readLines } from "../common/read-lines";
import { BlockWriter } from "../common/block-writer";
import { TimeOrder } from "../telemetry/time-order";
import { sampleTimeMs } from "../telemetry/sample";
import { TIMING_OPTIONS, timingFromOptions } from "../telemetry/timing-options";

export const usage = [
  "usage: edgecall telemetry parse LOG [--format tegrastats|csv] [--start ISO --interval-ms N] [--tz ZONE] [--json]",
  "       edgecall telemetry record --out FILE [--interval-ms N] [--duration-s S] [--source auto|tegrastats|sysfs]",
  "       edgecall telemetry export [--port 9102] [--host 0.0.0.0] [--interval-ms 1000] [--source auto|tegrastats|sysfs]",
  "",
  "export serves the latest sample at GET /metrics (Prometheus text format) and GET /healthz (200 once",
  "a sample arrived, 503 before) until SIGTERM. --source auto is tegrastats if it is on PATH, else sysfs:",
  "the INA3221 rails, the GPU's load and clock, thermal zones and /proc/meminfo.",
  "",
].join("\n");
const NO_SUBCOMMAND = "give a subcommand: 'parse LOG' or 'record --out FILE' to read or record telemetry, 'export' to serve it to Prometheus ('edgecall telemetry --help' lists the options)";

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
    { format: { type: "string" }, ...TIMING_OPTIONS, json: { type: "boolean" } },
    true,
  );
  const file = positionals[0];
  if (file === undefined) throw new CliError("parse needs the log file: edgecall telemetry parse LOG");
  const timing = timingFromOptions(values);
  const format = values.format ?? "tegrastats";
  if (format !== "tegrastats" && format !== "csv") throw new CliError(`--format must be tegrastats or csv, got ${values.format}`);
  const out = new BlockWriter(process.stdout);
  const show = (s: TelemetrySample): string => (values.json === true ? JSON.stringify(s) : summaryLine(s));
  if (format === "csv") {
    const samples = parseMeterCsv(readTextFile(file, "the tegrastats log or meter CSV file"), timing.zone);
    if (samples.length === 0) throw new CliError(`${file}: no samples`);
    for (const sample of samples) await out.line(show(sample));
    await out.flush();
    return 0;
  }
  // Each sample is written as it is parsed: a day's log at 100 ms is over a million lines.
  const parser = new TegrastatsParser(timing);
  // parse converts and refuses nothing, but says of a time out of order what energy refuses.
  const order = new TimeOrder(file);
  let disorder: string | undefined;
  let count = 0;
  let lineNo = 0;
  for await (const raw of readLines(file, "the tegrastats log or meter CSV file")) {
    lineNo += 1;
    const sample = parser.line(raw, lineNo);
    if (sample === undefined) continue;
    count += 1;
    disorder ??= order.problem(sample.time, sampleTimeMs(sample), lineNo);
    await out.line(show(sample));
  }
  await out.flush();
  if (disorder !== undefined) process.stderr.write(`edgecall telemetry: warning: ${disorder}\n`);
  if (parser.unparsedCount > 0) {
    process.stderr.write(`edgecall telemetry: ${parser.unparsedCount} line(s) of ${file} are not tegrastats output (first: line ${parser.firstUnparsed})\n`);
  }
  if (count === 0) throw new CliError(`${file}: no samples`);
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
  const count = chooseSource(values.source) === "tegrastats"
    ? await recordTegrastats(options).catch((error: NodeJS.ErrnoException) => {
        if (error.code === "ENOENT") throw new CliError("tegrastats not found: run on a Jetson (L4T) or use --source sysfs");
        throw error;
      })
    : await recordRails(options);
  process.stderr.write(`edgecall telemetry: ${count} samples written to ${values.out}\n`);
  return 0;
}

/** `--source`: tegrastats, or the INA3221 rails in sysfs; auto is tegrastats if it is on PATH. */
function chooseSource(option: string | undefined): "tegrastats" | "sysfs" {
  const source = option ?? "auto";
  if (source !== "auto" && source !== "tegrastats" && source !== "sysfs") throw new CliError(`--source must be auto, tegrastats or sysfs, got ${source}`);
  if (source === "auto") return onPath("tegrastats") ? "tegrastats" : "sysfs";
  return source;
}

function portNumber(value: string | undefined): number {
  if (value === undefined) return 9102;
  const n = Number(value);
  if (value.trim() === "" || !Number.isInteger(n) || n < 0 || n > 65535) throw new CliError(`--port must be an integer from 0 to 65535, got ${value}`);
  return n;
}

/** Serves the latest sample to Prometheus until SIGTERM or SIGINT; exits 1 if the source ends. */
async function exportMetrics(argv: string[]): Promise<number> {
  const { values } = parseOptions(argv, { port: { type: "string" }, host: { type: "string" }, "interval-ms": { type: "string" }, source: { type: "string" } });
  const port = portNumber(values.port);
  const host = values.host ?? "0.0.0.0";
  if (host === "") throw new CliError("--host must not be empty");
  const intervalMs = positiveNumber(values["interval-ms"], "--interval-ms", 1000);
  const source = chooseSource(values.source);
  const start = source === "tegrastats" ? tegrastatsSource(intervalMs) : sysfsSource(boardSampler(), intervalMs);
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  try {
    const count = await serveMetrics({
      host,
      port,
      source: start,
      signal: controller.signal,
      onListening: (url) => process.stderr.write(`edgecall telemetry: serving ${url}/metrics from ${source}\n`),
    });
    process.stderr.write(`edgecall telemetry: stopped after ${count} samples\n`);
    return 0;
  } finally {
    process.off("SIGTERM", stop);
    process.off("SIGINT", stop);
  }
}

/**
 * What sysfs shows under $EDGECALL_SYSFS_ROOT (default /sys) and /proc under $EDGECALL_PROC_ROOT,
 * or one line saying there are no power rails (without them there is no energy to measure).
 */
function requireBoard(): BoardReaders {
  const sysRoot = process.env.EDGECALL_SYSFS_ROOT ?? "/sys";
  const readers = findBoardReaders(sysRoot, process.env.EDGECALL_PROC_ROOT ?? "/proc");
  if (readers.rails.length === 0) {
    throw new CliError(`no INA3221 power rails under ${sysRoot}/bus/i2c/drivers/ina3221x or ina3221: not a Jetson, or /sys is not mounted`);
  }
  return readers;
}

function boardSampler(): () => ReturnType<typeof sampleBoard> {
  const readers = requireBoard();
  return () => sampleBoard(readers);
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
  const sample = boardSampler();
  const until = options.durationS === undefined ? Infinity : Date.now() + options.durationS * 1000;
  let stopped = false;
  const stop = (): void => {
    stopped = true;
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  let count = 0;
  while (!stopped && Date.now() < until) {
    fs.appendFileSync(options.out, `${JSON.stringify(sample())}\n`);
    count += 1;
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
  }
  return count;
}

/** `edgecall telemetry parse|record|export ...` */
export function main(argv: string[]): Promise<number> {
  return runCommand("telemetry", async () => {
    const [sub, ...rest] = argv;
    if (sub === "parse") return parse(rest);
    if (sub === "record") return record(rest);
    if (sub === "export") return exportMetrics(rest);
    if (sub === "--help" || sub === "-h") {
      process.stdout.write(usage);
      return 0;
    }
    throw new CliError(sub === undefined ? NO_SUBCOMMAND : `unknown subcommand ${JSON.stringify(sub)}; ${NO_SUBCOMMAND}`);
  });
}
