/** The four published basecallers edgecall deploys. */
export const MODELS = ["sacall", "catcaller", "chiron", "rodan"] as const;
export type ModelName = (typeof MODELS)[number];

import type { Precision } from "./precision";
/** The models the runner can run in half precision: Chiron is TensorFlow 1.x. */
export const HALF_PRECISION_MODELS: readonly ModelName[] = ["sacall", "catcaller", "rodan"];

/** The precision a model runs in when the benchmark asks for `requested`: Chiron stays fp32. */
export function precisionFor(model: ModelName, requested: Precision): Precision {
  return HALF_PRECISION_MODELS.includes(model) ? requested : "fp32";
}

/** The NodePort each model's service answers on, on the board that runs it (the seed's ports). */
export const MODEL_NODE_PORTS: Readonly<Record<ModelName, number>> = { sacall: 6001, catcaller: 6002, chiron: 6003, rodan: 6004 };

/** Board kinds edgecall supports; each maps to the JetPack (L4T) releases it accepts. */
export const BOARDS = ["nano", "xavier", "orin"] as const;
export type BoardKind = (typeof BOARDS)[number];

/**
 * The NodePort range K3s is started with. The model ports (6001-6004) and the in-cluster registry
 * (5000) sit below Kubernetes' default 30000-32767, so the server widens the range.
 */
export const NODE_PORT_RANGE = "5000-32767";
