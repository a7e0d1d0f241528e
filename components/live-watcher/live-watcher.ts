import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { WATCH_METRICS_PORT, WatcherPodSettings, watcherDeploymentSpec, watcherLabels, watcherName } from "./spec";

export interface LiveWatcherArgs extends WatcherPodSettings {
  provider: k8s.Provider;
  namespace: pulumi.Input<string>;
}

/** What the `watchers` output says of one watched run directory. */
export interface LiveWatcherSummary {
  node: string;
  model: string;
  runDir: string;
  outputDir: string;
  /** The in-cluster address of its Prometheus metrics. */
  metrics: string;
}

/**
 * One watched run directory: the watcher's Deployment on its board and a ClusterIP Service in front
 * of its metrics, which a scraper (or `kubectl port-forward`) reads.
 */
export class LiveWatcher extends pulumi.ComponentResource {
  public readonly summary: pulumi.Output<LiveWatcherSummary>;

  constructor(name: string, args: LiveWatcherArgs, opts?: pulumi.ComponentResourceOptions) {
    super("edgecall:live:LiveWatcher", name, {}, opts);
    const childOpts = { parent: this, provider: args.provider };
    const metadata = { name: watcherName(args.name), namespace: args.namespace, labels: watcherLabels(args) };
    const deployment = new k8s.apps.v1.Deployment(`${name}-deployment`, { metadata, spec: watcherDeploymentSpec(args) }, childOpts);
    const service = new k8s.core.v1.Service(
      `${name}-metrics`,
      { metadata, spec: { type: "ClusterIP", selector: watcherLabels(args), ports: [{ name: "metrics", port: WATCH_METRICS_PORT, targetPort: "metrics" }] } },
      { ...childOpts, dependsOn: [deployment] },
    );
    this.summary = pulumi.all([service.metadata.name, pulumi.output(args.namespace)]).apply(([svc, ns]) => ({
      node: args.nodeName,
      model: args.model,
      runDir: args.runDir,
      outputDir: args.outputDir,
      metrics: `http://${svc}.${ns}.svc.cluster.local:${WATCH_METRICS_PORT}/metrics`,
    }));
    this.registerOutputs({ summary: this.summary });
  }
}
