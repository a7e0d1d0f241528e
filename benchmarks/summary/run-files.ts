import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import { ENGINES, PRECISIONS } from "../../domain/precision";
import { CliError } from "../common/cli-error";
import { parseIsoTime } from "../common/iso-time";

/** One line of the runner's `reads.jsonl`. */
export const readTimingSchema = z.object({
  read_id: z.string().min(1),
  samples: z.number().int().nonnegative(),
  bases: z.number().int().nonnegative(),
  start: z.string(),
  end: z.string(),
  /** Warm-up reads are basecalled before the timed window and left out of every figure. */
  warmup: z.boolean().optional(),
});
export type ReadTiming = z.infer<typeof readTimingSchema>;

const windowSchema = z.object({ start: z.string(), end: z.string() });

/** The runner's `run.json`: what ran, where, and the timed window. */
export const runInfoSchema = z.object({
  model: z.string().min(1),
  run_id: z.string().min(1).optional(),
  repeat: z.number().int().nonnegative().optional(),
  board: z.string().nullable().optional(),
  board_kind: z.string().nullable().optional(),
  start: z.string(),
  end: z.string(),
  baseline: windowSchema.nullable().optional(),
  upstream_commit: z.string().nullable().default(null),
  weights_sha256: z.string().nullable().default(null),
  /** Whether the runner checked the weights against their pinned sha256 before loading them. */
  weights_verified: z.boolean().optional(),
  /** The model that ran under this model's name (the simulated cluster's test network). */
  stand_in: z.string().optional(),
  /** `edgecall-runner --engine`, and what it recorded of the engine it made; runners before engines ran torch. */
  engine: z.enum(ENGINES).optional(),
  engine_artifact_sha256: z.string().optional(),
  engine_parity: z.object({ max_probability_diff: z.number(), identity: z.number(), windows: z.number(), floor: z.number() }).optional(),
  engine_build_s: z.number().nonnegative().optional(),
  device: z.string().nullable().default(null),
  /** `edgecall-runner --precision`; runners before it ran fp32 only. */
  precision: z.enum(PRECISIONS).default("fp32"),
  framework_versions: z.record(z.string(), z.string()).default({}),
  image_digest: z.string().nullable().default(null),
  l4t_release: z.string().nullable().default(null),
  power_mode: z.string().nullable().default(null),
  jetson_clocks: z.boolean().nullable().default(null),
  dataset_manifest_sha256: z.string().nullable().optional(),
});
export type RunInfo = z.infer<typeof runInfoSchema>;

export function requireFile(dir: string, name: string): string {
  const file = path.join(dir, name);
  if (!fs.existsSync(file)) throw new CliError(`${file}: missing (a run directory holds calls.fastq, reads.jsonl and run.json)`);
  return file;
}

function describeIssue(file: string, where: string, error: z.ZodError): CliError {
  const issue = error.issues[0];
  return new CliError(`${file}${where}: ${issue.path.join(".") || "(root)"}: ${issue.message}`);
}

export function readRunInfo(dir: string): RunInfo {
  const file = requireFile(dir, "run.json");
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    throw new CliError(`${file}: not JSON`);
  }
  const parsed = runInfoSchema.safeParse(raw);
  if (!parsed.success) throw describeIssue(file, "", parsed.error);
  for (const key of ["start", "end"] as const) parseIsoTime(parsed.data[key], `${file}: ${key}`);
  if (parsed.data.baseline) {
    for (const key of ["start", "end"] as const) parseIsoTime(parsed.data.baseline[key], `${file}: baseline.${key}`);
  }
  return parsed.data;
}

export function readTimings(dir: string): ReadTiming[] {
  const file = requireFile(dir, "reads.jsonl");
  const timings = fs
    .readFileSync(file, "utf8")
    .split(/\r?\n/)
    .map((line, i) => ({ line: line.trim(), no: i + 1 }))
    .filter(({ line }) => line !== "")
    .map(({ line, no }) => {
      let raw: unknown;
      try {
        raw = JSON.parse(line);
      } catch {
        throw new CliError(`${file}:${no}: not JSON`);
      }
      const parsed = readTimingSchema.safeParse(raw);
      if (!parsed.success) throw describeIssue(file, `:${no}`, parsed.error);
      // A bad time would turn into NaN latencies far from here; name the read and the field now.
      for (const key of ["start", "end"] as const) parseIsoTime(parsed.data[key], `${file}:${no}: read ${parsed.data.read_id}: ${key}`);
      return parsed.data;
    });
  if (timings.length === 0) throw new CliError(`${file}: no reads`);
  return timings;
}
