import * as path from "path";
import { CliError } from "../common/cli-error";
import { pathPresent, readTextFile } from "../common/read-text-file";
import { Summary, summarySchema } from "../../domain/summary";
import { readJsonlSamples } from "../telemetry/read-samples";
import { TelemetrySample } from "../telemetry/sample";

/** A summary read back from disk, with the telemetry stored beside it. */
export interface StoredRun {
  summary: Summary;
  /** The summary file. */
  source: string;
  /** `telemetry.jsonl` in the summary's directory; empty when there is none. */
  samples: TelemetrySample[];
}

/** Reads and validates a summary file; a file that is not one names itself and its first bad field. */
export function readStoredRun(file: string): StoredRun {
  // A byte-order mark (some editors write one) is no part of the JSON.
  const text = readTextFile(file, "a summary file").replace(/^\uFEFF/, "");
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new CliError(`${file}: not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const parsed = summarySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CliError(`${file}: not an edgecall summary: ${issue.path.join(".") || "(root)"}: ${issue.message}`);
  }
  const telemetry = path.join(path.dirname(file), "telemetry.jsonl");
  return { summary: parsed.data, source: file, samples: pathPresent(telemetry) ? readJsonlSamples(telemetry) : [] };
}
