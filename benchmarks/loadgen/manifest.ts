import * as fs from "fs";
import * as path from "path";
import { CliError } from "../common/cli-error";
import { readTextFile } from "../common/read-text-file";

/** One read to send: its id, raw signal and, when known, the sampling rate in Hz. */
export interface LoadRead {
  read_id: string;
  signal: number[];
  sampling_rate?: number;
}

interface ManifestEntry {
  read_id?: unknown;
  signal?: unknown;
  signal_file?: unknown;
  sampling_rate?: unknown;
}

const isSignal = (value: unknown): value is number[] =>
  Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === "number" && Number.isFinite(v));

/** A signal file: a JSON array of numbers, or an object with `signal` (and maybe `sampling_rate`). */
function readSignalFile(where: string, file: string): { signal: unknown; sampling_rate?: unknown } {
  if (!fs.existsSync(file)) throw new CliError(`${where}: signal file ${file} does not exist`);
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    throw new CliError(`${where}: signal file ${file} is not JSON`);
  }
  if (Array.isArray(raw)) return { signal: raw };
  if (typeof raw === "object" && raw !== null) {
    const { signal, sampling_rate } = raw as { signal?: unknown; sampling_rate?: unknown };
    return { signal, sampling_rate };
  }
  return { signal: raw };
}

function toRead(where: string, manifestDir: string, entry: ManifestEntry): LoadRead {
  if (typeof entry.read_id !== "string" || entry.read_id === "") throw new CliError(`${where}: read_id must be a non-empty string`);
  let { signal, sampling_rate: samplingRate } = entry;
  if (signal === undefined && typeof entry.signal_file === "string" && entry.signal_file !== "") {
    const fromFile = readSignalFile(where, path.resolve(manifestDir, entry.signal_file));
    signal = fromFile.signal;
    samplingRate ??= fromFile.sampling_rate;
  }
  if (!isSignal(signal)) throw new CliError(`${where}: give signal (a non-empty array of numbers) or signal_file`);
  if (samplingRate !== undefined && (typeof samplingRate !== "number" || !(samplingRate > 0))) {
    throw new CliError(`${where}: sampling_rate must be a positive number of Hz`);
  }
  return samplingRate === undefined ? { read_id: entry.read_id, signal } : { read_id: entry.read_id, signal, sampling_rate: samplingRate };
}

/** A TSV line: read_id, signal file, and optionally the sampling rate. */
function tsvEntry(where: string, line: string): ManifestEntry {
  const [readId, signalFile, samplingRate, ...extra] = line.split("\t");
  if (signalFile === undefined || extra.length > 0) throw new CliError(`${where}: expected read_id<TAB>signal_file[<TAB>sampling_rate]`);
  return { read_id: readId, signal_file: signalFile, sampling_rate: samplingRate === undefined || samplingRate === "" ? undefined : Number(samplingRate) };
}

/**
 * A load manifest, one read a line, in either of two formats (told apart by the first line):
 * - JSON lines: `{"read_id": ..., "signal": [...]}` or `{"read_id": ..., "signal_file": "read.json"}`,
 *   each with an optional `"sampling_rate"` in Hz;
 * - TSV: `read_id<TAB>signal_file[<TAB>sampling_rate]`, with an optional header line starting `read_id`.
 * A signal file holds a JSON array of numbers or `{"signal": [...], "sampling_rate": N}`; its path
 * is relative to the manifest.
 */
export function readLoadManifest(file: string): LoadRead[] {
  const lines = readTextFile(file, "the manifest file (JSON lines of reads)")
    .split(/\r?\n/)
    .map((text, i) => ({ text: text.trim(), where: `${file}:${i + 1}` }))
    .filter(({ text }) => text !== "");
  const json = lines.length > 0 && lines[0].text.startsWith("{");
  const entries = json ? lines : lines.filter(({ text }, i) => !(i === 0 && /^read_id\t/.test(text)));
  const reads = entries.map(({ text, where }) => {
    if (!json) return toRead(where, path.dirname(file), tsvEntry(where, text));
    let entry: ManifestEntry;
    try {
      entry = JSON.parse(text) as ManifestEntry;
    } catch {
      throw new CliError(`${where}: not JSON (a manifest whose first line is JSON must be JSON lines throughout)`);
    }
    return toRead(where, path.dirname(file), entry);
  });
  if (reads.length === 0) throw new CliError(`${file}: no reads`);
  return reads;
}
