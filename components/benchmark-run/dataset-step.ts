import type { HostStep } from "../remote/remote-step";
import { DATA_ROOT } from "./names";
import { besideModule } from "../../domain/project-files";

/** Where a dataset comes from: a local directory, or a base URL the boards download from. */
export type DatasetSource = { kind: "path"; dir: string } | { kind: "url"; url: string };

/** World-writable and on disk on L4T, so the SSH user can copy there without sudo. */
export const STAGING_ROOT = "/var/tmp";

/** The SSH user's copy of one dataset before root checks it: `manifest.tsv` and `data/`. */
export function stagingDir(datasetId: string): string {
  return `${STAGING_ROOT}/edgecall-staging-${datasetId.slice(0, 16)}`;
}

/**
 * The root step that stages a dataset on a board: copy (or download) every manifest file into
 * `/var/lib/edgecall-data/<dataset id>/`, check each against its sha256, remove the staging copy.
 */
export function stageDatasetStep(datasetId: string, source: DatasetSource): HostStep {
  const env: Record<string, string> = {
    EDGECALL_DATASET_ID: datasetId,
    EDGECALL_DATA_ROOT: DATA_ROOT,
    EDGECALL_STAGING_DIR: stagingDir(datasetId),
  };
  switch (source.kind) {
    case "path":
      break;
    case "url":
      env.EDGECALL_DATASET_URL = source.url;
      break;
    default: {
      const unknown: never = source;
      throw new Error(`unknown dataset source ${JSON.stringify(unknown)}`);
    }
  }
  return { name: "dataset", scriptPath: besideModule(__dirname, "scripts", "stage-dataset.sh"), env };
}
