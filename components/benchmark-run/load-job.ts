import {
  BenchmarkPodSettings,
  INPUT_DIR,
  NamedJob,
  READS_KEY,
  converterContainer,
  modelJob,
  resultPod,
  runEnv,
  scriptContainer,
} from "./job-spec";
import { loadJobName, loadResultName } from "./names";
import type { EnvVar } from "./pod-types";

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
  const loadgen = scriptContainer(s, "loadgen", "loadgen.sh", loadEnv);
  return modelJob(s, name, result, resultPod(s, [converterContainer(s, READS_KEY, env)], [loadgen]));
}
