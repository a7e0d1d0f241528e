import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ModelLive, ModelReadUntil } from "../../domain/live";
import type { ModelName } from "../../domain/models";
import type { WorkloadArgs } from "./benchmark-jobs";
import { JobChain, chainedJob } from "./job-chain";
import { LiveSettings, liveJob } from "./live-job";
import { parseLiveConfigMap, parseReadUntilConfigMap } from "./live-results";
import type { LoadTarget } from "./load-jobs";
import { readUntilJob } from "./read-until-job";
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
    args: WorkloadArgs & {
      models: readonly ModelName[];
      live: LiveSettings;
      /** Each model's service, for the read-until load (`live.readUntil`). */
      targets: ReadonlyMap<ModelName, LoadTarget>;
      after: readonly pulumi.Resource[];
      readResults: boolean;
    },
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
      const settings = args.live.readUntil;
      const target = args.targets.get(model);
      let readUntil: pulumi.Output<ModelReadUntil> | undefined;
      if (settings !== undefined && target !== undefined) {
        // The service's load after its live run, so neither disturbs the other on the board.
        const build = (s: Parameters<typeof readUntilJob>[0], url: string) => readUntilJob(s, url, settings, args.live.flowCell.sampleRateHz);
        const ruNamed = build(podSettings(args.context, model, PLACEHOLDER_IMAGES), "placeholder");
        const ruSpec = pulumi.all([podSettingsOutput(args.context, model), pulumi.output(target.url)]).apply(([s, url]) => build(s, url).spec);
        const ruJob = chainedJob(chain, ruNamed, ruSpec, [...staged, job, target.ready]);
        previous = [ruJob];
        const ruConfigMap = ruNamed.resultNames[0];
        if (args.readResults) readUntil = readResult(chain, ruConfigMap, ruJob, (data) => parseReadUntilConfigMap(data, ruConfigMap, settings.channels));
      }
      if (!args.readResults) {
        entries.push(pulumi.output([model, { status: RENDERED_ONLY, runId, job: named.name } as ModelLive] as const));
        continue;
      }
      const live = readResult(chain, configMap, job, (data) => parseLiveConfigMap(data, configMap, args.live.speeds, runId));
      entries.push(
        pulumi.all([live, readUntil ?? pulumi.output(undefined)]).apply(([outcome, ru]) => [model, outcome.status === "measured" && ru !== undefined ? { ...outcome, readUntil: ru } : outcome] as const),
      );
    }
    this.result = pulumi.all(entries).apply((pairs) => Object.fromEntries(pairs));
    this.registerOutputs({ result: this.result });
  }
}
