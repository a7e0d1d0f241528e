import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
  DEVICE_PLUGIN_NAME,
  DEVICE_PLUGIN_NAMESPACE,
  TIME_SLICING_CONFIG_NAME,
  devicePluginDaemonSet,
  timeSlicingConfig,
} from "./device-plugin";

/**
 * K3s ships its own RuntimeClass `nvidia` (manifests/runtimes.yaml), so edgecall's carries another
 * name: creating `nvidia` would fail with AlreadyExists, and destroying it would take K3s's away.
 */
export const RUNTIME_CLASS = "edgecall-nvidia";
/** The containerd runtime the NVIDIA Container Toolkit registers on the boards. */
export const RUNTIME_HANDLER = "nvidia";

export interface GpuRuntimeArgs {
  /** The cluster's Kubernetes provider. */
  provider: k8s.Provider;
  /** containerd needs the `nvidia` RuntimeClass; Docker uses its default runtime set on the boards. */
  runtime: "docker" | "containerd";
  /** NVIDIA k8s-device-plugin release (v0.15.0 or later for Tegra); undefined deploys no plugin. */
  devicePluginVersion?: string;
  /** GPU time-slicing replicas per board; set for `packed` scheduling, undefined otherwise. */
  timeSlicingReplicas?: number;
  /** Cluster objects are created after these (K3s installs, registry mirror steps that restart K3s). */
  after?: pulumi.Resource[];
}

/** GPU access in the cluster: the runtime class, the device plugin, and optional time-slicing. */
export class GpuRuntime extends pulumi.ComponentResource {
  /** The runtime class GPU pods name, or undefined on Docker. */
  public readonly runtimeClassName: string | undefined;

  constructor(name: string, args: GpuRuntimeArgs, opts?: pulumi.ComponentResourceOptions) {
    super("edgecall:gpu:GpuRuntime", name, {}, opts);
    // Children do not inherit a component's dependsOn, so the ordering is passed to each of them.
    const childOpts = { parent: this, provider: args.provider, dependsOn: args.after ?? [] };
    this.runtimeClassName = args.runtime === "containerd" ? RUNTIME_CLASS : undefined;
    const dependencies: pulumi.Resource[] = [];
    if (this.runtimeClassName !== undefined) {
      dependencies.push(
        new k8s.node.v1.RuntimeClass(`${name}-runtime-class`, { metadata: { name: RUNTIME_CLASS }, handler: RUNTIME_HANDLER }, childOpts),
      );
    }
    if (args.timeSlicingReplicas !== undefined) {
      dependencies.push(
        new k8s.core.v1.ConfigMap(
          `${name}-time-slicing`,
          {
            metadata: { name: TIME_SLICING_CONFIG_NAME, namespace: DEVICE_PLUGIN_NAMESPACE },
            data: { "config.yaml": timeSlicingConfig(args.timeSlicingReplicas) },
          },
          childOpts,
        ),
      );
    }
    if (args.devicePluginVersion !== undefined) {
      new k8s.apps.v1.DaemonSet(
        `${name}-device-plugin`,
        {
          metadata: { name: DEVICE_PLUGIN_NAME, namespace: DEVICE_PLUGIN_NAMESPACE },
          spec: devicePluginDaemonSet({
            release: args.devicePluginVersion,
            runtimeClassName: this.runtimeClassName,
            timeSlicingConfigMap: args.timeSlicingReplicas === undefined ? undefined : TIME_SLICING_CONFIG_NAME,
          }),
        },
        { ...childOpts, dependsOn: [...(args.after ?? []), ...dependencies] },
      );
    }
    this.registerOutputs({});
  }
}
