import type { Summary } from "../../../domain/summary";

/** A valid summary with the given model, repeat and bases/s, for tests that need many. */
export function summaryFor(model: string, repeat: number, basesPerS = 1000): Summary {
  return {
    schema: "edgecall.summary/v1",
    model,
    run_id: "r1",
    repeat,
    board: "nano-1",
    board_kind: "nano",
    window: { start: "2026-11-24T10:00:00.000Z", end: "2026-11-24T10:01:00.000Z", seconds: 60 },
    throughput: { reads: 10, bases: 60 * basesPerS, samples: 600000, reads_per_s: 10 / 60, bases_per_s: basesPerS, samples_per_s: 10000, latency_p50_s: 1, latency_p95_s: 2 },
    accuracy: null,
    energy: null,
    resources: null,
    provenance: { image_digest: null, upstream_commit: null, weights_sha256: null, l4t_release: "R32.7.1", power_mode: "0 (MAXN)", jetson_clocks: true, dataset_manifest_sha256: null, device: "cuda", framework_versions: {} },
  };
}
