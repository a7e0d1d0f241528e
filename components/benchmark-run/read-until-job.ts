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
import type { LiveSettings } from "./live-job";
import { readUntilJobName, readUntilResultName } from "./names";
import type { EnvVar } from "./pod-types";

export type ReadUntilSettings = NonNullable<LiveSettings["readUntil"]>;

/** The key of a read-until ConfigMap holding `edgecall loadgen --read-until`'s report. */
export const READ_UNTIL_KEY = "read-until.json";

/**
 * The read-until Job of one model: the converter stages the reads (their `load.jsonl`), then
 * `edgecall loadgen --read-until` sends the model's service a chunk per channel every decision
 * interval at each channel count and publishes the report. It runs on the model's board, as the
 * load Job does, and needs no GPU itself.
 */
export function readUntilJob(s: BenchmarkPodSettings, target: string, settings: ReadUntilSettings, sampleRateHz: number): NamedJob {
  const name = readUntilJobName(s.model, s.runId);
  const result = readUntilResultName(s.model, s.runId);
  const env = runEnv(s, 0);
  const loadEnv: EnvVar[] = [
    ...env,
    { name: "EDGECALL_TARGET", value: target },
    { name: "EDGECALL_MANIFEST", value: `${INPUT_DIR}/load.jsonl` },
    { name: "EDGECALL_CHANNELS", value: settings.channels.join(",") },
    { name: "EDGECALL_CHUNK_S", value: String(settings.chunkSeconds) },
    { name: "EDGECALL_SAMPLE_RATE_HZ", value: String(sampleRateHz) },
    { name: "EDGECALL_ROUNDS", value: String(settings.rounds) },
    { name: "EDGECALL_IN_TIME", value: String(settings.inTimeShare) },
    { name: "EDGECALL_RESULT_NAME", value: result },
    { name: "EDGECALL_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
  ];
  const loadgen = scriptContainer(s, "read-until", "read-until.sh", loadEnv);
  return modelJob(s, name, result, resultPod(s, [converterContainer(s, READS_KEY, env)], [loadgen]));
}
