import * as pulumi from "@pulumi/pulumi";
import { ModelName, engineFor, precisionFor } from "../../domain/models";
import { digestOf } from "../model-image/bases";
import type { BenchmarkBoard, BenchmarkRunArgs } from "./args";
import type { BenchmarkPodSettings, SecretKeyRef } from "./job-spec";
import type { DatasetPlan } from "./plan";

/** The Secret key in the benchmark namespace that holds the metrics store's URL. */
export const METRICS_URL_SECRET: SecretKeyRef = { name: "edgecall-metrics-url", key: "url" };

/** Images for computing names and deadlines before the real image references are known. */
export const PLACEHOLDER_IMAGES = { model: "placeholder", converter: "placeholder", tools: "placeholder" };

/** What every benchmark pod of a run is made from: the component's arguments and the dataset's plan. */
export interface RunContext {
  args: BenchmarkRunArgs;
  plan: DatasetPlan;
}

export function boardsRunning(args: BenchmarkRunArgs, model: ModelName): BenchmarkBoard[] {
  return args.boards.filter((board) => board.models.includes(model));
}

/** The settings of `model`'s pods with the images given (placeholders where names are all that count). */
export function podSettings(
  { args, plan }: RunContext,
  model: ModelName,
  images: { model: string; converter: string; tools: string },
  board: BoardFacts = {},
): BenchmarkPodSettings {
  const { config } = args;
  return {
    model,
    runId: config.runId,
    datasetId: plan.datasetId,
    reference: config.reference,
    modelImage: images.model,
    weights: args.images.weights?.[model],
    converterImage: images.converter,
    toolsImage: images.tools,
    batchSize: config.batchSizes[model] ?? config.batchSize,
    engine: engineFor(model, config.engine, config.engines),
    precision: precisionFor(model, config.precision, engineFor(model, config.engine, config.engines)),
    warmup: config.warmup,
    idleBaselineSeconds: config.idleBaselineSeconds,
    timeoutSeconds: config.timeoutSeconds,
    runtimeClassName: args.runtimeClassName,
    gpuRequest: args.gpuRequest ?? true,
    telemetryPrivileged: config.telemetryPrivileged,
    keepRuns: config.keepRuns,
    metricsUrlSecret: args.metricsUrl === undefined ? undefined : METRICS_URL_SECRET,
    provenance: {
      imageDigest: digestOf(images.model),
      boardKind: board.kind,
      l4tRelease: board.l4tRelease,
      powerMode: board.powerMode,
      jetsonClocks: args.jetsonClocks,
    },
  };
}

/** What the summaries record of the boards that run a model. */
interface BoardFacts {
  kind?: string;
  l4tRelease?: string;
  powerMode?: string;
}

/**
 * The kind, L4T release and power mode of the boards that run `model`, each where they all agree (a
 * Job lands on one of them, so a value they do not share cannot be told).
 */
function boardFacts(args: BenchmarkRunArgs, model: ModelName): pulumi.Output<BoardFacts> {
  const shared = (values: Array<string | undefined>) => (values.length > 0 && values.every((v) => v !== undefined && v === values[0]) ? values[0] : undefined);
  const boards = boardsRunning(args, model);
  return pulumi
    .all(boards.map((board) => pulumi.all([pulumi.output(board.l4tRelease), pulumi.output(board.powerMode)])))
    .apply((facts) => ({ kind: shared(boards.map((b) => b.kind)), l4tRelease: shared(facts.map((f) => f[0])), powerMode: shared(facts.map((f) => f[1])) }));
}

/** Pod settings once the images (which may come from image builds) and the boards' facts are known. */
export function podSettingsOutput(context: RunContext, model: ModelName): pulumi.Output<BenchmarkPodSettings> {
  const { images } = context.args;
  return pulumi
    .all([pulumi.output(images.models[model] ?? ""), pulumi.output(images.converter), pulumi.output(images.tools), boardFacts(context.args, model)])
    .apply(([modelImage, converter, tools, board]) => podSettings(context, model, { model: modelImage, converter, tools }, board));
}
