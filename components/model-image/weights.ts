/**
 * A model's weights as a verified input (`images.models.<model>.weights`): fetched at image build
 * from a URL, or a file on the boards mounted read-only into the model's pods. Either way the pods
 * see the file at {@link WEIGHTS_FILE} and its pinned digest, and the runner refuses to load a file
 * whose sha256 differs (edgecall_runner/weights.py).
 */

/** Where the weights are inside a model container: the image's download, or the hostPath mount. */
export const WEIGHTS_FILE = "/opt/edgecall/weights/model.weights";

/** The pod volume that carries weights from a board's file system. */
export const WEIGHTS_VOLUME = "weights";

/** Weights configured for a model, after validation. */
export type WeightsSource =
  | {
      kind: "url";
      /** https URL the image build downloads. */
      url: string;
      /** sha256 of the file, 64 lowercase hex characters. */
      sha256: string;
    }
  | {
      kind: "path";
      /** Absolute path of the file on every board that runs the model. */
      path: string;
      /** sha256 of the file, 64 lowercase hex characters. */
      sha256: string;
    };

/** Build arguments of the model's Dockerfile: a URL download is checked with `sha256sum -c` there. */
export function weightsBuildArgs(weights: WeightsSource | undefined): Record<string, string> {
  if (weights === undefined || weights.kind !== "url") return {};
  return { WEIGHTS_URL: weights.url, WEIGHTS_SHA256: weights.sha256 };
}

/** Environment of the runner container: the file it loads and the digest it must have. */
export function weightsEnv(weights: WeightsSource | undefined): Array<{ name: string; value: string }> {
  if (weights === undefined) return [];
  return [
    { name: "EDGECALL_WEIGHTS", value: WEIGHTS_FILE },
    { name: "EDGECALL_WEIGHTS_SHA256", value: weights.sha256 },
  ];
}

/** The pod volume for weights on the boards (a read-only file hostPath); none for weights in the image. */
export function weightsVolumes(weights: WeightsSource | undefined): Array<{ name: string; hostPath: { path: string; type: "File" } }> {
  if (weights === undefined || weights.kind !== "path") return [];
  return [{ name: WEIGHTS_VOLUME, hostPath: { path: weights.path, type: "File" } }];
}

/** The runner container's mount of {@link weightsVolumes}, read-only at {@link WEIGHTS_FILE}. */
export function weightsMounts(weights: WeightsSource | undefined): Array<{ name: string; mountPath: string; readOnly: true }> {
  if (weights === undefined || weights.kind !== "path") return [];
  return [{ name: WEIGHTS_VOLUME, mountPath: WEIGHTS_FILE, readOnly: true }];
}
