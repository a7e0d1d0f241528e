import type { ModelName } from "../../domain/models";
import type { Engine, Precision } from "../../domain/precision";
import { modelSelector } from "../k3s/node-labels";
import { WeightsSource, weightsEnv, weightsMounts, weightsVolumes } from "../model-image/weights";
import {
  BENCH_SERVICE_ACCOUNT,
  DATA_ROOT,
  KEPT_RUNS_ROOT,
  SCRIPTS_CONFIGMAP,
  benchmarkJobName,
  manifestConfigMapName,
  resultConfigMapName,
  scalingJobName,
  scalingResultPrefix,
} from "./names";
import type { Container, EnvVar, JobSpec, PodFailurePolicy, PodSpec, Volume } from "./pod-types";

/** A Kubernetes Secret key holding the metrics store's `postgres://` URL. */
export interface SecretKeyRef {
  name: string;
  key: string;
}

/** Everything a benchmark pod needs besides its placement. */
export interface BenchmarkPodSettings {
  /** The model benchmarked; selects its boards and names its Jobs and results. */
  model: ModelName;
  /** `benchmark.runId`; its hash is part of every Job name. */
  runId: string;
  /** The dataset's id on the boards (sha256 of its manifest): `/var/lib/edgecall-data/<id>/`. */
  datasetId: string;
  /** The reference FASTA as a path inside the dataset. */
  reference: string;
  /** The model's runner image. */
  modelImage: string;
  /** The model's pinned weights: env of the runner, and a board's file mounted read-only into it. */
  weights?: WeightsSource;
  /** The FAST5 converter image (`edgecall-convert`). */
  converterImage: string;
  /** The tools image with the `edgecall` CLI. */
  toolsImage: string;
  /** Reads per batch (`edgecall-runner --batch-size`). */
  batchSize: number;
  /** `edgecall-runner --precision`. */
  precision: Precision;
  /** `edgecall-runner --engine` (engineFor). */
  engine: Engine;
  /** Reads basecalled before the timed window (`--warmup`). */
  warmup: number;
  /** Seconds of idle power recorded before warm-up (`--idle-baseline-s`). */
  idleBaselineSeconds: number;
  /** The Job's activeDeadlineSeconds. */
  timeoutSeconds: number;
  /** `nvidia` on containerd; undefined where Docker's default runtime gives GPU access. */
  runtimeClassName?: string;
  /**
   * The runner asks for the board's GPU (`nvidia.com/gpu`), so the Job has it to itself. False where
   * no device plugin offers it (simulated boards), or the Job would never be scheduled.
   */
  gpuRequest: boolean;
  /** Run the telemetry sidecar privileged (tegrastats needing debugfs); otherwise it drops every capability. */
  telemetryPrivileged: boolean;
  /** Copy the run directory to the board (`benchmark.keepRuns`). */
  keepRuns: boolean;
  /** Where the metrics store URL is; without it the summary goes only to the ConfigMap. */
  metricsUrlSecret?: SecretKeyRef;
  /** What the summary's provenance records that only the cluster knows; unknown fields stay out. */
  provenance?: JobProvenance;
}

/** Provenance the Job passes to `edgecall summarize` as EDGECALL_* environment variables. */
export interface JobProvenance {
  /** `sha256:...` of the model image the runner ran, where its reference carries one. */
  imageDigest?: string;
  /** The board kind (`nodes[].board`), where every board that runs the model has the same. */
  boardKind?: string;
  /** The board's L4T release, where every board that runs the model has the same. */
  l4tRelease?: string;
  /** The board's nvpmodel mode after tuning (`0 (MAXN)`). */
  powerMode?: string;
  /** Whether `jetson_clocks` pinned the clocks. */
  jetsonClocks?: boolean;
}

function provenanceEnv(p: JobProvenance | undefined): EnvVar[] {
  const entries: Array<[string, string | undefined]> = [
    ["EDGECALL_IMAGE_DIGEST", p?.imageDigest],
    ["EDGECALL_BOARD_KIND", p?.boardKind],
    ["EDGECALL_L4T_RELEASE", p?.l4tRelease],
    ["EDGECALL_POWER_MODE", p?.powerMode],
    ["EDGECALL_JETSON_CLOCKS", p?.jetsonClocks === undefined ? undefined : String(p.jetsonClocks)],
  ];
  return entries.filter((e): e is [string, string] => e[1] !== undefined).map(([name, value]) => ({ name, value }));
}

export const DATASET_MOUNT = "/dataset";
export const MANIFESTS_MOUNT = "/manifests";
export const SCRIPTS_MOUNT = "/scripts";
export const WORK_MOUNT = "/work";
/** Where the converter writes the reads (and `load.jsonl`) inside a benchmark pod. */
export const INPUT_DIR = `${WORK_MOUNT}/input`;
const RUN_DIR = `${WORK_MOUNT}/run`;
const TELEMETRY_FILE = `${WORK_MOUNT}/telemetry.jsonl`;
const RUNS_MOUNT = "/runs";

/** Label every benchmark pod carries with its Job's name; scaling pods spread by it. */
export const JOB_LABEL = "edgecall.io/benchmark-job";

/** Names of the pod's containers in the order the protocol runs them (ARCHITECTURE section 6). */
export const CONTAINER_ORDER = { init: ["converter", "telemetry", "runner"], main: ["evaluate"] } as const;

/** Read manifest keys in the manifests ConfigMap: the whole read set, and shard i of n. */
export const READS_KEY = "reads.tsv";
export function shardKey(boards: number, index: number | string): string {
  return `shard-${boards}-${index}.tsv`;
}

export function volumes(s: BenchmarkPodSettings): Volume[] {
  return [
    { name: "dataset", hostPath: { path: `${DATA_ROOT}/${s.datasetId}`, type: "Directory" } },
    { name: "manifests", configMap: { name: manifestConfigMapName(s.runId) } },
    { name: "scripts", configMap: { name: SCRIPTS_CONFIGMAP, defaultMode: 0o555 } },
    { name: "workspace", emptyDir: {} },
    ...(s.keepRuns ? [{ name: "runs", hostPath: { path: KEPT_RUNS_ROOT, type: "Directory" as const } }] : []),
    ...weightsVolumes(s.weights),
  ];
}

/** Values every container sees, so each tool can record them as provenance. */
export function runEnv(s: BenchmarkPodSettings, repeat: number): EnvVar[] {
  return [
    { name: "EDGECALL_MODEL", value: s.model },
    { name: "EDGECALL_RUN_ID", value: s.runId },
    { name: "EDGECALL_REPEAT", value: String(repeat) },
    { name: "EDGECALL_DATASET_MANIFEST_SHA256", value: s.datasetId },
    { name: "EDGECALL_NODE_NAME", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } },
    ...provenanceEnv(s.provenance),
  ];
}

export const workspaceMount = { name: "workspace", mountPath: WORK_MOUNT };
export const unprivileged = { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } };

/** The init container that stages the reads of `manifestKey` from the dataset into the workspace. */
export function converterContainer(s: BenchmarkPodSettings, manifestKey: string, env: EnvVar[]): Container {
  return {
    name: "converter",
    image: s.converterImage,
    command: ["edgecall-convert", "--manifest", `${MANIFESTS_MOUNT}/${manifestKey}`, "--input", DATASET_MOUNT, "--output", INPUT_DIR, "--model", s.model],
    env,
    volumeMounts: [
      { name: "dataset", mountPath: DATASET_MOUNT, readOnly: true },
      { name: "manifests", mountPath: MANIFESTS_MOUNT, readOnly: true },
      workspaceMount,
    ],
    securityContext: unprivileged,
  };
}

/**
 * The pod: init `converter` stages the reads into the workspace, native sidecar `telemetry` records
 * from before the idle baseline until the pod ends, init `runner` does baseline, warm-up and the timed
 * run, and main `evaluate` summarizes and publishes. `manifestKey` picks the reads (a shard key may
 * hold `$(JOB_COMPLETION_INDEX)`, which Kubernetes expands); `resultName` is the ConfigMap (or, in
 * an indexed Job, its prefix).
 */
function benchmarkPod(s: BenchmarkPodSettings, repeat: number, manifestKey: string, resultName: string): PodSpec {
  const env = runEnv(s, repeat);
  const converter = converterContainer(s, manifestKey, env);
  const telemetry: Container = {
    name: "telemetry",
    image: s.toolsImage,
    restartPolicy: "Always",
    command: ["edgecall", "telemetry", "record", "--out", TELEMETRY_FILE],
    // The runner starts its idle baseline only once a sample exists, so the samples cover the
    // whole window from its first moment (a native sidecar holds back the init containers after it).
    startupProbe: { exec: { command: ["test", "-s", TELEMETRY_FILE] }, periodSeconds: 1, failureThreshold: 60 },
    env,
    volumeMounts: [workspaceMount],
    // tegrastats reads sysfs, which containers see read-only; some boards also need debugfs.
    securityContext: s.telemetryPrivileged ? { privileged: true } : unprivileged,
  };
  const runner: Container = {
    name: "runner",
    image: s.modelImage,
    command: [
      "edgecall-runner", "batch",
      "--model", s.model,
      "--input", INPUT_DIR,
      "--output", RUN_DIR,
      "--batch-size", String(s.batchSize),
      "--precision", s.precision,
      "--engine", s.engine,
      "--warmup", String(s.warmup),
      "--idle-baseline-s", String(s.idleBaselineSeconds),
    ],
    // An engine is made in the pod's workspace, before the timed window; run.json records how long it took.
    env: [...env, ...weightsEnv(s.weights), ...(s.engine === "torch" ? [] : [{ name: "EDGECALL_ENGINE_CACHE", value: `${WORK_MOUNT}/engines` }])],
    volumeMounts: [workspaceMount, ...weightsMounts(s.weights)],
    ...(s.gpuRequest ? { resources: { limits: { "nvidia.com/gpu": "1" } } } : {}),
  };
  const evaluateEnv: EnvVar[] = [
    ...env,
    { name: "EDGECALL_RUN_DIR", value: RUN_DIR },
    { name: "EDGECALL_TELEMETRY", value: TELEMETRY_FILE },
    { name: "EDGECALL_REFERENCE", value: `${DATASET_MOUNT}/${s.reference}` },
    { name: "EDGECALL_RESULT_NAME", value: resultName },
    { name: "EDGECALL_NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
  ];
  if (s.metricsUrlSecret !== undefined) {
    evaluateEnv.push({ name: "EDGECALL_METRICS_URL", valueFrom: { secretKeyRef: s.metricsUrlSecret } });
  }
  if (s.keepRuns) evaluateEnv.push({ name: "EDGECALL_KEEP_RUN", value: `${RUNS_MOUNT}/${s.runId}/${resultName}` });
  const evaluate: Container = {
    name: "evaluate",
    image: s.toolsImage,
    command: ["sh", `${SCRIPTS_MOUNT}/evaluate.sh`],
    env: evaluateEnv,
    volumeMounts: [
      { name: "dataset", mountPath: DATASET_MOUNT, readOnly: true },
      { name: "scripts", mountPath: SCRIPTS_MOUNT, readOnly: true },
      workspaceMount,
      ...(s.keepRuns ? [{ name: "runs", mountPath: RUNS_MOUNT }] : []),
    ],
    securityContext: unprivileged,
  };
  return {
    serviceAccountName: BENCH_SERVICE_ACCOUNT,
    restartPolicy: "Never",
    ...(s.runtimeClassName === undefined ? {} : { runtimeClassName: s.runtimeClassName }),
    initContainers: [converter, telemetry, runner],
    containers: [evaluate],
    volumes: volumes(s),
  };
}

export function labels(s: BenchmarkPodSettings, jobName: string): Record<string, string> {
  return { "app.kubernetes.io/part-of": "edgecall", "edgecall.io/run-id": s.runId, [JOB_LABEL]: jobName };
}

/** A named Job spec, ready for `k8s.batch.v1.Job`. */
export interface NamedJob {
  name: string;
  /** The ConfigMap(s) the Job writes: one name, or one per shard. */
  resultNames: string[];
  spec: JobSpec;
}

/**
 * A pod killed from outside (exit 137 or 143: SIGKILL, as the OOM killer sends, or SIGTERM, as an
 * eviction or a deleted pod gets) runs once more, from the start; any other failure fails the Job
 * at once, since a model that crashed would crash again and a retry would only double the wait.
 */
export const KILLED_POD_RETRIES = 1;
export const RETRY_ONLY_KILLED_PODS: PodFailurePolicy = {
  rules: [{ action: "FailJob", onExitCodes: { operator: "NotIn", values: [137, 143] } }],
};

/**
 * A Job of one pod on the boards that run the model, writing `result`: a pod killed from outside is
 * run once more, the run's labels, and `deadlineSeconds` (the benchmark's timeout unless given).
 */
export function modelJob(s: BenchmarkPodSettings, name: string, result: string, pod: PodSpec, deadlineSeconds = s.timeoutSeconds): NamedJob {
  return {
    name,
    resultNames: [result],
    spec: {
      backoffLimit: KILLED_POD_RETRIES,
      podFailurePolicy: RETRY_ONLY_KILLED_PODS,
      activeDeadlineSeconds: deadlineSeconds,
      template: { metadata: { labels: labels(s, name) }, spec: { ...pod, nodeSelector: modelSelector(s.model) } },
    },
  };
}

/** A container of the tools image running pod script `script` from the scripts ConfigMap, unprivileged. */
export function scriptContainer(s: BenchmarkPodSettings, name: string, script: string, env: EnvVar[]): Container {
  return {
    name,
    image: s.toolsImage,
    command: ["sh", `${SCRIPTS_MOUNT}/${script}`],
    env,
    volumeMounts: [{ name: "scripts", mountPath: SCRIPTS_MOUNT, readOnly: true }, workspaceMount],
    securityContext: unprivileged,
  };
}

/** A pod of the benchmark's service account, never restarted in place, with the run's volumes. */
export function resultPod(s: BenchmarkPodSettings, initContainers: Container[], containers: Container[]): PodSpec {
  return { serviceAccountName: BENCH_SERVICE_ACCOUNT, restartPolicy: "Never", initContainers, containers, volumes: volumes(s) };
}

/** The Job of one model and repeat, pinned to the boards that run the model. */
export function benchmarkJob(s: BenchmarkPodSettings, repeat: number): NamedJob {
  const name = benchmarkJobName(s.model, s.runId, repeat);
  const result = resultConfigMapName(s.model, s.runId, repeat);
  return modelJob(s, name, result, benchmarkPod(s, repeat, READS_KEY, result));
}

/**
 * The scaling Job on `boards` boards: an Indexed Job whose pod i converts and basecalls shard i of
 * the reads, one pod per board among `nodeNames` (required anti-affinity and an even spread on the
 * hostname), all pods at once.
 */
export function scalingJob(s: BenchmarkPodSettings, boards: number, nodeNames: readonly string[]): NamedJob {
  if (nodeNames.length < boards) {
    throw new Error(`the scaling Job on ${boards} boards needs ${boards} boards, only ${nodeNames.length} are given`);
  }
  const name = scalingJobName(s.model, s.runId, boards);
  const prefix = scalingResultPrefix(s.model, s.runId, boards);
  const pod = benchmarkPod(s, 0, shardKey(boards, "$(JOB_COMPLETION_INDEX)"), prefix);
  const sameJob = { matchLabels: { [JOB_LABEL]: name } };
  return {
    name,
    resultNames: Array.from({ length: boards }, (_, i) => `${prefix}-${i}`),
    spec: {
      backoffLimit: KILLED_POD_RETRIES,
      podFailurePolicy: RETRY_ONLY_KILLED_PODS,
      activeDeadlineSeconds: s.timeoutSeconds,
      completionMode: "Indexed",
      completions: boards,
      parallelism: boards,
      template: {
        metadata: { labels: labels(s, name) },
        spec: {
          ...pod,
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: [...nodeNames] }] }],
              },
            },
            podAntiAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: "kubernetes.io/hostname", labelSelector: sameJob }],
            },
          },
          topologySpreadConstraints: [
            { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "DoNotSchedule", labelSelector: sameJob },
          ],
        },
      },
    },
  };
}
