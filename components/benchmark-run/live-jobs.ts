import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ModelLive } from "../../domain/live";
import type { ModelName } from "../../domain/models";
import type { WorkloadArgs } from "./benchmark-jobs";
import { JobChain, chainedJob } from "./job-chain";
import { LiveSettings, liveJob } from "./live-job";
import { parseLiveConfigMap } from "./live-results";
import { PLACEHOLDER_IMAGES, boardsRunning, podSettings, podSettingsOutput } from "./pod-settings";
import { readResult } from "./results-reader";
import { RENDERED_ONLY } from "./results";

/**
 * The live workload: after every other Job, one model at a time (so no live run shares a board's
 * GPU, power or CPU with another measurement), a Job replays the reads at each `benchmark.live`
 * speed while a watcher calls them; its report is read back from its ConfigMap.
 */
export class LiveJobs extends pulumi.ComponentResource {
  /** Model to its live outcome (a verdict per speed). */
  public readonly result: pulumi.Output<Record<string, ModelLive>>;

  constructor(
    name: string,
    args: WorkloadArgs & { models: readonly ModelName[]; live: LiveSettings; after: readonly pulumi.Resource[]; readResults: boolean },
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("edgecall:benchmark:LiveJobs", name, {}, opts);
    const chain: JobChain = { ...args.chain, parent: this };
    const { runId } = args.context.args.config;
    let previous: readonly pulumi.Resource[] = args.after;
    const entries: Array<pulumi.Output<readonly [ModelName, ModelLive]>> = [];
    for (const model of args.models) {
      const named = liveJob(podSettings(args.context, model, PLACEHOLDER_IMAGES), args.live);
      const spec = podSettingsOutput(args.context, model).apply((s) => liveJob(s, args.live).spec);
      const staged = boardsRunning(args.context.args, model)
        .map((b) => args.staged.get(b.nodeName))
        .filter((s): s is NonNullable<typeof s> => s !== undefined);
      const job: k8s.batch.v1.Job = chainedJob(chain, named, spec, [...staged, ...previous]);
      previous = [job];
      const configMap = named.resultNames[0];
      entries.push(
        args.readResults
          ? readResult(chain, configMap, job, (data) => [model, parseLiveConfigMap(data, configMap, args.live.speeds, runId)] as const)
          : pulumi.output([model, { status: RENDERED_ONLY, runId, job: named.name } as ModelLive] as const),
      );
    }
    this.result = pulumi.all(entries).apply((pairs) => Object.fromEntries(pairs));
    this.registerOutputs({ result: this.result });
  }
}
