import type { ModelName } from "../../domain/models";
import { ManifestEntry, datasetId, parseManifest, renderManifest, selectReads, shardReads } from "./manifest";
import { READS_KEY, shardKey } from "./job-spec";

/** The part of the benchmark plan that depends only on the manifest and the config. */
export interface DatasetPlan {
  /** sha256 of the manifest: the dataset's directory name on the boards. */
  datasetId: string;
  /** The reads measured, in manifest order. */
  reads: ManifestEntry[];
  /** Data of the manifests ConfigMap: `reads.tsv` and, for scaling, `shard-<n>-<i>.tsv`. */
  manifests: Record<string, string>;
}

/**
 * Parses the manifest, picks the reads and shards them for every board count up to `maxBoards`.
 * Throws one-line errors naming the file or config field; the component turns them into
 * ResourceErrors.
 */
export function planDataset(manifestText: string, manifestPath: string, reference: string, readCount?: number, maxBoards?: number): DatasetPlan {
  const entries = parseManifest(manifestText, manifestPath);
  const reads = selectReads(entries, reference, readCount);
  const manifests: Record<string, string> = { [READS_KEY]: renderManifest(reads) };
  for (let boards = 2; boards <= (maxBoards ?? 1); boards++) {
    shardReads(reads, boards).forEach((shard, i) => {
      manifests[shardKey(boards, i)] = renderManifest(shard);
    });
  }
  // On one board the scaling Job reads the whole set as its only shard.
  if (maxBoards !== undefined) manifests[shardKey(1, 0)] = renderManifest(reads);
  return { datasetId: datasetId(manifestText), reads, manifests };
}

/** The models that get benchmark Jobs: every model some board runs, each once, in a stable order. */
export function modelsToBenchmark(boards: ReadonlyArray<{ models: readonly ModelName[] }>): ModelName[] {
  return [...new Set(boards.flatMap((b) => b.models))].sort();
}
