import * as fs from "fs";
import * as path from "path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_FLOW_CELL } from "../../domain/flow-cell";
import type { ModelLive } from "../../domain/live";
import type { ModelName } from "../../domain/models";
import { besideModule } from "../../domain/project-files";
import { HostStepResource, hostStep } from "../remote/host-step";
import type { StepUpload } from "../remote/remote-step";
import type { BenchmarkBoard, BenchmarkRunArgs } from "./args";
import { BenchmarkJobs } from "./benchmark-jobs";
import { ResolvedDataset, resolveDataset } from "./config";
import { stageDatasetStep, stagingDir } from "./dataset-step";
import type { JobChain } from "./job-chain";
import { LiveJobs } from "./live-jobs";
import { LoadJobs, LoadTarget } from "./load-jobs";
import type { ModelLoad } from "./load-results";
import { parseManifest } from "./manifest";
import { BENCH_NAMESPACE, BENCH_SERVICE_ACCOUNT, SCRIPTS_CONFIGMAP, manifestConfigMapName } from "./names";
import { DatasetPlan, modelsToBenchmark, planDataset } from "./plan";
import { METRICS_URL_SECRET, RunContext } from "./pod-settings";
import { BENCH_ROLE_RULES } from "./rbac";
import { ModelBenchmark, RENDERED_ONLY, measuredBenchmark } from "./results";
import { ScalingJobs, ScalingResult } from "./scaling-jobs";

export type { BenchmarkBoard, BenchmarkImages, BenchmarkRunArgs } from "./args";
export type { ScalingResult } from "./scaling-jobs";

const podScriptsDir = besideModule(__dirname, "pod-scripts");

/**
 * The benchmarks of a stack in namespace `edgecall-bench`: the namespace and what every Job shares,
 * the dataset staged and checked on each board, then four workloads, each a component of its own
 * over one Job chain and one results reader: the benchmark Jobs (BenchmarkJobs), the scaling Jobs
 * (ScalingJobs), the load Jobs (LoadJobs) and the live Jobs (LiveJobs), in that order.
 */
export class BenchmarkRun extends pulumi.ComponentResource {
  /** Model to its outcome: the summary of every repeat, or why nothing was measured. */
  public readonly benchmarks: pulumi.Output<Record<string, ModelBenchmark>>;
  /** Scaling model to its speedup curve; empty without a scaling benchmark. */
  public readonly scaling: pulumi.Output<Record<string, ScalingResult>>;
  /** Model to its load report (throughput and latency per concurrency level); empty without load targets. */
  public readonly load: pulumi.Output<Record<string, ModelLoad>>;
  /** Model to its live benchmark (a verdict per speed); empty without `benchmark.live`. */
  public readonly live: pulumi.Output<Record<string, ModelLive>>;
  /** The dataset's id on the boards (sha256 of its manifest). */
  public readonly datasetId: string;

  constructor(name: string, args: BenchmarkRunArgs, opts?: pulumi.ComponentResourceOptions) {
    super("edgecall:benchmark:BenchmarkRun", name, {}, opts);
    const { config } = args;
    // The config was validated (benchmarkProblems): the stack has the boards scaling asks for.
    const scalingBoards = config.scaling === undefined ? [] : args.boards.slice(0, config.scaling.maxBoards);
    const plan = this.plan(args);
    this.datasetId = plan.datasetId;
    const models = modelsToBenchmark(args.boards);
    const context: RunContext = { args, plan };
    const chain: Omit<JobChain, "parent"> = {
      provider: args.provider,
      namePrefix: name,
      formerParent: this,
      setup: this.clusterObjects(name, args, plan, { parent: this, provider: args.provider }),
      nodesReporting: args.nodesReporting,
    };
    const staged = this.stageDataset(name, args, plan, models, scalingBoards);
    const workload = { context, chain, staged };

    const benchmark = new BenchmarkJobs(`${name}-benchmark`, { ...workload, models }, { parent: this });
    const scaling =
      config.scaling === undefined
        ? undefined
        : new ScalingJobs(`${name}-scaling`, { ...workload, boards: scalingBoards, after: benchmark.jobs, readResults: args.readResults }, { parent: this });
    this.scaling = scaling?.result ?? pulumi.output<Record<string, ScalingResult>>({});
    this.benchmarks = this.outcomes(args, models, benchmark, this.scaling);
    const targets = models.flatMap((model): Array<[ModelName, LoadTarget]> => {
      const target = args.loadTargets?.[model];
      return target === undefined ? [] : [[model, target]];
    });
    const load =
      targets.length === 0
        ? undefined
        : new LoadJobs(`${name}-load`, { ...workload, targets, after: [...benchmark.jobs, ...(scaling?.jobs ?? [])], readResults: args.readResults }, { parent: this });
    this.load = load?.result ?? pulumi.output<Record<string, ModelLoad>>({});
    const live =
      config.live === undefined
        ? undefined
        : new LiveJobs(
            `${name}-live`,
            {
              ...workload,
              models: models.filter((m) => config.live?.models?.includes(m) ?? true),
              targets: new Map(targets),
              live: { ...config.live, flowCell: config.flowCell ?? DEFAULT_FLOW_CELL },
              after: [...benchmark.jobs, ...(scaling?.jobs ?? []), ...(load?.jobs ?? [])],
              readResults: args.readResults,
            },
            { parent: this },
          );
    this.live = live?.result ?? pulumi.output<Record<string, ModelLive>>({});
    this.registerOutputs({ benchmarks: this.benchmarks, scaling: this.scaling, load: this.load, live: this.live });
  }

  /** Each model's outcome; the keep-up estimate uses the model's measured speedup where scaling measured one. */
  private outcomes(
    args: BenchmarkRunArgs,
    models: readonly ModelName[],
    benchmark: BenchmarkJobs,
    scaling: pulumi.Output<Record<string, ScalingResult>>,
  ): pulumi.Output<Record<string, ModelBenchmark>> {
    const { config } = args;
    const cell = config.flowCell ?? DEFAULT_FLOW_CELL;
    const entries = models.map((model) => {
      if (!args.readResults) {
        const outcome: ModelBenchmark = { status: RENDERED_ONLY, runId: config.runId, jobs: (benchmark.byModel.get(model) ?? []).map((j) => j.named.name) };
        return pulumi.output([model, outcome] as const);
      }
      return pulumi.all([benchmark.summaries(model), scaling]).apply(([list, curves]) => {
        const result = curves[model];
        const curve = result?.status === "measured" ? result.curve : undefined;
        return [model, measuredBenchmark(model, config.runId, list, cell, curve)] as const;
      });
    });
    return pulumi.all(entries).apply((pairs) => Object.fromEntries(pairs));
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
          ["evaluate.sh", "loadgen.sh", "read-until.sh", "publish-result.js", "telemetry-covers-run.js"].map((file) => [file, fs.readFileSync(path.join(podScriptsDir, file), "utf8")]),
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
}
