import type { BenchmarkPodSettings } from "../../../components/benchmark-run/job-spec";

/** Benchmark pod settings for spec tests: Chiron on a containerd board, with what a test changes. */
export function podSettings(overrides: Partial<BenchmarkPodSettings> = {}): BenchmarkPodSettings {
  return {
    model: "chiron",
    runId: "lab-2024-05",
    datasetId: "d".repeat(64),
    reference: "reference/lambda.fa",
    modelImage: "registry.local/chiron@sha256:1234",
    converterImage: "registry.local/converter:1",
    toolsImage: "registry.local/tools:1",
    batchSize: 4,
    precision: "fp32",
    engine: "torch",
    warmup: 10,
    idleBaselineSeconds: 30,
    timeoutSeconds: 1800,
    runtimeClassName: "edgecall-nvidia",
    gpuRequest: true,
    keepRuns: false,
    telemetryPrivileged: false,
    ...overrides,
  };
}
