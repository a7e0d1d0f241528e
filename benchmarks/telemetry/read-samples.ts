import { CliError } from "../common/cli-error";
import { readTextFile } from "../common/read-text-file";
import { TelemetrySample, telemetrySampleSchema } from "./sample";
import { parseTegrastats } from "./tegrastats";

export interface Telemetry {
  samples: TelemetrySample[];
  /** Line numbers of a raw tegrastats log that held no tegrastats fields (JSONL has none: a bad line is an error). */
  unparsed: number[];
}

function parseJsonl(file: string, text: string): TelemetrySample[] {
  const samples: TelemetrySample[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === "") return;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      throw new CliError(`${file}:${index + 1}: not a JSON sample`);
    }
    const parsed = telemetrySampleSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new CliError(`${file}:${index + 1}: not a telemetry sample: ${issue.path.join(".") || "(root)"}: ${issue.message}`);
    }
    samples.push(parsed.data);
  });
  return samples;
}

/**
 * Samples from a file that is either JSONL (what `edgecall telemetry parse|record` write) or a raw
 * tegrastats log whose lines carry their own time (JetPack 5/6).
 */
export function readTelemetry(file: string, zone = "UTC"): Telemetry {
  const text = readTextFile(file, "a telemetry file (JSONL samples or a tegrastats log)");
  const first = text.trimStart();
  if (first === "") throw new CliError(`${file}: empty telemetry log`);
  if (first.startsWith("{")) return { samples: parseJsonl(file, text), unparsed: [] };
  let result: Telemetry;
  try {
    result = parseTegrastats(text, { zone });
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    // Only `telemetry parse` can time a JetPack 4 log; say how to get there from here.
    throw new CliError(`${file}: ${error.message.replace(/: give .*$/, "")}; convert it first with 'edgecall telemetry parse ${file} --start ISO --interval-ms N --json > samples.jsonl'`);
  }
  if (result.samples.length === 0) throw new CliError(`${file}: no tegrastats samples`);
  return result;
}

/** Samples of a JSONL file (a run directory's `telemetry.jsonl`, as `edgecall telemetry record` writes it). */
export function readJsonlSamples(file: string): TelemetrySample[] {
  const text = readTextFile(file, "a JSONL telemetry file");
  if (text.trim() === "") throw new CliError(`${file}: empty telemetry log`);
  return parseJsonl(file, text);
}
