import { CliError } from "../common/cli-error";
import { readTextFile } from "../common/read-text-file";
import { TelemetrySample, telemetrySampleSchema } from "./sample";
import { Timing, parseTegrastats } from "./tegrastats";

export interface Telemetry {
  samples: TelemetrySample[];
  /** Line numbers of a raw tegrastats log that held no tegrastats fields (JSONL has none: a bad line is an error). */
  unparsed: number[];
  /** The line number of each sample in the file. */
  lines: number[];
}

/** The sample of one JSONL line, or undefined for a blank line; anything else is an error naming the line. */
export function parseJsonlLine(file: string, line: string, lineNo: number): TelemetrySample | undefined {
  if (line.trim() === "") return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    throw new CliError(`${file}:${lineNo}: not a JSON sample`);
  }
  const parsed = telemetrySampleSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CliError(`${file}:${lineNo}: not a telemetry sample: ${issue.path.join(".") || "(root)"}: ${issue.message}`);
  }
  return parsed.data;
}

function parseJsonl(file: string, text: string): Telemetry {
  const samples: TelemetrySample[] = [];
  const lines: number[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const sample = parseJsonlLine(file, line, index + 1);
    if (sample === undefined) return;
    samples.push(sample);
    lines.push(index + 1);
  });
  return { samples, unparsed: [], lines };
}

/**
 * Samples from a file that is either JSONL (what `edgecall telemetry parse|record` write) or a raw
 * tegrastats log: lines with their own time (JetPack 5/6), or timed by `timing` (JetPack 4).
 */
export function readTelemetry(file: string, timing: Timing = { zone: "UTC" }): Telemetry {
  const text = readTextFile(file, "a telemetry file (JSONL samples or a tegrastats log)");
  const first = text.trimStart();
  if (first === "") throw new CliError(`${file}: empty telemetry log`);
  if (first.startsWith("{")) return parseJsonl(file, text);
  let result: Telemetry;
  try {
    result = parseTegrastats(text, timing);
  } catch (error) {
    throw error instanceof CliError ? new CliError(`${file}: ${error.message}`) : error;
  }
  if (result.samples.length === 0) throw new CliError(`${file}: no tegrastats samples`);
  return result;
}

/** A JSONL file (a run directory's `telemetry.jsonl`, as `edgecall telemetry record` writes it), with each sample's line. */
export function readJsonlTelemetry(file: string): Telemetry {
  const text = readTextFile(file, "a JSONL telemetry file");
  if (text.trim() === "") throw new CliError(`${file}: empty telemetry log`);
  return parseJsonl(file, text);
}

/** The samples of a JSONL file. */
export function readJsonlSamples(file: string): TelemetrySample[] {
  return readJsonlTelemetry(file).samples;
}
