import * as fs from "fs";
import * as path from "path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Summary } from "../../domain/summary";
import { DEFAULT_FLOW_CELL } from "../../domain/flow-cell";
import { ModelName, precisionFor } from "../../domain/models";
import { digestOf } from "../model-image/bases";
import type { WeightsSource } from "../model-image/weights";
import { BoardConnection, HostStepResource, hostStep } from "../remote/host-step";
import type { StepUpload } from "../remote/remote-step";
import { stageDatasetStep, stagingDir } from "./dataset-step";
import { parseManifest } from "./manifest";
import { BenchmarkPodSettings, NamedJob, SecretKeyRef, benchmarkJob, scalingJob } from "./job-spec";
import { loadJob } from "./load-job";
import { ModelLoad, parseLoadConfigMap } from "./load-results";
import { BENCH_NAMESPACE, BENCH_SERVICE_ACCOUNT, SCRIPTS_CONFIGMAP, manifestConfigMapName } from "./names";
import { DatasetPlan, modelsToBenchmark, planDataset } from "./plan";
import { BENCH_ROLE_RULES } from "./rbac";
import { ModelBenchmark, RENDERED_ONLY, checkSummaryIdentity, measuredBenchmark, parseSummaryConfigMap } from "./results";
import { BenchmarkConfig, ResolvedDataset, resolveDataset } from "./config";
import { ScalingPoint, shardedWallSeconds, speedupCurve } from "./scaling";
import { besideModule } from "../../domain/project-files";

/** The Secret key in the benchmark namespace that holds the metrics store's URL. */
const METRICS_URL_SECRET: SecretKeyRef = { name: "edgecall-metrics-url", key: "url" };

/** A board that takes part in the benchmarks. */
export interface BenchmarkBoard {
  /** Kubernetes node name of the board (its `kubernetes.io/hostname`). */
  nodeName: string;
  /** How to reach the board over SSH, for staging the dataset. */
  connection: BoardConnection;
  /** The sudo password of the SSH user (a Pulumi secret); omit for root or NOPASSWD sudo. */
  sudoPassword?: pulumi.Input<string>;
  /** Models the board runs; each gets its benchmark Jobs here. */
  models: readonly ModelName[];
  /**
   * Staging waits for this resource: the board's last tuning step, so that the dataset is copied
   * while K3s is installed (the Jobs wait for the cluster on their own).
   */
  ready?: pulumi.Resource;
  /** The board's L4T release and power mode, for the summaries' provenance. */
  l4tRelease?: pulumi.Input<string>;
  powerMode?: pulumi.Input<string>;
}

/** Container images of the benchmark pods. */
export interface BenchmarkImages {
  /** Runner image of each model (`edgecall-runner`); every benchmarked model needs one. */
  models: Partial<Record<ModelName, pulumi.Input<string>>>;
  /** The FAST5 converter image (`edgecall-convert`). */
  converter: pulumi.Input<string>;
  /** The tools image with the `edgecall` CLI (telemetry, summarize, db push) and Node. */
  tools: pulumi.Input<string>;
  /** Pinned weights of the models that have them (`images.models.<model>.weights`). */
  weights?: Partial<Record<ModelName, WeightsSource>>;
}

export interface BenchmarkRunArgs {
  /** The cluster's Kubernetes provider. */
  provider: k8s.Provider;
  /** The boards; those that run a model (or take part in scaling) get the dataset. */
  boards: BenchmarkBoard[];
  /** Images of the models, the converter and the tools. */
  images: BenchmarkImages;
  /** The validated `benchmark` config (the component's own schema, config.ts), taken as it is. */
  config: BenchmarkConfig;
  /** Where the config's relative dataset paths resolve (the project directory). */
  baseDir: string;
  /** `nvidia` on containerd (from GpuRuntime); undefined on Docker. */
  runtimeClassName?: string;
  /** Whether a device plugin offers `nvidia.com/gpu` for the runner to ask for (default true). */
  gpuRequest?: boolean;
  /** The metrics store's `postgres://` URL (a secret); without it results go only to ConfigMaps. */
  metricsUrl?: pulumi.Input<string>;
  /** Whether `jetson_clocks` pins the boards' clocks (`power.jetsonClocks`), for provenance. */
  jetsonClocks?: boolean;
  /**
   * Read the result ConfigMaps back after each Job. False when the provider only renders manifests
   * to a directory: nothing runs, and every model reads "not measured: rendered only".
   */
  readResults: boolean;
  /**
   * Resolves once every board's node reports to the cluster and fails the update otherwise (see
   * reportingNodes); no Job is created before. Absent where the objects are only rendered.
   */
  nodesReporting?: pulumi.Input<readonly string[]>;
  /**
   * Each model service to drive with `edgecall loadgen` after the benchmark Jobs: its in-cluster
   * URL and the resource that is ready once the service answers. Models without one get no load Job.
   */
  loadTargets?: Partial<Record<ModelName, { url: pulumi.Input<string>; ready: pulumi.Resource }>>;
}

/** Seconds one load request may take before it counts as failed (a long read on a Nano is slow). */
const LOAD_REQUEST_TIMEOUT_S = 300;

/** A scaling result in the `scaling` stack output. */
export type ScalingResult = { status: "measured"; curve: ScalingPoint[] } | { status: typeof RENDERED_ONLY; jobs: string[] };

/** Extra time Pulumi waits for a Job beyond its own deadline: image pulls and scheduling. */
const AWAIT_MARGIN_S = 900;
const podScriptsDir = besideModule(__dirname, "pod-scripts");

/**
 * Benchmark Jobs in namespace `edgecall-bench`: the dataset staged and checked on each board, one
 * Job per model and repeat on the model's board, the optional scaling Jobs, and the summaries read
 * back from the ConfigMaps the Jobs write.
 */
export class BenchmarkRun extends pulumi.ComponentResource {
  /** Model to its outcome: the summary of every repeat, or why nothing was measured. */
  public readonly benchmarks: pulumi.Output<Record<string, ModelBenchmark>>;
  /** Scaling model to its speedup curve; empty without a scaling benchmark. */
  public readonly scaling: pulumi.Output<Record<string, ScalingResult>>;
  /** Model to its load report (throughput and latency per concurrency level); empty without load targets. */
  public readonly load: pulumi.Output<Record<string, ModelLoad>>;
  /** The dataset's id on the boards (sha256 of its manifest). */
  public readonly datasetId: string;
  /** Prefixes the logical names of children whose own names come from Kubernetes object names. */
  private readonly componentName: string;
  private readonly nodesReporting?: pulumi.Input<readonly string[]>;

  constructor(name: string, args: BenchmarkRunArgs, opts?: pulumi.ComponentResourceOptions) {
    super("edgecall:benchmark:BenchmarkRun", name, {}, opts);
    this.componentName = name;
    this.nodesReporting = args.nodesReporting;
    // The config was validated (benchmarkProblems): the stack has the boards scaling asks for.
    const scalingBoards = args.config.scaling === undefined ? [] : args.boards.slice(0, args.config.scaling.maxBoards);

    const plan = this.plan(args);
    this.datasetId = plan.datasetId;
    const models = modelsToBenchmark(args.boards);
    const k8sOpts = { parent: this, provider: args.provider };
    const setup = this.clusterObjects(name, args, plan, k8sOpts);
    const staged = this.stageDataset(name, args, plan, models, scalingBoards);

    const jobsByModel = new Map<ModelName, { job: k8s.batch.v1.Job; named: NamedJob }[]>();
    // A packed board runs several models: their Jobs take turns, so no measurement on a board
    // (its power above all) overlaps another model's run.
    const lastOnBoard = new Map<string, k8s.batch.v1.Job>();
    for (const model of models) {
      const modelBoards = boardsRunning(args, model);
      const stagedOn = modelBoards.map((b) => staged.get(b.nodeName)).filter(isDefined);
      let previous: pulumi.Resource[] = [...new Set(modelBoards.map((b) => lastOnBoard.get(b.nodeName)).filter(isDefined))];
      const jobs = [];
      for (let repeat = 0; repeat < args.config.repeats; repeat++) {
        const named = benchmarkJob(this.podSettings(args, plan, model, PLACEHOLDER_IMAGES), repeat);
        const job = this.job(name, named, this.podSettingsOutput(args, plan, model).apply((s) => benchmarkJob(s, repeat).spec), k8sOpts, [
          ...setup,
          ...stagedOn,
          ...previous,
        ]);
        jobs.push({ job, named });
        previous = [job];
      }
      jobsByModel.set(model, jobs);
      for (const board of modelBoards) lastOnBoard.set(board.nodeName, jobs[jobs.length - 1].job);
    }

    const scalingJobs: { boards: number; job: k8s.batch.v1.Job; named: NamedJob }[] = [];
    if (args.config.scaling !== undefined) {
      const { model } = args.config.scaling;
      const nodeNames = scalingBoards.map((b) => b.nodeName);
      // After every model Job, so no other benchmark competes for the boards' GPUs.
      let previous: pulumi.Resource[] = [...jobsByModel.values()].flatMap((jobs) => jobs.map((j) => j.job));
      for (let boards = 1; boards <= args.config.scaling.maxBoards; boards++) {
        const named = scalingJob(this.podSettings(args, plan, model, PLACEHOLDER_IMAGES), boards, nodeNames);
        const job = this.job(name, named, this.podSettingsOutput(args, plan, model).apply((s) => scalingJob(s, boards, nodeNames).spec), k8sOpts, [
          ...setup,
          ...scalingBoards.map((b) => staged.get(b.nodeName)).filter(isDefined),
          ...previous,
        ]);
        scalingJobs.push({ boards, job, named });
        previous = [job];
      }
    }

    this.scaling = this.readScaling(args, scalingJobs);
    this.benchmarks = this.readBenchmarks(args, jobsByModel, this.scaling);
    // After every benchmark and scaling Job, one model at a time, so no load disturbs a measurement
    // and two models packed on one board are never loaded together.
    const loadJobs: { model: ModelName; job: k8s.batch.v1.Job; named: NamedJob }[] = [];
    let previous: pulumi.Resource[] = [...[...jobsByModel.values()].flatMap((jobs) => jobs.map((j) => j.job)), ...scalingJobs.map((j) => j.job)];
    for (const model of models) {
      const target = args.loadTargets?.[model];
      if (target === undefined || args.config.concurrency === undefined || args.config.concurrency.length === 0) continue;
      const concurrency = args.config.concurrency;
      const load = (url: string) => ({ target: url, concurrency, requestTimeoutSeconds: LOAD_REQUEST_TIMEOUT_S });
      const named = loadJob(this.podSettings(args, plan, model, PLACEHOLDER_IMAGES), load("placeholder"));
      const spec = pulumi.all([this.podSettingsOutput(args, plan, model), pulumi.output(target.url)]).apply(([s, url]) => loadJob(s, load(url)).spec);
      const stagedOn = boardsRunning(args, model).map((b) => staged.get(b.nodeName)).filter(isDefined);
      const job = this.job(name, named, spec, k8sOpts, [...setup, ...stagedOn, ...previous, target.ready]);
      loadJobs.push({ model, job, named });
      previous = [job];
    }
    this.load = this.readLoad(args, loadJobs);
    this.registerOutputs({ benchmarks: this.benchmarks, scaling: this.scaling, load: this.load });
  }

  /** The reads and their shards; the config's checks (benchmarkProblems) ran before any resource. */
  private plan(args: BenchmarkRunArgs): DatasetPlan {
    const dataset = this.dataset(args);
    try {
      return planDataset(fs.readFileSync(dataset.manifestPath, "utf8"), dataset.manifestPath, args.config.reference, args.config.readCount, args.config.scaling?.maxBoards);
    } catch (error) {
      throw new pulumi.ResourceError((error as Error).message, this);
    }
  }

  private dataset(args: BenchmarkRunArgs): ResolvedDataset {
    return resolveDataset(args.config, args.baseDir);
  }

  /** Namespace, service account with its namespace-scoped Role, pod scripts and read manifests. */
  private clusterObjects(name: string, args: BenchmarkRunArgs, plan: DatasetPlan, opts: pulumi.CustomResourceOptions): pulumi.Resource[] {
    const namespace = new k8s.core.v1.Namespace(`${name}-namespace`, { metadata: { name: BENCH_NAMESPACE } }, opts);
    const inNamespace = { ...opts, dependsOn: [namespace] };
    const metadata = (objectName: string) => ({ name: objectName, namespace: BENCH_NAMESPACE });
    const account = new k8s.core.v1.ServiceAccount(`${name}-account`, { metadata: metadata(BENCH_SERVICE_ACCOUNT) }, inNamespace);
    const role = new k8s.rbac.v1.Role(`${name}-role`, { metadata: metadata(BENCH_SERVICE_ACCOUNT), rules: [...BENCH_ROLE_RULES] }, inNamespace);
    const binding = new k8s.rbac.v1.RoleBinding(
      `${name}-role-binding`,
      {
        metadata: metadata(BENCH_SERVICE_ACCOUNT),
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: BENCH_SERVICE_ACCOUNT },
        subjects: [{ kind: "ServiceAccount", name: BENCH_SERVICE_ACCOUNT, namespace: BENCH_NAMESPACE }],
      },
      inNamespace,
    );
    const scripts = new k8s.core.v1.ConfigMap(
      `${name}-scripts`,
      {
        metadata: metadata(SCRIPTS_CONFIGMAP),
        data: Object.fromEntries(
          ["evaluate.sh", "loadgen.sh", "publish-result.js", "telemetry-covers-run.js"].map((file) => [file, fs.readFileSync(path.join(podScriptsDir, file), "utf8")]),
        ),
      },
      inNamespace,
    );
    const manifests = new k8s.core.v1.ConfigMap(
      `${name}-reads`,
      { metadata: metadata(manifestConfigMapName(args.config.runId)), data: plan.manifests },
      inNamespace,
    );
    const objects: pulumi.Resource[] = [namespace, account, role, binding, scripts, manifests];
    if (args.metricsUrl !== undefined) {
      objects.push(
        new k8s.core.v1.Secret(
          `${name}-metrics-url`,
          { metadata: metadata(METRICS_URL_SECRET.name), stringData: { [METRICS_URL_SECRET.key]: pulumi.secret(args.metricsUrl) } },
          inNamespace,
        ),
      );
    }
    return objects;
  }

  /**
   * The staging step of every board that runs a benchmarked model or takes part in scaling. With a
   * local dataset the step first copies the manifest and every file it lists (as the SSH user) into
   * the staging directory, where root checks each against its sha256.
   */
  private stageDataset(
    name: string,
    args: BenchmarkRunArgs,
    plan: DatasetPlan,
    models: readonly ModelName[],
    scalingBoards: readonly BenchmarkBoard[],
  ): Map<string, HostStepResource> {
    const staged = new Map<string, HostStepResource>();
    const boards = args.boards.filter((b) => b.models.some((m) => models.includes(m)) || scalingBoards.includes(b));
    const { manifestPath, source } = this.dataset(args);
    const uploads: StepUpload[] = [{ source: manifestPath, target: "manifest.tsv", sha256: plan.datasetId }];
    if (source.kind === "path") {
      for (const entry of parseManifest(fs.readFileSync(manifestPath, "utf8"), manifestPath)) {
        uploads.push({ source: path.join(source.dir, entry.file), target: `data/${entry.file}`, sha256: entry.sha256 });
      }
    }
    for (const board of boards) {
      const step = { ...stageDatasetStep(plan.datasetId, source), uploads: { dir: stagingDir(plan.datasetId), files: uploads } };
      const staging = hostStep(
        `${name}-${board.nodeName}-dataset`,
        { connection: board.connection, step, sudoPassword: board.sudoPassword, undoable: true },
        { parent: this, dependsOn: board.ready === undefined ? [] : [board.ready] },
      );
      staged.set(board.nodeName, staging.resource);
    }
    return staged;
  }

  private podSettings(
    args: BenchmarkRunArgs,
    plan: DatasetPlan,
    model: ModelName,
    images: { model: string; converter: string; tools: string },
    board: { l4tRelease?: string; powerMode?: string } = {},
  ): BenchmarkPodSettings {
    return {
      model,
      runId: args.config.runId,
      datasetId: plan.datasetId,
      reference: args.config.reference,
      modelImage: images.model,
      weights: args.images.weights?.[model],
      converterImage: images.converter,
      toolsImage: images.tools,
      batchSize: args.config.batchSizes[model] ?? args.config.batchSize,
      precision: precisionFor(model, args.config.precision ?? "fp32"),
      warmup: args.config.warmup,
      idleBaselineSeconds: args.config.idleBaselineSeconds,
      timeoutSeconds: args.config.timeoutSeconds,
      runtimeClassName: args.runtimeClassName,
      gpuRequest: args.gpuRequest ?? true,
      telemetryPrivileged: args.config.telemetryPrivileged,
      keepRuns: args.config.keepRuns ?? false,
      metricsUrlSecret: args.metricsUrl === undefined ? undefined : METRICS_URL_SECRET,
      provenance: {
        imageDigest: digestOf(images.model),
        l4tRelease: board.l4tRelease,
        powerMode: board.powerMode,
        jetsonClocks: args.jetsonClocks,
      },
    };
  }

  /**
   * The L4T release and power mode of the boards that run `model`, each where they all agree (a
   * Job lands on one of them, so a value they do not share cannot be told).
   */
  private boardFacts(args: BenchmarkRunArgs, model: ModelName): pulumi.Output<{ l4tRelease?: string; powerMode?: string }> {
    const boards = boardsRunning(args, model);
    const shared = (values: Array<string | undefined>) => (values.length > 0 && values.every((v) => v !== undefined && v === values[0]) ? values[0] : undefined);
    return pulumi
      .all(boards.map((board) => pulumi.all([pulumi.output(board.l4tRelease), pulumi.output(board.powerMode)])))
      .apply((facts) => ({ l4tRelease: shared(facts.map((f) => f[0])), powerMode: shared(facts.map((f) => f[1])) }));
  }

  /** Pod settings once the images (which may come from image builds) are known. */
  private podSettingsOutput(args: BenchmarkRunArgs, plan: DatasetPlan, model: ModelName): pulumi.Output<BenchmarkPodSettings> {
    return pulumi
      .all([pulumi.output(args.images.models[model] ?? ""), pulumi.output(args.images.converter), pulumi.output(args.images.tools), this.boardFacts(args, model)])
      .apply(([modelImage, converter, tools, board]) => this.podSettings(args, plan, model, { model: modelImage, converter, tools }, board));
  }

  private job(
    component: string,
    named: NamedJob,
    spec: pulumi.Output<NamedJob["spec"]>,
    opts: pulumi.CustomResourceOptions,
    dependsOn: pulumi.Resource[],
  ): k8s.batch.v1.Job {
    const gate = this.nodesReporting;
    const gatedSpec = gate === undefined ? spec : pulumi.all([spec, gate]).apply(([jobSpec]) => jobSpec);
    return new k8s.batch.v1.Job(
      `${component}-${named.name}`,
      {
        metadata: {
          name: named.name,
          namespace: BENCH_NAMESPACE,
          // A Job that failed is replaced (run again) by the next `pulumi up`, not awaited again.
          annotations: { "pulumi.com/replaceUnready": "true" },
        },
        spec: gatedSpec,
      },
      { ...opts, dependsOn, customTimeouts: { create: `${named.spec.activeDeadlineSeconds + AWAIT_MARGIN_S}s` } },
    );
  }

  /** One result ConfigMap, read after its Job completed, parsed and checked. */
  private readSummary(component: string, configMap: string, model: string, runId: string, job: k8s.batch.v1.Job, provider: k8s.Provider): pulumi.Output<Summary> {
    const read = k8s.core.v1.ConfigMap.get(`${component}-${configMap}`, `${BENCH_NAMESPACE}/${configMap}`, { parent: this, provider, dependsOn: [job] });
    return read.data.apply((data) => {
      try {
        return checkSummaryIdentity(parseSummaryConfigMap(data, configMap), { model, runId, configMap });
      } catch (error) {
        throw new pulumi.ResourceError((error as Error).message, this);
      }
    });
  }

  private readBenchmarks(
    args: BenchmarkRunArgs,
    jobsByModel: ReadonlyMap<ModelName, { job: k8s.batch.v1.Job; named: NamedJob }[]>,
    scaling: pulumi.Output<Record<string, ScalingResult>>,
  ): pulumi.Output<Record<string, ModelBenchmark>> {
    const cell = args.config.flowCell ?? DEFAULT_FLOW_CELL;
    const entries = [...jobsByModel.entries()].map(([model, jobs]) => {
      if (!args.readResults) {
        const outcome: ModelBenchmark = { status: RENDERED_ONLY, runId: args.config.runId, jobs: jobs.map((j) => j.named.name) };
        return pulumi.output([model, outcome] as const);
      }
      const summaries = jobs.map(({ job, named }) => this.readSummary(this.componentName, named.resultNames[0], model, args.config.runId, job, args.provider));
      // The keep-up estimate uses the model's measured speedup where a scaling run measured one.
      return pulumi.all([pulumi.all(summaries), scaling]).apply(([list, curves]) => {
        const result = curves[model];
        const curve = result?.status === "measured" ? result.curve : undefined;
        return [model, measuredBenchmark(model, args.config.runId, list, cell, curve)] as const;
      });
    });
    return pulumi.all(entries).apply((pairs) => Object.fromEntries(pairs));
  }

  private readLoad(args: BenchmarkRunArgs, jobs: readonly { model: ModelName; job: k8s.batch.v1.Job; named: NamedJob }[]): pulumi.Output<Record<string, ModelLoad>> {
    const entries = jobs.map(({ model, job, named }) => {
      if (!args.readResults) return pulumi.output([model, { status: RENDERED_ONLY, runId: args.config.runId, job: named.name } as ModelLoad] as const);
      const configMap = named.resultNames[0];
      const read = k8s.core.v1.ConfigMap.get(`${this.componentName}-${configMap}`, `${BENCH_NAMESPACE}/${configMap}`, { parent: this, provider: args.provider, dependsOn: [job] });
      return read.data.apply((data) => {
        try {
          return [model, { status: "measured", runId: args.config.runId, report: parseLoadConfigMap(data, configMap, args.config.concurrency ?? []) } as ModelLoad] as const;
        } catch (error) {
          throw new pulumi.ResourceError((error as Error).message, this);
        }
      });
    });
    return pulumi.all(entries).apply((pairs) => Object.fromEntries(pairs));
  }

  private readScaling(
    args: BenchmarkRunArgs,
    jobs: readonly { boards: number; job: k8s.batch.v1.Job; named: NamedJob }[],
  ): pulumi.Output<Record<string, ScalingResult>> {
    if (args.config.scaling === undefined) return pulumi.output<Record<string, ScalingResult>>({});
    const model = args.config.scaling.model;
    if (!args.readResults) {
      return pulumi.output({ [model]: { status: RENDERED_ONLY, jobs: jobs.map((j) => j.named.name) } as ScalingResult });
    }
    const walls = jobs.map(({ boards, job, named }) =>
      pulumi
        .all(named.resultNames.map((configMap) => this.readSummary(this.componentName, configMap, model, args.config.runId, job, args.provider)))
        .apply((shards) => [boards, shardedWallSeconds(shards.map((s) => s.window), named.name)] as const),
    );
    return pulumi.all(walls).apply((points) => ({ [model]: { status: "measured", curve: speedupCurve(new Map(points)) } as ScalingResult }));
  }
}

/** Images for computing names and deadlines before the real image references are known. */
const PLACEHOLDER_IMAGES = { model: "placeholder", converter: "placeholder", tools: "placeholder" };

function boardsRunning(args: BenchmarkRunArgs, model: ModelName): BenchmarkBoard[] {
  return args.boards.filter((board) => board.models.includes(model));
}

function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined;
}
