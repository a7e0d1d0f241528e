import type { FlowCell } from "../../domain/flow-cell";
import { weightsEnv, weightsMounts } from "../model-image/weights";
import type { BenchmarkConfig } from "./config";
import {
  BenchmarkPodSettings,
  DATASET_MOUNT,
  MANIFESTS_MOUNT,
  NamedJob,
  READS_KEY,
  SCRIPTS_MOUNT,
  WORK_MOUNT,
  modelJob,
  resultPod,
  runEnv,
  unprivileged,
  workspaceMount,
} from "./job-spec";
import { liveJobName, liveResultName } from "./names";
import type { Container } from "./pod-types";

export type LiveSettings = NonNullable<BenchmarkConfig["live"]> & { flowCell: FlowCell };

/** The key of a live ConfigMap holding `edgecall-runner live-bench`'s report. */
export const LIVE_KEY = "live.json";
const REPORT = `${WORK_MOUNT}/live.json`;
/** Loading the model and making an engine, before the first speed; generous on a Nano. */
const MODEL_LOAD_ALLOWANCE_S = 900;

/** The live Job's deadline: every speed's sequencing, a watcher that falls behind finishing after it, and the model's load. */
export function liveDeadlineSeconds(live: LiveSettings): number {
  return MODEL_LOAD_ALLOWANCE_S + live.speeds.length * live.durationSeconds * 4;
}

/**
 * The live Job of one model: init `live` (the model image, which carries the sequencer stand-in
 * beside the runner) replays the benchmark's reads from the staged dataset at each speed while a
 * watcher with the model loaded once calls them (`edgecall-runner live-bench`); main `publish` puts
 * the report in a ConfigMap. int8 runs as fp32 here, as in the services: it calibrates on converted
 * reads, which a live run has not got.
 */
export function liveJob(s: BenchmarkPodSettings, live: LiveSettings): NamedJob {
  const name = liveJobName(s.model, s.runId);
  const result = liveResultName(s.model, s.runId);
  const env = runEnv(s, 0);
  const runner: Container = {
    name: "live",
    image: s.modelImage,
    command: [
      "edgecall-runner", "live-bench",
      "--model", s.model,
      "--dataset", DATASET_MOUNT,
      "--manifest", `${MANIFESTS_MOUNT}/${READS_KEY}`,
      "--work", `${WORK_MOUNT}/live`,
      "--out", REPORT,
      "--speeds", live.speeds.join(","),
      "--duration-s", String(live.durationSeconds),
      "--channels", String(live.flowCell.channels),
      "--sample-rate-hz", String(live.flowCell.sampleRateHz),
      "--occupancy", String(live.occupancy),
      "--reads-per-file", String(live.readsPerFile),
      "--backlog-window-s", String(live.backlogWindowSeconds),
      "--batch-size", String(s.batchSize),
      "--engine", s.engine,
      "--precision", s.precision === "int8" ? "fp32" : s.precision,
    ],
    env: [...env, ...weightsEnv(s.weights), ...(s.engine === "torch" ? [] : [{ name: "EDGECALL_ENGINE_CACHE", value: `${WORK_MOUNT}/engines` }])],
    volumeMounts: [
      { name: "dataset", mountPath: DATASET_MOUNT, readOnly: true },
      { name: "manifests", mountPath: MANIFESTS_MOUNT, readOnly: true },
      workspaceMount,
      ...weightsMounts(s.weights),
    ],
    ...(s.gpuRequest ? { resources: { limits: { "nvidia.com/gpu": "1" } } } : {}),
  };
  const publish: Container = {
    name: "publish",
    image: s.toolsImage,
    command: ["node", `${SCRIPTS_MOUNT}/publish-result.js`, "$(EDGECALL_NAMESPACE)", result, REPORT, LIVE_KEY],
    env: [...env, { name: "EDGECALL_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } }],
    volumeMounts: [{ name: "scripts", mountPath: SCRIPTS_MOUNT, readOnly: true }, workspaceMount],
    securityContext: unprivileged,
  };
  const pod = resultPod(s, [runner], [publish]);
  return modelJob(s, name, result, s.runtimeClassName === undefined ? pod : { ...pod, runtimeClassName: s.runtimeClassName }, liveDeadlineSeconds(live));
}
