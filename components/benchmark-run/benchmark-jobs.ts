import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ModelName } from "../../domain/models";
import type { Summary } from "../../domain/summary";
import type { HostStepResource } from "../remote/host-step";
import { JobChain, chainedJob } from "./job-chain";
import { NamedJob, benchmarkJob } from "./job-spec";
import { PLACEHOLDER_IMAGES, RunContext, boardsRunning, podSettings, podSettingsOutput } from "./pod-settings";
import { readSummary } from "./results-reader";

/** What a workload of the run needs: the run's context, its Job chain, and each board's staging step. */
export interface WorkloadArgs {
  context: RunContext;
  chain: Omit<JobChain, "parent">;
  /** Each board's dataset staging step, by node name. */
  staged: ReadonlyMap<string, HostStepResource>;
}

/**
 * The benchmark workload: one Job per model and repeat on the model's board, repeats one after
 * another, and a packed board's models one after another, so no measurement on a board (its power
 * above all) overlaps another run. Each Job's summary is read back from its ConfigMap.
 */
export class BenchmarkJobs extends pulumi.ComponentResource {
  /** Every Job, for what must wait for all of them. */
  public readonly jobs: k8s.batch.v1.Job[] = [];
  /** Each model's Jobs (names and resources), in repeat order. */
  public readonly byModel = new Map<ModelName, Array<{ job: k8s.batch.v1.Job; named: NamedJob }>>();
  private readonly chain: JobChain;
  private readonly runId: string;

  constructor(name: string, args: WorkloadArgs & { models: readonly ModelName[] }, opts?: pulumi.ComponentResourceOptions) {
    super("edgecall:benchmark:BenchmarkJobs", name, {}, opts);
    this.chain = { ...args.chain, parent: this };
    this.runId = args.context.args.config.runId;
    const lastOnBoard = new Map<string, k8s.batch.v1.Job>();
    for (const model of args.models) {
      const modelBoards = boardsRunning(args.context.args, model);
      const stagedOn = modelBoards.map((b) => args.staged.get(b.nodeName)).filter((s): s is HostStepResource => s !== undefined);
      let previous: pulumi.Resource[] = [...new Set(modelBoards.map((b) => lastOnBoard.get(b.nodeName)).filter((j): j is k8s.batch.v1.Job => j !== undefined))];
      const jobs = [];
      for (let repeat = 0; repeat < args.context.args.config.repeats; repeat++) {
        const named = benchmarkJob(podSettings(args.context, model, PLACEHOLDER_IMAGES), repeat);
        const job = chainedJob(this.chain, named, podSettingsOutput(args.context, model).apply((s) => benchmarkJob(s, repeat).spec), [...stagedOn, ...previous]);
        jobs.push({ job, named });
        this.jobs.push(job);
        previous = [job];
      }
      this.byModel.set(model, jobs);
      for (const board of modelBoards) lastOnBoard.set(board.nodeName, jobs[jobs.length - 1].job);
    }
    this.registerOutputs({});
  }

  /** The model's summaries, one per repeat, read back once each Job completed. */
  summaries(model: ModelName): pulumi.Output<Summary[]> {
    return pulumi.all((this.byModel.get(model) ?? []).map(({ job, named }) => readSummary(this.chain, named.resultNames[0], job, { model, runId: this.runId })));
  }
}
