export {
  BenchmarkRun,
  BenchmarkRunArgs,
  BenchmarkBoard,
  BenchmarkImages,
  ScalingResult,
} from "./benchmark-run";
export { benchmarkConfigSchema, benchmarkProblems, resolveDataset, BenchmarkConfig, ResolvedDataset } from "./config";
export { benchmarkJob, scalingJob, BenchmarkPodSettings, NamedJob, SecretKeyRef, CONTAINER_ORDER, JOB_LABEL, READS_KEY, shardKey } from "./job-spec";
export { DatasetSource, stageDatasetStep, stagingDir, STAGING_ROOT } from "./dataset-step";
export { DatasetError, ManifestEntry, datasetId, parseManifest, selectReads, shardReads, renderManifest } from "./manifest";
export * from "./names";
export { DatasetPlan, planDataset, modelsToBenchmark } from "./plan";
export { BENCH_ROLE_RULES, PolicyRule } from "./rbac";
export { ModelBenchmark, RENDERED_ONLY, SUMMARY_KEY, parseSummaryConfigMap, checkSummaryIdentity } from "./results";
export { ScalingPoint, TimedWindow, shardedWallSeconds, speedupCurve } from "./scaling";
export { LoadSettings, loadJob } from "./load-job";
export { LOAD_KEY, LoadReport, ModelLoad, loadReportSchema, parseLoadConfigMap } from "./load-results";
