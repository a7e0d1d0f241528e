import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ModelName } from "../../domain/models";
import type { WorkloadArgs } from "./benchmark-jobs";
import { JobChain, chainedJob } from "./job-chain";
import { loadJob } from "./load-job";
import { ModelLoad, parseLoadConfigMap } from "./load-results";
import { PLACEHOLDER_IMAGES, boardsRunning, podSettings, podSettingsOutput } from "./pod-settings";
import { readResult } from "./results-reader";
import { RENDERED_ONLY } from "./results";

/** Seconds one load request may take before it counts as failed (a long read on a Nano is slow). */
const LOAD_REQUEST_TIMEOUT_S = 300;

/** A model service `edgecall loadgen` drives: its in-cluster URL, and what is ready once it answers. */
export interface LoadTarget {
  url: pulumi.Input<string>;
  ready: pulumi.Resource;
}

/**
 * The load workload: after every benchmark and scaling Job, one model service at a time, so no load
 * disturbs a measurement and two models packed on one board are never loaded together, a Job runs
 * `edgecall loadgen` at each `benchmark.concurrency` level against the service; its report is read
 * back from its ConfigMap.
 */
export class LoadJobs extends pulumi.ComponentResource {
  /** Model to its load report (throughput and latency per concurrency level). */
  public readonly result: pulumi.Output<Record<string, ModelLoad>>;
  /** Every Job, for what must wait for all of them. */
  public readonly jobs: k8s.batch.v1.Job[] = [];

  constructor(
    name: string,
    args: WorkloadArgs & { targets: ReadonlyArray<[ModelName, LoadTarget]>; after: readonly pulumi.Resource[]; readResults: boolean },
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("edgecall:benchmark:LoadJobs", name, {}, opts);
    const chain: JobChain = { ...args.chain, parent: this };
    const { config } = args.context.args;
    const load = (url: string) => ({ target: url, concurrency: config.concurrency, requestTimeoutSeconds: LOAD_REQUEST_TIMEOUT_S });
    let previous: readonly pulumi.Resource[] = args.after;
    const entries: Array<pulumi.Output<readonly [ModelName, ModelLoad]>> = [];
    for (const [model, target] of args.targets) {
      const named = loadJob(podSettings(args.context, model, PLACEHOLDER_IMAGES), load("placeholder"));
      const spec = pulumi.all([podSettingsOutput(args.context, model), pulumi.output(target.url)]).apply(([s, url]) => loadJob(s, load(url)).spec);
      const staged = boardsRunning(args.context.args, model)
        .map((b) => args.staged.get(b.nodeName))
        .filter((s): s is NonNullable<typeof s> => s !== undefined);
      const job: k8s.batch.v1.Job = chainedJob(chain, named, spec, [...staged, ...previous, target.ready]);
      previous = [job];
      this.jobs.push(job);
      const configMap = named.resultNames[0];
      entries.push(
        args.readResults
          ? readResult(chain, configMap, job, (data) => [model, { status: "measured", runId: config.runId, report: parseLoadConfigMap(data, configMap, config.concurrency) } as ModelLoad] as const)
          : pulumi.output([model, { status: RENDERED_ONLY, runId: config.runId, job: named.name } as ModelLoad] as const),
      );
    }
    this.result = pulumi.all(entries).apply((pairs) => Object.fromEntries(pairs));
    this.registerOutputs({ result: this.result });
  }
}
