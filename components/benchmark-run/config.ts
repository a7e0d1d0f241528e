import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import type { ConfigProblem } from "../../domain/config-problem";
import { ENGINE_MODELS, MODELS, ModelName, engineFor } from "../../domain/models";
import { ENGINES, ENGINE_PRECISIONS, Engine, PRECISIONS } from "../../domain/precision";
import { DEFAULT_FLOW_CELL, flowCellSchema } from "../../domain/flow-cell";
import type { DatasetSource } from "./dataset-step";
import { DatasetError } from "./manifest";
import { planDataset } from "./plan";
// A run id goes into Kubernetes object names, so it must be a short DNS label.
import { DNS_LABEL as RUN_ID } from "../../domain/dns-label";

const HTTP_URL = /^https?:\/\/\S+$/;

/**
 * Where the benchmark's input comes from: a local directory copied to each board, or a base URL each
 * board downloads every manifest file from (`<url>/<file>`). Either way the manifest (a local TSV of
 * `file`, `sha256`, with an optional header line) fixes what is measured: every file is checked
 * against it on the board, and its own sha256 names the dataset there.
 */
const datasetSchema = z
  .strictObject({
    /** Local directory holding the dataset's files (paths in the manifest are relative to it). */
    path: z.string().min(1).optional(),
    /** Base URL the boards download each manifest file from, e.g. `https://data.example/reads`. */
    url: z.string().regex(HTTP_URL, "expected an http:// or https:// URL").optional(),
    /** Local path of the sha256 manifest (TSV: file, sha256). */
    manifest: z.string().min(1),
  })
  .refine((d) => (d.path === undefined) !== (d.url === undefined), {
    message: "give exactly one of dataset.path (a local directory) or dataset.url (a base URL)",
  });

const liveConfigSchema = z.strictObject({
  /** The models to run live; every benchmarked model when absent. */
  models: z.array(z.enum(MODELS)).min(1).optional(),
  /** Multiples of the flow cell's rate, each a run of its own, e.g. [0.5, 1, 2]. */
  speeds: z.array(z.number().positive("a speed is a positive multiple of the flow cell's rate").max(100)).min(1).max(8),
  /** Seconds of sequencing per speed. */
  durationSeconds: z.number().int().min(10).max(86400).default(120),
  /** Share of the flow cell's channels sequencing at once (runs average well below all of them). */
  occupancy: z.number().positive().max(1).default(0.8),
  /** Reads per file the sequencer writes (MinKNOW wrote 4000 per FAST5 file). */
  readsPerFile: z.number().int().min(1).max(100_000).default(100),
  /** The watcher is behind once its backlog stays above one file this long. */
  backlogWindowSeconds: z.number().int().min(1).max(3600).default(30),
  /**
   * Adaptive sampling's load on each model's service (`edgecall loadgen --read-until`): per channel
   * count, a chunk of `chunkSeconds` of signal per channel every `chunkSeconds`; the `live` output
   * gives the largest count served with `inTimeShare` of its chunks in time. Off when absent.
   */
  readUntil: z
    .strictObject({
      channels: z.array(z.number().int().min(1).max(4096)).min(1).max(8).default([64, 128, 256, 512]),
      chunkSeconds: z.number().positive().max(10).default(0.4),
      rounds: z.number().int().min(1).max(1000).default(10),
      inTimeShare: z.number().positive().max(1).default(0.95),
    })
    .optional(),
});

/**
 * The `benchmark` part of the stack config (`edgecall:benchmark`): the stack schema (infra/config.ts)
 * composes it, and BenchmarkRun takes the validated value as it is. docs/configuration.md is what a
 * user reads of these fields.
 */
export const benchmarkConfigSchema = z.strictObject({
  dataset: datasetSchema,
  /** The reference FASTA, as a path inside the dataset; it must be listed in the manifest. */
  reference: z.string().min(1),
  /** Reads measured: the first N read files of the manifest; all of them when unset. */
  readCount: z.number().int().min(1).optional(),
  /** Reads the runner basecalls before the timed window, excluded from every figure. */
  warmup: z.number().int().min(0).default(10),
  /** Jobs per model, run one after another on the model's board. */
  repeats: z.number().int().min(1).max(20).default(1),
  /** Reads per batch for every model, unless `batchSizes` names the model. */
  batchSize: z.number().int().min(1).max(4096).default(8),
  /** Batch size per model, e.g. `{chiron: 4}` for a model that runs out of memory on a Nano. */
  batchSizes: z.partialRecord(z.enum(MODELS), z.number().int().min(1).max(4096)).default({}),
  /**
   * `fp16` runs SACall, CATCaller and RODAN in half precision on the board's GPU (Chiron, which is
   * TensorFlow, stays fp32); each summary records the precision, so a second run id compares them.
   */
  precision: z.enum(PRECISIONS).default("fp32"),
  /**
   * `onnxruntime` or `tensorrt` run SACall and RODAN as their exported graphs, each checked against
   * PyTorch fp32 before it is used (the runner's parity check); CATCaller and Chiron stay torch.
   * `int8` precision needs one of them. Summaries record the engine, so runs are never merged across.
   */
  engine: z.enum(ENGINES).default("torch"),
  /** The engine per model, e.g. `{rodan: onnxruntime}`, over `engine`. */
  engines: z.partialRecord(z.enum(MODELS), z.enum(ENGINES)).default({}),
  /** Concurrency levels the load generator sends to each model service (not used by the Jobs). */
  concurrency: z.array(z.number().int().min(1).max(256)).min(1).default([1, 2, 4, 8]),
  /** Seconds of idle power measured before warm-up; energy is also reported above this baseline. */
  idleBaselineSeconds: z.number().int().min(0).max(3600).default(30),
  /** Names this set of runs; changing it re-runs every benchmark Job, keeping it leaves them alone. */
  runId: z.string().regex(RUN_ID, "expected a lowercase DNS label (a-z, 0-9, '-')").max(20).default("run1"),
  /** Wall-clock limit of each Job (Kubernetes activeDeadlineSeconds). */
  timeoutSeconds: z.number().int().min(60).max(86400).default(3600),
  /** Run the telemetry sidecar privileged, for boards whose tegrastats needs debugfs. */
  telemetryPrivileged: z.boolean().default(false),
  /**
   * Keep each Job's run directory (calls.fastq, reads.jsonl, run.json, telemetry.jsonl and the
   * summary) on its board under /var/lib/edgecall-data/runs/<run id>/<result name>, for a closer
   * look at the calls; `pulumi destroy` removes them with the dataset.
   */
  keepRuns: z.boolean().default(false),
  /** One model on 1..maxBoards boards with the reads sharded across them; omit for no scaling run. */
  scaling: z
    .strictObject({
      model: z.enum(MODELS),
      /** Largest number of boards; one Job runs for every n from 1 to this. */
      maxBoards: z.number().int().min(2).max(16),
    })
    .optional(),
  /**
   * The flow cell the keep-up factor compares against (`benchmarks` output `keepUp`): channels times
   * sampling rate is the samples/s a basecaller must sustain. Default: a MinION on R9.4.1, 512 x 4000 Hz.
   */
  flowCell: flowCellSchema.default(DEFAULT_FLOW_CELL),
  /**
   * The live benchmark (docs/live.md): per model, after the load Jobs, the sequencer stand-in replays
   * the benchmark's reads at each speed (a multiple of `flowCell`'s rate times `occupancy`) for
   * `durationSeconds` while `edgecall-runner watch` calls them; the `live` output says, per speed,
   * whether the board keeps up. Off when absent.
   */
  live: liveConfigSchema.optional(),
});

export type BenchmarkConfig = z.infer<typeof benchmarkConfigSchema>;

/** Where the dataset's files come from, and its manifest, as local paths resolved against `baseDir`. */
export interface ResolvedDataset {
  source: DatasetSource;
  manifestPath: string;
}

export function resolveDataset(config: BenchmarkConfig, baseDir: string): ResolvedDataset {
  const { dataset } = config;
  return {
    source: dataset.path !== undefined ? { kind: "path", dir: path.resolve(baseDir, dataset.path) } : { kind: "url", url: dataset.url ?? "" },
    manifestPath: path.resolve(baseDir, dataset.manifest),
  };
}

/**
 * What the schema cannot see in the benchmark config alone: that the stack has the boards scaling
 * asks for, that the local dataset and manifest exist, and that the manifest plans (the reference and
 * `readCount` against its reads). `npm run validate` and `pulumi up` report these before any resource
 * exists; BenchmarkRun checks none of them again.
 */
/** An engine a model cannot run on, or a precision its engine cannot honour, named at the key that asks for it. */
function engineProblems(config: BenchmarkConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const [model, engine] of Object.entries(config.engines) as Array<[ModelName, Engine]>) {
    if (engine !== "torch" && !ENGINE_MODELS.includes(model)) {
      problems.push({ path: `benchmark.engines.${model}`, message: `${model} runs on torch only (engines run ${ENGINE_MODELS.join(" and ")}); remove the entry` });
    }
  }
  const engines = new Set(MODELS.filter((m) => ENGINE_MODELS.includes(m)).map((m) => engineFor(m, config.engine, config.engines)));
  if (config.precision === "int8" && !engines.has("onnxruntime") && !engines.has("tensorrt")) {
    problems.push({ path: "benchmark.precision", message: "int8 needs engine onnxruntime or tensorrt (PyTorch has no int8 kernels on CUDA)" });
  }
  for (const engine of engines) {
    if (engine !== "torch" && !ENGINE_PRECISIONS[engine].includes(config.precision)) {
      problems.push({ path: "benchmark.precision", message: `${config.precision} on engine ${engine}: it takes ${ENGINE_PRECISIONS[engine].join(", ")}` });
    }
  }
  return problems;
}

export function benchmarkProblems(config: BenchmarkConfig, stack: { boards: number; baseDir: string; models?: readonly ModelName[] }): ConfigProblem[] {
  const problems: ConfigProblem[] = engineProblems(config);
  for (const model of config.live?.models ?? []) {
    if (stack.models !== undefined && !stack.models.includes(model)) {
      problems.push({ path: "benchmark.live.models", message: `${model} runs on no node of the stack (nodes[].models); remove it or add it to a node` });
    }
  }
  if (config.scaling !== undefined && config.scaling.maxBoards > stack.boards) {
    problems.push({ path: "benchmark.scaling.maxBoards", message: `${config.scaling.maxBoards} is more than the ${stack.boards} nodes of the stack` });
  }
  const dataset = resolveDataset(config, stack.baseDir);
  if (dataset.source.kind === "path" && !fs.statSync(dataset.source.dir, { throwIfNoEntry: false })?.isDirectory()) {
    problems.push({ path: "benchmark.dataset.path", message: `${dataset.source.dir} is not a directory` });
  }
  let manifest: string | undefined;
  try {
    manifest = fs.readFileSync(dataset.manifestPath, "utf8");
  } catch (error) {
    problems.push({ path: "benchmark.dataset.manifest", message: `cannot read ${dataset.manifestPath} (${(error as NodeJS.ErrnoException).code ?? "error"})` });
  }
  if (manifest !== undefined && problems.length === 0) {
    try {
      planDataset(manifest, dataset.manifestPath, config.reference, config.readCount, config.scaling?.maxBoards);
    } catch (error) {
      if (!(error instanceof DatasetError)) throw error;
      problems.push({ path: error.field, message: error.message.startsWith(`${error.field} `) ? error.message.slice(error.field.length + 1) : error.message });
    }
  }
  return problems;
}
