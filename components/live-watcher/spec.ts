import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { ModelName } from "../../domain/models";
import type { Engine, Precision } from "../../domain/precision";
import { WeightsSource, weightsEnv, weightsMounts, weightsVolumes } from "../model-image/weights";

/** The port `edgecall-runner watch --metrics-port` serves `/metrics` on inside the pod. */
export const WATCH_METRICS_PORT = 9108;
const RUN_MOUNT = "/run-dir";
const CALLS_MOUNT = "/calls";

export interface WatcherPodSettings {
  name: string;
  /** The Kubernetes node (the board) whose directory it watches. */
  nodeName: string;
  model: ModelName;
  image: pulumi.Input<string>;
  runDir: string;
  outputDir: string;
  poll: boolean;
  settleSeconds: number;
  setAsideAfterSeconds: number;
  backlogWindowSeconds: number;
  batchSize: number;
  engine: Engine;
  precision: Precision;
  runtimeClassName?: string;
  weights?: WeightsSource;
}

export function watcherName(name: string): string {
  return `edgecall-watch-${name}`;
}

export function watcherLabels(s: Pick<WatcherPodSettings, "name" | "model">): Record<string, string> {
  return { "app.kubernetes.io/name": watcherName(s.name), "app.kubernetes.io/part-of": "edgecall", "edgecall.io/model": s.model, "edgecall.io/live": s.name };
}

/**
 * The Deployment of one watched run directory: one replica on its board, `Recreate` (two watchers on
 * one journal would call files twice), the run and output directories as hostPaths that must exist
 * (they are the lab's data: edgecall neither makes nor removes them), the GPU through the runtime
 * as the model services have it, and `/metrics` for a scraper.
 */
export function watcherDeploymentSpec(s: WatcherPodSettings): k8s.types.input.apps.v1.DeploymentSpec {
  const labels = watcherLabels(s);
  const args = [
    "watch", "--model", s.model, "--input", RUN_MOUNT, "--output", CALLS_MOUNT,
    "--metrics-port", String(WATCH_METRICS_PORT), "--batch-size", String(s.batchSize),
    "--engine", s.engine, "--precision", s.precision,
    "--settle-s", String(s.settleSeconds), "--set-aside-after-s", String(s.setAsideAfterSeconds),
    "--backlog-window-s", String(s.backlogWindowSeconds),
    ...(s.poll ? ["--poll"] : []),
  ];
  return {
    replicas: 1,
    selector: { matchLabels: labels },
    strategy: { type: "Recreate" },
    template: {
      metadata: { labels, annotations: { "prometheus.io/scrape": "true", "prometheus.io/port": String(WATCH_METRICS_PORT), "prometheus.io/path": "/metrics" } },
      spec: {
        nodeSelector: { "kubernetes.io/hostname": s.nodeName },
        ...(s.runtimeClassName === undefined ? {} : { runtimeClassName: s.runtimeClassName }),
        securityContext: { runAsNonRoot: true, runAsUser: 10001, supplementalGroups: [44] },
        volumes: [
          { name: "run-dir", hostPath: { path: s.runDir, type: "Directory" } },
          { name: "calls", hostPath: { path: s.outputDir, type: "Directory" } },
          ...(s.weights?.kind === "path" ? weightsVolumes(s.weights) : []),
        ],
        containers: [
          {
            name: "watcher",
            image: s.image,
            args,
            env: [
              { name: "NVIDIA_VISIBLE_DEVICES", value: "all" },
              { name: "NVIDIA_DRIVER_CAPABILITIES", value: "compute,utility" },
              ...weightsEnv(s.weights),
            ],
            volumeMounts: [
              // Read-write: a file that stays unreadable is moved to .edgecall-set-aside/ there (left in place when it cannot be).
              { name: "run-dir", mountPath: RUN_MOUNT },
              { name: "calls", mountPath: CALLS_MOUNT },
              ...(s.weights?.kind === "path" ? weightsMounts(s.weights) : []),
            ],
            ports: [{ name: "metrics", containerPort: WATCH_METRICS_PORT }],
            // The metrics endpoint opens once the model has loaded, which takes a while on a Nano.
            startupProbe: { tcpSocket: { port: "metrics" }, periodSeconds: 10, failureThreshold: 60 },
            livenessProbe: { tcpSocket: { port: "metrics" }, periodSeconds: 30, failureThreshold: 3 },
            securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
          },
        ],
      },
    },
  };
}
