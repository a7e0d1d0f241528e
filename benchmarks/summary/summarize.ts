import * as fs from "fs";
import { pathPresent } from "../common/read-text-file";
import * as path from "path";
import { evaluateCalls, median } from "../accuracy/evaluate";
import { CliError } from "../common/cli-error";
import { parseIsoTime } from "../common/iso-time";
import { readSequences } from "../common/sequences";
import { gapWarning } from "../energy/gaps";
import { energyReport } from "../energy/report";
import { decimatedPower } from "../energy/decimate";
import { edgecallVersion } from "../version/version";
import { RailChange, railChangeWarning } from "../energy/accumulate";
import { Accuracy, Summary, accuracySchema, summarySchema } from "../../domain/summary";
import { readJsonlTelemetry } from "../telemetry/read-samples";
import { checkTimeOrder } from "../telemetry/time-order";
import { resourceFigures } from "./resources";
import { ReadTiming, readRunInfo, readTimings, requireFile } from "./run-files";

/** The value at a quantile (nearest rank) of a sorted list. */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

async function callIds(file: string): Promise<Set<string>> {
  const ids = new Set<string>();
  for await (const record of readSequences(file)) ids.add(record.id);
  return ids;
}

/** Every read in reads.jsonl has exactly one record in calls.fastq and the other way round. */
function checkSameReads(calls: Set<string>, timings: readonly ReadTiming[], dir: string): void {
  const timed = new Set(timings.map((t) => t.read_id));
  const onlyCalls = [...calls].filter((id) => !timed.has(id));
  const onlyTimings = [...timed].filter((id) => !calls.has(id));
  if (timed.size !== timings.length) throw new CliError(`${path.join(dir, "reads.jsonl")}: a read id appears more than once`);
  if (onlyCalls.length > 0 || onlyTimings.length > 0) {
    throw new CliError(
      `${dir}: calls.fastq has ${calls.size} reads and reads.jsonl ${timings.length}; ` +
        `${onlyCalls.length} only in calls.fastq (first ${onlyCalls[0] ?? "-"}), ${onlyTimings.length} only in reads.jsonl (first ${onlyTimings[0] ?? "-"})`,
    );
  }
}

/** A stored accuracy.json (evaluate's output), or evaluate run now; its read count must be the calls'. */
async function accuracyOf(dir: string, calls: string, callCount: number, reference: string | undefined, warn: Warn): Promise<Accuracy | null> {
  const stored = path.join(dir, "accuracy.json");
  if (fs.existsSync(stored)) {
    let raw: unknown;
    try {
      raw = JSON.parse(fs.readFileSync(stored, "utf8"));
    } catch {
      throw new CliError(`${stored}: not JSON`);
    }
    const parsed = accuracySchema.safeParse(raw);
    if (!parsed.success) throw new CliError(`${stored}: ${parsed.error.issues[0].path.join(".")}: ${parsed.error.issues[0].message}`);
    if (parsed.data.reads !== callCount) {
      throw new CliError(`${stored}: counts ${parsed.data.reads} reads but calls.fastq has ${callCount}; run 'edgecall evaluate --calls ${calls} --reference FASTA --json' again`);
    }
    return parsed.data;
  }
  if (reference === undefined) return null;
  const evaluated = await evaluateCalls(calls, reference);
  evaluated.warnings.forEach(warn);
  return evaluated.summary;
}

/**
 * What the benchmark Job knows that the runner may not have written into run.json: the Job sets
 * these in every container. run.json wins where it has the value.
 */
function fromJob(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value === "" ? undefined : value;
}

function repeatFromJob(): number {
  const value = fromJob("EDGECALL_REPEAT") ?? "0";
  const repeat = Number(value);
  if (!Number.isInteger(repeat) || repeat < 0) throw new CliError(`EDGECALL_REPEAT must be a non-negative integer, got ${value}`);
  return repeat;
}

function clocksFromJob(): boolean | null {
  const value = fromJob("EDGECALL_JETSON_CLOCKS");
  if (value === undefined) return null;
  if (value !== "true" && value !== "false") throw new CliError(`EDGECALL_JETSON_CLOCKS must be true or false, got ${value}`);
  return value === "true";
}

/** A figure computed from one of the run's files; its errors name the file. */
function fromFile<T>(file: string, compute: () => T): T {
  try {
    return compute();
  } catch (error) {
    throw error instanceof CliError ? new CliError(`${file}: ${error.message}`) : error;
  }
}

/** Where warnings go: one line each, without the command's prefix. */
export type Warn = (line: string) => void;

const toStderr: Warn = (line) => process.stderr.write(`edgecall summarize: ${line}\n`);

/**
 * One run directory into its summary (see `benchmarks/summary.ts` and the README for each figure).
 * Figures that are computed but doubtful (energy across gaps in the telemetry) go to `warn`.
 */
export async function summarizeRun(dir: string, reference?: string, warn: Warn = toStderr): Promise<Summary> {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new CliError(`${dir}: not a directory`);
  const run = readRunInfo(dir);
  const timings = readTimings(dir);
  const calls = requireFile(dir, "calls.fastq");
  const ids = await callIds(calls);
  checkSameReads(ids, timings, dir);

  // run-files has checked every time; parsed the same strict way here, so no field is read twice differently.
  const time = (value: string): number => parseIsoTime(value, "time");
  const from = time(run.start);
  const to = time(run.end);
  if (!(to > from)) throw new CliError(`${path.join(dir, "run.json")}: end ${run.end} is not after start ${run.start}`);
  const seconds = (to - from) / 1000;
  const timed = timings.filter((t) => t.warmup !== true);
  const warm = timings.filter((t) => t.warmup === true);
  if (timed.length === 0) {
    throw new CliError(`${path.join(dir, "reads.jsonl")}: all ${timings.length} reads are warm-up reads ("warmup": true), so there is nothing timed to measure`);
  }
  const bases = timed.reduce((s, t) => s + t.bases, 0);
  const samples = timed.reduce((s, t) => s + t.samples, 0);
  const latencies = timed.map((t) => (time(t.end) - time(t.start)) / 1000).sort((a, b) => a - b);

  const telemetryFile = path.join(dir, "telemetry.jsonl");
  const log = pathPresent(telemetryFile) ? readJsonlTelemetry(telemetryFile) : undefined;
  if (log !== undefined) checkTimeOrder(telemetryFile, log);
  const telemetry = log?.samples;
  const baseline: [number, number] | undefined = run.baseline ? [time(run.baseline.start), time(run.baseline.end)] : undefined;
  let railChange: RailChange | undefined;
  const energy = telemetry === undefined ? null : fromFile(telemetryFile, () => energyReport(telemetry, from, to, { bases, reads: timed.length, baseline }, (change) => railChange = change));
  if (railChange !== undefined && energy !== null) warn(railChangeWarning(telemetryFile, railChange, energy.rail));
  if (energy?.gaps !== undefined && energy.gaps.length > 0) warn(gapWarning(telemetryFile, energy.gaps));

  const power = telemetry === undefined ? undefined : decimatedPower(telemetry);

  const summary: Summary = {
    schema: "edgecall.summary/v1",
    model: run.model,
    run_id: run.run_id ?? fromJob("EDGECALL_RUN_ID") ?? "adhoc",
    repeat: run.repeat ?? repeatFromJob(),
    board: run.board ?? fromJob("EDGECALL_NODE_NAME") ?? null,
    board_kind: run.board_kind ?? fromJob("EDGECALL_BOARD_KIND") ?? null,
    window: {
      start: new Date(from).toISOString(),
      end: new Date(to).toISOString(),
      seconds,
      ...(warm.length === 0 ? {} : { warmup: { start: new Date(Math.min(...warm.map((t) => time(t.start)))).toISOString(), end: new Date(Math.max(...warm.map((t) => time(t.end)))).toISOString() } }),
    },
    throughput: {
      reads: timed.length,
      bases,
      samples,
      reads_per_s: timed.length / seconds,
      bases_per_s: bases / seconds,
      samples_per_s: samples / seconds,
      latency_p50_s: median(latencies),
      latency_p95_s: quantile(latencies, 0.95),
    },
    accuracy: await accuracyOf(dir, calls, ids.size, reference, warn),
    energy,
    ...(power === undefined ? {} : { power }),
    resources: telemetry === undefined ? null : resourceFigures(telemetry, from, to),
    provenance: {
      image_digest: run.image_digest ?? fromJob("EDGECALL_IMAGE_DIGEST") ?? null,
      upstream_commit: run.upstream_commit,
      weights_sha256: run.weights_sha256,
      ...(run.weights_verified === undefined ? {} : { weights_verified: run.weights_verified }),
      l4t_release: run.l4t_release ?? fromJob("EDGECALL_L4T_RELEASE") ?? null,
      power_mode: run.power_mode ?? fromJob("EDGECALL_POWER_MODE") ?? null,
      jetson_clocks: run.jetson_clocks ?? clocksFromJob(),
      dataset_manifest_sha256: run.dataset_manifest_sha256 ?? fromJob("EDGECALL_DATASET_MANIFEST_SHA256") ?? null,
      device: run.device,
      precision: run.precision,
      // The runner's frameworks, and the edgecall that summarized (the runner does not know it).
      framework_versions: { edgecall: edgecallVersion(), ...run.framework_versions },
      ...(run.stand_in === undefined ? {} : { stand_in: run.stand_in }),
      ...(run.engine === undefined ? {} : { engine: run.engine }),
      ...(run.engine_artifact_sha256 === undefined ? {} : { engine_artifact_sha256: run.engine_artifact_sha256 }),
      ...(run.engine_parity === undefined ? {} : { engine_parity: run.engine_parity }),
      ...(run.engine_build_s === undefined ? {} : { engine_build_s: run.engine_build_s }),
    },
  };
  // The schema is the contract with report, db and the stack output: check it before writing.
  const checked = summarySchema.safeParse(summary);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new CliError(`${dir}: the summary would not be valid: ${issue.path.join(".")}: ${issue.message}`);
  }
  return checked.data;
}
