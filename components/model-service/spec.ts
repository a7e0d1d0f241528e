import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { ModelName } from "../../domain/models";
import type { Engine, Precision } from "../../domain/precision";
import { modelSelector } from "../k3s/node-labels";
import { WeightsSource, weightsEnv, weightsMounts, weightsVolumes } from "../model-image/weights";

/** The port `edgecall-runner serve` listens on inside the pod. */
export const RUNNER_PORT = 8080;

export function serviceName(model: ModelName): string {
  return `edgecall-${model}`;
}

export function serviceLabels(model: ModelName): Record<string, string> {
  return { "app.kubernetes.io/name": serviceName(model), "app.kubernetes.io/part-of": "edgecall", "edgecall.io/model": model };
}

export interface ModelPodSettings {
  model: ModelName;
  image: pulumi.Input<string>;
  /** Boards that run the model; one replica on each. */
  replicas: number;
  runtimeClassName?: string;
  batchSize: number;
  /** `edgecall-runner --precision`, the benchmark's (precisionFor), int8 excepted (see serviceRunSettings). */
  precision: Precision;
  /** `edgecall-runner --engine`, the benchmark's (engineFor). */
  engine: Engine;
  /** Pinned weights: their file and digest in the runner's env, a board's file mounted read-only. */
  weights?: WeightsSource;
}

/**
 * The Deployment spec of one model service. The GPU comes through the NVIDIA runtime (the runtime
 * class on containerd, Docker's default runtime on JetPack 4), not a `nvidia.com/gpu` request:
 * the device plugin's GPUs are left to the benchmark Jobs, which would otherwise wait for a GPU that
 * an idle service holds.
 */
export function modelDeploymentSpec(s: ModelPodSettings): k8s.types.input.apps.v1.DeploymentSpec {
  const labels = serviceLabels(s.model);
  return {
    replicas: s.replicas,
    selector: { matchLabels: labels },
    // A board has one GPU's memory: the old pod goes before the new one starts.
    strategy: { type: "Recreate" },
    template: {
      metadata: { labels },
      spec: {
        nodeSelector: modelSelector(s.model),
        // One replica per board that runs the model.
        affinity: {
          podAntiAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: labels }, topologyKey: "kubernetes.io/hostname" }],
          },
        },
        ...(s.runtimeClassName === undefined ? {} : { runtimeClassName: s.runtimeClassName }),
        securityContext: { runAsNonRoot: true, runAsUser: 10001, supplementalGroups: [44] },
        ...(s.weights?.kind === "path" ? { volumes: weightsVolumes(s.weights) } : {}),
        containers: [
          {
            name: "runner",
            image: s.image,
            args: ["serve", "--model", s.model, "--port", String(RUNNER_PORT), "--batch-size", String(s.batchSize), "--precision", s.precision, "--engine", s.engine],
            env: [
              { name: "NVIDIA_VISIBLE_DEVICES", value: "all" },
              { name: "NVIDIA_DRIVER_CAPABILITIES", value: "compute,utility" },
              ...weightsEnv(s.weights),
            ],
            ...(s.weights?.kind === "path" ? { volumeMounts: weightsMounts(s.weights) } : {}),
            ports: [{ name: "http", containerPort: RUNNER_PORT }],
            // Loading weights onto a Nano's GPU takes a while: readiness waits for /readyz, and
            // liveness gives the process time to start before it counts.
            readinessProbe: { httpGet: { path: "/readyz", port: "http" }, periodSeconds: 5, failureThreshold: 3 },
            livenessProbe: { httpGet: { path: "/healthz", port: "http" }, initialDelaySeconds: 30, periodSeconds: 20, failureThreshold: 3 },
            startupProbe: { httpGet: { path: "/healthz", port: "http" }, periodSeconds: 10, failureThreshold: 60 },
            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
          },
        ],
      },
    },
  };
}
