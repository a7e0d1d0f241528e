import * as fs from "fs";
import * as path from "path";
import { CliError } from "../common/cli-error";

/** One read to send: its id and raw signal. */
export interface LoadRead {
  read_id: string;
  signal: number[];
}

/**
 * A load manifest: JSON lines, each `{"read_id": ..., "signal": [...]}` or
 * `{"read_id": ..., "signal_file": "path/to/read.json"}` (a JSON array, relative to the manifest).
 */
export function readLoadManifest(file: string): LoadRead[] {
  if (!fs.existsSync(file)) throw new CliError(`${file}: no such file`);
  const reads = fs
    .readFileSync(file, "utf8")
    .split(/\r?\n/)
    .map((line, i) => ({ line: line.trim(), no: i + 1 }))
    .filter(({ line }) => line !== "")
    .map(({ line, no }) => {
      let entry: { read_id?: unknown; signal?: unknown; signal_file?: unknown };
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        throw new CliError(`${file}:${no}: not JSON`);
      }
      if (typeof entry.read_id !== "string" || entry.read_id === "") throw new CliError(`${file}:${no}: read_id must be a non-empty string`);
      let signal = entry.signal;
      if (signal === undefined && typeof entry.signal_file === "string") {
        const signalFile = path.resolve(path.dirname(file), entry.signal_file);
        if (!fs.existsSync(signalFile)) throw new CliError(`${file}:${no}: signal_file ${signalFile} does not exist`);
        signal = JSON.parse(fs.readFileSync(signalFile, "utf8")) as unknown;
      }
      if (!Array.isArray(signal) || signal.length === 0 || !signal.every((v) => typeof v === "number" && Number.isFinite(v))) {
        throw new CliError(`${file}:${no}: give signal (a non-empty array of numbers) or signal_file`);
      }
      return { read_id: entry.read_id, signal: signal as number[] };
    });
  if (reads.length === 0) throw new CliError(`${file}: no reads`);
  return reads;
}
