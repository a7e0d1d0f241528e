import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Summary } from "../../domain/summary";
import type { JobChain } from "./job-chain";
import { BENCH_NAMESPACE } from "./names";
import { checkSummaryIdentity, parseSummaryConfigMap } from "./results";

/**
 * A result ConfigMap a Job writes, read once the Job completed and turned into `T` by `parse`; a
 * result that does not parse fails the update with its one-line reason, on the workload.
 */
export function readResult<T>(chain: JobChain, configMap: string, job: k8s.batch.v1.Job, parse: (data: Record<string, string> | undefined) => T): pulumi.Output<T> {
  const read = k8s.core.v1.ConfigMap.get(`${chain.namePrefix}-${configMap}`, `${BENCH_NAMESPACE}/${configMap}`, {
    parent: chain.parent,
    provider: chain.provider,
    dependsOn: [job],
  });
  return read.data.apply((data) => {
    try {
      return parse(data);
    } catch (error) {
      throw new pulumi.ResourceError((error as Error).message, chain.parent);
    }
  });
}

/** A summary a benchmark or scaling Job writes, checked to be of the model and run it was asked for. */
export function readSummary(chain: JobChain, configMap: string, job: k8s.batch.v1.Job, expected: { model: string; runId: string }): pulumi.Output<Summary> {
  return readResult(chain, configMap, job, (data) => checkSummaryIdentity(parseSummaryConfigMap(data, configMap), { ...expected, configMap }));
}
