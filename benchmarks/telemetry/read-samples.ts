import * as fs from "fs";
import { CliError } from "../common/cli-error";
import { TelemetrySample } from "./sample";
import { parseTegrastats } from "./tegrastats";

/**
 * Samples from a file that is either JSONL (what `edgecall telemetry parse|record` write) or a raw
 * tegrastats log with timestamps.
 */
export function readSamples(file: string, zone = "UTC"): TelemetrySample[] {
  if (!fs.existsSync(file)) throw new CliError(`${file}: no such file`);
  const text = fs.readFileSync(file, "utf8");
  const first = text.trimStart();
  if (first === "") throw new CliError(`${file}: empty telemetry log`);
  if (first.startsWith("{")) {
    return text
      .split(/\r?\n/)
      .filter((line) => line.trim() !== "")
      .map((line, i) => {
        try {
          return JSON.parse(line) as TelemetrySample;
        } catch {
          throw new CliError(`${file}:${i + 1}: not a JSON sample`);
        }
      });
  }
  const { samples } = parseTegrastats(text, { zone });
  if (samples.length === 0) throw new CliError(`${file}: no tegrastats samples`);
  return samples;
}
