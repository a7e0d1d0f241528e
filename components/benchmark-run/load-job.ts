import { modelSelector } from "../k3s/node-labels";
import {
  BenchmarkPodSettings,
  INPUT_DIR,
  KILLED_POD_RETRIES,
  NamedJob,
  READS_KEY,
  RETRY_ONLY_KILLED_PODS,
  SCRIPTS_MOUNT,
  converterContainer,
  labels,
  runEnv,
  unprivileged,
  volumes,
  workspaceMount,
} from "./job-spec";
import { BENCH_SERVICE_ACCOUNT, loadJobName, loadResultName } from "./names";
import type { Container, EnvVar } from "./pod-types";

/** Where the load Job sends the reads, and how hard. */
export interface LoadSettings {
  /** The model service's in-cluster URL, e.g. `http://edgecall-sacall.edgecall.svc.cluster.local:8080`. */
  target: string;
  /** Concurrency levels, one after another (`benchmark.concurrency`). */
  concurrency: readonly number[];
  /** Seconds one request may take before it counts as failed. */
  requestTimeoutSeconds: number;
}

/**
 * The load Job of one model: the converter stages the benchmark's reads (their `load.jsonl`), then
 * `edgecall loadgen` sends them to the model's service at each concurrency level and publishes the
 * report. It runs on the model's board, where the dataset is staged; it needs no GPU itself.
 */
export function loadJob(s: BenchmarkPodSettings, load: LoadSettings): NamedJob {
  if (load.concurrency.length === 0) throw new Error(`the load Job of ${s.model} needs at least one concurrency level`);
  const name = loadJobName(s.model, s.runId);
  const result = loadResultName(s.model, s.runId);
  const env = runEnv(s, 0);
  const loadEnv: EnvVar[] = [
    ...env,
    { name: "EDGECALL_TARGET", value: load.target },
    { name: "EDGECALL_CONCURRENCY", value: load.concurrency.join(",") },
    { name: "EDGECALL_MANIFEST", value: `${INPUT_DIR}/load.jsonl` },
    { name: "EDGECALL_TIMEOUT_S", value: String(load.requestTimeoutSeconds) },
    { name: "EDGECALL_RESULT_NAME", value: result },
    { name: "EDGECALL_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
  ];
  const loadgen: Container = {
    name: "loadgen",
    image: s.toolsImage,
    command: ["sh", `${SCRIPTS_MOUNT}/loadgen.sh`],
    env: loadEnv,
    volumeMounts: [{ name: "scripts", mountPath: SCRIPTS_MOUNT, readOnly: true }, workspaceMount],
    securityContext: unprivileged,
  };
  return {
    name,
    resultNames: [result],
    spec: {
      backoffLimit: KILLED_POD_RETRIES,
      podFailurePolicy: RETRY_ONLY_KILLED_PODS,
      activeDeadlineSeconds: s.timeoutSeconds,
      template: {
        metadata: { labels: labels(s, name) },
        spec: {
          serviceAccountName: BENCH_SERVICE_ACCOUNT,
          restartPolicy: "Never",
          nodeSelector: modelSelector(s.model),
          initContainers: [converterContainer(s, READS_KEY, env)],
          containers: [loadgen],
          volumes: volumes(s),
        },
      },
    },
  };
}
