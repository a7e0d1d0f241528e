import { CliError } from "../common/cli-error";
import { readLines } from "../common/read-lines";
import { parseJsonlLine } from "./read-samples";
import { TelemetrySample } from "./sample";
import { TegrastatsParser, Timing } from "./tegrastats";

/** What a stream of samples left out: lines that were not tegrastats output (JSONL has none). */
export interface SkippedLines {
  count: number;
  first: number | undefined;
}

/**
 * readTelemetry as a stream: each sample with its line number, as the file is read, so a day of
 * samples never has to fit in memory. The same formats and the same errors; `skipped` is filled
 * in as lines are read, complete once the stream ends.
 */
export async function* streamTelemetry(
  file: string,
  timing: Timing,
  skipped: SkippedLines,
): AsyncGenerator<{ sample: TelemetrySample; line: number }> {
  let format: "jsonl" | "tegrastats" | undefined;
  const tegrastats = new TegrastatsParser(timing);
  let samples = 0;
  let lineNo = 0;
  for await (const raw of readLines(file, "a telemetry file (JSONL samples or a tegrastats log)")) {
    lineNo += 1;
    if (format === undefined) {
      const text = raw.trimStart();
      if (text === "") continue;
      format = text.startsWith("{") ? "jsonl" : "tegrastats";
    }
    let sample: TelemetrySample | undefined;
    if (format === "jsonl") {
      sample = parseJsonlLine(file, raw, lineNo);
    } else {
      try {
        sample = tegrastats.line(raw, lineNo);
      } catch (error) {
        throw error instanceof CliError ? new CliError(`${file}: ${error.message}`) : error;
      }
      skipped.count = tegrastats.unparsedCount;
      skipped.first = tegrastats.firstUnparsed;
    }
    if (sample === undefined) continue;
    samples += 1;
    yield { sample, line: lineNo };
  }
  if (format === undefined) throw new CliError(`${file}: empty telemetry log`);
  if (samples === 0) throw new CliError(`${file}: no tegrastats samples`);
}
