import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { BenchmarkBoard } from "./args";
import type { WorkloadArgs } from "./benchmark-jobs";
import { JobChain, chainedJob } from "./job-chain";
import { NamedJob, scalingJob } from "./job-spec";
import { PLACEHOLDER_IMAGES, podSettings, podSettingsOutput } from "./pod-settings";
import { readSummary } from "./results-reader";
import { RENDERED_ONLY } from "./results";
import { ScalingPoint, shardedWallSeconds, speedupCurve } from "./scaling";

/** A scaling result in the `scaling` stack output. */
export type ScalingResult = { status: "measured"; curve: ScalingPoint[] } | { status: typeof RENDERED_ONLY; jobs: string[] };

/**
 * The scaling workload: the scaling model on 1, then 2, ... `maxBoards` boards with the reads
 * sharded across them (an Indexed Job each), one after another and after every benchmark Job, so
 * no other benchmark competes for the boards' GPUs; the speedup curve read back from the shards'
 * summaries.
 */
export class ScalingJobs extends pulumi.ComponentResource {
  public readonly jobs: k8s.batch.v1.Job[] = [];
  /** Model to its speedup curve (one model at most). */
  public readonly result: pulumi.Output<Record<string, ScalingResult>>;

  constructor(name: string, args: WorkloadArgs & { boards: readonly BenchmarkBoard[]; after: readonly pulumi.Resource[]; readResults: boolean }, opts?: pulumi.ComponentResourceOptions) {
    super("edgecall:benchmark:ScalingJobs", name, {}, opts);
    const chain: JobChain = { ...args.chain, parent: this };
    const { config } = args.context.args;
    const scaling = config.scaling;
    if (scaling === undefined) throw new pulumi.ResourceError("ScalingJobs without benchmark.scaling", this);
    const nodeNames = args.boards.map((b) => b.nodeName);
    const staged = args.boards.map((b) => args.staged.get(b.nodeName)).filter((s): s is NonNullable<typeof s> => s !== undefined);
    const made: Array<{ boards: number; job: k8s.batch.v1.Job; named: NamedJob }> = [];
    let previous: readonly pulumi.Resource[] = args.after;
    for (let boards = 1; boards <= scaling.maxBoards; boards++) {
      const named = scalingJob(podSettings(args.context, scaling.model, PLACEHOLDER_IMAGES), boards, nodeNames);
      const job = chainedJob(chain, named, podSettingsOutput(args.context, scaling.model).apply((s) => scalingJob(s, boards, nodeNames).spec), [...staged, ...previous]);
      made.push({ boards, job, named });
      this.jobs.push(job);
      previous = [job];
    }
    if (!args.readResults) {
      this.result = pulumi.output({ [scaling.model]: { status: RENDERED_ONLY, jobs: made.map((j) => j.named.name) } as ScalingResult });
    } else {
      const walls = made.map(({ boards, job, named }) =>
        pulumi
          .all(named.resultNames.map((configMap) => readSummary(chain, configMap, job, { model: scaling.model, runId: config.runId })))
          .apply((shards) => [boards, shardedWallSeconds(shards.map((s) => s.window), named.name)] as const),
      );
      this.result = pulumi.all(walls).apply((points) => ({ [scaling.model]: { status: "measured", curve: speedupCurve(new Map(points)) } as ScalingResult }));
    }
    this.registerOutputs({ result: this.result });
  }
}
