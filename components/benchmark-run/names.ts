import { createHash } from "crypto";

/** The namespace every benchmark object lives in; the Jobs' service account can write only here. */
export const BENCH_NAMESPACE = "edgecall-bench";
/** The service account, Role and RoleBinding the benchmark pods run with. */
export const BENCH_SERVICE_ACCOUNT = "edgecall-bench";
/** ConfigMap with the pod scripts (evaluate, publish-result). */
export const SCRIPTS_CONFIGMAP = "edgecall-bench-scripts";
/** Where datasets live on a board: `<root>/<dataset id>/`. */
export const DATA_ROOT = "/var/lib/edgecall-data";
/** Where Jobs keep their run directories on the board with `benchmark.keepRuns` (made by staging). */
export const KEPT_RUNS_ROOT = `${DATA_ROOT}/runs`;

/**
 * A short, stable hash of the run id. Job names carry it, so a new `benchmark.runId` gives new
 * names (Pulumi replaces the Jobs, which runs them again) and the same run id changes nothing.
 */
export function runIdHash(runId: string): string {
  return createHash("sha256").update(runId, "utf8").digest("hex").slice(0, 8);
}

/** Job of one model and repeat: `edgecall-<model>-<hash>-r<repeat>`, at most 63 characters. */
export function benchmarkJobName(model: string, runId: string, repeat: number): string {
  return `edgecall-${model}-${runIdHash(runId)}-r${repeat}`;
}

/** ConfigMap the Job of one model and repeat writes its summary into. */
export function resultConfigMapName(model: string, runId: string, repeat: number): string {
  return `edgecall-result-${model}-${runId}-${repeat}`;
}

/** Indexed Job of the scaling benchmark on `boards` boards. */
export function scalingJobName(model: string, runId: string, boards: number): string {
  return `edgecall-scale-${model}-${runIdHash(runId)}-n${boards}`;
}

/** Prefix of the ConfigMaps a scaling Job's shards write; shard i appends `-<i>`. */
export function scalingResultPrefix(model: string, runId: string, boards: number): string {
  return `edgecall-scaling-${model}-${runId}-n${boards}`;
}

/** ConfigMap holding the read manifests (whole read set and every shard) of one dataset selection. */
export function manifestConfigMapName(runId: string): string {
  return `edgecall-reads-${runIdHash(runId)}`;
}

/** Load-generator Job of one model: `edgecall-load-<model>-<hash>`. */
export function loadJobName(model: string, runId: string): string {
  return `edgecall-load-${model}-${runIdHash(runId)}`;
}

/** ConfigMap the load Job of one model writes its report into. */
export function loadResultName(model: string, runId: string): string {
  return `edgecall-load-${model}-${runId}`;
}

/** Live benchmark Job of one model: `edgecall-live-<model>-<hash>`. */
export function liveJobName(model: string, runId: string): string {
  return `edgecall-live-${model}-${runIdHash(runId)}`;
}

/** ConfigMap the live Job of one model writes its report into. */
export function liveResultName(model: string, runId: string): string {
  return `edgecall-live-${model}-${runId}`;
}

/** Read-until load Job of one model: `edgecall-ru-<model>-<hash>`. */
export function readUntilJobName(model: string, runId: string): string {
  return `edgecall-ru-${model}-${runIdHash(runId)}`;
}

/** ConfigMap the read-until Job of one model writes its report into. */
export function readUntilResultName(model: string, runId: string): string {
  return `edgecall-ru-${model}-${runId}`;
}
