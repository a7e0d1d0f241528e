import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { NamedJob } from "./job-spec";
import { BENCH_NAMESPACE } from "./names";

/** Extra time Pulumi waits for a Job beyond its own deadline: image pulls and scheduling. */
const AWAIT_MARGIN_S = 900;

/** Where the Jobs of one workload are made, and what every one of them waits for. */
export interface JobChain {
  /** The workload component the Jobs belong to. */
  parent: pulumi.Resource;
  provider: k8s.Provider;
  /** Prefixes the Jobs' logical names (the run's name): the same whichever workload makes them. */
  namePrefix: string;
  /** The run the Jobs were children of before the workloads had components of their own. */
  formerParent: pulumi.Resource;
  /** Every Job waits for these (the namespace, its RBAC, scripts and read manifests). */
  setup: readonly pulumi.Resource[];
  /** Resolves once every board's node reports, and fails the update otherwise; no Job is made before. */
  nodesReporting?: pulumi.Input<readonly string[]>;
}

/**
 * One benchmark-namespace Job after `after`: the chain's setup first, then whatever ran before it on
 * its boards. A Job that failed is replaced (run again) by the next `pulumi up`, not awaited again.
 */
export function chainedJob(chain: JobChain, named: NamedJob, spec: pulumi.Output<NamedJob["spec"]>, after: readonly pulumi.Resource[]): k8s.batch.v1.Job {
  const gate = chain.nodesReporting;
  const gatedSpec = gate === undefined ? spec : pulumi.all([spec, gate]).apply(([jobSpec]) => jobSpec);
  return new k8s.batch.v1.Job(
    `${chain.namePrefix}-${named.name}`,
    {
      metadata: { name: named.name, namespace: BENCH_NAMESPACE, annotations: { "pulumi.com/replaceUnready": "true" } },
      spec: gatedSpec,
    },
    {
      parent: chain.parent,
      provider: chain.provider,
      // Existing stacks keep their Jobs (and their measurements) across the move into the workload components.
      aliases: [{ parent: chain.formerParent }],
      dependsOn: [...chain.setup, ...after],
      customTimeouts: { create: `${named.spec.activeDeadlineSeconds + AWAIT_MARGIN_S}s` },
    },
  );
}
