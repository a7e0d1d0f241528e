import * as pulumi from "@pulumi/pulumi";
import { BenchmarkRun } from "../components/benchmark-run";
import type { WeightsSource } from "../components/model-image/weights";
import type { ProvisionedCluster } from "./cluster";
import type { StackConfig } from "./config";
import type { ModelName } from "../domain/models";
import type { Workloads } from "./workloads";

/** The pinned weights of the models that have them (`images.models.<model>.weights`), for the benchmark Jobs' runner. */
export function weightsByModel(config: StackConfig): Partial<Record<ModelName, WeightsSource>> {
  const models = config.images?.models ?? {};
  return Object.fromEntries(Object.entries(models).flatMap(([model, source]) => (source?.weights === undefined ? [] : [[model, source.weights]])));
}

/** The benchmark Jobs when the stack configures a benchmark; undefined otherwise. */
export function buildBenchmarks(config: StackConfig, projectDir: string, cluster: ProvisionedCluster, workloads: Workloads): BenchmarkRun | undefined {
  const benchmark = config.benchmark;
  if (benchmark === undefined) return undefined;
  const images = workloads.images;
  if (images.converter === undefined || images.tools === undefined) {
    // validateConfig reports these before any resource exists; this guards the types only.
    throw new pulumi.RunError("invalid edgecall config: a benchmark needs images.converter and images.tools");
  }
  return new BenchmarkRun(
    "bench",
    {
      provider: cluster.provider,
      boards: cluster.members.map((member) => ({
        nodeName: member.node.name,
        kind: member.node.board,
        connection: member.connection,
        sudoPassword: member.sudoPassword,
        models: member.node.models,
        ready: member.tuned,
        l4tRelease: member.l4tRelease,
        powerMode: member.powerMode,
      })),
      images: {
        models: images.models,
        converter: images.converter,
        tools: images.tools,
        weights: weightsByModel(config),
      },
      config: benchmark,
      baseDir: projectDir,
      runtimeClassName: cluster.gpu.runtimeClassName,
      gpuRequest: config.gpu.devicePlugin,
      metricsUrl: workloads.metricsStore?.url,
      jetsonClocks: config.power.jetsonClocks,
      loadTargets: Object.fromEntries(
        Object.entries(workloads.services).map(([model, service]) => [model, { url: service.clusterUrl, ready: service.ready }]),
      ),
      readResults: config.k3s.renderManifestsTo === undefined,
      nodesReporting: cluster.nodesReporting,
    },
    { dependsOn: [cluster.gpu, ...(workloads.metricsStore === undefined ? [] : [workloads.metricsStore.migrated])] },
  );
}
