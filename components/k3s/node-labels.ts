import type { BoardKind, ModelName } from "../../domain/models";

export const LABEL_PREFIX = "edgecall.io";

/**
 * Labels a board's K3s node carries. `edgecall.io/model` names the board's model when it runs one;
 * `edgecall.io/model-<name>=true` is set for every model on it, which is what workloads select on,
 * since a packed board runs several.
 */
export function nodeLabels(board: BoardKind, l4tRelease: string, models: readonly ModelName[]): Record<string, string> {
  const labels: Record<string, string> = {
    [`${LABEL_PREFIX}/board`]: board,
    [`${LABEL_PREFIX}/l4t`]: l4tRelease,
  };
  if (models.length === 1) labels[`${LABEL_PREFIX}/model`] = models[0];
  if (models.length > 1) labels[`${LABEL_PREFIX}/model`] = "packed";
  for (const model of models) labels[`${LABEL_PREFIX}/model-${model}`] = "true";
  return labels;
}

/** The selector that pins a model's pods to the boards that run it. */
export function modelSelector(model: ModelName): Record<string, string> {
  return { [`${LABEL_PREFIX}/model-${model}`]: "true" };
}
