import { MetricsStore } from "../components/metrics-store";
import { ModelService, stripPrefixMiddleware } from "../components/model-service";
import * as pulumi from "@pulumi/pulumi";
import { workloadNamespace } from "../components/namespace";
import { Registry } from "../components/registry";
import { Telemetry } from "../components/telemetry";
import { LiveWatcher, LiveWatcherSummary } from "../components/live-watcher";
import type { ProvisionedCluster } from "./cluster";
import { StackConfig, placedModels } from "./config";
import { StackImages, buildImages } from "./images";
import { MODEL_NODE_PORTS, ModelName, engineFor, precisionFor } from "../domain/models";
import type { Engine, Precision } from "../domain/precision";
import { serviceEnabled } from "./services-config";

/** What the `metricsStore` output says. */
export interface MetricsStoreSummary {
  address: string;
  grafana?: string;
}

export interface Workloads {
  images: StackImages;
  /** Model to the URL of its service. */
  endpoints: Partial<Record<ModelName, string>>;
  /** Model to its service, for the load Jobs. */
  services: Partial<Record<ModelName, ModelService>>;
  metricsStore?: MetricsStore;
  metricsStoreSummary?: pulumi.Output<MetricsStoreSummary>;
  /** Watched run directory (`live[].name`) to where it is, what calls it and where its metrics are. */
  watchers: pulumi.Output<Record<string, LiveWatcherSummary>>;
}

/** The registry, images, model services, metrics store and telemetry on the cluster. */
export function buildWorkloads(config: StackConfig, cluster: ProvisionedCluster): Workloads {
  const provider = cluster.provider;
  const clusterOpts = { dependsOn: [...cluster.clusterReady, cluster.gpu] };
  const namespace = workloadNamespace(provider, clusterOpts);
  // Every object names the namespace through this Output, which orders it after the namespace (and
  // so after K3s and the registry mirrors); a component's own dependsOn would not reach its children.
  const ns = namespace.metadata.name;
  const server = cluster.server;
  const registryConfig = config.images?.registry;
  const registry =
    registryConfig !== undefined && "inCluster" in registryConfig
      ? new Registry(
          "registry",
          { provider, namespace: ns, serverNodeName: server.node.name, ...registryConfig.inCluster },
        )
      : undefined;
  const images = buildImages(config, cluster, registry === undefined ? [] : [registry.ready]);

  const endpoints: Workloads["endpoints"] = {};
  const services: Workloads["services"] = {};
  const placed = placedModels(config);
  if (placed.length > 0) stripPrefixMiddleware(provider, ns, placed);
  for (const model of placed) {
    const image = images.models[model];
    if (image === undefined) continue;
    const boards = config.nodes.filter((node) => node.models.includes(model));
    const service = new ModelService(
      `service-${model}`,
      {
        provider,
        namespace: ns,
        model,
        image,
        weights: config.images?.models[model]?.weights,
        replicas: boards.length,
        runtimeClassName: cluster.gpu.runtimeClassName,
        batchSize: config.benchmark?.batchSizes[model] ?? config.benchmark?.batchSize ?? 8,
        ...serviceRunSettings(model, config.benchmark),
        nodePort: MODEL_NODE_PORTS[model],
        boardHosts: boards.map((node) => node.host),
      },
    );
    endpoints[model] = service.endpoint;
    services[model] = service;
  }

  const tools = images.tools;
  let metricsStore: MetricsStore | undefined;
  if (serviceEnabled(config.metricsStore, tools !== undefined) && tools !== undefined) {
    const grafana = config.metricsStore.grafana;
    metricsStore = new MetricsStore(
      "metrics",
      {
        provider,
        namespace: ns,
        serverNodeName: server.node.name,
        image: config.metricsStore.image,
        storageGi: config.metricsStore.storageGi,
        toolsImage: tools,
        grafana: grafana.enabled ? { image: grafana.image, nodePort: grafana.nodePort, serverHost: server.node.host } : undefined,
      },
    );
  }
  if (serviceEnabled(config.telemetry, tools !== undefined) && tools !== undefined) {
    new Telemetry("telemetry", { provider, namespace: ns, toolsImage: tools, port: config.telemetry.port, intervalMs: config.telemetry.intervalMs, privileged: config.telemetry.privileged, source: config.telemetry.source });
  }
  const metricsStoreSummary =
    metricsStore === undefined
      ? undefined
      : metricsStore.address.apply((address) => ({ address, ...(metricsStore?.grafanaUrl === undefined ? {} : { grafana: metricsStore.grafanaUrl }) }));
  const watchers = config.live.map((w) => {
    const image = images.models[w.model];
    if (image === undefined) throw new pulumi.RunError(`live ${w.name}: ${w.model} has no image (images.models.${w.model})`);
    const watcher = new LiveWatcher(`watch-${w.name}`, {
      provider,
      namespace: ns,
      ...w,
      nodeName: w.node,
      image,
      weights: config.images?.models[w.model]?.weights,
      runtimeClassName: cluster.gpu.runtimeClassName,
      batchSize: config.benchmark?.batchSizes[w.model] ?? config.benchmark?.batchSize ?? 8,
      ...serviceRunSettings(w.model, config.benchmark),
    });
    return watcher.summary.apply((summary) => [w.name, summary] as const);
  });
  return { images, endpoints, services, metricsStore, metricsStoreSummary, watchers: pulumi.all(watchers).apply((pairs) => Object.fromEntries(pairs)) };
}

/**
 * The engine and precision a model's service runs: the benchmark's, but fp32 where the benchmark asks
 * for int8, which calibrates on the benchmark's reads that a service does not have (the Jobs measure
 * int8; the load Jobs then measure the engine in fp32).
 */
function serviceRunSettings(model: ModelName, benchmark: StackConfig["benchmark"]): { engine: Engine; precision: Precision } {
  const engine = engineFor(model, benchmark?.engine ?? "torch", benchmark?.engines ?? {});
  const precision = precisionFor(model, benchmark?.precision ?? "fp32", engine);
  return { engine, precision: precision === "int8" ? "fp32" : precision };
}
