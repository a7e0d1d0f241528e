import type * as k8s from "@pulumi/kubernetes";
import { stringify } from "yaml";

export const DEVICE_PLUGIN_NAMESPACE = "kube-system";
export const DEVICE_PLUGIN_NAME = "nvidia-device-plugin";
export const TIME_SLICING_CONFIG_NAME = "nvidia-device-plugin-config";
/** First k8s-device-plugin release that discovers Tegra (Jetson) GPUs without NVML. */
export const MIN_TEGRA_RELEASE = [0, 15, 0] as const;

/** Whether a device plugin release (`v0.17.0`) can see a Jetson's integrated GPU. */
export function supportsTegra(release: string): boolean {
  const match = /^v(\d+)\.(\d+)\.(\d+)$/.exec(release);
  if (match === null) return false;
  const version = match.slice(1).map(Number);
  for (let i = 0; i < 3; i++) {
    if (version[i] !== MIN_TEGRA_RELEASE[i]) return version[i] > MIN_TEGRA_RELEASE[i];
  }
  return true;
}

/** The device plugin's config file: each GPU advertised `replicas` times, so packed models share it. */
export function timeSlicingConfig(replicas: number): string {
  return stringify({
    version: "v1",
    flags: { migStrategy: "none" },
    sharing: { timeSlicing: { resources: [{ name: "nvidia.com/gpu", replicas }] } },
  });
}

export interface DevicePluginSpec {
  release: string;
  /** `nvidia` when pods need the runtime class (containerd); undefined on Docker's default runtime. */
  runtimeClassName?: string;
  /** Mount the time-slicing config from this ConfigMap. */
  timeSlicingConfigMap?: string;
}

/** The device plugin DaemonSet on every edgecall board (labelled `edgecall.io/board`), discovering the GPU the Tegra way. */
export function devicePluginDaemonSet(spec: DevicePluginSpec): k8s.types.input.apps.v1.DaemonSetSpec {
  if (!supportsTegra(spec.release)) {
    throw new Error(`gpu.devicePluginVersion ${spec.release} cannot discover Jetson GPUs; use v0.15.0 or later`);
  }
  const labels = { "app.kubernetes.io/name": DEVICE_PLUGIN_NAME };
  const env: k8s.types.input.core.v1.EnvVar[] = [
    { name: "DEVICE_DISCOVERY_STRATEGY", value: "tegra" },
    { name: "FAIL_ON_INIT_ERROR", value: "true" },
  ];
  const volumeMounts: k8s.types.input.core.v1.VolumeMount[] = [{ name: "device-plugins", mountPath: "/var/lib/kubelet/device-plugins" }];
  const volumes: k8s.types.input.core.v1.Volume[] = [{ name: "device-plugins", hostPath: { path: "/var/lib/kubelet/device-plugins" } }];
  if (spec.timeSlicingConfigMap !== undefined) {
    env.push({ name: "CONFIG_FILE", value: "/etc/nvidia-device-plugin/config.yaml" });
    volumeMounts.push({ name: "config", mountPath: "/etc/nvidia-device-plugin", readOnly: true });
    volumes.push({ name: "config", configMap: { name: spec.timeSlicingConfigMap } });
  }
  return {
    selector: { matchLabels: labels },
    updateStrategy: { type: "RollingUpdate" },
    template: {
      metadata: { labels },
      spec: {
        priorityClassName: "system-node-critical",
        runtimeClassName: spec.runtimeClassName,
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: "edgecall.io/board", operator: "Exists" }] }],
            },
          },
        },
        tolerations: [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }],
        containers: [
          {
            name: DEVICE_PLUGIN_NAME,
            image: `nvcr.io/nvidia/k8s-device-plugin:${spec.release}`,
            env,
            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
            volumeMounts,
          },
        ],
        volumes,
      },
    },
  };
}
